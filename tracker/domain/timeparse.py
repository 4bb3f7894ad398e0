"""Reading the times and dates parents type.

Parents type '07:40', 'yesterday 19:30', '2026-11-20 07:35', '20 min ago' or 'now'; all
are read in the child's time zone. A bare time means its most recent occurrence when
logging something that happened (so at 06:00, '19:30' is last night), and today's when
naming a slot. Times that do not exist (a spring-forward gap, 25:00, 30 February) are
refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain import typed
from tracker.domain.schedule import local_time_exists, parse_time_of_day
from tracker.errors import InputError

FUTURE_TOLERANCE = timedelta(minutes=5)

_AGO_RE = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)\s+ago$")
_AMPM_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str, today: date) -> date:
    """A day as people write it (2026-11-20, 20/11/2026, 20 Nov 2026, today, yesterday);
    one that reads two ways (12/06/2019) is refused, naming both."""
    return typed.one_date(text, today)


def parse_period(
    from_text: str | None,
    to_text: str | None,
    today: date,
    *,
    end: date,
    start: Callable[[date], date],
) -> tuple[date, date]:
    """A closed period from --from and --to (both inclusive), each falling back to its
    command's default: `end` as given, the start as a function of the end reached (90 days
    before it, say)."""
    last = parse_date(to_text, today) if to_text else end
    first = parse_date(from_text, today) if from_text else start(last)
    if first > last:
        raise InputError(f"--from {first} is after --to {last}")
    return first, last


def _clock(text: str) -> tuple[int, int]:
    m = _AMPM_RE.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InputError(f"{text!r} is not a time of day")
        return hour % 12 + (12 if m.group(3) == "pm" else 0), minute
    t = parse_time_of_day(text)
    return t.hour, t.minute


def _instant(day: date, hm: tuple[int, int], zone: ZoneInfo, text: str) -> datetime:
    naive = datetime(day.year, day.month, day.day, hm[0], hm[1])
    if not local_time_exists(naive, zone):
        raise InputError(
            f"{text!r} does not exist in {zone.key}: the clocks skipped that hour on {day}"
        )
    return naive.replace(tzinfo=zone).astimezone(UTC)


def parse_when(text: str, now: datetime, zone: ZoneInfo, *, past: bool = True) -> datetime:
    """An instant (UTC) from what a parent typed, read in the child's zone.

    `past` reads a bare time as its latest occurrence up to now; otherwise as today's.
    """
    s = " ".join(text.strip().lower().split())
    if s in ("now", ""):
        return now
    m = _AGO_RE.match(s)
    if m:
        n = int(m.group(1))
        return now - (timedelta(hours=n) if m.group(2).startswith("h") else timedelta(minutes=n))
    today = now.astimezone(zone).date()
    words = s.split(" ")
    if words[0] in ("today", "yesterday", "tomorrow") and len(words) == 2:
        day = today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[words[0]])
        return _instant(day, _clock(words[1]), zone, text)
    if _DATE_RE.match(words[0]) and len(words) == 2:
        return _instant(parse_date(words[0], today), _clock(words[1]), zone, text)
    if len(words) == 1 and "t" in s and _DATE_RE.match(s[:10]):  # 2026-11-20T07:35[+01:00]
        return _iso_instant(text, zone)
    if len(words) == 1 and _DATE_RE.match(s):
        raise InputError(f"{text!r} has no time: add one, e.g. '{s} 07:30'")
    hm = _clock(s)
    when = _instant(today, hm, zone, text)
    if past and when > now + FUTURE_TOLERANCE:
        when = _instant(today - timedelta(days=1), hm, zone, text)
    return when


def _iso_instant(text: str, zone: ZoneInfo) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise InputError(f"{text!r} is not a date and time that exists") from None
    if value.tzinfo is None:
        if not local_time_exists(value, zone):
            raise InputError(f"{text!r} does not exist in {zone.key}: the clocks skipped it")
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def refuse_future(when: datetime, now: datetime, what: str = "that time") -> None:
    if when > now + FUTURE_TOLERANCE:
        raise InputError(f"{what} is in the future: log things after they happen")
