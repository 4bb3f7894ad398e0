"""The dose schedule as an iCalendar file (RFC 5545), so a phone's calendar can remind too.

Each prescription is one daily series per dose time, in the child's time zone (with its
VTIMEZONE, so the events stay at 07:30 local across DST) and an alarm at the dose time.
A prescription change ends the previous series (UNTIL) where the next one starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker import __version__
from tracker.db.models import Child, Prescription
from tracker.domain import safety, schedule
from tracker.domain.prescription import describe_basis, draw_for, mg_of
from tracker.domain.safety import meal_rule
from tracker.exports import vtimezone

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
    cal.add("x-wr-calname", f"Increlex: {child.name}")
    following_ones = [*(rx for rx, _ in prescriptions[1:]), None]
    for (rx, weight), following in zip(prescriptions, following_ones, strict=True):
        start_local = rx.starts_at.astimezone(zone)
        amount = draw_for(rx, mg_of(rx, weight), weight, child.syringe)
        basis = describe_basis(rx, amount.prescribed_mg, weight)
        for t in schedule.parse_times(rx.times):
            first_day = start_local.date()
            if schedule.localize(first_day, t, zone) < rx.starts_at:
                first_day += timedelta(days=1)
            first = datetime.combine(first_day, t).replace(tzinfo=zone)
            event = Event()
            event.add("uid", f"tracker-{child.uid}-p{rx.id}-{t:%H%M}@tracker")  # no other family's
            event.add("dtstamp", now)
            event.add("summary", f"Increlex for {child.name}: {amount.describe()}")
            event.add(
                "description",
                f"{amount.describe()} per injection, {basis}. {meal_rule(child.name)} "
                "Missed doses are not made up. From tracker: a log, not medical advice.",
            )
            event.add("dtstart", first)
            event.add("dtend", first + MEAL_WINDOW)
            rule: dict[str, object] = {"freq": "daily"}
            if following is not None:
                rule["until"] = following.starts_at - timedelta(seconds=1)
            event.add("rrule", rule)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Increlex dose for {child.name}")
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            cal.add_component(event)
    earliest = min((p.starts_at for p, _ in prescriptions), default=now).astimezone(zone).date()
    start = earliest - timedelta(days=1)
    end = now.astimezone(zone).date() + timedelta(days=CHECKED_AHEAD_DAYS)
    rules = vtimezone.component(zone.key, start, end)
    if rules is not None:
        cal.add_component(rules)  # yearly rules: read right by ical.js and libical alike
    else:  # a zone whose changes no yearly rule can say: each change over the period
        cal.add_component(vtimezone.explicit_component(zone.key, start, end))
    data: bytes = cal.to_ical()
    return data


# How far ahead the zone's yearly rule is checked against zoneinfo (it goes on after that,
# as the zone's own rule does).
CHECKED_AHEAD_DAYS = 5 * 366
