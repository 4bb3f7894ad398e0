"""The figures of the clinic report, computed once from the log for a period."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Measurement, Prescription, Symptom, Vial
from tracker.domain import glucose, schedule
from tracker.exports import rows
from tracker.exports.rows import slot_rows
from tracker.services.plan import Plan, draw_for, plan_at


class Cell(NamedTuple):
    day: date
    label: str
    status: str  # given, late, withheld, missed, due


class Flagged(NamedTuple):
    at: datetime
    ref: str
    flags: list[str]
    reason: str | None


class Summary(NamedTuple):
    child: Child
    start: date
    end: date
    now: datetime
    plan: Plan
    age_years: float
    weight: Measurement | None
    height: Measurement | None
    heights: list[tuple[date, float]]
    velocity_cm_per_year: float | None
    prescriptions: list[Prescription]
    cells: list[Cell]
    given: int
    scheduled: int
    withheld_reasons: Counter[str]
    missed: int
    symptoms: list[tuple[Symptom, int | None]]  # with minutes after its dose
    glucose_checks: int
    lows: list[Glucose]
    sites: Counter[str]
    vials: list[Vial]
    flagged: list[Flagged]  # doses that broke a label rule or overrode one

    @property
    def adherence(self) -> int | None:
        return round(100 * self.given / self.scheduled) if self.scheduled else None


def summarise(session: Session, child: Child, start: date, end: date, now: datetime) -> Summary:
    zone = schedule.zone_named(child.timezone)
    lo, hi = schedule.day_bounds(start, end, zone)
    plan = plan_at(session, child, min(now, hi))
    cells: list[Cell] = []
    given_at: dict[int, datetime] = {}
    sites: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    missed = given = 0
    for row in slot_rows(session, child, start, end, now):
        local = row.scheduled.astimezone(zone)
        status = row.status
        e = row.entry
        if e is not None and e.extra:
            continue
        if status == "given" and e is not None and e.given_at is not None:
            given += 1
            given_at[e.id] = e.given_at
            if e.site:
                sites[e.site] += 1
            if e.given_at - row.scheduled > schedule.LATE_AFTER:
                status = "late"
        elif status == "withheld" and e is not None:
            reasons[(e.reason or "").strip().lower() or "no reason"] += 1
        elif status == "missed":
            missed += 1
        cells.append(Cell(local.date(), local.strftime("%H:%M"), status))
    scheduled = sum(1 for c in cells if c.status != "due")
    measurements = list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.child_id == child.id,
                Measurement.voided_at.is_(None),
                Measurement.measured_on <= end,
            )
            .order_by(Measurement.measured_on, Measurement.id)
        )
    )
    weights = [m for m in measurements if m.weight_kg is not None]
    heights = [(m.measured_on, m.height_cm) for m in measurements if m.height_cm is not None]
    velocity = None
    if len(heights) >= 2 and (heights[-1][0] - heights[0][0]).days >= 90:
        years = (heights[-1][0] - heights[0][0]).days / 365.25
        velocity = (heights[-1][1] - heights[0][1]) / years
    symptoms = list(rows.symptoms(session, child, start, end))
    linked = rows.given_times(session, [s.dose_id for s in symptoms if s.dose_id])
    checks = rows.glucose_checks(session, child, start, end)
    today = now.astimezone(zone).date()
    age = (today - child.birth_date).days / 365.25
    return Summary(
        child=child,
        start=start,
        end=end,
        now=now,
        plan=plan,
        age_years=age,
        weight=weights[-1] if weights else None,
        height=next((m for m in reversed(measurements) if m.height_cm is not None), None),
        heights=[(d, h) for d, h in heights if h is not None],
        velocity_cm_per_year=velocity,
        prescriptions=list(
            session.scalars(
                select(Prescription)
                .where(
                    Prescription.child_id == child.id,
                    Prescription.voided_at.is_(None),
                    Prescription.starts_at < hi,
                )
                .order_by(Prescription.starts_at)
            )
        ),
        cells=cells,
        given=given,
        scheduled=scheduled,
        withheld_reasons=reasons,
        missed=missed,
        symptoms=[
            (
                s,
                round((s.occurred_at - linked[s.dose_id]).total_seconds() / 60)
                if s.dose_id in linked
                else None,
            )
            for s in symptoms
        ],
        glucose_checks=len(checks),
        lows=[g for g in checks if glucose.level(g.mg_dl)],
        flagged=[
            Flagged(
                d.given_at or d.scheduled_at,
                f"D{d.id}",
                d.flags.splitlines() if d.flags else [],
                d.force_reason,
            )
            for d in session.scalars(
                select(Dose)
                .where(
                    Dose.child_id == child.id,
                    Dose.voided_at.is_(None),
                    Dose.scheduled_at >= lo,
                    Dose.scheduled_at < hi,
                    (Dose.flags.is_not(None)) | (Dose.force_reason.is_not(None)),
                )
                .order_by(Dose.scheduled_at)
            )
        ],
        sites=sites,
        vials=list(
            session.scalars(
                select(Vial).where(
                    Vial.child_id == child.id,
                    Vial.voided_at.is_(None),
                    Vial.opened_at >= lo,
                    Vial.opened_at < hi,
                )
            )
        ),
    )


def describe_prescription(
    rx: Prescription, weight: float | None, syringe: str | None = None
) -> str:
    """A prescription as the clinic reads it: what to draw, its basis, its times."""
    basis = rx.weight_kg if rx.weight_kg is not None else weight
    mg = rx.dose_mg if rx.dose_mg is not None else (rx.dose_mg_per_kg or 0) * (basis or 0)
    amount = draw_for(rx, mg, weight, syringe)
    per_kg = (
        rx.dose_mg_per_kg if rx.dose_mg_per_kg is not None else (mg / weight if weight else None)
    )
    kg = f", {per_kg:.3f} mg/kg" if per_kg is not None else ""
    return f"{amount.describe()}{kg}, at {rx.times}"
