"""Catalogs from .po files: for the wheel's build (.mo files) and for a source checkout
that was never built (compiled in memory, with Babel, when first needed)."""

from __future__ import annotations

import gettext
import io
from pathlib import Path


def mo_bytes(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        cat = read_po(fh)
    out = io.BytesIO()
    write_mo(out, cat, use_fuzzy=False)
    return out.getvalue()


def translations_from_po(po: Path) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(mo_bytes(po)))


def compile_all(locale_dir: Path) -> list[Path]:
    """Every catalog compiled beside its .po; the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(po))
        written.append(mo)
    return written
