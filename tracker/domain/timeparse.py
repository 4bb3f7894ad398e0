"""Reading the times and dates parents type: one reader for every option.

Parents type '07:40', '7:40pm', 'yesterday 19:30', '2026-11-20 07:35', '20/11/2026 07:35',
'20 Nov 2026 7:35 pm', '20 min ago' or 'now'; all are read in the child's time zone, and
a date in any of the forms the README promises (ISO, day first as written outside the
United States, month first in it, or in words). A bare time means its most recent
occurrence when logging something that happened (so at 06:00, '19:30' is last night),
and today's when naming a slot. Where a start is asked (a prescription's, the
treatment's), a date alone means the start of that day; where an event is logged it
needs its time. An expiry printed as a month (2027-03, 03/2027, March 2027) means the
end of that month. Times that do not exist (a spring-forward gap, 25:00, 30 February)
are refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain import typed
from tracker.domain.schedule import day_bounds, local_time_exists, parse_time_of_day
from tracker.errors import InputError
from tracker.i18n import _, pgettext
from tracker.i18n.formats import day as shown_day

FUTURE_TOLERANCE = timedelta(minutes=5)

_AGO_RE = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)\s+ago$")
_AMPM_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# what can only be meant as a time of day (so an impossible one is said as such)
_TIME_SHAPED = re.compile(r"^\d{1,2}[:.h]\d{1,2}(am|pm)?$|^\d{1,2}(am|pm)$")
_MONTH_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{4}|\d{2})$")  # 03/2027, or 03/27 on a box
_MONTH_WORDS = re.compile(r"^([a-z]+)\.?[ -](\d{4}|\d{2})$")  # March 2027, MAR 27, Mar-27
_EXPIRY_WORD = re.compile(r"^(exp(iry|ires|iration)?|use by)\b[.:]?\s*", re.I)
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
Zone = ZoneInfo | str | None


# Where 12/06 is the 6th of December, by the time zone's country (zone.tab): the United
# States, and Puerto Rico, which zone.tab files apart (America/Puerto_Rico was month-first
# here when a list of zones decided it).
MONTH_FIRST = frozenset({"US", "PR"})


def day_first(zone: Zone) -> bool:
    """Whether 12/06 is the 12th of June: everywhere but the United States (every zone
    zone.tab files under US, America/Menominee too) and Puerto Rico."""
    from tracker.domain.meter_units import country_of

    key = zone.key if isinstance(zone, ZoneInfo) else zone
    return key is None or country_of(key) not in MONTH_FIRST


def relative_day(text: str) -> int | None:
    """Days from today for "today", "yesterday", "tomorrow", in English or as the language
    spoken types them ("hier", "gestern", "ayer"); None for anything else."""
    s = " ".join(text.strip().casefold().split())
    if s in RELATIVE_DAYS:
        return RELATIVE_DAYS[s]
    # TRANSLATORS: a day as typed at a prompt (lower case): today, yesterday, tomorrow
    local = {pgettext("typed day", "today").casefold(): 0,
             pgettext("typed day", "yesterday").casefold(): -1,
             pgettext("typed day", "tomorrow").casefold(): 1}
    return local.get(s)


def parse_date(text: str, today: date, zone: Zone = None) -> date:
    """A day as people write it (2026-11-20, 20/11/2026, 20 Nov 2026, today, yesterday,
    and in the language spoken: 19 novembre 2026, hier); one that reads two ways
    (12/06/2019) is refused, naming both."""
    offset = relative_day(text)
    if offset is not None:
        return today + timedelta(days=offset)
    return typed.one_date(text, today, day_first=day_first(zone))


def _century(year: str) -> int:
    """A year printed on a box: two digits are this century's (27 is 2027)."""
    return int(year) if len(year) == 4 else 2000 + int(year)


def parse_expiry(text: str, today: date, zone: Zone = None) -> date:
    """An expiry as printed on a box: a day, or a month (2027-03, 03/2027, 03/27, March
    2027, MAR 27), which means the last day of that month. A box prints MM/YY, so 03/27
    is March 2027 here, never the 3rd of something."""
    import calendar

    text = _EXPIRY_WORD.sub("", text.strip()) or text  # copied from the box with its label
    s = " ".join(text.lower().replace(",", " ").split())
    year = month = None
    for pattern, y, m in ((_MONTH_ISO, 1, 2), (_MONTH_NUMERIC, 2, 1)):
        found = pattern.match(s)
        if found:
            year, month = _century(found.group(y)), int(found.group(m))
    words = _MONTH_WORDS.match(s) or typed.LOCAL_MONTH.match(s)  # March 2027, mars 2027
    named = typed.month_number(words.group(1)) if words else None
    if words and named:
        year, month = _century(words.group(2)), named
    if year is not None and month is not None:
        if not 1 <= month <= 12:
            raise InputError(_("{typed!r} is not a month that exists: check it").format(
                typed=text.strip()))
        return date(year, month, calendar.monthrange(year, month)[1])
    if relative_day(s) is not None:
        return parse_date(s, today)
    # a two-digit year on a box is never a past century's (27 is 2027): read from the end
    # of the calendar, where a birth date's is read from today (19 is 2019, 27 is 1927)
    return typed.one_date(text, date.max, day_first=day_first(zone))


def parse_period(
    from_text: str | None,
    to_text: str | None,
    today: date,
    *,
    end: date,
    start: Callable[[date], date],
    zone: Zone = None,
) -> tuple[date, date]:
    """A closed period from --from and --to (both inclusive), each falling back to its
    command's default: `end` as given, the start as a function of the end reached (90 days
    before it, say)."""
    last = parse_date(to_text, today, zone) if to_text else end
    first = parse_date(from_text, today, zone) if from_text else start(last)
    in_order(first, last)
    return first, last


def in_order(first: date | None, last: date | None) -> None:
    """A period's first day must not come after its last (an open end always fits)."""
    if first is not None and last is not None and first > last:
        raise InputError(_("the period's first day ({first}) is after its last ({last})").format(
            first=shown_day(first), last=shown_day(last)))


def _clock(text: str) -> tuple[int, int]:
    m = _AMPM_RE.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InputError(_("{typed!r} is not a time of day").format(typed=text))
        return hour % 12 + (12 if m.group(3) == "pm" else 0), minute
    t = parse_time_of_day(text)
    return t.hour, t.minute


def _instant(day: date, hm: tuple[int, int], zone: ZoneInfo, text: str) -> datetime:
    naive = datetime(day.year, day.month, day.day, hm[0], hm[1])
    if not local_time_exists(naive, zone):
        raise InputError(
            # TRANSLATORS: {zone} is a time zone's name (Europe/Paris)
            _("{typed!r} does not exist in {zone}: the clocks skipped that hour on {day}").format(
                typed=text, zone=zone.key, day=shown_day(day))
        )
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _ago(typed: str) -> timedelta | None:
    """"20 min ago", "2 h ago", and the same as the reader's language says it ("il y a
    20 min", "vor 2 Std.")."""
    m = _AGO_RE.match(typed)
    if m:
        n = int(m.group(1))
        return timedelta(hours=n) if m.group(2).startswith("h") else timedelta(minutes=n)
    # TRANSLATORS: a time typed as minutes before now; keep {n} (the number typed)
    for unit, said in (("minutes", pgettext("typed time", "{n} min ago")),
                       # TRANSLATORS: a time typed as hours before now; keep {n}
                       ("hours", pgettext("typed time", "{n} h ago"))):
        shape = re.escape(" ".join(said.casefold().split())).replace(r"\{n\}", r"(\d{1,4})")
        found = re.fullmatch(shape.replace(r"\ ", r"\s*"), typed)
        if found:
            return timedelta(**{unit: int(found.group(1))})
    return None


def parse_when(text: str, now: datetime, zone: ZoneInfo, *, past: bool = True,
               date_alone: bool = False) -> datetime:
    """An instant (UTC) from what a parent typed, read in the child's zone.

    `past` reads a bare time as its latest occurrence up to now; otherwise as today's.
    `date_alone` lets a date without a time mean the start of that day (a start being
    asked); otherwise it is refused with an example.
    """
    s = " ".join(text.strip().lower().split())
    # TRANSLATORS: "now" as typed at a prompt for a time (lower case)
    if s in ("now", "") or s == pgettext("typed time", "now").casefold():
        return now
    ago = _ago(s)
    if ago is not None:
        return now - ago
    if " " not in s and "t" in s and _DATE_RE.match(s[:10]):  # 2026-11-20T07:35[+01:00]
        return _iso_instant(text, zone)
    today = now.astimezone(zone).date()
    words = s.split(" ")
    if len(words) > 1 and words[-1] in ("am", "pm"):  # "7:40 pm" as one time
        words[-2:] = [words[-2] + words[-1]]
    try:
        hm: tuple[int, int] | None = _clock(words[-1])
        day_text = " ".join(words[:-1])
    except InputError as not_a_time:
        hm, day_text = None, " ".join(words)
        if _TIME_SHAPED.match(words[-1]):
            raise not_a_time from None  # 25:00, 7:60pm: a time that does not exist
    if hm is not None and not day_text:  # a bare time
        when = _instant(today, hm, zone, text)
        if past and when > now + FUTURE_TOLERANCE:
            when = _instant(today - timedelta(days=1), hm, zone, text)
        return when
    try:
        day = parse_date(day_text, today, zone)
    except InputError as not_a_date:
        if hm is None and not isinstance(not_a_date, typed.NoSuchDay) and " " not in s:
            raise InputError(
                _("{typed!r} is not a time or a date: type it like 07:30, yesterday 19:30 or "
                  "2026-11-20 07:30").format(typed=text.strip())
            ) from None
        raise
    if hm is not None:
        return _instant(day, hm, zone, text)
    if date_alone:
        return day_bounds(day, day, zone)[0]
    raise InputError(_("{typed!r} has no time: add one, e.g. '{typed} 07:30'").format(
        typed=text.strip()))


def _iso_instant(text: str, zone: ZoneInfo) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise InputError(
            _("{typed!r} is not a date and time that exists").format(typed=text)) from None
    if value.tzinfo is None:
        if not local_time_exists(value, zone):
            raise InputError(_("{typed!r} does not exist in {zone}: the clocks skipped it").format(
                typed=text, zone=zone.key))
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def refuse_future(when: datetime, now: datetime, what: str | None = None) -> None:
    """`what` names the time refused, in the reader's language (default: "that time")."""
    if when > now + FUTURE_TOLERANCE:
        # TRANSLATORS: {what} is a time named by the caller ("that time", "the dose's time")
        raise InputError(_("{what} is in the future: log things after they happen").format(
            what=what or _("that time")))
