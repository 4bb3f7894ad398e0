"""What should go out now, read from the log: the dose reminders, the daily supply note
and each contact's message, less what was sent already.

A read only. Nothing is claimed here (ledger.claim does that, in the tick's short
write), so planning never holds the log's write lock and can run as often as the tick
likes; the same read says when the service should next wake up.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from tracker import config, i18n
from tracker.db.models import ReminderSent
from tracker.db.state import get_state
from tracker.domain import reminders as planner
from tracker.domain.actions import Line
from tracker.errors import NotFound
from tracker.i18n import _
from tracker.reminders import messages
from tracker.reminders.say import notice
from tracker.services.views import briefing
from tracker.services.views.briefing import slots

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Child, Contact
    from tracker.services.views.plan import Plan

SENT_LOOKBACK = timedelta(days=3)  # longer than any slot's window and its follow-ups
ANSWERABLE = ("due", "follow-up", "follow-up-2")  # the missed notice has no buttons


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
    to_language: str | None = None  # the contact's language (None: the household's)

    @property
    def thread(self) -> str | None:
        """The dose a reminder on this desktop is about ("1/2026-11-24/19:30"): its later
        reminders take its place on screen, and logging the dose takes it away."""
        if self.slot_at is None or self.to_url is not None:
            return None
        return f"{self.child_id}/{self.key.rsplit('/', 1)[0]}"


def thread_slot(thread: str) -> tuple[int, date, str]:
    """The child, day and dose time a thread names."""
    child_id, day, label = thread.split("/")
    return int(child_id), date.fromisoformat(day), label


def quiet_until(session: Session) -> datetime | None:
    """The end of a snooze, if one is on."""
    value = get_state(session, "snooze_until")
    return datetime.fromisoformat(value) if value else None


def sent_keys(session: Session, child: Child, since: datetime) -> set[str]:
    return set(
        session.scalars(
            select(ReminderSent.key).where(
                ReminderSent.child_id == child.id, ReminderSent.fired_at >= since
            )
        )
    )


def due(session: Session, now: datetime, follow_up: timedelta,
        heads_up: timedelta | None) -> list[Planned]:
    """Everything that should go out now and was not sent yet."""
    out: list[Planned] = []
    quiet = quiet_until(session)
    contacts = {c.id: c for c in briefing.all_contacts(session)}  # once a pass, every child
    here = config.language()
    for child in briefing.children(session):
        try:
            plan, infos = slots(session, child, now)
        except NotFound:
            continue  # no prescription yet
        sent = sent_keys(session, child, now - SENT_LOOKBACK)
        # this computer's notifications in the caregiver's language (read each pass: a
        # running service follows `tracker config language`); each contact in their own
        with i18n.speaking(here):
            out += _doses(session, child, plan,
                          planner.due_now(infos, sent, now, follow_up, quiet, heads_up),
                          now, heads_up)
            out += _daily_supply(session, child, plan, infos, sent, now)
        out += _contacts(session, contacts, child, plan, infos, sent, now)
    return out


def _doses(session: Session, child: Child, plan: Plan, due: list[planner.Reminder],
           now: datetime, heads_up: timedelta | None) -> list[Planned]:
    """Each dose reminder due, with its briefing (briefing.doses decides what it says)."""
    said = briefing.doses(session, child, plan, [r.slot for r in due], now)
    out = []
    for r, brief in zip(due, said, strict=True):
        kind = (r.kind if r.kind != "heads-up" or heads_up is None
                else f"heads-up:{int(heads_up.total_seconds() // 60)}")
        title, body = messages.compose(kind, brief)
        out.append(Planned(child.id, r.key, r.kind, r.slot.at, title, body, brief.site,
                           brief.can_give))
    return out


def _contacts(
    session: Session,
    contacts: dict[int, Contact],
    child: Child,
    plan: Plan,
    infos: list[planner.SlotInfo],
    sent: set[str],
    now: datetime,
) -> list[Planned]:
    """Each contact whose moment to be told has come (planner.contacts_to_tell)."""
    delays = {c.id: c.after_minutes for c in contacts.values()}
    told = [(info, contacts[contact_id])
            for info, contact_id, when in planner.contacts_to_tell(infos, delays, sent)
            if when <= now < info.closes]  # not yet, or the slot has closed since: not now
    out = []
    for info, contact in told:
        # every word of it in the language the contact reads, times and numbers too
        with i18n.speaking(contact.language):
            (news,) = briefing.contacts(session, child, plan, [(info, contact)], now)
            title, body = messages.compose_contact(*news)
        out.append(Planned(child.id, planner.contact_key(info.slot, contact.id), "contact",
                           info.slot.at, title, body, to_name=contact.name,
                           to_url=contact.url, to_language=contact.language))
    return out


def _daily_supply(
    session: Session,
    child: Child,
    plan: Plan,
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
    warnings = briefing.supply(session, child, now)
    if not warnings:
        return []
    title = _("{name}: Increlex supply").format(name=child.name)
    return [Planned(child.id, key, "supply", None, title, notice(Line(" ").join(warnings)))]


def next_wakeup(session: Session, now: datetime, follow_up: timedelta,
                heads_up: timedelta | None) -> datetime | None:
    """When something is next due: a reminder, a follow-up or a contact's message."""
    times = []
    delays = {c.id: c.after_minutes for c in briefing.all_contacts(session)}
    for child in briefing.children(session):
        try:
            _unused, infos = slots(session, child, now)
        except NotFound:
            continue
        sent = sent_keys(session, child, now - SENT_LOOKBACK)
        nxt = planner.next_wakeup(infos, sent, now, follow_up, heads_up)
        if nxt:
            times.append(nxt)
        times += [when for _info, _contact, when in planner.contacts_to_tell(infos, delays, sent)
                  if when > now]
    return min(times, default=None)
