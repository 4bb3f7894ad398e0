"""Which reminders are due, as a plain function of the slots, what was sent, and `now`.

The database is the source of truth: each tick the service asks this planner what should
have fired by now and has not, so a service that slept, restarted or met a DST jump sends
what is still useful and nothing twice (every reminder has a unique key per slot).

For each slot without an entry:
- "heads-up" that many minutes before the dose time, when a caregiver asked for one,
- "due" at the dose time,
- "follow-up" after the follow-up delay, and "follow-up-2" after twice that,
- "missed" when the slot's window closes (do not double the next dose).
Only the latest of these that has come is sent (a machine waking up late sends one
coalesced reminder, not three), and a slot already closed when we wake is left alone
beyond a short grace: its "missed" notice is only useful near the moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from tracker.domain.schedule import Slot
from tracker.i18n import N_

FOLLOW_UP = timedelta(minutes=30)
MISSED_GRACE = timedelta(minutes=15)
KINDS = ("heads-up", "due", "follow-up", "follow-up-2", "missed")


class SlotInfo(NamedTuple):
    slot: Slot
    closes: datetime
    logged: bool


class Reminder(NamedTuple):
    key: str
    kind: str
    at: datetime  # when it was meant to fire
    slot: Slot


def key_for(slot: Slot, kind: str) -> str:
    return f"{slot.day.isoformat()}/{slot.label}/{kind}"


def schedule_for(
    info: SlotInfo, follow_up: timedelta = FOLLOW_UP, heads_up: timedelta | None = None
) -> list[tuple[str, datetime]]:
    """The reminders of one slot, in order (follow-ups only while the slot is open)."""
    slot, closes = info.slot, info.closes
    times = [("heads-up", slot.at - heads_up)] if heads_up else []
    times.append(("due", slot.at))
    for n, kind in ((1, "follow-up"), (2, "follow-up-2")):
        at = slot.at + n * follow_up
        if at < closes:
            times.append((kind, at))
    times.append(("missed", closes))
    return times


def due_now(
    slots: list[SlotInfo],
    sent: set[str],
    now: datetime,
    follow_up: timedelta = FOLLOW_UP,
    quiet_until: datetime | None = None,
    heads_up: timedelta | None = None,
) -> list[Reminder]:
    """The reminders to send now: at most one per slot, the latest that has come."""
    out = []
    for info in slots:
        if info.logged:
            continue
        came = [(kind, at) for kind, at in schedule_for(info, follow_up, heads_up) if at <= now]
        if quiet_until is not None and now < quiet_until:
            came = [(k, at) for k, at in came if not k.startswith("follow-up")]
        if not came:
            continue
        kind, at = came[-1]
        if kind == "missed" and now - at > MISSED_GRACE:
            continue  # closed long ago (asleep, or the service was off): nothing useful
        key = key_for(info.slot, kind)
        if key in sent:
            continue
        out.append(Reminder(key, kind, at, info.slot))
    return out


def next_wakeup(
    slots: list[SlotInfo],
    sent: set[str],
    now: datetime,
    follow_up: timedelta = FOLLOW_UP,
    heads_up: timedelta | None = None,
) -> datetime | None:
    """The next moment a reminder could become due, to schedule the service's next run."""
    future = [
        at
        for info in slots
        if not info.logged
        for kind, at in schedule_for(info, follow_up, heads_up)
        if at > now and key_for(info.slot, kind) not in sent
    ]
    return min(future, default=None)


# why a desktop reminder was not seen, in the log of attempts, the service's log and doctor
# (`_(CANNOT_SHOW)` where a person reads it)
CANNOT_SHOW = N_("this computer cannot show notifications right now")

CONTACT_AFTER = 30  # minutes after a dose time a contact is told, unless they chose
CONTACT_AFTER_RANGE = (5, 240)  # sooner is before anyone could log it; later, it is closed


def contact_key(slot: Slot, contact_id: int) -> str:
    return f"{slot.day.isoformat()}/{slot.label}/contact{contact_id}"


def contacts_to_tell(
    slots: list[SlotInfo], delays: dict[int, int], sent: set[str]
) -> list[tuple[SlotInfo, int, datetime]]:
    """(slot, contact, when) for each contact not yet told about a slot still not logged,
    whose delay after the dose time falls while the slot is open (a missed dose is not
    made up, so no one is sent to give it). `delays` maps contact id to minutes."""
    return [
        (info, contact, info.slot.at + timedelta(minutes=after))
        for contact, after in delays.items()
        for info in slots
        if not info.logged
        and info.slot.at + timedelta(minutes=after) < info.closes
        and contact_key(info.slot, contact) not in sent
    ]
