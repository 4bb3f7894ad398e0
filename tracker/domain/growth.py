"""Growth, as a paediatric endocrinologist reads it: which reference, and the velocity.

The SDS and centiles themselves come from the RCPCH's `rcpchgrowth` (tracker/services/
growth.py), the reference implementation of the UK-WHO and CDC charts; what is decided here
is which measurements a velocity is taken over, and the words for sex and reference.
"""

from __future__ import annotations

import itertools
import math
from datetime import date
from statistics import NormalDist
from typing import NamedTuple

from tracker.domain.text import ordinal
from tracker.errors import InputError
from tracker.i18n import N_, _
from tracker.i18n.formats import decimal

SEXES = ("female", "male")
REFERENCES = ("uk-who", "who", "cdc")
REFERENCE_NAMES = {  # N_: reference_name() says them in the reader's language
    "uk-who": "UK-WHO",
    # TRANSLATORS: the WHO growth charts: the 2006 standard under 5 years, 2007 from 5
    "who": N_("WHO (2006 under 5, 2007 from 5)"),
    "cdc": "CDC",
}
# Where the full name was said already (the report's header): the line of a height.
SHORT_NAMES = {"uk-who": "UK-WHO", "who": "WHO", "cdc": "CDC"}
# What each means, for a message that lists them.
REFERENCE_MEANINGS = {  # N_: translated where listed
    "uk-who": N_("uk-who (WHO to 4 years, then UK90; the United Kingdom's charts)"),
    "who": N_("who (the WHO 2006 standard under 5 years, the 2007 reference from 5 to 19)"),
    "cdc": N_("cdc (CDC 2000; the United States' charts)"),
}


def reference_name(key: str) -> str:
    """A growth reference's full name in the reader's language ("WHO (2006 under 5, ...)")."""
    name = REFERENCE_NAMES.get(key)
    return _(name) if name is not None else key
# The charts a clinic in that country uses, by the country's ISO 3166 code as the
# time-zone database's zone.tab gives it; every other country: the WHO's.
# - GB and the Crown Dependencies (GG Guernsey, JE Jersey, IM Isle of Man), which zone.tab
#   keeps apart from GB and whose child health follows the NHS's (the RCPCH UK-WHO charts).
# - US: the CDC recommends its 2000 charts from 2 years (and the WHO's under 2, which
#   rcpchgrowth's "cdc" reference uses there). Only what zone.tab calls US: the
#   territories with zones of their own (America/Puerto_Rico PR, Pacific/Guam GU,
#   Pacific/Pago_Pago AS...) are other countries there and get the WHO's, unless chosen.
COUNTRY_REFERENCE = {"GB": "uk-who", "GG": "uk-who", "JE": "uk-who", "IM": "uk-who",
                     "US": "cdc"}
ELSEWHERE = "who"
# A velocity over less than this is mostly measurement error (a home tape, a slouch).
VELOCITY_MIN_DAYS = 182


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
        raise InputError(_("unknown sex {typed!r}: female or male (for the growth charts)")
                         .format(typed=text))
    return found


_REFERENCE_WORDS = {"uk-who": "uk-who", "ukwho": "uk-who", "uk": "uk-who", "who": "who",
                    "cdc": "cdc"}


def normalise_reference(text: str) -> str:
    """The reference a person typed: "who" is the WHO's own charts (it once meant
    UK-WHO here: a family abroad who typed it got the UK's), "uk"/"ukwho" the UK-WHO."""
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    found = _REFERENCE_WORDS.get(key)
    if found is None:
        # TRANSLATORS: {choices} and {last} say each reference with what it means
        raise InputError(_("unknown growth reference {typed!r}: {choices} or {last}").format(
            typed=text, choices=", ".join(_(REFERENCE_MEANINGS[r]) for r in REFERENCES[:-1]),
            last=_(REFERENCE_MEANINGS[REFERENCES[-1]])))
    return found


def default_reference(zone: str) -> str:
    """The charts a clinic where the family lives most likely uses, by the time zone's
    country (zone.tab): UK-WHO in the United Kingdom and the Crown Dependencies, CDC in
    the United States, the WHO's elsewhere (the WHO's are the international ones: a
    Toronto, Madrid or Santiago clinic does not use the UK's)."""
    from tracker.domain.meter_units import country_of

    country = country_of(zone)
    return COUNTRY_REFERENCE.get(country or "", ELSEWHERE)


class ReferenceShown(NamedTuple):
    """The reference a child's charts use, and why, for every front to print."""

    key: str  # a key of REFERENCE_NAMES
    chosen: bool
    country: str | None  # the time zone's country's name, when not chosen

    @property
    def name(self) -> str:
        return reference_name(self.key)

    @property
    def why(self) -> str:
        """"as chosen", "from the time zone: Canada": so a parent or a clinician sees
        why a report is on these charts (a default follows the zone when the family
        moves)."""
        if self.chosen:
            return _("as chosen")
        if self.country:
            return _("from the time zone: {country}").format(country=self.country)
        return _("from the time zone: no country")

    def __str__(self) -> str:
        # after a comma, not in brackets: the WHO's name has its own
        # TRANSLATORS: a growth reference's name, and why it is the one used
        return _("{reference}, {why}").format(reference=self.name, why=self.why)


def reference_shown(chosen: str | None, zone: str) -> ReferenceShown:
    """The child's reference: the one chosen (tracker child --growth-reference), else the
    default of the zone they live in now."""
    if chosen:
        return ReferenceShown(chosen, True, None)
    from tracker.domain.meter_units import country_name, country_of

    code = country_of(zone)
    return ReferenceShown(default_reference(zone), False,
                          country_name(code) if code else None)


def centile_text(centile: float) -> str:
    """A centile to one decimal ("1.8"), but with two significant figures beyond 0.1 and
    99.9 ("0.023", "99.98"): a child on this medicine is often below the 0.1st, and "0.0"
    would say nothing (nor tell -3 from -4 SDS)."""
    tail = min(centile, 100 - centile)
    if tail >= 0.1 or tail <= 0:
        return f"{centile:.1f}"
    places = min(-math.floor(math.log10(tail)) + 1, 6)
    return f"{centile:.{places}f}"


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


class Line(NamedTuple):
    """A reference line of a chart: its label and the SDS it is drawn at."""

    label: str  # "0.4th", "3rd", "-3.5 SDS"
    sds: float


def _centile(p: float) -> tuple[float, float]:
    return p, NormalDist().inv_cdf(p / 100)


# UK-WHO: the UK's nine-centile charts put their lines two-thirds of an SDS apart (Cole
# 1994), named 0.4th to 99.6th. Drawn from the 0.4th (-2.67 SDS: children on this medicine
# start at or below -3 SDS, so the lowest line matters) to the 98th; the 99.6th is left
# off, as it only squeezes the part of the chart where the child is.
_UK_WHO = ((0.4, -8 / 3), (2, -2.0), (9, -4 / 3), (25, -2 / 3), (50, 0.0),
           (75, 2 / 3), (91, 4 / 3), (98, 2.0))
# CDC: its 2000 charts print the 3rd, 5th, 10th, 25th, 50th, 75th, 90th, 95th and 97th
# percentiles (the 5th to 95th on the older "set 1"), at their exact z (the 3rd: -1.881).
_CDC = tuple(_centile(p) for p in (3, 5, 10, 25, 50, 75, 90, 95, 97))
# WHO: the WHO's percentile charts (the 2006 standards' and the 2007 reference's
# "Percentiles" charts) print the 3rd, 15th, 50th, 85th and 97th; the 0.1st and 99.9th
# are in its tables but not on its charts, and its z-score charts print -3 to +3, which a
# child's own SDS line (below) gives where it matters.
_WHO = tuple(_centile(p) for p in (3, 15, 50, 85, 97))
# (centile, SDS) of each line; named when drawn (chart_lines), in the reader's language
CHART_LINES: dict[str, tuple[tuple[float, float], ...]] = {
    "uk-who": _UK_WHO, "cdc": _CDC, "who": _WHO}


def chart_lines(reference: str, lowest_sds: float | None = None) -> list[Line]:
    """The lines of the reference's chart, lowest first, and where the child is below
    the lowest, one more at the half SDS at or below them ("-3.5 SDS"), so the chart
    shows where the child is against the reference rather than under all of it."""
    lines = [Line(ordinal(centile), sds) for centile, sds in CHART_LINES[reference]]
    if lowest_sds is not None and lowest_sds < lines[0].sds:
        band = math.floor(round(lowest_sds, 2) * 2) / 2  # as printed: -3.50 is -3.5
        lines.insert(0, Line(f"{decimal(f'{band:g}')} SDS", band))
    return lines


class Box(NamedTuple):
    """The ages and heights a height chart spans."""

    age_lo: float
    age_hi: float
    cm_lo: float
    cm_hi: float

    def inside(self, age: float, cm: float) -> bool:
        return self.age_lo <= age <= self.age_hi and self.cm_lo <= cm <= self.cm_hi


def chart_box(points: list[tuple[float, float]], lines: list[list[tuple[float, float]]],
              pad_cm: float = 2.0) -> Box:
    """What the chart spans: every line and every one of the child's (age, cm) points,
    with room above and below, so a child under every centile is still on the chart
    (the PDF and the page both draw inside it)."""
    ages = [a for a, _unused in points] + [a for line in lines for a, _unused in line]
    cms = [cm for _unused, cm in points] + [cm for line in lines for _unused, cm in line]
    lo, hi = min(ages), max(ages)
    if hi - lo < 0.5:
        lo, hi = lo - 0.25, hi + 0.25
    bottom, top = min(cms) - pad_cm, max(cms) + pad_cm
    if top - bottom < 5:
        mid = (top + bottom) / 2
        bottom, top = mid - 2.5, mid + 2.5
    return Box(max(lo, 0.0), hi, bottom, top)


def spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near `ys` (same order) at least `gap` apart, so two close lines'
    names (CDC's 3rd and 5th) do not print over each other."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for prev, cur in itertools.pairwise(order):
        out[cur] = max(out[cur], out[prev] + gap)
    return out
