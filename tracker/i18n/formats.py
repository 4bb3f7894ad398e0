"""Numbers, times and dates as the reader's locale writes them (Babel, CLDR's data).

English keeps tracker's own forms ("2.18", "19:30", "Sat 05 Dec"), which tests and
existing logs' exports already show; every other language takes CLDR's: "2,18" and
"19:30" in French, "sáb 5 dic" in Spanish. Babel is imported only when another
language is spoken, so that English start-up costs nothing more.

Numbers are rounded by the dosing rules first (tracker.domain.dosing) and only then
written in the locale: the rounding of a dose never depends on the language. Digits are
the Western ones (0-9) in every language, Arabic included: they are what the syringe,
the vial and the prescription print.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache

from tracker import i18n


def _pseudo(text: str) -> str:
    """Under the pseudo-language a day or month name is marked as the catalog's words
    are: it is CLDR's, in the reader's language, not English left behind."""
    if i18n.language() != i18n.PSEUDO:
        return text
    from tracker.i18n.pseudo import transform

    return transform(text)


def _locale() -> str | None:
    """Babel's locale for the language spoken now; None for English (tracker's forms)."""
    lang = i18n.language()
    if lang == i18n.ENGLISH:
        return None
    locale = "en" if lang == i18n.PSEUDO else lang
    if locale not in _primed:
        _prime(locale)
    return locale


_primed: set[str] = set()


def _prime(locale: str) -> None:
    """Hand Babel the parts of CLDR's data the build cut for this language (hatch_build.py),
    if they came from the Babel that is installed: ~7 ms less at start-up. Without them
    (a source checkout, another Babel) Babel reads its own files, as it always can."""
    _primed.add(locale)
    import pickle

    from tracker.i18n.compile import CLDR_FILE

    path = i18n.LOCALE_DIR / locale / CLDR_FILE
    if not path.exists():
        return
    import babel
    from babel import localedata

    with path.open("rb") as fh:
        cut = pickle.load(fh)
    if cut.get("babel") == babel.__version__ and locale not in localedata._cache:
        localedata._cache[locale] = _Cut(cut["data"], locale)


class _Cut(dict[str, object]):
    """The cut parts, for Babel; a part the cut left out (another user of Babel in the
    same process asks for it) loads Babel's whole data for the language, once."""

    def __init__(self, parts: dict[str, object], locale: str) -> None:
        super().__init__(parts)
        self.locale = locale

    def __missing__(self, key: str) -> object:
        from babel import localedata

        localedata._cache.pop(self.locale, None)
        self.update(localedata.load(self.locale))
        localedata._cache[self.locale] = self
        return self[key] if key in self else dict.__getitem__(self, key)


@cache
def _symbols(locale: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(locale), get_group_symbol(locale)


def decimal(text: str) -> str:
    """A number already written by tracker's rules ("2.18", "-0.5", "1,200.5"), in the
    locale's decimal and group marks: "2,18" in French."""
    locale = _locale()
    if locale is None:
        return text
    point, group = _symbols(locale)
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


def number(value: float, digits: int = 2) -> str:
    """A number to at most `digits` decimals, trailing zeros dropped ("12.5", "12")."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return decimal(text if text not in ("-0", "") else "0")


def clock(at: time | datetime) -> str:
    """A time of day: "19:30" (English), the locale's short time elsewhere."""
    locale = _locale()
    if locale is None:
        return at.strftime("%H:%M")
    from babel.dates import format_time

    plain = at.time() if isinstance(at, datetime) else at
    return format_time(plain, "short", locale=locale)


def day(d: date | datetime, style: str = "medium") -> str:
    """A date: "2026-12-05" in English (as tracker always wrote it); the locale's
    medium ("5 déc. 2026") or long ("5 décembre 2026") form elsewhere."""
    locale = _locale()
    plain = d.date() if isinstance(d, datetime) else d
    if locale is None:
        return plain.isoformat() if style != "long" else plain.strftime("%d %B %Y").lstrip("0")
    from babel.dates import format_date

    return _pseudo(format_date(plain, style, locale=locale))


def day_short(d: date | datetime) -> str:
    """A day as a calendar cell or a list says it: "Sat 05 Dec"; "sam. 5 déc." in French."""
    locale = _locale()
    if locale is None:
        return d.strftime("%a %d %b")
    from babel.dates import format_skeleton

    plain = d.date() if isinstance(d, datetime) else d
    return _pseudo(format_skeleton("MMMEd", plain, locale=locale))


def skeleton(d: date | datetime, pattern: str, as_english: str) -> str:
    """A date by a CLDR skeleton ("yMMMd", "MMMd"...) in the reader's language, and by
    tracker's own strftime form in English ("%d %b %Y")."""
    locale = _locale()
    if locale is None:
        return d.strftime(as_english)
    from babel.dates import format_skeleton

    return _pseudo(format_skeleton(pattern, d, locale=locale))


def weekday(d: date | datetime, width: str = "wide") -> str:
    """The day's name: "Saturday"; "samedi" in French."""
    locale = _locale()
    if locale is None:
        return d.strftime("%A" if width == "wide" else "%a")
    from babel.dates import format_date

    return _pseudo(format_date(d, "EEEE" if width == "wide" else "EEE", locale=locale))


def month(d: date | datetime, width: str = "wide") -> str:
    locale = _locale()
    if locale is None:
        return d.strftime("%B" if width == "wide" else "%b")
    from babel.dates import format_date

    return _pseudo(format_date(d, "LLLL" if width == "wide" else "LLL", locale=locale))


def month_names(lang: str) -> dict[str, int]:
    """Every way the language names a month (wide and abbreviated, any case, with or
    without a final dot) -> its number: for reading "19 novembre 2026"."""
    from babel.dates import get_month_names

    found: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for n, name in get_month_names(width, context, locale=lang).items():
                found[name.casefold().rstrip(".")] = n
    return found
