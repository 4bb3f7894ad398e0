"""The calendar export, read back with icalendar and expanded across DST."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import recurring_ical_events
from conftest import MIA


def test_schedule_expands_to_local_dose_times_across_dst(tracker, clock, tmp_path):
    clock.set("2026-10-20T06:00:00+02:00")
    tracker.ok(*MIA[:-2], "--since", "2026-10-20")
    clock.set("2026-11-01T12:00:00+01:00")
    tracker.ok("prescribe", "--dose-mg-per-kg", "0.08", "--from", "2026-11-02 00:00")
    target = tmp_path / "mia.ics"
    tracker.ok("export", "--format", "ics", "-o", str(target))
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    events = recurring_ical_events.of(cal).between(date(2026, 10, 20), date(2026, 11, 5))
    starts = sorted(e["DTSTART"].dt for e in events)
    # every occurrence at 07:30 or 19:30 Paris time, before and after the clocks went back
    assert {(s.hour, s.minute) for s in starts} == {(7, 30), (19, 30)}
    assert len(starts) == 16 * 2
    offsets = {s.date(): s.utcoffset().total_seconds() / 3600 for s in starts}
    assert offsets[date(2026, 10, 24)] == 2 and offsets[date(2026, 10, 26)] == 1
    # the prescription change ends one series and starts the next
    summaries = {s.date(): str(e["SUMMARY"]) for e in events for s in [e["DTSTART"].dt]}
    assert "0.80 mg" in summaries[date(2026, 11, 1)]
    assert "1.60 mg" in summaries[date(2026, 11, 2)]
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    for e in events:
        assert isinstance(e["DTSTART"].dt, datetime)
