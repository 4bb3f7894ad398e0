"""One tick of the reminder service: find what is due, claim it once, send it, record it.

The database decides: a reminder is claimed by inserting its unique key before it is
sent, so a restart, a DST double fire or a second service cannot send it twice, and a
dose logged by anyone sharing the log silences its reminders. Sending happens outside
the database transaction so that the command line is never kept waiting by a slow
notification daemon.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker.db.models import NotificationAttempt, ReminderSent
from tracker.db.session import transaction
from tracker.db.state import get_state, set_state
from tracker.domain import guidance, schedule
from tracker.errors import NotFound
from tracker.reminders import messages, planner
from tracker.reminders.channels import Channel, Result, deliver
from tracker.reminders.outbox import Outbox
from tracker.services import plan as plans
from tracker.services.corrections import undone_note
from tracker.services.log import recent_mistake, recent_symptoms, suggested_site
from tracker.services.status import slot_views
from tracker.services.supply import SupplyReport

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.db.models import Child
    from tracker.reminders.channels import Action
    from tracker.services.contact_send import Sends


def _heads_up() -> timedelta | None:
    """The heads-up before each dose, from the settings of whoever runs the service."""
    from tracker import config

    minutes = config.load_settings().get("heads_up_minutes")
    return timedelta(minutes=int(minutes)) if minutes and str(minutes).isdigit() else None


def _caregiver() -> str:
    from tracker import config

    return config.caregiver()


class Outgoing(NamedTuple):
    reminder_id: int | None  # None: sent while the log could not be written, not yet recorded
    title: str
    body: str


class Planned(NamedTuple):
    """A reminder that should go out now, before it is claimed in the log."""

    child_id: int
    key: str
    kind: str
    slot_at: datetime | None
    title: str
    body: str
    site: str | None = None  # the site the reminder suggests: what Given records
    can_give: bool = True  # False when the dose must not be given: no Given button
    to_name: str | None = None  # a contact's: told on their phone, not on this desktop
    to_url: str | None = None


ANSWERABLE = ("due", "follow-up", "follow-up-2")  # the missed notice has no buttons


class Unrecorded(NamedTuple):
    planned: Planned
    results: list[Result]
    at: datetime


def quiet_until(session: Session) -> datetime | None:
    value = get_state(session, "snooze_until")
    return datetime.fromisoformat(value) if value else None


def record(
    engine: Engine, reminder_id: int | None, title: str, results: list[Result], at: datetime
) -> None:
    with transaction(engine, write=True) as session:
        for r in results:
            session.add(
                NotificationAttempt(
                    reminder_id=reminder_id,
                    at=at,
                    channel=r.channel,
                    ok=r.ok,
                    error=r.error,
                    detail=r.detail,
                    title=title,
                )
            )


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
        from datetime import UTC

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

    def adopt(self, old: ReminderService) -> None:
        """Take over from the service of a log file that was replaced: what was sent is
        not sent again, and the contacts being told go on being told."""
        with old._shared:
            self.unrecorded, self.in_flight = old.unrecorded, old.in_flight
        self.outbox, self._shared, self.on_sent = old.outbox, old._shared, old.on_sent

    def stop(self) -> None:
        """A stop: contacts still being told are cut off at once."""
        self.outbox.close()

    def _slots(
        self, session: Session, child: Child, now: datetime
    ) -> tuple[plans.Plan, list[planner.SlotInfo]]:
        plan = plans.plan_at(session, child, now)
        views = slot_views(session, child, plan, now)
        return plan, [planner.SlotInfo(v.slot, v.closes, v.entry is not None) for v in views]

    def _sent(self, session: Session, child: Child, since: datetime) -> set[str]:
        return set(
            session.scalars(
                select(ReminderSent.key).where(
                    ReminderSent.child_id == child.id, ReminderSent.fired_at >= since
                )
            )
        )

    def _claim(self, session: Session, p: Planned, fired_at: datetime) -> int | None:
        """Claim a reminder by its unique key: its id, or None when it was claimed already."""
        row = ReminderSent(
            child_id=p.child_id,
            key=p.key,
            kind=p.kind,
            slot_at=p.slot_at,
            fired_at=fired_at,
            title=p.title,
            body=p.body,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return None  # another tick or service claimed it first
        return row.id

    def plan(self, session: Session, now: datetime) -> list[Planned]:
        """What should go out now and was not sent yet: a read, nothing is claimed."""
        out: list[Planned] = []
        quiet = quiet_until(session)
        heads_up = self.heads_up()  # the setting, read once a pass: a change is live
        for child in plans.all_children(session):
            try:
                plan, infos = self._slots(session, child, now)
            except NotFound:
                continue  # no prescription yet
            sent = self._sent(session, child, now - timedelta(days=3))
            due = planner.due_now(infos, sent, now, self.follow_up, quiet, heads_up)
            if due:
                # the same checks as status and give, before the injection
                site = suggested_site(session, child)
                hold = guidance.hold_next_dose(recent_symptoms(session, child, now), now)
                mistake = recent_mistake(session, child, now)
            for r in due:
                nxt = schedule.next_slot_after(r.slot, plan.times, plan.zone)
                # the dose of the prescription in force at that slot (a heads-up before
                # a change's first dose says the new dose)
                in_force = plan if r.slot.at <= now else plans.plan_at(session, child, r.slot.at)
                title, body = messages.compose(
                    r.kind if r.kind != "heads-up" or heads_up is None
                    else f"heads-up:{int(heads_up.total_seconds() // 60)}",
                    child.name,
                    r.slot.label,
                    in_force.draw.describe(),
                    site,
                    nxt.label,
                    stop=in_force.problems,
                    hold=hold,
                    undone="; ".join(filter(None, (
                        undone_note(session, child, r.slot.day, r.slot.label), mistake,
                        in_force.precision))) or None,
                )
                out.append(Planned(child.id, r.key, r.kind, r.slot.at, title, body, site,
                                   not in_force.problems))
            out += self._daily_supply(session, child, plan, infos, sent, now)
            out += self._contacts(session, child, plan, infos, sent, now)
        return out

    def _contacts(
        self,
        session: Session,
        child: Child,
        plan: plans.Plan,
        infos: list[planner.SlotInfo],
        sent: set[str],
        now: datetime,
    ) -> list[Planned]:
        """Each contact whose moment to be told has come (planner.contacts_to_tell)."""
        from tracker.services.contacts import all_contacts

        contacts = {c.id: c for c in all_contacts(session)}
        delays = {c.id: c.after_minutes for c in contacts.values()}
        out = []
        for info, contact_id, when in planner.contacts_to_tell(infos, delays, sent):
            if not when <= now < info.closes:  # not yet, or the slot has closed since
                continue
            contact = contacts[contact_id]
            title, body = messages.compose_contact(
                child.name, info.slot.label, contact.after_minutes,
                f"{info.closes.astimezone(plan.zone):%H:%M}",
            )
            out.append(Planned(child.id, planner.contact_key(info.slot, contact_id), "contact",
                               info.slot.at, title, body, to_name=contact.name,
                               to_url=contact.url))
        return out

    def _daily_supply(
        self,
        session: Session,
        child: Child,
        plan: plans.Plan,
        infos: list[planner.SlotInfo],
        sent: set[str],
        now: datetime,
    ) -> list[Planned]:
        """Once a day, at the first dose time: the vial's discard day and the stock."""
        today = now.astimezone(plan.zone).date()
        first = min((i.slot for i in infos if i.slot.day == today), default=None)
        key = f"{today.isoformat()}/supply"
        if first is None or now < first.at or key in sent:
            return []
        warnings = SupplyReport(session, child, now).warnings()
        if not warnings:
            return []
        title = f"{child.name}: Increlex supply"
        return [Planned(child.id, key, "supply", None, title, " ".join(warnings))]

    def _say(self, fault: str | None) -> None:
        """A fault is said once when it starts, and its end once (not at every check)."""
        if fault == self.fault:
            return
        if fault is not None:
            self.say(f"tracker remind: {fault}")
        elif self.fault is not None:
            self.say("tracker remind: the log can be written again; reminders are recorded")
        self.fault = fault

    def _fault_text(self, exc: Exception) -> str:
        from tracker.errors import translate
        from tracker.locks import who_writes

        text = str(getattr(exc, "orig", exc)).lower()
        if "database is locked" in text:
            holder = who_writes(self.path)
            who = f"by {holder}" if holder else "by another program"
            return (
                f"the log is locked {who}: reminders are still sent, and recorded when the "
                "log is free"
            )
        known = translate(exc, self.path)
        return f"{known or exc}: reminders are still sent, and recorded when the log works"

    def _record_backlog(self, session: Session) -> list[tuple[int, str]]:
        """What went out while the log could not be written, now put in it: the keys
        written, to be forgotten once the transaction has committed."""
        with self._shared:
            backlog = dict(self.unrecorded)
        for item in backlog.values():
            p = item.planned
            reminder_id = self._claim(session, p, item.at)
            if reminder_id is None:
                reminder_id = session.scalar(
                    select(ReminderSent.id).where(
                        ReminderSent.child_id == p.child_id, ReminderSent.key == p.key
                    )
                )
            for r in item.results:
                session.add(
                    NotificationAttempt(
                        reminder_id=reminder_id,
                        at=item.at,
                        channel=r.channel,
                        ok=r.ok,
                        error=r.error,
                        detail=r.detail,
                        title=p.title,
                    )
                )
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
        with self._shared:
            busy = set(self.unrecorded) | self.in_flight
        planned = [p for p in planned if (p.child_id, p.key) not in busy]
        claims: list[tuple[Planned, int | None]] = []
        try:
            with transaction(self.engine, write=True) as session:
                written = self._record_backlog(session)
                for p in planned:
                    reminder_id = self._claim(session, p, now)
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
            results = deliver(self.channels, p.title, p.body, self._actions(p, reminder_id))
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
                record(self.engine, reminder_id, p.title, results, now)
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
        shown = p._replace(title=f"to {p.to_name}: {p.title}")
        key = (p.child_id, p.key)
        with self._shared:
            self.in_flight.add(key)

        def job(sends: Sends) -> None:
            from tracker.services.contact_send import STOPPING, tell

            try:
                sent = tell(url, p.title, p.body, link, sends=sends)
                if sent.error == STOPPING:
                    self._release(reminder_id)  # the next service tells them instead
                    return
                results = [Result("contact", sent.ok, sent.error, sent.detail)]
                self._keep(shown, reminder_id, results, now, writable)
                if self.on_sent is not None:
                    self.on_sent(Outgoing(reminder_id, shown.title, shown.body), results)
            finally:
                with self._shared:
                    self.in_flight.discard(key)

        self.outbox.submit(job)

    def _release(self, reminder_id: int | None) -> None:
        """Give back the claim of a message the stop cut off (best effort: the stop does
        not wait for a busy log), so that the service started next sends it."""
        if reminder_id is None:
            return
        try:
            with transaction(self.engine, write=True) as session:
                row = session.get(ReminderSent, reminder_id)
                if row is not None:
                    session.delete(row)
        except DBAPIError:
            pass

    def _web_link(self, p: Planned) -> str | None:
        """The household page's Today for the child, while `tracker web` runs."""
        try:
            with transaction(self.engine, write=False) as session:
                base = get_state(session, "web_url")
        except DBAPIError:
            return None
        return f"{base}/#child-{p.child_id}" if base else None

    def _actions(self, p: Planned, reminder_id: int | None) -> list[Action]:
        """Given · site, Withheld, Snooze 15 min: on a dose reminder that can be answered."""
        from tracker.reminders.channels import Action
        from tracker.services import reminder_answers as ra

        if p.kind not in ANSWERABLE or p.slot_at is None:
            return []
        actions = [
            Action(f"{ra.WITHHELD}", lambda: self._press(p, ra.WITHHELD, reminder_id)),
            Action(f"{ra.SNOOZE} {ra.SNOOZE_MINUTES} min",
                   lambda: self._press(p, ra.SNOOZE, reminder_id)),
        ]
        if p.can_give and p.site:
            actions.insert(0, Action(f"{ra.GIVEN} · {p.site}",
                                     lambda: self._press(p, ra.GIVEN, reminder_id)))
        return actions

    def _press(self, p: Planned, action: str, reminder_id: int | None) -> None:
        """A button was pressed: the same use case as the command line, then a short
        notification of what happened (with Undo), and a line in the delivery log."""
        from tracker.reminders.channels import Action
        from tracker.services import reminder_answers as ra

        now = self.clock()
        assert p.slot_at is not None
        answer = ra.press(self.engine, action, child_id=p.child_id, slot_at=p.slot_at,
                          site=p.site or "", now=now, by=self.caregiver())
        outcome = answer.entry if answer.ok and answer.entry else (
            answer.text if answer.ok else f"refused: {answer.text}")
        self._log_press(reminder_id, f"pressed {action} → {outcome}", now)
        child = p.title.split(":", 1)[0]
        if answer.ok:
            # who first (a household may have several children), then the outcome whole
            title, body = f"{child}: recorded", " ".join([answer.text, *answer.notes])
        else:
            title, body = f"{child}: not recorded", answer.text[:1].upper() + answer.text[1:]
        actions = []
        if answer.ok and answer.entry:
            entry = answer.entry
            body = " ".join([answer.text, *answer.notes,
                             f"Undo within {ra.UNDO_WINDOW.seconds // 60} minutes if this is "
                             "a mistake."])
            actions = [Action(ra.UNDO, lambda: self._undo(child, entry, now, reminder_id))]
        self._notify(title, body, actions)

    def _undo(self, child: str, entry: str, pressed_at: datetime, reminder_id: int | None
              ) -> None:
        from tracker.services import reminder_answers as ra

        now = self.clock()
        answer = ra.undo(self.engine, entry, pressed_at=pressed_at, now=now, by=self.caregiver())
        self._log_press(reminder_id, f"pressed Undo → {entry} "
                                     f"{'undone' if answer.ok else 'refused: ' + answer.text}",
                        now)
        self._notify(f"{child}: undone" if answer.ok else f"{child}: not undone",
                     " ".join([answer.text, *answer.notes]) if answer.ok else answer.text)

    def _notify(self, title: str, body: str, actions: list[Action] | None = None) -> None:
        results = deliver(self.channels, title, body, actions or [])
        try:
            record(self.engine, None, title, results, self.clock())
        except DBAPIError as exc:
            self._say(self._fault_text(exc))

    def _log_press(self, reminder_id: int | None, line: str, now: datetime) -> None:
        self.say(f"tracker remind: {line}")
        try:
            record(self.engine, reminder_id, line, [Result("button", True)], now)
        except DBAPIError as exc:
            self._say(self._fault_text(exc))

    def next_wakeup(self, session: Session, now: datetime) -> datetime | None:
        from tracker.services.contacts import all_contacts

        times = []
        heads_up = self.heads_up()
        delays = {c.id: c.after_minutes for c in all_contacts(session)}
        for child in plans.all_children(session):
            try:
                _, infos = self._slots(session, child, now)
            except NotFound:
                continue
            sent = self._sent(session, child, now - timedelta(days=3))
            nxt = planner.next_wakeup(infos, sent, now, self.follow_up, heads_up)
            if nxt:
                times.append(nxt)
            times += [when for _, _, when in planner.contacts_to_tell(infos, delays, sent)
                      if when > now]
        return min(times, default=None)
