"""The dose schedule as an iCalendar file (RFC 5545), so a phone's calendar can remind too.

Each prescription is one daily series per dose time, in the child's time zone (with its
VTIMEZONE, so the events stay at 07:30 local across DST) and an alarm at the dose time.
A prescription change ends the previous series (UNTIL) where the next one starts.

The calendar's structure (its identifiers, times, rules and zone) is the same in every
language; what a person reads in it (the calendar's name, each event's summary and
description, the alarm's words) is in the language spoken when it is written.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker import __version__
from tracker.db.models import Child, Prescription
from tracker.domain import safety, schedule
from tracker.domain.actions import plain
from tracker.domain.prescription import describe_basis, draw_for, mg_of
from tracker.domain.safety import meal_rule
from tracker.exports import vtimezone
from tracker.i18n import _

MEAL_WINDOW = safety.MEAL_WINDOW


def calendar(child: Child, now: datetime,
             prescriptions: list[tuple[Prescription, float | None]]) -> bytes:
    """The dose times as calendar events with alarms: one series per prescription,
    `prescriptions` in order with the weight that applied when each started."""
    from icalendar import Alarm, Calendar, Event

    zone = schedule.zone_named(child.timezone)
    cal = Calendar()
    cal.add("prodid", f"-//tracker {__version__}//Increlex dose schedule//EN")
    cal.add("version", "2.0")
    # TRANSLATORS: the calendar's name in a phone's calendar app
    cal.add("x-wr-calname", _("Increlex: {name}").format(name=child.name))
    following_ones = [*(rx for rx, _unused in prescriptions[1:]), None]
    horizon = now.astimezone(zone).date() + timedelta(days=CHECKED_AHEAD_DAYS)
    first_ever = min((p.starts_at for p, _unused in prescriptions),
                     default=now).astimezone(zone).date()
    changes = vtimezone.change_days(zone, first_ever, horizon)  # found once for every series
    for (rx, weight), following in zip(prescriptions, following_ones, strict=True):
        start_local = rx.starts_at.astimezone(zone)
        amount = draw_for(rx, mg_of(rx, weight), weight, child.syringe)
        basis = describe_basis(rx, amount.prescribed_mg, weight)
        description = " ".join((
            # TRANSLATORS: "0.80 mg = 0.08 mL = 8 units per injection, 0.04 mg/kg x 20 kg."
            _("{dose} per injection, {basis}.").format(dose=amount.describe(), basis=basis),
            plain(meal_rule(child.name)),
            _(safety.NO_MAKE_UP),
            _("From tracker: a log, not medical advice."),
        ))
        for t in schedule.parse_times(rx.times):
            first_day = start_local.date()
            if schedule.localize(first_day, t, zone) < rx.starts_at:
                first_day += timedelta(days=1)
            last_day = (following.starts_at.astimezone(zone).date() if following is not None
                        else horizon)
            uid = f"tracker-{child.uid}-p{rx.id}-{t:%H%M}"  # no other family's
            for begins, until, single in pieces(first_day, last_day, t, zone, changes):
                event = Event()
                event.add("uid", f"{uid}{'' if begins == first_day else f'-{begins:%Y%m%d}'}"
                                 "@tracker")
                event.add("dtstamp", now)
                # TRANSLATORS: a calendar event: "Increlex for Mia: 0.80 mg = 0.08 mL = 8 units"
                event.add("summary", _("Increlex for {name}: {dose}").format(
                    name=child.name, dose=amount.describe()))
                event.add("description", description)
                if single is not None:  # the night the clocks move: tracker's instant, in UTC
                    event.add("dtstart", single)
                    event.add("dtend", single + MEAL_WINDOW)
                else:
                    first = datetime.combine(begins, t).replace(tzinfo=zone)
                    event.add("dtstart", first)
                    event.add("dtend", first + MEAL_WINDOW)
                    rule: dict[str, object] = {"freq": "daily"}
                    if until is not None:
                        rule["until"] = until
                    elif following is not None:
                        rule["until"] = following.starts_at - timedelta(seconds=1)
                    event.add("rrule", rule)
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                # TRANSLATORS: the alarm a phone's calendar shows at the dose time
                alarm.add("description", _("Increlex dose for {name}").format(name=child.name))
                alarm.add("trigger", timedelta(0))
                event.add_component(alarm)
                cal.add_component(event)
    start, end = first_ever - timedelta(days=1), horizon
    rules = vtimezone.component(zone.key, start, end)
    if rules is not None:
        cal.add_component(rules)  # yearly rules: read right by ical.js and libical alike
    else:  # a zone whose changes no yearly rule can say: each change over the period
        cal.add_component(vtimezone.explicit_component(zone.key, start, end))
    data: bytes = cal.to_ical()
    return data


def pieces(first: date, last: date, t: time, zone: ZoneInfo, changes: list[date]
           ) -> list[tuple[date, datetime | None, datetime | None]]:
    """The series of one dose time, split around each night the clocks skip or repeat it:
    (first day, UNTIL or None, None) for a daily run, (day, None, UTC instant) for that
    night's single dose.

    Readers disagree on such a time: for 02:15 in a 02:00-02:30 gap, ical.js reads 01:45,
    RFC 5545 and tracker 02:45, and libical's iterator moves the next day's dose as well;
    on a night the clocks go back some take the second 01:45. A run that never reaches
    such a night, and that night's dose written in UTC, read the same everywhere. After
    `last` (five years ahead, for the current prescription) the last run goes on alone.
    `changes`: the zone's days with a change of the clocks (vtimezone.change_days).
    """
    out: list[tuple[date, datetime | None, datetime | None]] = []
    begins = first
    for day in changes:
        if not first <= day <= last or schedule.clock_change(day, t, zone) is None:
            continue
        if begins < day:
            previous = day - timedelta(days=1)
            out.append((begins, schedule.localize(previous, t, zone), None))
        out.append((day, None, schedule.localize(day, t, zone)))
        begins = day + timedelta(days=1)
    out.append((begins, None, None))
    return out


# How far ahead the zone's yearly rule is checked against zoneinfo (it goes on after that,
# as the zone's own rule does).
CHECKED_AHEAD_DAYS = 5 * 366
