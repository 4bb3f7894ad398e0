"""One tick of the reminder service: find what is due, claim it once, send it, record it.

The database decides: a reminder is claimed by inserting its unique key before it is
sent, so a restart, a DST double fire or a second service cannot send it twice, and a
dose logged by anyone sharing the log silences its reminders. Sending happens outside
the database transaction so that the command line is never kept waiting by a slow
notification daemon.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.db.models import NotificationAttempt, ReminderSent, ServiceState
from tracker.db.session import transaction
from tracker.domain import guidance, schedule
from tracker.errors import NotFound
from tracker.reminders import messages, planner
from tracker.reminders.channels import Channel, Result, deliver
from tracker.services import plan as plans
from tracker.services.log import recent_symptoms, suggested_site
from tracker.services.status import slot_views
from tracker.services.supply import SupplyReport

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.db.models import Child


class Outgoing(NamedTuple):
    reminder_id: int
    title: str
    body: str


def get_state(session: Session, name: str) -> str | None:
    row = session.get(ServiceState, name)
    return row.value if row else None


def set_state(session: Session, name: str, value: str, now: datetime) -> None:
    row = session.get(ServiceState, name)
    if row is None:
        session.add(ServiceState(name=name, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


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
                    title=title,
                )
            )


class ReminderService:
    def __init__(
        self, engine: Engine, channels: list[Channel], follow_up: timedelta = planner.FOLLOW_UP
    ) -> None:
        self.engine = engine
        self.channels = channels
        self.follow_up = follow_up

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

    def _claim(
        self,
        session: Session,
        child: Child,
        key: str,
        kind: str,
        slot_at: datetime | None,
        title: str,
        body: str,
        now: datetime,
    ) -> Outgoing | None:
        row = ReminderSent(
            child_id=child.id,
            key=key,
            kind=kind,
            slot_at=slot_at,
            fired_at=now,
            title=title,
            body=body,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return None  # another tick or service claimed it first
        return Outgoing(row.id, title, body)

    def due(self, session: Session, now: datetime) -> list[Outgoing]:
        out: list[Outgoing] = []
        quiet = quiet_until(session)
        for child in plans.all_children(session):
            try:
                plan, infos = self._slots(session, child, now)
            except NotFound:
                continue  # no prescription yet
            sent = self._sent(session, child, now - timedelta(days=3))
            site = suggested_site(session, child)
            due = planner.due_now(infos, sent, now, self.follow_up, quiet)
            # the same checks as status and give, before the injection
            stop = plan.problems if due else []
            hold = guidance.hold_next_dose(recent_symptoms(session, child, now), now) if due else []
            for r in due:
                nxt = schedule.next_slot_after(r.slot, plan.times, plan.zone)
                title, body = messages.compose(
                    r.kind,
                    child.name,
                    r.slot.label,
                    plan.draw.describe(),
                    site,
                    nxt.label,
                    stop=stop,
                    hold=hold,
                )
                claimed = self._claim(session, child, r.key, r.kind, r.slot.at, title, body, now)
                if claimed:
                    out.append(claimed)
            out += self._daily_supply(session, child, plan, infos, sent, now)
        return out

    def _daily_supply(
        self,
        session: Session,
        child: Child,
        plan: plans.Plan,
        infos: list[planner.SlotInfo],
        sent: set[str],
        now: datetime,
    ) -> list[Outgoing]:
        """Once a day, at the first dose time: the vial's discard day and the stock."""
        today = now.astimezone(plan.zone).date()
        first = min((i.slot for i in infos if i.slot.day == today), default=None)
        key = f"{today.isoformat()}/supply"
        if first is None or now < first.at or key in sent:
            return []
        warnings = SupplyReport(session, child, now).warnings()
        if not warnings:
            return []
        claimed = self._claim(
            session,
            child,
            key,
            "supply",
            None,
            f"{child.name}: Increlex supply",
            " ".join(warnings),
            now,
        )
        return [claimed] if claimed else []

    def tick(self, now: datetime) -> list[tuple[Outgoing, list[Result]]]:
        """Send what is due now; never raises for a failed notification."""
        with transaction(self.engine, write=True) as session:
            outgoing = self.due(session, now)
            set_state(session, "heartbeat", now.isoformat(), now)
        done = []
        for item in outgoing:
            results = deliver(self.channels, item.title, item.body)
            record(self.engine, item.reminder_id, item.title, results, now)
            done.append((item, results))
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
        return done

    def next_wakeup(self, session: Session, now: datetime) -> datetime | None:
        times = []
        for child in plans.all_children(session):
            try:
                _, infos = self._slots(session, child, now)
            except NotFound:
                continue
            sent = self._sent(session, child, now - timedelta(days=3))
            nxt = planner.next_wakeup(infos, sent, now, self.follow_up)
            if nxt:
                times.append(nxt)
        return min(times, default=None)
