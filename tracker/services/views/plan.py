"""The child and what is prescribed for them at a given moment.

A prescription in mg/kg is turned into mg with the latest weight measured on or before
the day in question, which is why weights are history and never overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Measurement, Prescription
from tracker.db.session import columns
from tracker.domain import dosing, safety, schedule
from tracker.domain.actions import Do, act, fill
from tracker.domain.dosing import Draw
from tracker.domain.prescription import basis_weight, describe_basis, draw_for, mg_of
from tracker.errors import InputError, NotFound
from tracker.i18n import _, formats

if TYPE_CHECKING:
    from sqlalchemy import Select


class Plan(NamedTuple):
    """Everything needed to give a dose at one moment, and what is wrong with it.

    `mg` is the prescription's mg (at the weight it was prescribed for); `weight_kg` is
    the child's latest weight, against which the label's ceiling is checked.
    """

    child: Child
    zone: ZoneInfo
    prescription: Prescription
    weight_kg: float | None
    times: tuple[time, ...]
    mg: float
    # no other prescription starts before this moment (at least the plan's own moment):
    # a dose before it is given by the same prescription
    steady_until: datetime | None = None

    @property
    def draw(self) -> Draw:
        return draw_for(self.prescription, self.mg, self.weight_kg, self.child.syringe)

    @property
    def problems(self) -> list[str]:
        """Why this dose must not be given as shown (checked before every injection)."""
        return safety.draw_problems(self.draw, self.weight_kg)

    @property
    def precision(self) -> str | None:
        """The family's syringe too coarse for this dose (said with the dose)."""
        return safety.precision_note(self.draw, self.child.name)

    @property
    def tolerance_mg(self) -> float:
        d = self.draw
        return safety.mark_tolerance_mg(d.syringe, d.concentration)

    @property
    def basis_weight_kg(self) -> float | None:
        return basis_weight(self.prescription, self.weight_kg)

    def closes(self, slot: schedule.Slot) -> datetime:
        """When a slot's window ends among this plan's dose times (a late dose until then;
        missed after)."""
        return schedule.closes_at(slot, schedule.next_slot_after(slot, self.times, self.zone))

    def weight_note(self) -> str | None:
        """An mg/kg dose made for another weight than today's: the doctor decides."""
        p, basis = self.prescription, self.basis_weight_kg
        if p.dose_mg_per_kg is None or basis is None or self.weight_kg is None:
            return None
        if abs(basis - self.weight_kg) < 0.05:
            return None
        would = dosing.mg_for(self.weight_kg, p.dose_mg_per_kg)
        return fill(
            # TRANSLATORS: {command} records the doctor's new dose (a command or a button)
            _("the dose was prescribed for {basis} kg; at today's {weight} kg, "
              "{per_kg} mg/kg would be {would} mg. The dose stays {dose} mg until the "
              "doctor's new dose is recorded ({command})"),
            basis=formats.decimal(f"{basis:g}"), weight=formats.decimal(f"{self.weight_kg:g}"),
            per_kg=formats.decimal(f"{p.dose_mg_per_kg:g}"),
            would=formats.decimal(dosing.format_mg(would)),
            dose=formats.decimal(dosing.format_mg(self.mg)), command=act(Do.PRESCRIBE, dose=""))

    def describe_prescription(self) -> str:
        basis = describe_basis(self.prescription, self.mg, self.weight_kg)
        # TRANSLATORS: "0.8 mg = 0.08 mL = 8 units per injection (0.04 mg/kg x 20 kg), at
        # 07:30 and 19:30 Europe/Paris"
        return _("{draw} per injection ({basis}), at {times} {zone}").format(
                draw=self.draw.describe(), basis=basis,
                times=schedule.format_times(self.times), zone=self.zone.key)


# The statements every Today, status and reminder runs are built once (with bound
# parameters): building one costs SQLAlchemy more than SQLite takes to run it.

@cache
def _children() -> Select[Child]:
    return select(Child).order_by(Child.name)


@cache
def _prescription_at() -> Select[Prescription]:
    return (select(Prescription)
            .where(Prescription.child_id == bindparam("child_id"),
                   Prescription.voided_at.is_(None),
                   Prescription.starts_at <= bindparam("at"))
            .order_by(Prescription.starts_at.desc(), Prescription.id.desc())
            .limit(1))


@cache
def _latest_measurement(weight: bool) -> Select[Measurement]:
    column = Measurement.weight_kg if weight else Measurement.height_cm
    return (select(Measurement)
            .where(Measurement.child_id == bindparam("child_id"),
                   Measurement.voided_at.is_(None),
                   Measurement.measured_on <= bindparam("on"),
                   column.is_not(None))
            .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
            .limit(1))


@cache
def _latest_weight() -> Select[float | None]:
    return (select(Measurement.weight_kg)
            .where(Measurement.child_id == bindparam("child_id"),
                   Measurement.voided_at.is_(None),
                   Measurement.measured_on <= bindparam("on"),
                   Measurement.weight_kg.is_not(None))
            .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
            .limit(1))


def all_children(session: Session) -> list[Child]:
    return list(session.scalars(_children()))


def find_child(session: Session, name: str | None) -> Child:
    """The named child, or the only one; several children need a name."""
    if name:
        child = session.scalar(select(Child).where(func.lower(Child.name) == name.strip().lower()))
        if child is None:
            known = ", ".join(c.name for c in all_children(session))
            raise NotFound((_("no child named {name} (children: {names})") if known
                            else _("no child named {name} (children: none yet)")).format(
                               name=repr(name), names=known))
        return child
    children = session.scalars(select(Child).order_by(Child.name).limit(2)).all()
    if not children:
        raise NotFound(fill(_("no child is set up yet: {command}"), command=act(Do.INIT)))
    if len(children) > 1:
        names = ", ".join(c.name for c in all_children(session))
        raise InputError(fill(_("several children share this log ({names}): {command}"),
                              names=names, command=act(Do.CHOOSE_CHILD, names=names)))
    return children[0]


def child_by_id(session: Session, child_id: int) -> Child:
    """A child found again in a later session (one that may have been removed since)."""
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound(_("the child was removed from the log meanwhile"))
    return child


def zone_of(child: Child) -> ZoneInfo:
    return schedule.zone_named(child.timezone)


def prescription_at(session: Session, child: Child, at: datetime) -> Prescription:
    p = session.scalar(_prescription_at(), {"child_id": child.id, "at": at})
    if p is None:
        from tracker.services.views.treatment import describe, started_earlier

        local = at.astimezone(zone_of(child))
        raise NotFound(fill(
            # TRANSLATORS: {start}: the treatment start; {then}: how to say it started earlier
            _("no prescription is recorded for {name} at {when}, before the treatment start "
              "({start}): {then}"),
            name=child.name, when=_("{day} {time}").format(
                day=formats.day(local), time=formats.clock(local)),
            start=describe(child), then=started_earlier(child, local.date())))
    return p


def latest_measurement(
    session: Session, child: Child, on: date, *, weight: bool
) -> Measurement | None:
    return session.scalar(_latest_measurement(weight), {"child_id": child.id, "on": on})


def latest_weight(session: Session, child: Child, on: date) -> float | None:
    """The weight that applies on a day: the last one measured by then.

    Before the first weight (doses logged back to the start of treatment) the first
    weight applies: it is the best we know, and refusing would lose the log.
    """
    weight = columns(session, _latest_weight(), {"child_id": child.id, "on": on}).scalar()
    if weight is not None:
        return float(weight)
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


def with_weights(session: Session, child: Child) -> list[tuple[Prescription, float | None]]:
    """Every live prescription in order, with the weight that applied when it started
    (what the calendar prints for each)."""
    zone = zone_of(child)
    return [(rx, latest_weight(session, child, rx.starts_at.astimezone(zone).date()))
            for rx in session.scalars(
                select(Prescription)
                .where(Prescription.child_id == child.id, Prescription.voided_at.is_(None))
                .order_by(Prescription.starts_at, Prescription.id))]


LOOK_AHEAD = timedelta(days=2)  # the doses a status or Today shows are within this


def plan_at(session: Session, child: Child, at: datetime) -> Plan:
    """The plan in force at `at`. One look-up also tells whether another prescription
    starts within LOOK_AHEAD (the doses still to come that a status shows): when none
    does, the same plan serves them (plan_for_slot) without another look-up."""
    zone = zone_of(child)
    latest = session.scalar(_prescription_at(), {"child_id": child.id,
                                                 "at": at + LOOK_AHEAD})
    if latest is not None and latest.starts_at <= at:
        p, steady = latest, at + LOOK_AHEAD
    else:  # none at all, or one starting later: the one in force now is an earlier one
        p, steady = prescription_at(session, child, at), (
            latest.starts_at if latest is not None else at)
    weight = latest_weight(session, child, at.astimezone(zone).date())
    return Plan(
        child=child,
        zone=zone,
        prescription=p,
        weight_kg=weight,
        times=schedule.parse_times(p.times),
        mg=mg_of(p, weight),
        steady_until=steady,
    )


def plan_for_slot(plan: Plan, slot_at: datetime, now: datetime, session: Session) -> Plan:
    """The plan in force at a slot still to come, from the plan in force now: the same
    one while no other prescription starts by then and the slot falls on the same day
    (another day's weight may differ)."""
    if (plan.steady_until is not None and slot_at < plan.steady_until
            and slot_at.astimezone(plan.zone).date() == now.astimezone(plan.zone).date()):
        return plan
    return plan_at(session, plan.child, slot_at)


def plan_when_started(session: Session, child: Child, p: Prescription) -> Plan:
    """A prescription as it was when it took effect: its mg at the weight of that day.

    A report shows each prescription this way; today's weight would rewrite history
    (0.86 mg prescribed and given, shown as 0.90 mg a year later).
    """
    zone = zone_of(child)
    weight = latest_weight(session, child, p.starts_at.astimezone(zone).date())
    return Plan(
        child=child,
        zone=zone,
        prescription=p,
        weight_kg=weight,
        times=schedule.parse_times(p.times),
        mg=mg_of(p, weight),
    )
