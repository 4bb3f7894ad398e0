"""Dose slots: where the prescribed wall-clock times fall as instants.

Dose times are kept as local wall-clock times ("07:30") plus the child's IANA zone, so that
a DST change or a trip moves the instant and not the habit. Every rule here is a plain
function of its arguments: callers pass `now`.

The one rule for a night the clocks change, applied by `localize` and so by the plan,
history, every export and the report:
- a time the clocks skip (02:15 on Lord Howe Island, where 02:00 becomes 02:30) is moved
  forward by the length of the gap, to 02:45, the instant RFC 5545 gives it too;
- a time that happens twice when the clocks go back is taken the first time.
Either way the slot keeps its identity, its local date and prescribed time ("the 02:15
dose of 4 October"), from missed to given and in every file; `Slot.name` says where the
clock puts it that night.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tracker.errors import InputError
from tracker.i18n import _
from tracker.i18n.formats import clock

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
    clock: str = ""  # on a night the clocks change: where this slot falls (clock_note)

    @property
    def label(self) -> str:
        """The slot's identity within its day: the prescribed time, whatever the clocks do."""
        return self.time.strftime("%H:%M")

    @property
    def name(self) -> str:
        """The slot as a person reads it: "07:30", or "02:15 (clocks forward: 02:45)"."""
        return f"{self.label} ({self.clock})" if self.clock else self.label


class SlotStatus(StrEnum):
    GIVEN = "given"
    WITHHELD = "withheld"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"


def parse_time_of_day(text: str) -> time:
    m = _TIME_RE.match(text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise InputError(_("{typed!r} is not a time of day: use HH:MM, e.g. 07:30").format(
            typed=text))
    return time(int(m.group(1)), int(m.group(2)))


def parse_times(text: str) -> tuple[time, ...]:
    """'07:30,19:30' -> sorted dose times, at least two hours apart."""
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    if not parts:
        raise InputError(_("give at least one dose time, like 07:30,19:30"))
    times = sorted({parse_time_of_day(p) for p in parts})
    if len(times) > 4:
        raise InputError(_("at most four dose times a day"))
    minutes = [t.hour * 60 + t.minute for t in times]
    # the gap across midnight too (a single time is 24 h from itself)
    gaps = [b - a for a, b in pairwise(minutes)] + [minutes[0] + 24 * 60 - minutes[-1]]
    if any(g < MIN_GAP.total_seconds() / 60 for g in gaps):
        raise InputError(_("dose times {times} are less than two hours apart").format(
                             times=format_times(times)))
    return tuple(times)


def format_times(times: tuple[time, ...] | list[time]) -> str:
    return ",".join(t.strftime("%H:%M") for t in times)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        raise InputError(
            _("unknown time zone {typed!r}: use an IANA name such as Europe/Paris or "
              "America/New_York").format(typed=name)
        ) from None


def localize(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date (gap: forward; overlap: first).

    zoneinfo with fold=0 reads a skipped time with the offset before the gap, which is
    the time moved forward by the gap, and a repeated time with its first offset."""
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


class ClockChange(NamedTuple):
    """What a change of the clocks does to a dose time on one day."""

    kind: str  # "forward": the time is skipped; "back": it happens twice
    clock: time  # the wall time the slot falls at (the first of two when going back)


def clock_change(day: date, at: time, zone: ZoneInfo) -> ClockChange | None:
    """How the clocks move this dose time on this day, or None on (almost) every day."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    if first.utcoffset() == naive.replace(tzinfo=zone, fold=1).utcoffset():
        return None
    shown = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if shown != naive:
        return ClockChange("forward", shown.time())
    return ClockChange("back", at)


def clock_note(change: ClockChange | None) -> str:
    """The words beside a slot's time on the night the clocks change ("" on other days)."""
    if change is None:
        return ""
    if change.kind == "forward":
        return _("clocks forward: {time}").format(time=clock(change.clock))
    # TRANSLATORS: on the night the clocks go back, a time happens twice: the first one
    return _("clocks back: the first {time}").format(time=clock(change.clock))


def slot_name(day: date, at: time, zone: ZoneInfo) -> str:
    """A slot as a person reads it, from its identity (for a logged dose's day and time)."""
    return Slot(localize(day, at, zone), day, at, clock_note(clock_change(day, at, zone))).name


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
    return [Slot(localize(day, t, zone), day, t, clock_note(clock_change(day, t, zone)))
            for t in times]


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
        # TRANSLATORS: a duration in days and hours, abbreviated (2 d 3 h)
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        # TRANSLATORS: a duration in hours and minutes, abbreviated (4 h 05 min)
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")
    return _("{minutes} min").format(minutes=minutes)


def minutes_late(given_at: datetime, slot: Slot) -> int:
    """Signed minutes from the scheduled time (negative: early)."""
    return round((given_at - slot.at).total_seconds() / 60)
