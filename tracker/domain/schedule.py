"""Dose slots: where the prescribed wall-clock times fall as instants.

Dose times are kept as local wall-clock times ("07:30") plus the child's IANA zone, so that
a DST change or a trip moves the instant and not the habit. A time that does not exist on
a spring-forward day is shifted forward by the gap (02:30 becomes 03:30); a time that
happens twice on a fall-back day is taken at its first occurrence. Every rule here is a
plain function of its arguments: callers pass `now`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tracker.errors import InputError

DEFAULT_TIMES = "07:30,19:30"
DUE_BEFORE = timedelta(hours=1)  # a slot shows as "due" from an hour before its time
LATE_AFTER = timedelta(hours=1)  # a dose given later than this counts as late
MISSED_AFTER = timedelta(hours=4)  # ...and the slot closes as missed after this,
# or halfway to the next slot if that comes sooner, so every moment belongs to one slot.
MIN_GAP = timedelta(hours=2)

_TIME_RE = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


class Slot(NamedTuple):
    """One scheduled dose: a local date and wall-clock time, and the instant they mean.

    (NamedTuples rather than dataclasses on the start-up path: a dataclass costs ~0.7 ms
    to create, and every command pays it.)
    """

    at: datetime  # UTC; first so that slots sort by instant
    day: date
    time: time

    @property
    def label(self) -> str:
        return self.time.strftime("%H:%M")


class SlotStatus(StrEnum):
    GIVEN = "given"
    WITHHELD = "withheld"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"


def parse_time_of_day(text: str) -> time:
    m = _TIME_RE.match(text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise InputError(f"{text!r} is not a time of day: use HH:MM, e.g. 07:30")
    return time(int(m.group(1)), int(m.group(2)))


def parse_times(text: str) -> tuple[time, ...]:
    """'07:30,19:30' -> sorted dose times, at least two hours apart."""
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    if not parts:
        raise InputError("give at least one dose time, like 07:30,19:30")
    times = sorted({parse_time_of_day(p) for p in parts})
    if len(times) > 4:
        raise InputError("at most four dose times a day")
    minutes = [t.hour * 60 + t.minute for t in times]
    # the gap across midnight too (a single time is 24 h from itself)
    gaps = [b - a for a, b in pairwise(minutes)] + [minutes[0] + 24 * 60 - minutes[-1]]
    if any(g < MIN_GAP.total_seconds() / 60 for g in gaps):
        raise InputError(f"dose times {format_times(times)} are less than two hours apart")
    return tuple(times)


def format_times(times: tuple[time, ...] | list[time]) -> str:
    return ",".join(t.strftime("%H:%M") for t in times)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        raise InputError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Paris or America/New_York"
        ) from None


def localize(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date (gap: forward; overlap: first)."""
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


# The days a period may reach: "--from 0001-01-01" or "--to 9999-12-31" mean "from the
# beginning" and "to the end", and a few days inside Python's calendar leave room to look
# an offset or a margin either side without leaving it.
FIRST_DAY = date(1, 1, 10)
LAST_DAY = date(9999, 12, 20)


def day_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants from the start of local day `start` to the end of `end` (exclusive)."""
    start, end = max(start, FIRST_DAY), min(end, LAST_DAY)
    return localize(start, time(0), zone), localize(end + timedelta(days=1), time(0), zone)


def local_time_exists(naive: datetime, zone: ZoneInfo) -> bool:
    back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == naive


def slots_on(day: date, times: tuple[time, ...], zone: ZoneInfo) -> list[Slot]:
    return [Slot(at=localize(day, t, zone), day=day, time=t) for t in times]


def slots_around(at: datetime, times: tuple[time, ...], zone: ZoneInfo, days: range) -> list[Slot]:
    """Slots on the local days around the local date of `at` (offsets in `days`)."""
    base = at.astimezone(zone).date()
    return [s for d in days for s in slots_on(base + timedelta(days=d), times, zone)]


def nearest_slot(
    at: datetime, times: tuple[time, ...], zone: ZoneInfo, days: range = range(-1, 1)
) -> Slot:
    """The slot an injection at `at` belongs to: the nearest of yesterday's and today's.

    On a tie the earlier slot wins: a dose halfway between two slots is a late dose,
    not an early one.
    """
    return min(slots_around(at, times, zone, days), key=lambda s: (abs(s.at - at), s.at))


def next_slot_after(slot: Slot, times: tuple[time, ...], zone: ZoneInfo) -> Slot:
    later = [s for s in slots_around(slot.at, times, zone, range(0, 2)) if s.at > slot.at]
    return min(later)


def closes_at(slot: Slot, next_slot: Slot) -> datetime:
    """When an unlogged slot counts as missed."""
    return min(slot.at + MISSED_AFTER, slot.at + (next_slot.at - slot.at) / 2)


def status_of(slot: Slot, closes: datetime, logged: str | None, now: datetime) -> SlotStatus:
    if logged == "given":
        return SlotStatus.GIVEN
    if logged == "withheld":
        return SlotStatus.WITHHELD
    if now >= closes:
        return SlotStatus.MISSED
    if now >= slot.at - DUE_BEFORE:
        return SlotStatus.DUE
    return SlotStatus.UPCOMING


def format_span(minutes: int) -> str:
    """'55 min', '4 h 05 min', '2 d 3 h': how long, as a parent reads it."""
    days, minutes = divmod(abs(minutes), 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def minutes_late(given_at: datetime, slot: Slot) -> int:
    """Signed minutes from the scheduled time (negative: early)."""
    return round((given_at - slot.at).total_seconds() / 60)
