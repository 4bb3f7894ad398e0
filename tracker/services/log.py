"""Logging what happened: injections, withheld doses, symptoms and glucose checks.

The slot rule is the heart of it: an injection belongs to the nearest of yesterday's and
today's dose times; a slot holds one given-or-withheld entry. The check for an existing
entry gives a helpful message, but the partial unique index is what guarantees that two
caregivers logging at the same moment cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Symptom
from tracker.domain import dosing, glucose, guidance, safety, schedule, sites, symptoms, text
from tracker.domain.schedule import Slot
from tracker.domain.timeparse import refuse_future
from tracker.errors import InputError, Refused
from tracker.services.plan import Plan, plan_at, zone_of


class Outcome:
    """What a command did, and what the parent should read about it."""

    def __init__(
        self,
        entry: Dose | Symptom | Glucose,
        slot: Slot | None = None,
        plan: Plan | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.entry = entry
        self.slot = slot
        self.plan = plan
        self.info: list[str] = []
        self.warnings: list[str] = warnings or []


def local_text(at: datetime, child: Child, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return at.astimezone(zone_of(child)).strftime(fmt)


def slot_entry(session: Session, child: Child, slot: Slot) -> Dose | None:
    return session.scalar(
        select(Dose).where(
            Dose.child_id == child.id,
            Dose.slot_date == slot.day,
            Dose.slot_time == slot.label,
            Dose.voided_at.is_(None),
            Dose.extra == false(),
        )
    )


def describe_taken(entry: Dose, child: Child) -> str:
    who = entry.given_by or entry.created_by or "someone"
    if entry.status == "given" and entry.given_at is not None:
        return f"given by {who} at {local_text(entry.given_at, child)} (entry D{entry.id})"
    return f"withheld by {who} ({entry.reason}) (entry D{entry.id})"


def _slot_name(slot: Slot) -> str:
    return f"the {slot.label} dose of {slot.day.isoformat()}"


def _insert(session: Session, entry: Dose, child: Child, slot: Slot) -> None:
    """Insert under the slot constraint; a concurrent winner is named, not a raw error."""
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        winner = slot_entry(session, child, slot)
        if winner is None:
            raise
        raise Refused(
            f"{_slot_name(slot)} was just logged: {describe_taken(winner, child)}"
        ) from None


def last_given(session: Session, child: Child, before: datetime | None = None) -> Dose | None:
    q = select(Dose).where(
        Dose.child_id == child.id,
        Dose.status == "given",
        Dose.voided_at.is_(None),
        Dose.given_at.is_not(None),
    )
    if before is not None:
        q = q.where(Dose.given_at <= before)
    return session.scalar(q.order_by(Dose.given_at.desc()).limit(1))


def site_last_used(session: Session, child: Child) -> dict[str, datetime]:
    """When each site was last used: one indexed look-up per site, whatever the log's size."""
    used: dict[str, datetime] = {}
    for site in sites.SITES:
        at = session.scalar(
            select(Dose.given_at)
            .where(
                Dose.child_id == child.id,
                Dose.site == site,
                Dose.status == "given",
                Dose.voided_at.is_(None),
                Dose.given_at.is_not(None),
            )
            .order_by(Dose.given_at.desc())
            .limit(1)
        )
        if at is not None:
            used[site] = at
    return used


def suggested_site(session: Session, child: Child) -> str:
    return sites.suggest_site(site_last_used(session, child))


def give(
    session: Session,
    child: Child,
    *,
    at: datetime,
    now: datetime,
    by: str,
    site: str | None = None,
    dose_mg: float | None = None,
    meal: bool | None = None,
    note: str | None = None,
    force_reason: str | None = None,
) -> Outcome:
    refuse_future(at, now, "the injection time")
    note = text.clean(note, "the note")
    by = text.clean_name(by, "the caregiver's name")
    force_reason = text.clean(force_reason, "the reason")
    plan = plan_at(session, child, at)
    slot = schedule.nearest_slot(at, plan.times, plan.zone)
    if meal is False:
        safety.require_override(
            [
                "the child will not eat within 20 minutes of this dose: the label says to "
                "withhold it (tracker skip --reason 'not eating')"
            ],
            force_reason,
        )
    existing = slot_entry(session, child, slot)
    if existing is not None and not force_reason:
        raise Refused(
            f"{_slot_name(slot)} was already {describe_taken(existing, child)}. "
            "A second dose is not given; to record one anyway add --force --reason TEXT"
        )
    mg = plan.mg if dose_mg is None else dose_mg
    safety.require_override(safety.dose_problems(mg, plan.mg, plan.weight_kg), force_reason)
    chosen = sites.normalise_site(site) if site else None
    warnings: list[str] = []  # gathered before the insert, reported with it
    last = last_given(session, child, before=at)
    if chosen is not None:
        warning = sites.repeat_warning(chosen, last.site if last else None)
        if warning:
            warnings.append(warning)
    from tracker.services import supply

    vial = supply.vial_at(session, child, at)
    if vial is not None:
        volume = dosing.volume_ml(mg, plan.prescription.concentration_mg_per_ml)
        warnings += supply.vial_warnings(session, child, vial, volume, at)
    elif supply.tracks_vials(session, child):
        warnings.append("no vial was open then: record it with 'tracker vial open'")
    entry = Dose(
        child_id=child.id,
        slot_date=slot.day,
        slot_time=slot.label,
        scheduled_at=slot.at,
        vial_id=vial.id if vial is not None else None,
        status="given",
        given_at=at,
        dose_mg=mg,
        volume_ml=dosing.volume_ml(mg, plan.prescription.concentration_mg_per_ml),
        site=chosen,
        given_by=by,
        meal=meal,
        note=note,
        extra=existing is not None,
        force_reason=force_reason,
        prescription_id=plan.prescription.id,
        created_at=now,
        created_by=by,
    )
    _insert(session, entry, child, slot)
    outcome = Outcome(entry=entry, slot=slot, plan=plan, warnings=warnings)
    closes = schedule.closes_at(slot, schedule.next_slot_after(slot, plan.times, plan.zone))
    late = schedule.minutes_late(at, slot)
    if at < slot.at - schedule.DUE_BEFORE:
        early = -late
        outcome.warnings.append(
            f"this is {schedule.format_span(early)} before its time ({slot.label}): "
            "check it was meant for that dose"
        )
    if at >= closes:
        outcome.warnings.append(
            f"this dose was logged {schedule.format_span(late)} after its time "
            f"({slot.label}); the next dose stays the normal dose"
        )
    if last is not None and last.given_at is not None and at - last.given_at < timedelta(hours=6):
        hours = (at - last.given_at).total_seconds() / 3600
        outcome.warnings.append(f"only {hours:.1f} h since the previous injection")
    if chosen is None:
        outcome.info.append(f"site not recorded; next time try {suggested_site(session, child)}")
    return outcome


def _open_slot(session: Session, child: Child, plan: Plan, now: datetime) -> Slot:
    """The slot a 'skip' without --at means: the one due now, else the next one."""
    for slot in sorted(schedule.slots_around(now, plan.times, plan.zone, range(-1, 2))):
        closes = schedule.closes_at(slot, schedule.next_slot_after(slot, plan.times, plan.zone))
        if closes > now and slot_entry(session, child, slot) is None:
            return slot
    raise InputError("every slot around now is already logged: name one with --at")


def skip(
    session: Session,
    child: Child,
    *,
    reason: str,
    now: datetime,
    by: str,
    slot_at: datetime | None = None,
    note: str | None = None,
) -> Outcome:
    """Record a withheld dose. A slot can be withheld ahead of time (up to a day)."""
    reason_text = text.clean(reason, "the reason")
    if reason_text is None:
        raise InputError("say why the dose is withheld, e.g. --reason 'not eating'")
    note = text.clean(note, "the note")
    by = text.clean_name(by, "the caregiver's name")
    plan = plan_at(session, child, min(slot_at or now, now))
    if slot_at is None:
        slot = _open_slot(session, child, plan, now)
    else:
        slot = schedule.nearest_slot(slot_at, plan.times, plan.zone, range(-1, 2))
        if slot.at > now + timedelta(hours=24):
            raise InputError("that slot is more than a day ahead: withhold it nearer the time")
    existing = slot_entry(session, child, slot)
    if existing is not None:
        raise Refused(
            f"{_slot_name(slot)} was already {describe_taken(existing, child)}; "
            f"if that is wrong, correct it first (tracker undo or tracker edit "
            f"D{existing.id})"
        )
    entry = Dose(
        child_id=child.id,
        slot_date=slot.day,
        slot_time=slot.label,
        scheduled_at=slot.at,
        status="withheld",
        reason=reason_text,
        given_by=by,
        note=note,
        prescription_id=plan.prescription.id,
        created_at=now,
        created_by=by,
    )
    _insert(session, entry, child, slot)
    outcome = Outcome(entry=entry, slot=slot, plan=plan)
    outcome.info.append(safety.NO_MAKE_UP)
    return outcome


def add_glucose(
    session: Session,
    child: Child,
    *,
    value: float,
    unit: str,
    at: datetime,
    now: datetime,
    by: str,
    before_meal: bool | None = None,
    note: str | None = None,
) -> Outcome:
    refuse_future(at, now, "the time of the reading")
    mgdl = glucose.to_mgdl(value, unit)
    entry = Glucose(
        child_id=child.id,
        measured_at=at,
        mg_dl=mgdl,
        unit=unit,
        before_meal=before_meal,
        note=text.clean(note, "the note"),
        created_at=now,
        created_by=text.clean_name(by, "the caregiver's name"),
    )
    session.add(entry)
    session.flush()
    outcome = Outcome(entry=entry)
    advice = glucose.low_advice(mgdl)
    if advice:
        outcome.warnings.append(advice)
    return outcome


def add_symptom(
    session: Session,
    child: Child,
    *,
    kind: str,
    at: datetime,
    now: datetime,
    by: str,
    severity: str | None = None,
    glucose_value: float | None = None,
    glucose_unit: str = "mg/dL",
    note: str | None = None,
) -> Outcome:
    refuse_future(at, now, "the time of the symptom")
    kind = symptoms.normalise_kind(kind)
    severity = symptoms.normalise_severity(severity) if severity else None
    note = text.clean(note, "the note")
    reading = None
    if glucose_value is not None:
        g = add_glucose(
            session,
            child,
            value=glucose_value,
            unit=glucose_unit,
            at=at,
            now=now,
            by=by,
            note=f"taken with a {kind} symptom",
        )
        reading = g.entry
    last = last_given(session, child, before=at)
    linked = last if last and last.given_at and at - last.given_at <= symptoms.LINK_WINDOW else None
    entry = Symptom(
        child_id=child.id,
        kind=kind,
        severity=severity,
        occurred_at=at,
        dose_id=linked.id if linked else None,
        glucose_id=reading.id if reading is not None else None,
        note=note,
        created_at=now,
        created_by=text.clean_name(by, "the caregiver's name"),
    )
    session.add(entry)
    session.flush()
    outcome = Outcome(entry=entry)
    recent = recent_symptoms(session, child, at)
    mgdl = reading.mg_dl if isinstance(reading, Glucose) else None
    for level, advice in guidance.advice(kind, severity, mgdl, recent, at):
        if level == guidance.WATCH:
            outcome.info.append(advice)
        else:
            outcome.warnings.append(("URGENT: " if level == guidance.EMERGENCY else "") + advice)
    if linked is not None and linked.given_at is not None:
        minutes = round((at - linked.given_at).total_seconds() / 60)
        outcome.info.append(
            f"linked to the dose given {schedule.format_span(minutes)} earlier (D{linked.id})"
        )
    return outcome


def recent_symptoms(session: Session, child: Child, now: datetime) -> list[guidance.Recent]:
    """The symptoms of the last few days, for the combination rules."""
    rows = session.execute(
        select(Symptom.kind, Symptom.occurred_at, Symptom.severity).where(
            Symptom.child_id == child.id,
            Symptom.voided_at.is_(None),
            Symptom.occurred_at > now - guidance.COMBINATION_WINDOW,
            Symptom.occurred_at <= now + timedelta(minutes=5),
        )
    )
    return [guidance.Recent(kind, at, severity) for kind, at, severity in rows]
