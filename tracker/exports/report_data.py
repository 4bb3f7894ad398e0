"""What the clinic report prints, as data: computed by tracker.services.clinic.summary
from the log, laid out by tracker.exports.pdf.

The types live here, below both, so that the PDF reads them without reaching up into the
service layer (tests/test_layers.py refuses an import upward, a type-only one too).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from tracker.domain import growth
from tracker.domain.judgement import Judgement, most_urgent_first
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.db.models import Child, Glucose, Measurement, Symptom


class InForce(Protocol):
    """What the report reads of the plan in force: the child's time zone."""

    @property
    def zone(self) -> ZoneInfo: ...


class Cell(NamedTuple):
    day: date
    label: str
    status: str  # given, late, withheld, missed, due


class Flagged(NamedTuple):
    at: datetime
    ref: str
    flags: list[str]
    reason: str | None


class RxShown(NamedTuple):
    """A prescription as it was in force: its own mg and weight, its own day."""

    ref: str
    starts: date  # the local day it took effect
    made: date  # the local day it was recorded
    changed: bool  # took effect within the period (a change), else in force at its start
    draw: str  # "0.86 mg = 0.086 mL = 8.5 units" on the family's syringe
    basis: str  # "0.04 mg/kg x 21.5 kg"
    times: str
    note: str | None
    force_reason: str | None
    flags: list[str]
    by: str | None


class VialShown(NamedTuple):
    ref: str
    opened: datetime
    closed: datetime | None
    lot: str | None
    expires_on: date | None
    doses: int  # drawn from it within the period
    ended: str | None = None  # why it is no longer used (finished, frozen...), if it is not


class HeightAt(NamedTuple):
    on: date
    cm: float
    sds: float | None
    centile: float | None


class ChartLine(NamedTuple):
    """One reference line of the height chart: "3rd", "0.4th" or the child's "-3.5 SDS"."""

    label: str
    sds: float
    points: list[tuple[float, float]]  # (age in years, height in cm)


class Growth(NamedTuple):
    sex: str | None
    reference: str  # a key of growth.REFERENCE_NAMES
    treatment_start: date | None
    latest: HeightAt | None
    at_start: HeightAt | None  # the height nearest the start of treatment
    velocity: growth.Velocity | None
    heights: list[tuple[date, float]]  # every height in the log, for the chart
    weight: Measurement | None
    # the reference's lines over the chart's ages, lowest first
    centile_lines: list[ChartLine]
    # the reference's name and why it is this one ("as chosen", "from the time zone: Canada")
    shown: growth.ReferenceShown | None = None

    @property
    def reference_name(self) -> str:
        """The reference's name in the reader's language."""
        return _(growth.REFERENCE_NAMES[self.reference])

    @property
    def reference_text(self) -> str:
        """"UK-WHO, as chosen": the name and the reason, as every front prints it."""
        if self.shown is None:
            return self.reference_name
        # TRANSLATORS: a growth reference's name, and why it is the one used
        return _("{reference}, {why}").format(reference=self.reference_name,
                                              why=self.shown.why)

    @property
    def sds_change(self) -> float | None:
        if self.latest is None or self.at_start is None:
            return None
        if self.latest.sds is None or self.at_start.sds is None:
            return None
        if self.latest.on == self.at_start.on:
            return None
        return self.latest.sds - self.at_start.sds


class Summary(NamedTuple):
    child: Child
    start: date
    end: date
    now: datetime
    plan: InForce  # the prescription in force at the end (tracker.services.views.plan.Plan)
    age_years: float
    growth: Growth
    prescriptions: list[RxShown]
    cells: list[Cell]
    given: int
    scheduled: int
    withheld_reasons: Counter[str]
    missed: int
    symptoms: list[tuple[Symptom, int | None]]  # with minutes after its dose
    glucose_checks: int
    lows: list[Glucose]
    sites: Counter[str]
    vials: list[VialShown]
    flagged: list[Flagged]  # doses that broke a label rule or overrode one
    # every entry's judgement (tracker.services.views.judged), by its reference
    judged: dict[str, Judgement] = {}  # noqa: RUF012 (a NamedTuple's default, never changed)

    def needs_doctor(self) -> list[Judgement]:
        """What page one leads with: the judgements that call for the doctor now or the
        same day (extra doses, emergencies, same-day signs, lows), most urgent first."""
        return [j for j in most_urgent_first(list(self.judged.values())) if j.needs_doctor]

    @property
    def adherence(self) -> int | None:
        return round(100 * self.given / self.scheduled) if self.scheduled else None
