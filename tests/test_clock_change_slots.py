"""A dose time the clocks skip or repeat: one rule, one identity, one instant in every reader.

Zones whose changes are not an hour (Lord Howe Island: 30 minutes, at 02:00) or not at
02:00 (Santiago: at midnight; London: at 01:00), and Newfoundland (a -03:30 offset). The
calendar is read by three independent programs (Mozilla's ical.js, libical, Python's
icalendar with recurring-ical-events); the FHIR Bundle, the history and the report are
read back as a clinic's software and a person would.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from conftest import MIA
from test_ics import read_with_icaljs, read_with_libical
from test_report import flat, poppler  # noqa: F401  (a fixture)

from tracker.domain import schedule

DOSE = MIA[:-4]  # init ... --dose-mg-per-kg 0.04, without zone and start


# (zone, dose times, the night, the time it moves, the instant RFC 5545 and tracker give it)
NIGHTS = [
    # skipped: 02:00 -> 02:30, so 02:15 happens at 02:45 (+11:00)
    ("Australia/Lord_Howe", "02:15,14:15", date(2026, 10, 4), "02:15", "2026-10-03T15:45"),
    # repeated: 02:00 -> 01:30, so 01:45 happens twice; the first is at +11:00
    ("Australia/Lord_Howe", "01:45,13:45", date(2027, 4, 4), "01:45", "2027-04-03T14:45"),
    # Newfoundland, -03:30/-02:30: 02:30 is skipped, and 01:30 repeated in November
    ("America/St_Johns", "02:30,14:30", date(2027, 3, 14), "02:30", "2027-03-14T06:00"),
    ("America/St_Johns", "01:30,13:30", date(2027, 11, 7), "01:30", "2027-11-07T04:00"),
    # Chile changes at midnight: 00:30 is skipped on the first Sunday of September
    ("America/Santiago", "00:30,12:30", date(2027, 9, 5), "00:30", "2027-09-05T04:30"),
    ("America/Santiago", "11:30,23:30", date(2027, 4, 3), "23:30", "2027-04-04T02:30"),
    # London at 01:00
    ("Europe/London", "01:30,13:30", date(2027, 3, 28), "01:30", "2027-03-28T01:30"),
    # the Chatham Islands change at 02:45 (+12:45/+13:45); Troll station by two hours
    ("Pacific/Chatham", "03:00,15:00", date(2027, 9, 26), "03:00", "2027-09-25T14:15"),
    ("Antarctica/Troll", "02:00,14:00", date(2027, 3, 28), "02:00", "2027-03-28T02:00"),
]


@pytest.mark.parametrize(("zone", "times", "night", "moved", "instant"), NIGHTS)
def test_the_rule_puts_a_moved_time_where_rfc_5545_does(zone, times, night, moved, instant):
    z = ZoneInfo(zone)
    slots = schedule.slots_on(night, schedule.parse_times(times), z)
    slot = next(s for s in slots if s.label == moved)
    assert slot.at.strftime("%Y-%m-%dT%H:%M") == instant
    assert slot.label == moved  # the identity is the prescribed time
    assert slot.clock  # and the person is told where the clocks put it
    assert slot.name.startswith(f"{moved} (clocks ")
    other = next(s for s in slots if s.label != moved)
    assert other.clock == "" and other.name == other.label
    # the days either side are ordinary
    for d in (night - timedelta(days=1), night + timedelta(days=1)):
        assert all(s.clock == "" for s in schedule.slots_on(d, schedule.parse_times(times), z))


def test_a_skipped_time_names_where_the_clock_puts_it():
    z = ZoneInfo("Australia/Lord_Howe")
    slot = schedule.slots_on(date(2026, 10, 4), (time(2, 15),), z)[0]
    assert slot.name == "02:15 (clocks forward: 02:45)"
    slot = schedule.slots_on(date(2027, 4, 4), (time(1, 45),), z)[0]
    assert slot.name == "01:45 (clocks back: the first 01:45)"


def _log(tracker, clock, zone: str, times: str, since: date) -> None:
    clock.set(f"{since}T12:00:00+00:00")
    tracker.ok(*DOSE, "--timezone", zone, "--times", times, "--since", str(since))


@pytest.mark.parametrize(("zone", "times", "night", "moved", "instant"), NIGHTS)
def test_every_calendar_reader_puts_that_dose_where_tracker_does(tracker, clock, tmp_path,
                                                                 zone, times, night, moved,
                                                                 instant):
    _log(tracker, clock, zone, times, night - timedelta(days=30))
    target = tmp_path / "doses.ics"
    tracker.ok("export", "--format", "ics", "-o", str(target))
    z = ZoneInfo(zone)
    days = [night + timedelta(days=d) for d in range(-3, 4)]
    want = sorted(s.at.strftime("%Y-%m-%dT%H:%M") for d in days
                  for s in schedule.slots_on(d, schedule.parse_times(times), z))
    assert instant in want
    start, end = str(night - timedelta(days=2)), str(night + timedelta(days=3))
    want = [w for w in want if start <= w < end]
    assert read_with_icaljs(target, start, end) == want
    errors, got = read_with_libical(target, start, end)
    assert got == want
    assert errors == 0
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    found = recurring_ical_events.of(cal).between(
        datetime.fromisoformat(start).replace(tzinfo=UTC),
        datetime.fromisoformat(end).replace(tzinfo=UTC))
    assert sorted(e["DTSTART"].dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
                  for e in found) == want
    # and a year later, the same night of the next year is read the same way
    later = [d for d in schedule_nights(zone, times, moved, night) if d.year == night.year + 1]
    assert later, "the zone moves that time again the next year"
    nxt = later[0]
    start, end = str(nxt - timedelta(days=1)), str(nxt + timedelta(days=2))
    want = sorted(s.at.strftime("%Y-%m-%dT%H:%M")
                  for d in (nxt + timedelta(days=k) for k in range(-2, 4))
                  for s in schedule.slots_on(d, schedule.parse_times(times), z)
                  if start <= s.at.strftime("%Y-%m-%dT%H:%M") < end)
    assert read_with_icaljs(target, start, end) == want
    assert read_with_libical(target, start, end)[1] == want


def schedule_nights(zone: str, times: str, moved: str, night: date) -> list[date]:
    z = ZoneInfo(zone)
    t = schedule.parse_time_of_day(moved)
    return [night + timedelta(days=d) for d in range(1, 800)
            if schedule.clock_change(night + timedelta(days=d), t, z) is not None]


def test_a_slot_keeps_one_identity_from_missed_to_given(poppler, tracker, clock,  # noqa: F811
                                                        tmp_path):
    """Lord Howe, 4 October 2026: the 02:15 dose happens at 02:45. Missed in the first
    export, logged late in the second: one FHIR identifier, one name in every reader."""
    _log(tracker, clock, "Australia/Lord_Howe", "02:15,14:15", date(2026, 9, 20))
    clock.set("2026-10-04T01:00:00+10:30")  # the night before: where the clock will put it
    before = tracker.ok("status").out
    assert "Next dose: 02:45 today" in before
    assert "02:15 (clocks forward: 02:45)  upcoming" in before
    clock.set("2026-10-04T10:00:00+11:00")

    def slot_ids(path) -> dict[str, str]:
        bundle = json.loads(path.read_text())
        return {r["identifier"][0]["value"].split("/", 1)[1]: r["status"]
                for r in (e["resource"] for e in bundle["entry"])
                if r["resourceType"] == "MedicationAdministration"}

    first = tmp_path / "first.json"
    tracker.ok("export", "--format", "fhir", "-o", str(first))
    assert slot_ids(first)["2026-10-04T02:15"] == "unknown"  # missed: nothing recorded
    missed = tracker.ok("history", "--from", "2026-10-04").out
    assert "missed 02:15 (clocks forward: 02:45) slot" in missed
    assert "02:45 slot" not in missed.replace("forward: 02:45) slot", "")

    given = tracker.ok("give", "--at", "2026-10-04 02:50")
    assert "(02:15 slot, +5 min; clocks forward: 02:45)" in given.text
    second = tmp_path / "second.json"
    tracker.ok("export", "--format", "fhir", "-o", str(second))
    ids = slot_ids(second)
    assert ids["2026-10-04T02:15"] == "completed"
    assert not any(k.startswith("2026-10-04T02:45") for k in ids)
    assert set(ids) == set(slot_ids(first))  # the same slots, each under its one identifier
    status = json.loads(tracker.ok("status", "--json").out)
    today = {s["time"]: s for s in status["today"]}
    assert today["02:15"]["clock"] == "clocks forward: 02:45"
    assert today["14:15"]["clock"] is None

    report = tmp_path / "report.pdf"
    tracker.ok("report", "--from", "2026-09-20", "-o", str(report))
    text = flat(report)
    assert "(02:15 slot, +5 min; clocks forward: 02:45)" in text
    assert "02:45 slot" not in text


def test_a_time_that_happens_twice_is_the_first_in_every_file(tracker, clock, tmp_path):
    """Newfoundland, 7 November 2027: 01:30 happens twice. A dose given at the first 01:35
    is five minutes late, not 55 minutes early, and the CSV says the first instant."""
    _log(tracker, clock, "America/St_Johns", "01:30,13:30", date(2027, 11, 1))
    clock.set("2027-11-07T04:05:00+00:00")  # 01:35 the first time (-02:30)
    given = tracker.ok("give")
    assert "(01:30 slot, +5 min; clocks back: the first 01:30)" in given.text
    clock.set("2027-11-07T12:00:00+00:00")
    out = tmp_path / "doses.csv"
    tracker.ok("export", "--format", "csv", "-o", str(out))
    import csv

    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    scheduled = [r for r in rows if r["scheduled"].startswith("2027-11-07T01:30")]
    assert [r["scheduled"] for r in scheduled] == ["2027-11-07T01:30:00-02:30"]
    assert scheduled[0]["minutes_late"] == "5"
