"""The child's time zone as a VTIMEZONE that calendar programs read right.

icalendar writes a zone as long lists of RDATEs (1970-2038). Mozilla's ical.js (Thunderbird,
Nextcloud) misreads that form and puts every dose after a DST change an hour off (measured:
a 07:30 Paris dose read as 08:30 in summer). The usual form, one STANDARD and one DAYLIGHT
rule repeating yearly, is read right by ical.js, libical and the Python readers alike.

The yearly rule comes from the zone's own data: the POSIX TZ string at the end of its TZif
file ("CET-1CEST,M3.5.0,M10.5.0/3"), which is the rule the zone follows from its last
recorded change on. Before use it is checked against zoneinfo over the whole exported
period; a zone whose changes a yearly rule cannot say (Morocco's Ramadan, a rule changed
within the period) gets one observance per change over that period instead.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple, TypedDict
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Timezone

_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?\d{1,2}(?::\d{2}){0,2})"
_RULE = r"M(\d{1,2})\.(\d)\.(\d)(?:/([+-]?\d{1,3}(?::\d{2}){0,2}))?"
_POSIX = re.compile(rf"^{_NAME}{_OFFSET}(?:{_NAME}{_OFFSET}?,{_RULE},{_RULE})?$")


class RRule(TypedDict, total=False):
    """A yearly RRULE's parts, as icalendar writes them."""

    freq: str
    bymonth: int
    byday: str
    bymonthday: list[int]


class Change(NamedTuple):
    """One yearly change: to `offset_to` from `offset_from`, by an RRULE, first at `first`."""

    name: str
    offset_from: timedelta
    offset_to: timedelta
    first: datetime  # local wall time of the first change (naive)
    rrule: RRule


def posix_rule(key: str) -> str | None:
    """The POSIX TZ string at the end of the zone's TZif file, where it can be found."""
    candidates = [os.path.join(d, key) for d in zoneinfo.TZPATH]
    try:
        from importlib import resources

        candidates.append(str(resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))))
    except (ModuleNotFoundError, ValueError):
        pass
    for path in candidates:
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                lines = fh.read().rstrip(b"\n").rsplit(b"\n", 1)
            return lines[-1].decode("ascii", "replace") if len(lines) == 2 else None
    return None


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")]
    return sign * sum(p * m for p, m in zip(parts, (3600, 60, 1), strict=False))


def _change(name: str, before: timedelta, after: timedelta, rule: tuple[str, ...],
            year: int) -> Change | None:
    """A change on the n-th weekday of a month, at a wall time that may run past midnight
    (Israel: the Friday after the 4th Thursday, "M3.4.4/26")."""
    month, week, weekday = int(rule[0]), int(rule[1]), int(rule[2])
    at = _seconds(rule[3]) if rule[3] else 7200
    shift, rest = divmod(at, 86400)
    day = (weekday + shift) % 7
    length = monthrange(2001, month)[1]  # February varies: refused below when it matters
    if week == 5:
        first, last = length - 6 + shift, length + shift
        if month == 2 and shift:
            return None
    else:
        first, last = (week - 1) * 7 + 1 + shift, week * 7 + shift
    if first < 1 or last > length:
        return None
    rrule: RRule = {"freq": "yearly", "bymonth": month, "byday": _DAYS[day]}
    if shift or week != 5:
        rrule["bymonthday"] = list(range(first, last + 1))
    else:
        rrule["byday"] = f"-1{_DAYS[day]}"
    # the first occurrence in `year`
    for d in range(first, last + 1):
        when = date(year, month, d)
        if (when.weekday() + 1) % 7 == day:
            clock = (datetime.min + timedelta(seconds=rest)).time()
            return Change(name, before, after, datetime.combine(when, clock), rrule)
    return None


def yearly_changes(key: str, year: int) -> list[Change] | None:
    """The zone's rule as STANDARD/DAYLIGHT changes from `year` on, or None if unreadable."""
    text = posix_rule(key)
    m = _POSIX.match(text or "")
    if not m:
        return None
    std_name, std_off, dst_name, dst_off, *rules = m.groups()
    std = timedelta(seconds=-_seconds(std_off))
    if dst_name is None:
        return [Change(std_name.strip("<>"), std, std, datetime(year, 1, 1), {})]
    dst = timedelta(seconds=-_seconds(dst_off)) if dst_off else std + timedelta(hours=1)
    to_dst = _change(dst_name.strip("<>"), std, dst, tuple(rules[:4]), year)
    to_std = _change(std_name.strip("<>"), dst, std, tuple(rules[4:]), year)
    if to_dst is None or to_std is None:
        return None
    return [to_dst, to_std]


def _offset_by_rule(changes: list[Change], at: datetime) -> timedelta:
    """What the yearly rule says the offset is at a UTC instant (checked against zoneinfo)."""
    if len(changes) == 1:
        return changes[0].offset_to
    best: tuple[datetime, timedelta] | None = None
    for year in (at.year - 1, at.year, at.year + 1):
        for c in changes:
            moved = _occurrence(c, year)
            if moved is None:
                continue
            instant = (moved - c.offset_from).replace(tzinfo=UTC)
            if instant <= at and (best is None or instant > best[0]):
                best = (instant, c.offset_to)
    return best[1] if best else changes[-1].offset_to


def _occurrence(c: Change, year: int) -> datetime | None:
    month = c.rrule["bymonth"]
    days = c.rrule.get("bymonthday") or list(range(monthrange(year, month)[1] - 6,
                                                   monthrange(year, month)[1] + 1))
    target = _DAYS.index(str(c.rrule["byday"])[-2:])
    for d in days:
        when = date(year, month, d)
        if (when.weekday() + 1) % 7 == target:
            return datetime.combine(when, c.first.time())
    return None


def matches_zoneinfo(key: str, changes: list[Change], start: date, end: date) -> bool:
    """Does the yearly rule give zoneinfo's offset at every hour around every change, and at
    every noon, from `start` to `end`?"""
    zone = ZoneInfo(key)
    at = datetime.combine(start, time(12), tzinfo=UTC)
    stop = datetime.combine(end, time(12), tzinfo=UTC)
    while at <= stop:
        for step in (0, 3, 6, 9, 12, 15, 18, 21):
            moment = at + timedelta(hours=step)
            real = moment.astimezone(zone).utcoffset()
            if real != _offset_by_rule(changes, moment):
                return False
        at += timedelta(days=1)
    return True


def component(key: str, start: date, end: date) -> Timezone | None:
    """A VTIMEZONE with yearly rules for `key`, valid from `start` to `end`; None when the
    zone's changes cannot be said by a yearly rule over that period."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    changes = yearly_changes(key, start.year - 1)
    if changes is None or not matches_zoneinfo(key, changes, start, end):
        return None
    tz = Timezone()
    tz.add("tzid", key)
    for c in changes:
        part = TimezoneDaylight() if c.offset_to > c.offset_from else TimezoneStandard()
        if len(changes) == 1:
            part = TimezoneStandard()
        part.add("tzname", c.name)
        part.add("dtstart", c.first)
        part.add("tzoffsetfrom", c.offset_from)
        part.add("tzoffsetto", c.offset_to)
        if c.rrule:
            part.add("rrule", c.rrule)
        tz.add_component(part)
    return tz


def transitions(key: str, start: date, end: date) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC instant, offset before, offset after) of every change from `start` to `end`,
    found by stepping a day at a time and narrowing to the minute."""
    zone = ZoneInfo(key)

    def offset(at: datetime) -> timedelta:
        value = at.astimezone(zone).utcoffset()
        return value if value is not None else timedelta(0)

    found = []
    at = datetime.combine(start, time(0), tzinfo=UTC)
    stop = datetime.combine(end, time(0), tzinfo=UTC)
    while at < stop:
        nxt = at + timedelta(days=1)
        before, after = offset(at), offset(nxt)
        if before != after:
            lo, hi = at, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if offset(mid) == before else (lo, mid)
            found.append((hi.replace(second=0, microsecond=0), before, after))
        at = nxt
    return found


def change_days(zone: ZoneInfo, start: date, end: date) -> list[date]:
    """The local days from `start` to `end` whose wall clock skips or repeats some time."""
    days: set[date] = set()
    for at, before, after in transitions(zone.key, start - timedelta(days=1),
                                         end + timedelta(days=2)):
        days.update((at + before).date() for at in (at, at + after - before))
    return sorted(d for d in days if start <= d <= end)


def explicit_component(key: str, start: date, end: date) -> Timezone:
    """The zone as one observance per change over the period: no RRULE, no RDATE list.

    For zones a yearly rule cannot say. Each change is its own STANDARD or DAYLIGHT with a
    single DTSTART, the plainest form RFC 5545 has, which ical.js reads right (it misreads
    icalendar's RDATE lists).
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(key)
    first = datetime.combine(start, time(0), tzinfo=UTC)
    initial = first.astimezone(zone).utcoffset() or timedelta(0)
    tz = Timezone()
    tz.add("tzid", key)
    begin = TimezoneStandard()
    begin.add("tzname", first.astimezone(zone).tzname() or key)
    begin.add("dtstart", (first + initial).replace(tzinfo=None))
    begin.add("tzoffsetfrom", initial)
    begin.add("tzoffsetto", initial)
    tz.add_component(begin)
    for at, before, after in transitions(key, start, end):
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("tzname", at.astimezone(zone).tzname() or key)
        part.add("dtstart", (at + before).replace(tzinfo=None))
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        tz.add_component(part)
    return tz
