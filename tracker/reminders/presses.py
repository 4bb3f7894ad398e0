"""The buttons of a dose reminder, and what a press does.

Given · site, Withheld and Snooze on a reminder that can be answered; after a press, a
short notification of the outcome whole (its headline, then its notes and advice) with
Undo while it works; and a line in the delivery log for each press. A press is one
caller of the same use cases as the command line (services.reminder_answers): this
module only offers the buttons and shows what they did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from tracker import config, i18n
from tracker.domain.sites import site_name
from tracker.i18n import _, npgettext, pgettext
from tracker.reminders import ledger
from tracker.reminders.channels import Action, Channel, Result, deliver
from tracker.reminders.due import ANSWERABLE, Planned
from tracker.services.record import reminder_answers as ra

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.services.record.reminder_answers import Answer


class Presses:
    """The buttons of one service's reminders. `fault` is told when the log cannot be
    written: the press is still carried out or refused in words, only its line is lost."""

    def __init__(self, engine: Engine, channels: list[Channel], *,
                 clock: Callable[[], datetime], caregiver: Callable[[], str],
                 say: Callable[[str], None], fault: Callable[[DBAPIError], None]) -> None:
        self.engine = engine
        self.channels = channels
        self.clock = clock  # when a button is pressed
        self.caregiver = caregiver  # who pressed: whoever runs the service
        self.say = say
        self.fault = fault

    def actions(self, p: Planned, reminder_id: int | None) -> list[Action]:
        """Given · site, Withheld, Snooze 15 min: on a dose reminder that can be answered."""

        if p.kind not in ANSWERABLE or p.slot_at is None:
            return []
        with i18n.speaking(config.language()):  # the words of the reminder they are on
            actions = [
                Action(pgettext("button", "Withheld"),
                       lambda: self.press(p, ra.WITHHELD, reminder_id)),
                Action(npgettext("button", "Snooze {minutes} min", "Snooze {minutes} min",
                                 ra.SNOOZE_MINUTES).format(minutes=ra.SNOOZE_MINUTES),
                       lambda: self.press(p, ra.SNOOZE, reminder_id)),
            ]
            if p.can_give and p.site:
                # TRANSLATORS: a notification's button: the dose was given, at this site
                actions.insert(0, Action(pgettext("button", "Given · {site}").format(
                                             site=site_name(p.site)),
                                         lambda: self.press(p, ra.GIVEN, reminder_id)))
        return actions

    def press(self, p: Planned, action: str, reminder_id: int | None) -> None:
        """A button was pressed: the use case, then what it did, with Undo."""
        with i18n.speaking(config.language()):
            self._press(p, action, reminder_id)

    def _press(self, p: Planned, action: str, reminder_id: int | None) -> None:
        now = self.clock()
        assert p.slot_at is not None
        answer = ra.press(self.engine, action, child_id=p.child_id, slot_at=p.slot_at,
                          site=p.site or "", now=now, by=self.caregiver())
        if answer.ok:
            # TRANSLATORS: a line of the delivery log: the button, then the entry it wrote
            line = _("pressed {button} → {outcome}").format(
                button=button(action), outcome=answer.entry or answer.text)
        else:
            line = _("pressed {button} → refused: {reason}").format(
                button=button(action), reason=answer.text)
        self.log(reminder_id, line, now)
        child = p.title.split(":", 1)[0]
        if not answer.ok:
            self.notify(_("{child}: not recorded").format(child=child),
                        answer.text[:1].upper() + answer.text[1:])
            return
        # who first (a household may have several children), then the outcome whole
        body = told(answer)
        actions = []
        if answer.entry:
            entry = answer.entry
            body += _(" Undo within {value} minutes if this is a mistake.").format(
                         value=ra.UNDO_WINDOW.seconds // 60)
            actions = [Action(button(ra.UNDO),
                              lambda: self.undo(child, entry, now, reminder_id), undo=True)]
        self.notify(_("{child}: recorded").format(child=child), body, actions)

    def undo(self, child: str, entry: str, pressed_at: datetime, reminder_id: int | None
             ) -> None:
        with i18n.speaking(config.language()):
            self._undo(child, entry, pressed_at, reminder_id)

    def _undo(self, child: str, entry: str, pressed_at: datetime, reminder_id: int | None
              ) -> None:
        now = self.clock()
        answer = ra.undo(self.engine, entry, pressed_at=pressed_at, now=now, by=self.caregiver())
        if answer.ok:
            line = _("pressed {button} → {entry} undone").format(
                button=button(ra.UNDO), entry=entry)
            title = _("{child}: undone").format(child=child)
        else:
            line = _("pressed {button} → {entry} refused: {reason}").format(
                button=button(ra.UNDO), entry=entry, reason=answer.text)
            title = _("{child}: not undone").format(child=child)
        self.log(reminder_id, line, now)
        self.notify(title, told(answer))

    def notify(self, title: str, body: str, actions: list[Action] | None = None) -> None:
        results = deliver(self.channels, title, body, actions or [])
        try:
            ledger.record(self.engine, None, title, results, self.clock())
        except DBAPIError as exc:
            self.fault(exc)

    def log(self, reminder_id: int | None, line: str, now: datetime) -> None:
        self.say(_("tracker remind: {line}").format(line=line))
        try:
            ledger.record(self.engine, reminder_id, line, [Result("button", True)], now)
        except DBAPIError as exc:
            self.fault(exc)


def button(action: str) -> str:
    """A button's word in the reader's language; `action` is the key the use case reads
    (services.record.reminder_answers), which stays English."""
    words = {ra.GIVEN: pgettext("button", "Given"), ra.WITHHELD: pgettext("button", "Withheld"),
             ra.SNOOZE: pgettext("button", "Snooze"), ra.UNDO: pgettext("button", "Undo")}
    return words.get(action, action)


def told(answer: Answer) -> str:
    """A press's outcome as a notification shows it: whole (the headline, then every
    warning, advice and note in the one order of every front, then the next dose), or
    why nothing was recorded."""
    return " ".join([answer.text, *answer.notes])
