"""Compiles the catalogs (tracker/i18n/locale/*/LC_MESSAGES/tracker.po) into the .mo
files gettext reads, whenever a wheel is built, editable ones included: the .mo files are
build products, never committed, so a catalog and its compiled form cannot disagree."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "tracker" / "i18n" / "locale"
        for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh)
            out = io.BytesIO()
            write_mo(out, catalog, use_fuzzy=False)
            mo = po.with_suffix(".mo")
            mo.write_bytes(out.getvalue())
            build_data["force_include"][str(mo)] = str(mo.relative_to(self.root))
