"""Growth, as a paediatric endocrinologist reads it: which reference, and the velocity.

The SDS and centiles themselves come from the RCPCH's `rcpchgrowth` (tracker/services/
growth.py), the reference implementation of the UK-WHO and CDC charts; what is decided here
is which measurements a velocity is taken over, and the words for sex and reference.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from tracker.errors import InputError

SEXES = ("female", "male")
REFERENCES = ("uk-who", "cdc")
REFERENCE_NAMES = {"uk-who": "UK-WHO", "cdc": "CDC"}
# A velocity over less than this is mostly measurement error (a home tape, a slouch).
VELOCITY_MIN_DAYS = 182
_US_ZONES = frozenset(
    {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Phoenix",
        "America/Anchorage",
        "America/Detroit",
        "America/Boise",
        "America/Indiana/Indianapolis",
        "America/Kentucky/Louisville",
        "Pacific/Honolulu",
        "America/Adak",
        "America/Juneau",
        "America/Puerto_Rico",
    }
)


def normalise_sex(text: str) -> str:
    key = text.strip().lower()
    found = {
        "f": "female",
        "female": "female",
        "girl": "female",
        "m": "male",
        "male": "male",
        "boy": "male",
    }.get(key)
    if found is None:
        raise InputError(f"unknown sex {text!r}: female or male (for the growth charts)")
    return found


def normalise_reference(text: str) -> str:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    found = {"uk-who": "uk-who", "ukwho": "uk-who", "who": "uk-who", "cdc": "cdc"}.get(key)
    if found is None:
        raise InputError(
            f"unknown growth reference {text!r}: uk-who (WHO to 4 years, then UK90) or cdc"
        )
    return found


def default_reference(zone: str) -> str:
    """The charts a clinic there most likely uses: CDC in the United States, else UK-WHO."""
    return "cdc" if zone in _US_ZONES or zone.startswith("US/") else "uk-who"


class Velocity(NamedTuple):
    cm_per_year: float
    first: date
    last: date


def velocity(heights: list[tuple[date, float]]) -> Velocity | None:
    """Height velocity up to the latest height, from the earlier height at least six months
    before it whose span is nearest a year (the span clinics use: shorter ones magnify a
    home tape's error, longer ones blur the response to a dose change); else None."""
    if len(heights) < 2:
        return None
    last, end_cm = max(heights)
    earlier = [(d, cm) for d, cm in heights if (last - d).days >= VELOCITY_MIN_DAYS]
    if not earlier:
        return None
    first, start_cm = min(earlier, key=lambda h: (abs((last - h[0]).days - 365), h[0]))
    return Velocity((end_cm - start_cm) / ((last - first).days / 365.25), first, last)


def age_years(birth: date, on: date) -> float:
    """Decimal age, as the growth charts plot it."""
    return (on - birth).days / 365.25


def chart_ages(ages: list[float], step: float = 0.25) -> list[float]:
    """The ages a height chart spans: the child's, with room either side, at least 2 years."""
    lo, hi = min(ages) - 0.5, max(ages) + 0.5
    if hi - lo < 2:
        mid = (lo + hi) / 2
        lo, hi = mid - 1, mid + 1
    lo = max(lo, 0.0)
    first = int(lo / step)
    return [round(step * k, 4) for k in range(first, int(hi / step) + 2)]
