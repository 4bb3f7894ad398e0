"""The child and what is prescribed for them at a given moment.

A prescription in mg/kg is turned into mg with the latest weight measured on or before
the day in question, which is why weights are history and never overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Measurement, Prescription
from tracker.domain import dosing, schedule
from tracker.domain.dosing import DoseAmount
from tracker.errors import InputError, NotFound


class Plan(NamedTuple):
    """Everything needed to give a dose at one moment."""

    child: Child
    zone: ZoneInfo
    prescription: Prescription
    weight_kg: float | None
    times: tuple[time, ...]
    mg: float

    @property
    def amount(self) -> DoseAmount:
        return dosing.amount(self.mg, self.prescription.concentration_mg_per_ml)

    def describe_prescription(self) -> str:
        p = self.prescription
        basis = (
            f"{p.dose_mg_per_kg:g} mg/kg x {self.weight_kg:g} kg"
            if p.dose_mg_per_kg is not None and self.weight_kg
            else "fixed dose"
        )
        return (
            f"{self.amount.describe()} per injection ({basis}), at "
            f"{schedule.format_times(self.times)} {self.zone.key}"
        )


def all_children(session: Session) -> list[Child]:
    return list(session.scalars(select(Child).order_by(Child.name)))


def find_child(session: Session, name: str | None) -> Child:
    """The named child, or the only one; several children need a name."""
    if name:
        child = session.scalar(select(Child).where(func.lower(Child.name) == name.strip().lower()))
        if child is None:
            known = ", ".join(c.name for c in all_children(session)) or "none yet"
            raise NotFound(f"no child named {name!r} (children: {known})")
        return child
    children = session.scalars(select(Child).order_by(Child.name).limit(2)).all()
    if not children:
        raise NotFound("no child is set up yet: run 'tracker init' first")
    if len(children) > 1:
        names = ", ".join(c.name for c in all_children(session))
        raise InputError(f"several children share this log ({names}): pick one with --child NAME")
    return children[0]


def zone_of(child: Child) -> ZoneInfo:
    return schedule.zone_named(child.timezone)


def prescription_at(session: Session, child: Child, at: datetime) -> Prescription:
    p = session.scalar(
        select(Prescription)
        .where(
            Prescription.child_id == child.id,
            Prescription.voided_at.is_(None),
            Prescription.starts_at <= at,
        )
        .order_by(Prescription.starts_at.desc(), Prescription.id.desc())
        .limit(1)
    )
    if p is None:
        local = at.astimezone(zone_of(child)).strftime("%Y-%m-%d %H:%M")
        raise NotFound(
            f"no prescription is recorded for {child.name} at {local}: to log "
            "earlier doses, add the one in effect then with 'tracker prescribe "
            "--from DATE --dose-mg-per-kg X'"
        )
    return p


def latest_measurement(
    session: Session, child: Child, on: date, *, weight: bool
) -> Measurement | None:
    column = Measurement.weight_kg if weight else Measurement.height_cm
    return session.scalar(
        select(Measurement)
        .where(
            Measurement.child_id == child.id,
            Measurement.voided_at.is_(None),
            Measurement.measured_on <= on,
            column.is_not(None),
        )
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        .limit(1)
    )


def latest_weight(session: Session, child: Child, on: date) -> float | None:
    """The weight that applies on a day: the last one measured by then.

    Before the first weight (doses logged back to the start of treatment) the first
    weight applies: it is the best we know, and refusing would lose the log.
    """
    m = latest_measurement(session, child, on, weight=True)
    if m is None:
        m = session.scalar(
            select(Measurement)
            .where(
                Measurement.child_id == child.id,
                Measurement.voided_at.is_(None),
                Measurement.weight_kg.is_not(None),
            )
            .order_by(Measurement.measured_on, Measurement.id)
            .limit(1)
        )
    return m.weight_kg if m else None


def mg_of(prescription: Prescription, weight_kg: float | None) -> float:
    if prescription.dose_mg is not None:
        return prescription.dose_mg
    if weight_kg is None:
        raise NotFound(
            "the dose is in mg/kg but no weight is recorded: run 'tracker measure --weight KG'"
        )
    assert prescription.dose_mg_per_kg is not None
    return dosing.mg_for(weight_kg, prescription.dose_mg_per_kg)


def plan_at(session: Session, child: Child, at: datetime) -> Plan:
    zone = zone_of(child)
    p = prescription_at(session, child, at)
    weight = latest_weight(session, child, at.astimezone(zone).date())
    return Plan(
        child=child,
        zone=zone,
        prescription=p,
        weight_kg=weight,
        times=schedule.parse_times(p.times),
        mg=mg_of(p, weight),
    )
