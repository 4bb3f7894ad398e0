"""Setting a child up, and the history of their weight, height and prescription.

Nothing here overwrites: a new weight or prescription is a new row from a moment on, so
the titration record can be read back at any date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db.models import Child, Measurement, Prescription
from tracker.domain import dosing, safety, schedule, text
from tracker.errors import InputError, NotFound
from tracker.services.plan import (
    latest_measurement,
    latest_weight,
    mg_of,
    plan_at,
    prescription_at,
    zone_of,
)

MIN_AGE_YEARS = 2


@dataclass
class SetupOutcome:
    child: Child
    info: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entry: Measurement | Prescription | None = None


def _age_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def create_child(
    session: Session,
    *,
    name: str,
    birth_date: date,
    timezone: str,
    weight_kg: float,
    dose_mg_per_kg: float | None,
    dose_mg: float | None,
    times: str,
    concentration: float,
    now: datetime,
    by: str,
    since: date | None = None,
    force_reason: str | None = None,
) -> SetupOutcome:
    """A child, their weight today, and the prescription in effect since `since` (today).

    Doses can be logged back to `since`; tracking (and so "missed" doses) starts now.
    """
    name = text.clean_name(name, "the child's name")
    zone = schedule.zone_named(timezone)
    today = now.astimezone(zone).date()
    if birth_date > today:
        raise InputError(f"the birth date {birth_date} is in the future")
    if _age_years(birth_date, today) > 25:
        raise InputError(f"the birth date {birth_date} makes the child over 25: check it")
    if session.scalar(select(Child.id).where(Child.name.ilike(name))) is not None:
        raise InputError(f"a child named {name!r} is already set up")
    child = Child(name=name, birth_date=birth_date, timezone=zone.key, created_at=now)
    try:
        with session.begin_nested():
            session.add(child)
            session.flush()
    except IntegrityError:
        raise InputError(f"a child named {name!r} is already set up") from None
    outcome = SetupOutcome(child=child)
    if _age_years(birth_date, today) < MIN_AGE_YEARS:
        outcome.warnings.append("the label is for children of 2 years and older")
    safety.check_weight(weight_kg)
    session.add(
        Measurement(
            child_id=child.id, measured_on=today, weight_kg=weight_kg, created_at=now, created_by=by
        )
    )
    session.flush()
    start_day = since or today
    if start_day > today or start_day < birth_date:
        raise InputError(f"--since {start_day} must be between the birth date and today")
    rx = prescribe(
        session,
        child,
        dose_mg_per_kg=dose_mg_per_kg,
        dose_mg=dose_mg,
        times=times,
        concentration=concentration,
        now=now,
        by=by,
        force_reason=force_reason,
        starts_at=schedule.localize(start_day, time(0), zone),
        first=True,
    )
    outcome.info += rx.info
    outcome.warnings += rx.warnings
    return outcome


def prescribe(
    session: Session,
    child: Child,
    *,
    now: datetime,
    by: str,
    dose_mg_per_kg: float | None = None,
    dose_mg: float | None = None,
    times: str | None = None,
    concentration: float | None = None,
    starts_at: datetime | None = None,
    note: str | None = None,
    force_reason: str | None = None,
    first: bool = False,
) -> SetupOutcome:
    """A new prescription from `starts_at` on; what is not given is kept from the current one."""
    if dose_mg_per_kg is not None and dose_mg is not None:
        raise InputError("give the dose either in mg/kg or in mg, not both")
    starts = starts_at or now
    zone = zone_of(child)
    current = None if first else prescription_at(session, child, starts)
    if dose_mg_per_kg is None and dose_mg is None:
        if current is None:
            raise InputError("give the dose: --dose-mg-per-kg X or --dose-mg X")
        dose_mg_per_kg, dose_mg = current.dose_mg_per_kg, current.dose_mg
    parsed_times = schedule.parse_times(
        times or (current.times if current else schedule.DEFAULT_TIMES)
    )
    conc = concentration or (
        current.concentration_mg_per_ml if current else dosing.DEFAULT_CONCENTRATION_MG_PER_ML
    )
    safety.check_positive(conc, "the concentration")
    weight = latest_weight(session, child, starts.astimezone(zone).date())
    force_reason = text.clean(force_reason, "the reason")
    safety.require_override(
        safety.prescription_problems(dose_mg_per_kg, dose_mg, weight), force_reason
    )
    rx = Prescription(
        child_id=child.id,
        starts_at=starts,
        dose_mg_per_kg=dose_mg_per_kg,
        dose_mg=dose_mg,
        times=schedule.format_times(parsed_times),
        concentration_mg_per_ml=conc,
        note=text.clean(note, "the note"),
        force_reason=force_reason,
        created_at=now,
        created_by=by,
    )
    session.add(rx)
    session.flush()
    outcome = SetupOutcome(child=child, entry=rx)
    new_plan = plan_at(session, child, starts)
    if current is not None:
        old_mg = mg_of(current, weight)
        old = dosing.amount(old_mg, current.concentration_mg_per_ml)
        outcome.info.append(f"was: {old.describe()} at {current.times}")
    outcome.info.append(f"now: {new_plan.describe_prescription()}")
    if dose_mg_per_kg is not None and dose_mg_per_kg < dosing.START_MG_PER_KG[0]:
        outcome.warnings.append(f"{dose_mg_per_kg:g} mg/kg is below the label's usual range")
    return outcome


def measure(
    session: Session,
    child: Child,
    *,
    now: datetime,
    by: str,
    on: date | None = None,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    note: str | None = None,
    force_reason: str | None = None,
) -> SetupOutcome:
    if weight_kg is None and height_cm is None:
        raise InputError("give --weight KG, --height CM or both")
    zone = zone_of(child)
    today = now.astimezone(zone).date()
    day = on or today
    if day > today:
        raise InputError(f"{day} is in the future")
    if day < child.birth_date:
        raise InputError(f"{day} is before {child.name} was born")
    outcome = SetupOutcome(child=child)
    previous = latest_weight(session, child, day)
    if weight_kg is not None:
        safety.check_weight(weight_kg)
        jump = safety.weight_jump(previous, weight_kg)
        if jump:
            safety.require_override(
                [jump + ": check the number"], text.clean(force_reason, "the reason")
            )
    if height_cm is not None:
        safety.check_height(height_cm)
        last_height = latest_measurement(session, child, day, weight=False)
        if (
            last_height is not None
            and last_height.height_cm
            and height_cm < last_height.height_cm - 1.0
        ):
            outcome.warnings.append(
                f"{height_cm:g} cm is less than the last height ({last_height.height_cm:g} cm "
                f"on {last_height.measured_on}): check the measurement"
            )
    try:
        rx_before: Prescription | None = prescription_at(session, child, now)
    except NotFound:  # a child can be measured before the first prescription
        rx_before = None
    entry = Measurement(
        child_id=child.id,
        measured_on=day,
        weight_kg=weight_kg,
        height_cm=height_cm,
        note=text.clean(note, "the note"),
        created_at=now,
        created_by=by,
    )
    session.add(entry)
    session.flush()
    outcome.entry = entry
    if weight_kg is not None and rx_before is not None and rx_before.dose_mg_per_kg is not None:
        new_weight = latest_weight(session, child, today)
        if previous is not None and new_weight is not None and new_weight != previous:
            old = dosing.amount(mg_of(rx_before, previous), rx_before.concentration_mg_per_ml)
            new = dosing.amount(mg_of(rx_before, new_weight), rx_before.concentration_mg_per_ml)
            outcome.info.append(
                f"at {rx_before.dose_mg_per_kg:g} mg/kg the dose goes from {old.describe()} "
                f"to {new.describe()}"
            )
            outcome.warnings.append(
                "the child's doctor decides the dose: if they want a different one, record it "
                "with 'tracker prescribe'"
            )
    return outcome


def set_timezone(child: Child, timezone: str) -> str:
    """Travel: the dose times stay the same wall-clock times in the new zone."""
    zone = schedule.zone_named(timezone)
    old = child.timezone
    child.timezone = zone.key
    return old
