"""Blood-sugar values: units, plausibility and what counts as low.

Thresholds follow the usual clinical levels for hypoglycaemia (below 70 mg/dL or
3.9 mmol/L; clinically important below 54 mg/dL or 3.0 mmol/L). The label asks for
checks before meals while a dose is being found.
"""

from __future__ import annotations

from tracker.domain.actions import Do, act, fill
from tracker.errors import InputError
from tracker.i18n import _, pgettext
from tracker.i18n.formats import decimal

UNITS = ("mg/dL", "mmol/L")
MGDL_PER_MMOL = 18.0
LOW_MGDL = 70.0
VERY_LOW_MGDL = 54.0
# A usual "high" for a home meter reading (the upper end of the common 70-180 mg/dL
# target range, 10.0 mmol/L): tracker's line, not the label's, which sets no upper limit.
HIGH_MGDL = 180.0
# A reading to act on the same day (13.9 mmol/L): tracker's line too.
VERY_HIGH_MGDL = 250.0
_PLAUSIBLE = {"mg/dL": (10.0, 700.0), "mmol/L": (0.5, 40.0)}


_UNIT_WORDS = {"mg/dl": "mg/dL", "mgdl": "mg/dL", "mg": "mg/dL",
               "mmol/l": "mmol/L", "mmoll": "mmol/L", "mmol": "mmol/L"}


def normalise_unit(text: str) -> str:
    """mg/dL or mmol/L however it is typed ("mmol", "MG/DL", "mg")."""
    unit = _UNIT_WORDS.get(text.strip().lower().replace(" ", ""))
    if unit is None:
        raise InputError(_("unknown glucose unit {typed!r}: use mg/dL or mmol/L").format(
            typed=text))
    return unit


def to_mgdl(value: float, unit: str) -> float:
    """Validate a reading in the unit it was taken and return it in mg/dL."""
    low, high = _PLAUSIBLE[unit]
    if value != value or not low <= value <= high:
        other = "mmol/L" if unit == "mg/dL" else "mg/dL"
        raise InputError(fill(
            _("a blood sugar of {value} {unit} is not plausible: check the number, or if the "
              "meter shows {other}, log it {command}"), value=decimal(f"{value:g}"), unit=unit,
            other=other, command=act(Do.UNIT, unit=other)))
    return value * MGDL_PER_MMOL if unit == "mmol/L" else value


def other_reading(value: float, unit: str) -> str | None:
    """The other unit when `value` is a plausible reading in both.

    Both ranges meet only between 10 and 40, where the mg/dL reading is a severe low and
    the mmol/L one is high: 18 is 18 mg/dL or 18 mmol/L, and a meter's unit that was
    never set must not decide between them."""
    other = "mmol/L" if unit == "mg/dL" else "mg/dL"
    both = all(low <= value <= high for low, high in (_PLAUSIBLE[unit], _PLAUSIBLE[other]))
    return other if both else None


def from_mgdl(mgdl: float, unit: str) -> float:
    return mgdl / MGDL_PER_MMOL if unit == "mmol/L" else mgdl


def format_value(mgdl: float, unit: str) -> str:
    value = from_mgdl(mgdl, unit)
    return f"{value:.1f} {unit}" if unit == "mmol/L" else f"{value:.0f} {unit}"


def level(mgdl: float) -> str | None:
    """'very low', 'low', or None when not low."""
    if mgdl < VERY_LOW_MGDL:
        return "very low"
    if mgdl < LOW_MGDL:
        return "low"
    return None


WORDS = ("very low", "low", "in range", "high", "very high")


def word(mgdl: float) -> str:
    """The one word for a reading, the same on every front and in every file (a key of
    WORDS, compared in code and written in files; `word_shown` says it to a person)."""
    if mgdl < VERY_LOW_MGDL:
        return "very low"
    if mgdl < LOW_MGDL:
        return "low"
    if mgdl >= VERY_HIGH_MGDL:
        return "very high"
    if mgdl > HIGH_MGDL:
        return "high"
    return "in range"


def word_shown(key: str) -> str:
    """A reading's word (one of WORDS) in the reader's language."""
    if key == "very low":
        return pgettext("blood sugar", "very low")
    if key == "low":
        return pgettext("blood sugar", "low")
    if key == "in range":
        return pgettext("blood sugar", "in range")
    if key == "high":
        return pgettext("blood sugar", "high")
    if key == "very high":
        return pgettext("blood sugar", "very high")
    return key


def value_shown(mgdl: float, unit: str) -> str:
    """A reading for a person: format_value with the locale's decimal mark ("5,2 mmol/L")."""
    return decimal(format_value(mgdl, unit))
