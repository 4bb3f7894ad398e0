"""The reminder service's tick: find what is due, claim it once, send it, record it.

The database decides: a reminder is claimed by inserting its unique key before it is
sent, so a restart, a DST double fire or a second service cannot send it twice, and a
dose logged by anyone sharing the log silences its reminders. Sending happens outside
the database transaction so that the command line is never kept waiting by a slow
notification daemon. What is due is read in `due`, the log's side is `ledger`, and the
buttons are `presses`: this module only runs the tick and keeps what the log could not
take yet.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.exc import DBAPIError

from tracker import config
from tracker.db.session import transaction
from tracker.db.state import get_state, set_state
from tracker.domain import reminders as planner
from tracker.errors import translate
from tracker.i18n import _
from tracker.locks import who_writes
from tracker.reminders import due, ledger
from tracker.reminders.channels import Channel, Result, deliver, withdraw
from tracker.reminders.due import Planned
from tracker.reminders.outbox import Outbox
from tracker.reminders.presses import Presses
from tracker.services.delivery.contact_send import STOPPING, tell
from tracker.services.record.log import slot_taken

ON_SCREEN_DAYS = timedelta(days=2)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.services.delivery.contact_send import Sends


def _heads_up() -> timedelta | None:
    """The heads-up before each dose, from the settings of whoever runs the service."""

    minutes = config.load_settings().get("heads_up_minutes")
    return timedelta(minutes=int(minutes)) if minutes and str(minutes).isdigit() else None


def _caregiver() -> str:

    return config.caregiver()


class Outgoing(NamedTuple):
    reminder_id: int | None  # None: sent while the log could not be written, not yet recorded
    title: str
    body: str


class Unrecorded(NamedTuple):
    planned: Planned
    results: list[Result]
    at: datetime


class ReminderService:
    def __init__(
        self,
        engine: Engine,
        channels: list[Channel],
        follow_up: timedelta = planner.FOLLOW_UP,
        *,
        path: Path | None = None,
        say: Callable[[str], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        caregiver: Callable[[], str] | None = None,
        heads_up: Callable[[], timedelta | None] | None = None,
    ) -> None:

        self.engine = engine
        self.clock = clock or (lambda: datetime.now(UTC))  # when a button is pressed
        self.caregiver = caregiver or _caregiver  # who pressed: whoever runs the service
        self.heads_up = heads_up or _heads_up  # read at every tick: a change is live
        self.channels = channels
        self.follow_up = follow_up
        self.path = path  # the log's file, to say who holds it when it is locked
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.fault: str | None = None
        self.unrecorded: dict[tuple[int, str], Unrecorded] = {}
        self.identity = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
        # Contacts are told by the outbox's workers, after the dose reminders: a slow
        # phone service never makes a reminder late. What they are telling right now is
        # in `in_flight`, so that a tick meanwhile does not plan it again.
        self.outbox = Outbox()
        self.in_flight: set[tuple[int, str]] = set()
        self.on_sent: Callable[[Outgoing, list[Result]], None] | None = None
        self.stopping: Callable[[], bool] = lambda: False  # a stop was asked: cut short
        self._shared = threading.Lock()  # unrecorded and in_flight, shared with the outbox
        # the dose reminders on this desktop, by thread, with their slot's time: taken
        # away once their dose is logged (only the tick reads and writes it)
        self.on_screen: dict[str, datetime] = {}
        self.presses = Presses(engine, channels, clock=self.clock, caregiver=self.caregiver,
                               say=self.say, fault=self._fault)

    def stop(self) -> None:
        """A stop: contacts still being told are cut off at once."""
        self.outbox.close()

    def plan(self, session: Session, now: datetime) -> list[Planned]:
        """What should go out now and was not sent yet: a read, nothing is claimed."""
        return due.due(session, now, self.follow_up, self.heads_up())

    def _settled(self, session: Session, now: datetime) -> list[str]:
        """The reminders on screen whose dose has been logged since; those of days gone
        are forgotten (the person has long dismissed them)."""

        for thread, slot_at in list(self.on_screen.items()):
            if slot_at < now - ON_SCREEN_DAYS:
                del self.on_screen[thread]
        return [t for t in self.on_screen if slot_taken(session, *due.thread_slot(t))]

    def _say(self, fault: str | None) -> None:
        """A fault is said once when it starts, and its end once (not at every check)."""
        if fault == self.fault:
            return
        if fault is not None:
            self.say(_("tracker remind: {fault}").format(fault=fault))
        elif self.fault is not None:
            self.say(_("tracker remind: the log can be written again; reminders are recorded"))
        self.fault = fault

    def _fault(self, exc: DBAPIError) -> None:
        self._say(self._fault_text(exc))

    def _fault_text(self, exc: Exception) -> str:

        text = str(getattr(exc, "orig", exc)).lower()
        if "database is locked" in text:
            holder = who_writes(self.path)
            if holder:
                return _("the log is locked by {holder}: reminders are still sent, and recorded "
                         "when the log is free").format(holder=holder)
            return _("the log is locked by another program: reminders are still sent, and "
                     "recorded when the log is free")
        known = translate(exc, self.path)
        return _("{value}: reminders are still sent, and recorded when the log works").format(
                   value=known or exc)

    def _record_backlog(self, session: Session) -> list[tuple[int, str]]:
        """What went out while the log could not be written, now put in it: the keys
        written, to be forgotten once the transaction has committed."""
        with self._shared:
            backlog = dict(self.unrecorded)
        for item in backlog.values():
            p = item.planned
            reminder_id = ledger.claim(session, p, item.at)
            if reminder_id is None:
                reminder_id = ledger.claimed(session, p)
            ledger.add_attempts(session, reminder_id, p.title, item.results, item.at)
        return list(backlog)

    def tick(self, now: datetime) -> list[tuple[Outgoing, list[Result]]]:
        """Send what is due now; never raises for a failed notification or a busy log.

        What is due is read first (a read never waits for a writer in WAL mode), then
        claimed in a short write. When the log cannot be written (locked by another
        program, read-only, a server away), the reminder goes out anyway and is kept
        here, to be claimed and recorded as soon as the log works again: a parent is
        never left unreminded because of the log, and nothing is sent twice.
        """
        with transaction(self.engine, write=False) as session:
            planned = self.plan(session, now)
            settled = self._settled(session, now)
        for thread in settled:  # logged by anyone, anywhere: its button would be refused
            withdraw(self.channels, thread)
            self.on_screen.pop(thread, None)
        with self._shared:
            busy = set(self.unrecorded) | self.in_flight
        planned = [p for p in planned if (p.child_id, p.key) not in busy]
        claims: list[tuple[Planned, int | None]] = []
        try:
            with transaction(self.engine, write=True) as session:
                written = self._record_backlog(session)
                for p in planned:
                    reminder_id = ledger.claim(session, p, now)
                    if reminder_id is not None:
                        claims.append((p, reminder_id))
                set_state(session, "heartbeat", now.isoformat(), now)
                set_state(session, "service", self.identity, now)
            with self._shared:
                for key in written:
                    self.unrecorded.pop(key, None)
            writable = True
            self._say(None)
        except DBAPIError as exc:
            self._say(self._fault_text(exc))
            claims = [(p, None) for p in planned]
            writable = False
        done = []
        for p, reminder_id in claims:
            if p.to_url is not None:
                continue  # told below, once every dose reminder of this tick is out
            results = deliver(self.channels, p.title, p.body,
                              self.presses.actions(p, reminder_id), thread=p.thread)
            if p.thread is not None and p.slot_at is not None:
                self.on_screen[p.thread] = p.slot_at
            done.append((Outgoing(reminder_id, p.title, p.body), results))
            self._keep(p, reminder_id, results, now, writable)
        for p, reminder_id in claims:
            if p.to_url is not None:
                self._tell(p, reminder_id, now, writable)
        if (done or writable) and not self.stopping():
            try:
                with transaction(self.engine, write=True) as session:
                    nxt = self.next_wakeup(session, now)
                    set_state(session, "next", nxt.isoformat() if nxt else "", now)
                    if done:
                        set_state(
                            session,
                            "last_fired",
                            json.dumps({"at": now.isoformat(), "title": done[-1][0].title}),
                            now,
                        )
            except DBAPIError as exc:
                self._say(self._fault_text(exc))
        return done

    def _keep(self, p: Planned, reminder_id: int | None, results: list[Result],
              now: datetime, writable: bool) -> None:
        """Record what went out; when the log cannot be written, keep it for later."""
        if writable and reminder_id is not None:
            try:
                ledger.record(self.engine, reminder_id, p.title, results, now)
                return
            except DBAPIError as exc:
                self._say(self._fault_text(exc))
                return  # claimed already: only the attempt's line is lost
        with self._shared:
            self.unrecorded[(p.child_id, p.key)] = Unrecorded(p, results, now)

    def _tell(self, p: Planned, reminder_id: int | None, now: datetime, writable: bool) -> None:
        """Hand a contact's message to the outbox: sent, recorded and said from there."""
        assert p.to_url is not None
        url, link = p.to_url, self._web_link(p)
        shown = p._replace(title=_("to {to_name}: {title}").format(
                                     to_name=p.to_name, title=p.title))
        key = (p.child_id, p.key)
        with self._shared:
            self.in_flight.add(key)

        def job(sends: Sends) -> None:

            try:
                sent = tell(url, p.title, p.body, link, sends=sends, language=p.to_language)
                if sent.error == STOPPING:
                    ledger.release(self.engine, reminder_id)  # the next service tells them
                    return
                results = [Result("contact", sent.ok, sent.error, sent.detail)]
                self._keep(shown, reminder_id, results, now, writable)
                if self.on_sent is not None:
                    self.on_sent(Outgoing(reminder_id, shown.title, shown.body), results)
            finally:
                with self._shared:
                    self.in_flight.discard(key)

        self.outbox.submit(job)

    def _web_link(self, p: Planned) -> str | None:
        """The household page's Today for the child, while `tracker web` runs."""
        try:
            with transaction(self.engine, write=False) as session:
                base = get_state(session, "web_url")
        except DBAPIError:
            return None
        return f"{base}/#child-{p.child_id}" if base else None

    def next_wakeup(self, session: Session, now: datetime) -> datetime | None:
        return due.next_wakeup(session, now, self.follow_up, self.heads_up())
