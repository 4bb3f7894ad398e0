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
    """Every catalog compiled beside its .po, and its language's CLDR parts beside it."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(po))
        cldr = po.parent.parent / CLDR_FILE
        cldr.write_bytes(cldr_bytes(po.parent.parent.name))
        written += [mo, cldr]
    return written


# What tracker.i18n.formats asks of CLDR: a language's locale data cut to these parts is
# read in well under a millisecond, where Babel's whole root + language data takes ~7 ms
# of every command's start-up (bench/cli_latency.py).
CLDR_PARTS = ("date_formats", "datetime_formats", "datetime_skeletons", "day_period_rules",
              "day_periods", "days", "decimal_formats", "default_numbering_system", "eras",
              "months", "number_symbols", "numbering_systems", "percent_formats",
              "plural_form", "quarters", "time_formats", "locale_id", "week_data",
              "territories")
CLDR_FILE = "cldr.pickle"


def cldr_bytes(lang: str) -> bytes:
    """The parts of CLDR's data for `lang` that formats uses, with the Babel version they
    came from (another version's data is not used)."""
    import pickle

    import babel
    from babel import localedata

    data = localedata.load(lang)
    parts = {key: data[key] for key in CLDR_PARTS if key in data}
    return pickle.dumps({"babel": babel.__version__, "data": parts}, protocol=4)
