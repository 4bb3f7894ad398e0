"""Reading the numbers, dates and doses people type, the way they type them.

A parent copies a weight from a scale's display ("21,5"), a birth date from a form
("12/06/2019") and a dose from the clinic's sheet ("13 units"). Each is read here, and
what cannot be read is refused with a hint for that question alone; where two readings
are possible (is 12/06 the 12th of June or the 6th of December?) both are returned, for
the front to confirm in words or to refuse naming both.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import NamedTuple

from tracker import i18n
from tracker.domain.dosing import format_mg, format_per_kg
from tracker.errors import InputError
from tracker.i18n import N_, _, pgettext
from tracker.i18n.formats import decimal

_NUMBER = re.compile(r"^([+-]?)(\d+(?:[.,]\d+)?|[.,]\d+)$")
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WORDS = (  # 12 June 2019, June 12, 2019
    re.compile(rf"^{_DAY}\s+(?P<month>[a-z]+),?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<month>[a-z]+)\s+{_DAY},?\s+(?P<year>\d{{4}})$"),
)

# A date in words as the locale writes it: "19 novembre 2026", "19. November 2026",
# "19 de noviembre de 2026", "19 نوفمبر 2026", "1er nov. 2026" (the month's name in the
# language spoken; see local_months).
_LOCAL_WORDS = re.compile(
    r"^(?P<day>\d{1,2})(?:er|º|°)?\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?\s+(?:de\s+)?"
    r"(?P<year>\d{4})$")
# A month in words without its day ("novembre 2026"), for an expiry.
LOCAL_MONTH = re.compile(r"^(?:de\s+)?(?P<month>[^\W\d_]+)\.?[ -](?:de\s+)?(?P<year>\d{4}|\d{2})$")


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def _months_of(lang: str) -> dict[str, int]:
    from tracker.i18n.formats import month_names

    found = dict(month_names(lang))
    found.update({_unaccented(name): n for name, n in list(found.items())})
    return found


def local_months(lang: str | None = None) -> dict[str, int]:
    """The month names read in the language spoken (wide and abbreviated, any case, with
    or without accents) -> the month's number; English's are MONTHS, always read."""
    lang = lang or i18n.language()
    if lang in (i18n.ENGLISH, i18n.PSEUDO) or lang not in i18n.LANGUAGES:
        return {}
    return _months_of(lang)


def month_number(word: str) -> int | None:
    """A month's name as typed (English, or the language spoken) -> its number."""
    word = word.casefold().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    local = local_months()
    return local.get(word) or local.get(_unaccented(word))


def number(text: str, what: str, unit: str = "") -> float:
    """A number as typed: "21.5", "21,5", "21.5 kg" (its own unit, if any, may follow)."""
    s = text.strip().lower().replace(" ", "")
    if unit and s.endswith(unit.lower()):
        s = s[: -len(unit)]
    m = _NUMBER.match(s)
    if not m:
        example = f"21.5 {unit}".strip()
        # TRANSLATORS: {what} names the question (the weight, the dose); {example} 21.5 kg
        raise InputError(_("{typed!r} is not a number: type the {what} like {example}").format(
            typed=text.strip(), what=what, example=decimal(example)))
    return float(m.group(1) + m.group(2).replace(",", "."))


def _year(text: str, today: date) -> int:
    """A year as written; two digits are the most recent such year up to today."""
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year if year <= today.year else year - 100


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def dates(text: str, today: date, *, day_first: bool = True) -> list[date]:
    """The dates `text` can mean, the likelier first: one, two (12/06/2019), or none.

    Understood: 2019-06-12, 12/06/2019 (also with dots or dashes, two-digit years),
    12 June 2019, June 12, 2019, "today" and "yesterday". `day_first` orders the two
    readings of 12/06 (False where the month comes first, as in the United States).
    """
    s = " ".join(text.strip().lower().replace(",", " ").split())
    if s == "today":
        return [today]
    if s == "yesterday":
        return [date.fromordinal(today.toordinal() - 1)]
    m = _ISO.match(s)
    if m:
        found = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return [found] if found else []
    m = _NUMERIC.match(s)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), _year(m.group(3), today)
        readings = [(b, a), (a, b)] if day_first else [(a, b), (b, a)]  # (month, day)
        out: list[date] = []
        for month, day in readings:
            found = _valid(year, month, day)
            if found and found not in out:
                out.append(found)
        return out
    for pattern in (*_WORDS, _LOCAL_WORDS):
        m = pattern.match(s)
        named = month_number(m["month"]) if m else None
        if m and named:
            in_year = _valid(int(m["year"]), named, int(m["day"]))
            return [in_year] if in_year else []
    return []


def in_words(d: date) -> str:
    """12 June 2019: a date no one can read two ways (the locale's long form elsewhere)."""
    from tracker.i18n.formats import day

    return day(d, "long")


class NoSuchDay(InputError):
    """Date-shaped, but no such day (31/02): told apart from "not a date" by its kind,
    never by its words, which are the reader's language."""


def some_dates(text: str, today: date, *, day_first: bool = True) -> list[date]:
    """The dates `text` can mean (one, or two for 12/06/2019); none is refused in words
    that say whether it was a date-shaped typo or not a date at all."""
    found = dates(text, today, day_first=day_first)
    if found:
        return found
    shaped = " ".join(text.strip().lower().replace(",", " ").split())
    if (_ISO.match(shaped) or _NUMERIC.match(shaped) or any(p.match(shaped) for p in _WORDS)
            or (_LOCAL_WORDS.match(shaped) and local_months())):
        raise NoSuchDay(_("{typed!r} is not a date that exists: check the day and month")
                         .format(typed=text.strip()))
    raise InputError(
        # TRANSLATORS: {example} is 12 June 2019 written in words
        _("{typed!r} is not a date: type it like 2019-06-12, 12/06/2019 or {example}").format(
            typed=text.strip(), example=in_words(date(2019, 6, 12)))
    )


def one_date(text: str, today: date, *, day_first: bool = True) -> date:
    """The one date `text` means; two possible readings are refused, naming both."""
    found = some_dates(text, today, day_first=day_first)
    if len(found) > 1:
        raise InputError(
            _("{typed!r} could be {first} or {second}: write {iso} (year-month-day) "
              "to say which").format(
                typed=text.strip(), first=in_words(found[0]), second=in_words(found[1]),
                iso=found[0].isoformat())
        )
    return found[0]


class Dose(NamedTuple):
    """A dose as the clinic wrote it: an amount and its unit (mg/kg, mg, mL or units;
    micrograms are read into mg, and `written` keeps how it was written)."""

    amount: float
    unit: str  # "mg/kg", "mg", "mL" or "units"
    written: str | None = None  # "40 µg/kg": said back beside its mg when it differs

    def mg(self, concentration: float, weight_kg: float | None = None) -> float | None:
        """The mg per injection (None for mg/kg without a weight)."""
        if self.unit == "mg":
            return self.amount
        if self.unit == "mL":
            return self.amount * concentration
        if self.unit == "units":  # U-100 syringe units: 100 to the mL
            return self.amount / 100 * concentration
        return None if weight_kg is None else self.amount * weight_kg

    def describe(self) -> str:
        return self.written or f"{self.amount:g} {self.unit}"

    def shown_in_mg(self, concentration: float, weight_kg: float | None) -> str:
        """ "13 units of the 10 mg/mL vial is 1.30 mg, 0.065 mg/kg at 20 kg": a volume
        (mL or units), or micrograms, read back in the units the label's limits are
        written in."""
        if self.unit == "mg/kg":
            if weight_kg:
                return _("{dose} is {per_kg} mg/kg = {mg} mg at {weight} kg").format(
                    dose=self.describe(), per_kg=decimal(format_per_kg(self.amount)),
                    mg=decimal(format_mg(self.amount * weight_kg)),
                    weight=decimal(f"{weight_kg:g}"))
            return _("{dose} is {per_kg} mg/kg").format(
                dose=self.describe(), per_kg=decimal(format_per_kg(self.amount)))
        if self.unit == "mg":
            if weight_kg:
                return _("{dose} is {mg} mg, {per_kg} mg/kg at {weight} kg").format(
                    dose=self.describe(), mg=decimal(format_mg(self.amount)),
                    per_kg=decimal(format_per_kg(self.amount / weight_kg)),
                    weight=decimal(f"{weight_kg:g}"))
            return _("{dose} is {mg} mg").format(
                dose=self.describe(), mg=decimal(format_mg(self.amount)))
        ml = self.amount if self.unit == "mL" else self.amount / 100
        mg = ml * concentration
        if weight_kg:
            # TRANSLATORS: {dose} as typed (0.08 mL, 8 units); {strength} the vial's mg/mL
            return _("{dose} of the {strength} mg/mL vial is {mg} mg, {per_kg} mg/kg at "
                     "{weight} kg").format(
                dose=self.describe(), strength=decimal(f"{concentration:g}"),
                mg=decimal(format_mg(mg)), per_kg=decimal(format_per_kg(mg / weight_kg)),
                weight=decimal(f"{weight_kg:g}"))
        # TRANSLATORS: {dose} as typed (0.08 mL, 8 units); {strength} the vial's mg/mL
        return _("{dose} of the {strength} mg/mL vial is {mg} mg").format(
            dose=self.describe(), strength=decimal(f"{concentration:g}"),
            mg=decimal(format_mg(mg)))

    @property
    def needs_reading_back(self) -> bool:
        """Written in other units than the label's (a volume, micrograms): confirmed in mg."""
        return self.unit in ("mL", "units") or self.written is not None


# what follows the number, without spaces -> (unit, factor to that unit)
_DOSE_UNITS: dict[str, tuple[str, float]] = {
    "mg/kg": ("mg/kg", 1), "mgperkg": ("mg/kg", 1),
    "mg": ("mg", 1), "milligrams": ("mg", 1), "milligram": ("mg", 1),
    "ml": ("mL", 1),
    "units": ("units", 1), "unit": ("units", 1), "u": ("units", 1),
}
# the micro sign (U+00B5) and the Greek mu (U+03BC) both reach us from keyboards
_MICRO = ("\u00b5g", "\u03bcg", "mcg", "ug", "micrograms", "microgram")
for _m in _MICRO:
    _DOSE_UNITS[f"{_m}/kg"] = ("mg/kg", 0.001)
    _DOSE_UNITS[f"{_m}perkg"] = ("mg/kg", 0.001)
    _DOSE_UNITS[_m] = ("mg", 0.001)
_PER_DOSE = ("/dose", "perdose", "/injection", "perinjection")
_INTERNATIONAL = ("iu", "i.u.", "internationalunits", "internationalunit")
_AMOUNT = re.compile(r"^(\d+(?:[.,]\d+)?|[.,]\d+)(.*)$")
_HOW = N_("type the dose as the clinic wrote it, like 0.04 mg/kg, 40 \u00b5g/kg, 0.8 mg, "
        "0.08 mL or 8 units")


@cache
def _unit_words(lang: str) -> frozenset[str]:
    """The words for a U-100 syringe's units (its marks) as typed in `lang` and in every
    language tracker speaks, lower case, with and without accents."""
    from tracker.domain.sites import SHIPPED

    words: set[str] = set()
    for each in dict.fromkeys((*SHIPPED, lang)):
        with i18n.speaking(each):
            # TRANSLATORS: the words a person may type after a dose in syringe units
            # ("8 units"), separated by spaces: every form, singular and plural and short,
            # e.g. French "unités unité u". Not shown: only read back.
            listed = pgettext("typed unit", "units")
        for word in listed.lower().split():
            words.add(word)
            words.add("".join(c for c in unicodedata.normalize("NFKD", word)
                              if not unicodedata.combining(c)))
    return frozenset(words)


def dose(text: str) -> Dose:
    """ "0.04 mg/kg", "40 µg/kg", "0,8 mg", "0.08 mL", "13 units" (or "13 u"), also "per
    dose": the unit is required, because 0.08 and 8 differ by a factor of a hundred
    between mL and units, and 40 and 0.04 by a thousand between micrograms and mg."""
    shown = text.strip()
    s = shown.lower().replace(" ", "")
    for tail in _PER_DOSE:  # "0.04 mg/kg/dose": every dose here is per injection
        if s.endswith(tail):
            s = s[: -len(tail)]
    found = _AMOUNT.match(s)
    if (found.group(2) if found else s) in _INTERNATIONAL:
        raise InputError(
            _("{typed!r}: Increlex is not dosed in international units (IU). The clinic's dose "
              "is in mg/kg, micrograms/kg or mg; 'units' on a sheet are the marks of a U-100 "
              "syringe (8 units = 0.08 mL). Type it as written there, like 0.04 mg/kg or "
              "8 units").format(typed=shown)
        )
    if not found:
        # "abc mg": the amount is what is wrong (no unit ends another unit's name, so the
        # first that fits is the one)
        known = next((u for u in _DOSE_UNITS if s.endswith(u) and len(s) > len(u)), None)
        if known is not None:
            number(s[: -len(known)], "dose")
        raise InputError(_("{typed!r} has no amount: {how}").format(typed=shown, how=_(_HOW)))
    amount_text, unit_text = found.group(1), found.group(2)
    if unit_text not in _DOSE_UNITS and unit_text in _unit_words(i18n.language()):
        unit_text = "units"  # "8 unités": the syringe's marks, named in the reader's words
    if not unit_text:
        raise InputError(_("{typed!r} needs its unit: {how}").format(typed=shown, how=_(_HOW)))
    if unit_text not in _DOSE_UNITS:
        raise InputError(_("{typed!r}: {unit!r} is not a dose unit tracker reads: {how}").format(
            typed=shown, unit=unit_text, how=_(_HOW)))
    unit, factor = _DOSE_UNITS[unit_text]
    value = float(amount_text.replace(",", "."))  # digits, as the pattern matched them
    if value <= 0:
        raise InputError(_("{typed!r}: a dose is more than zero").format(typed=shown))
    if factor != 1:
        micro = "\u00b5g/kg" if unit == "mg/kg" else "\u00b5g"
        return Dose(round(value * factor, 6), unit, f"{value:g} {micro}")
    return Dose(value, unit)
