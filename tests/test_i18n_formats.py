"""Numbers and dates as each language writes them (issue 33, part 1), the same whether
Babel reads its own data or the parts the build cut for start-up (cldr.pickle)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time

import pytest

from tracker import i18n
from tracker.domain.meter_units import country_name
from tracker.i18n import formats

DAYS = [date(2026, m, d) for m in range(1, 13) for d in (1, 15, 28)]
TIMES = [time(h, m) for h in (0, 7, 12, 19, 23) for m in (0, 30, 59)]


def _all(lang: str) -> list[str]:
    with i18n.speaking(lang):
        out = [formats.decimal("1,234.56"), formats.number(0.855, 2), formats.number(12.0)]
        for d in DAYS:
            out += [formats.day(d), formats.day(d, "long"), formats.day_short(d),
                    formats.weekday(d), formats.weekday(d, "abbreviated"), formats.month(d),
                    formats.skeleton(d, "yMMMd", "%d %b %Y")]
        out += [formats.clock(t) for t in TIMES]
        out += [country_name(code) for code in ("FR", "CA", "EC", "EG", "DE", "US")]
    return out


@pytest.mark.parametrize("lang", ["fr", "es", "de", "ar"])
def test_the_cut_data_writes_what_babel_s_own_data_writes(lang: str) -> None:
    """The build's cut is only a faster way to the same words: a fresh process with it
    and one without it write every date, time and number alike."""
    code = ("import json, sys; sys.path.insert(0, 'tests');"
            "from tracker.i18n import formats;"
            "from test_i18n_formats import _all;"
            "{}; print(json.dumps(_all(sys.argv[1])))")
    cut = subprocess.run([sys.executable, "-c", code.format("pass"), lang],
                         capture_output=True, text=True, check=True).stdout
    whole = subprocess.run([sys.executable, "-c", code.format("formats._primed.add('" + lang
                                                              + "')"), lang],
                           capture_output=True, text=True, check=True).stdout
    assert cut == whole
    assert (i18n.LOCALE_DIR / lang / "cldr.pickle").exists()  # the build made it


def test_a_part_the_cut_left_out_is_read_from_babel_s_own_data() -> None:
    code = ("from tracker import i18n; from tracker.i18n import formats;"
            "from babel import Locale\n"
            "with i18n.speaking('fr'): formats.decimal('1.5')\n"
            "print(Locale.parse('fr').currency_symbols['EUR'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "€"


def test_each_language_writes_numbers_and_dates_its_own_way() -> None:
    with i18n.speaking("fr"):
        assert formats.decimal("0.86") == "0,86"
        assert formats.day(date(2026, 11, 19), "long") == "19 novembre 2026"
        assert formats.clock(datetime(2026, 11, 19, 19, 30)) == "19:30"
    with i18n.speaking("de"):
        assert formats.day(date(2026, 11, 19), "long") == "19. November 2026"
        assert formats.decimal("1,234.5") == "1.234,5"
    with i18n.speaking("es"):
        assert formats.day(date(2026, 11, 19), "long") == "19 de noviembre de 2026"
    with i18n.speaking("ar"):  # Western digits, as the syringe and the vial print them
        text = formats.decimal("0.86") + formats.day(date(2026, 11, 19), "long")
        assert not any("\u0660" <= ch <= "\u0669" for ch in text)
        assert "نوفمبر" in text
    with i18n.speaking("en"):  # tracker's own English forms, unchanged
        assert formats.decimal("0.86") == "0.86"
        assert formats.clock(time(7, 5)) == "07:05"
        assert formats.day(date(2026, 11, 19)) == "2026-11-19"
