"""Answering a dose reminder where it appears: Given, Withheld, Snooze, and Undo.

A press on a notification is a front like the command line: it records exactly what
`tracker give --site SITE --meal`, `tracker skip --reason "not eating"`, `tracker remind
snooze 15` and `tracker undo D42` would, through the same use cases and rules, each in
its own short write. A button cannot be asked a question, so where the command line would
ask, a press refuses and says why: the slot was logged meanwhile (the unique slot index
decides, not the notification), the slot has closed, or the dose must not be given.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Engine

from tracker.db.session import transaction
from tracker.domain import safety, schedule
from tracker.domain.actions import Do, Line, act
from tracker.domain.guidance import in_order
from tracker.errors import TrackerError
from tracker.services import snooze as snooze_default

GIVEN, WITHHELD, SNOOZE, UNDO = "Given", "Withheld", "Snooze", "Undo"
SNOOZE_MINUTES = snooze_default.MINUTES
UNDO_WINDOW = timedelta(minutes=10)
WITHHELD_REASON = "not eating"  # the label's reason to withhold a dose


class Answer(NamedTuple):
    """What a press did: recorded (with the entry's id) or refused, in one sentence."""

    ok: bool
    text: str  # what was recorded, in the words of every front (headlines), or why not
    entry: str | None = None  # "D42": what Undo would undo
    notes: tuple[str, ...] = ()  # everything else the outcome says, most urgent first


def _slot_open(child_plan: object, slot_at: datetime, now: datetime) -> str | None:
    from tracker.services.plan import Plan

    assert isinstance(child_plan, Plan)
    slot = schedule.nearest_slot(slot_at, child_plan.times, child_plan.zone)
    closes = schedule.closes_at(slot, schedule.next_slot_after(slot, child_plan.times,
                                                                child_plan.zone))
    if now >= closes:
        return (f"the {slot.label} dose's time has passed (it closed at "
                f"{closes.astimezone(child_plan.zone):%H:%M}): it is missed, not made up")
    return None


def press(
    engine: Engine,
    action: str,
    *,
    child_id: int,
    slot_at: datetime,
    site: str,
    now: datetime,
    by: str,
) -> Answer:
    """Carry out Given, Withheld or Snooze for the slot at `slot_at`."""
    from tracker.db.models import Dose
    from tracker.services import log, plan

    if action == SNOOZE:
        from tracker.services.snooze import snooze

        with transaction(engine, write=True) as session:
            return Answer(True, snooze(session, now, SNOOZE_MINUTES))
    try:
        with transaction(engine, write=True) as session:
            child = plan.child_by_id(session, child_id)
            child_plan = plan.plan_at(session, child, slot_at)
            slot = schedule.nearest_slot(slot_at, child_plan.times, child_plan.zone)
            existing = log.slot_entry(session, child, slot)
            if existing is not None:
                return Answer(False, f"the {slot.label} dose was already "
                                     f"{log.describe_taken(existing, child)}")
            closed = _slot_open(child_plan, slot_at, now)
            if closed:
                return Answer(False, closed)
            if action == GIVEN:
                stop = safety.do_not_give(plan.plan_at(session, child, now).problems)
                if stop:
                    return Answer(False, stop)
                outcome = log.give(session, child, at=now, now=now, by=by, site=site,
                                   meal=True)
            elif action == WITHHELD:
                outcome = log.skip(session, child, reason=WITHHELD_REASON, now=now, by=by,
                                   slot_at=slot.at)
            else:
                raise ValueError(action)
            entry = outcome.entry
            assert isinstance(entry, Dose)
            if outcome.slot is not None and outcome.slot.at != slot.at:
                raise _Mismatch(slot.label)
            said = in_order(outcome.info, outcome.warnings, outcome.advice)
            return Answer(True, outcome.headline, f"D{entry.id}",
                          tuple(str(a.text) for a in said))
    except _Mismatch as exc:
        return Answer(False, Line(f"it is no longer the time of the {exc} dose; ",
                                  act(Do.AT)))
    except TrackerError as exc:
        return Answer(False, str(exc))


class _Mismatch(Exception):
    """The press would fill another slot than its reminder's: rolled back."""


def undo(engine: Engine, entry: str, *, pressed_at: datetime, now: datetime, by: str) -> Answer:
    """Undo what a press recorded, within UNDO_WINDOW of the press."""
    from tracker.services import corrections

    if now - pressed_at > UNDO_WINDOW:
        return Answer(False, Line("too late to undo here: ", act(Do.UNDO, ref=entry)), entry)
    try:
        with transaction(engine, write=True) as session:
            found = corrections.get_entry(session, entry)
            done = corrections.void(session, found, now=now, by=by,
                                    reason="undone from the notification")
    except TrackerError as exc:
        return Answer(False, str(exc), entry)
    return Answer(True, done.headline, entry, tuple(map(str, done.info)))
