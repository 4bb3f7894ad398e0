"""When the injections started: a fact of the child, from which every slot counts.

Every slot from the treatment start on is due, given, late, withheld or missed in every
view and export; before it there was no treatment, so nothing is missed there and
nothing can be logged there. A family that starts the log two weeks into treatment says
so once (`tracker init --since`, or later `tracker child NAME --since DATE`), and the
slots nobody logged in those two weeks are "missed, nothing logged" until someone logs
them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker import i18n
from tracker.db.models import Dose, Prescription
from tracker.domain import schedule
from tracker.domain.actions import Action, Do, Line, act, fill
from tracker.errors import InputError
from tracker.i18n import N_, _, formats

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Child


def started(child: Child) -> datetime:
    """The instant from which the child's slots count (a log older than the setting:
    the moment it was set up)."""
    return child.counts_from


def start_day(child: Child) -> date:
    return started(child).astimezone(schedule.zone_named(child.timezone)).date()


def describe(child: Child) -> str:
    """The start as a person reads it: a day, with its time when it is not midnight."""
    local = started(child).astimezone(schedule.zone_named(child.timezone))
    english = i18n.language() == i18n.ENGLISH
    day = f"{local.day} {local:%b %Y}" if english else formats.day(local)
    if (local.hour, local.minute) == (0, 0):
        return day
    # TRANSLATORS: a day and a time of day: "20 Nov 2026 19:30"
    return _("{day} {time}").format(day=day, time=formats.clock(local))


def earlier_command(child: Child, day: date) -> Action:
    """What lets doses be logged back to `day`: the treatment's start moved to it."""
    return act(Do.SINCE, child=child.name, day=day.isoformat())


def started_earlier(child: Child, day: date) -> Line:
    """The way out of a time before the treatment start, wherever one is refused."""
    return fill(_("if the injections started earlier, say since when: {command}"),
                command=earlier_command(child, day))


def before_start(child: Child, at: datetime, *, withheld: bool = False) -> InputError:
    """The refusal of a dose (given or withheld) logged before the treatment start, with
    the way out."""
    zone = schedule.zone_named(child.timezone)
    local = at.astimezone(zone)
    # TRANSLATORS: {then}: how to say the injections started earlier
    said = (_("{when} is before {name}'s treatment start ({start}), so a withheld dose cannot "
              "be logged then; {then}") if withheld
            else _("{when} is before {name}'s treatment start ({start}), so a dose cannot be "
                   "logged then; {then}"))
    return InputError(fill(
        said, when=_("{day} {time}").format(day=formats.day(local), time=formats.clock(local)),
        name=child.name, start=describe(child), then=started_earlier(child, local.date())))


def set_start(session: Session, child: Child, start: datetime, *, now: datetime,
              by: str) -> list[str]:
    """Move the treatment start; what changed, in words.

    Earlier: the first prescription moves back with it (it was in force from the start),
    its old start kept in the audit trail. Later than a logged dose or withheld one:
    refused, naming it (the start would hide it).
    """
    from tracker.services.record.audit import move_start

    zone = schedule.zone_named(child.timezone)
    local = start.astimezone(zone)
    if local.date() < child.birth_date:
        raise InputError(_("{day} is before {name}'s birth date").format(
                             day=formats.day(local.date()), name=child.name))
    first_logged = session.scalar(
        select(Dose).where(Dose.child_id == child.id, Dose.voided_at.is_(None),
                           Dose.scheduled_at < start).order_by(Dose.scheduled_at).limit(1)
    )
    if first_logged is not None:
        slot = first_logged.scheduled_at.astimezone(zone)
        raise InputError(
            _("{ref} is logged for the {time} dose of {day}, before {when}: the treatment "
              "start cannot move after a logged dose. Choose {day} or earlier, or undo {ref} "
              "first if it was logged by mistake").format(
                ref=f"D{first_logged.id}", time=formats.clock(slot), day=formats.day(slot),
                when=_("{day} {time}").format(day=formats.day(local),
                                              time=formats.clock(local)))
        )
    before = describe(child)
    child.treatment_start = start
    # TRANSLATORS: "Mia: treatment start 20 Nov 2026 -> 12 Nov 2026"
    said = [_("{name}: treatment start {before} -> {after}").format(
                name=child.name, before=before, after=describe(child))]
    first = session.scalar(
        select(Prescription).where(Prescription.child_id == child.id,
                                   Prescription.voided_at.is_(None))
        .order_by(Prescription.starts_at, Prescription.id).limit(1)
    )
    if first is not None and first.starts_at > start:
        move_start(session, first, start, now=now, by=by,
                   reason=N_("the treatment started earlier"))  # stored; _() where shown
        said.append("  " + _("The first prescription ({ref}) now applies from then: doses can "
                             "be logged back to it, and slots nobody logged are shown as "
                             "missed.").format(ref=f"P{first.id}"))
    elif first is not None:
        said.append("  " + _("Slots from then on that nobody logged are shown as missed."))
    return said
