"""Compiles the catalogs (tracker/i18n/locale/*/LC_MESSAGES/tracker.po) into the .mo
files gettext reads, whenever a wheel is built, editable ones included: the .mo files are
build products, never committed, so a catalog and its compiled form cannot disagree.
Beside each, the parts of CLDR's data its language's formats need (cldr.pickle), so that
a command in French does not read all of Babel's French data at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        import sys

        sys.path.insert(0, str(Path(self.root) / "tracker" / "i18n"))
        from compile import compile_all  # tracker/i18n/compile.py, without importing tracker

        root = Path(self.root) / "tracker" / "i18n" / "locale"
        for made in compile_all(root):
            build_data["force_include"][str(made)] = str(made.relative_to(self.root))
