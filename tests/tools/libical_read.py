"""Read an .ics with libical (GObject bindings): restriction errors, and every occurrence
between two dates as UTC instants, using the VTIMEZONE embedded in the file."""
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402

path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, encoding="utf-8") as fh:
    text = fh.read()
cal = I.Component.new_from_string(text)
cal.check_restrictions()
errors = cal.count_errors()
print("errors", errors)
zones = {}
tz = cal.get_first_component(I.ComponentKind.VTIMEZONE_COMPONENT)
while tz:
    zone = I.Timezone.new()
    zone.set_component(tz.clone())
    zones[zone.get_tzid()] = zone
    tz = cal.get_next_component(I.ComponentKind.VTIMEZONE_COMPONENT)
lo = I.Time.new_from_string(start.replace("-", "") + "T000000Z")
hi = I.Time.new_from_string(end.replace("-", "") + "T000000Z")
utc = I.Timezone.get_utc_timezone()
out = []
ev = cal.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
while ev:
    dtstart = ev.get_dtstart()
    prop = ev.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
    param = prop.get_first_parameter(I.ParameterKind.TZID_PARAMETER)
    if param is not None:
        dtstart.set_timezone(zones[param.get_tzid()])
    rprop = ev.get_first_property(I.PropertyKind.RRULE_PROPERTY)
    summary = ev.get_summary()
    if rprop is None:  # a single event, e.g. a dose the night the clocks move (in UTC)
        conv = dtstart.convert_to_zone(utc)
        occ = [conv] if I.Time.compare(conv, lo) >= 0 and I.Time.compare(conv, hi) < 0 else []
    else:
        it = I.RecurIterator.new(rprop.get_rrule(), dtstart)
        occ = []
        while True:
            t = it.next()
            if t is None or t.is_null_time():
                break
            conv = t.convert_to_zone(utc)  # a new time, in UTC and marked as UTC
            if I.Time.compare(conv, hi) >= 0:
                break
            if I.Time.compare(conv, lo) >= 0:
                occ.append(conv)
    for t in occ:
        out.append(f"{t.as_ical_string()} {summary}")
    ev = cal.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
print("\n".join(sorted(out)))
