"""Answering a dose reminder where it appears: Given, Withheld, Snooze, and Undo.

A press on a notification is a front like the command line: it records exactly what
`tracker give --site SITE --meal`, `tracker skip --reason "not eating"`, `tracker remind
snooze 15` and `tracker undo D42` would, through the same use cases and rules, each in
its own short write. A button cannot be asked a question, so where the command line would
ask, the use case itself refuses a tap and says why (questions.ONE_TAP): the slot was
logged meanwhile (the unique slot index decides, not the notification), the slot has
closed, or the dose must not be given.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Engine

from tracker.db.session import transaction
from tracker.domain.actions import Do, act, fill
from tracker.errors import TrackerError
from tracker.i18n import _, pgettext
from tracker.services.record import snooze as snooze_default
from tracker.services.record.log import NOT_EATING
from tracker.services.record.questions import ONE_TAP

if TYPE_CHECKING:
    from tracker.services.record.outcome import Told

# a notification's buttons: what a press sends back (the same in every language); shown
# in the reader's words by button()
GIVEN, WITHHELD, SNOOZE, UNDO = "Given", "Withheld", "Snooze", "Undo"
SNOOZE_MINUTES = snooze_default.MINUTES
UNDO_WINDOW = timedelta(minutes=10)
WITHHELD_REASON = NOT_EATING  # the label's reason to withhold a dose, of the one list


def button(action: str) -> str:
    """A notification's button as the reader's language names it ("Given" the button,
    not "given" the status)."""
    names = {GIVEN: pgettext("button", "Given"), WITHHELD: pgettext("button", "Withheld"),
             SNOOZE: pgettext("button", "Snooze"), UNDO: pgettext("button", "Undo")}
    return names.get(action, action)


class Answer(NamedTuple):
    """What a press did: recorded (with the entry's id) or refused, in one sentence."""

    ok: bool
    text: str  # what was recorded, in the words of every front (headlines), or why not
    entry: str | None = None  # "D42": what Undo would undo
    told: Told | None = None  # the use case's outcome whole, as every front shows it

    @property
    def notes(self) -> tuple[str, ...]:
        """Everything the outcome says after its headline, in the one order of every
        front, in plain words (a notification has no controls to name)."""
        return () if self.told is None else tuple(str(a.text) for a in self.told.said())


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
    """Carry out Given, Withheld or Snooze for the slot at `slot_at`, as one tap: the
    use case refuses what it would ask a person (questions.ONE_TAP)."""
    from tracker.services.record import log
    from tracker.services.views import plan

    if action == SNOOZE:
        from tracker.services.record.snooze import snooze

        with transaction(engine, write=True) as session:
            return Answer(True, snooze(session, now, SNOOZE_MINUTES))
    try:
        with transaction(engine, write=True) as session:
            child = plan.child_by_id(session, child_id)
            if action == GIVEN:
                outcome = log.give(session, child, at=now, now=now, by=by, site=site,
                                   meal=True, slot_at=slot_at, answers=ONE_TAP)
            elif action == WITHHELD:
                outcome = log.skip(session, child, reason=WITHHELD_REASON, now=now, by=by,
                                   slot_at=slot_at, answers=ONE_TAP)
            else:
                raise ValueError(action)
            return Answer(True, outcome.headline, outcome.ref, outcome)
    except TrackerError as exc:
        return Answer(False, str(exc))


def undo(engine: Engine, entry: str, *, pressed_at: datetime, now: datetime, by: str) -> Answer:
    """Undo what a press recorded, within UNDO_WINDOW of the press."""
    from tracker.services.record import corrections

    if now - pressed_at > UNDO_WINDOW:
        return Answer(False, fill(_("too late to undo here: {command}"),
                                  command=act(Do.UNDO, ref=entry)), entry)
    try:
        with transaction(engine, write=True) as session:
            found = corrections.get_entry(session, entry)
            done = corrections.void(session, found, now=now, by=by,
                                    reason="undone from the notification")  # stored
    except TrackerError as exc:
        return Answer(False, str(exc), entry)
    return Answer(True, done.headline, entry, done)
