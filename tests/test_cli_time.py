"""Time through the whole program: DST days, travel, and the machine's own zone."""

from __future__ import annotations

import json

from conftest import MIA


def status(t) -> dict:
    return json.loads(t.ok("status", "--json").out)


class TestDSTDays:
    def test_spring_forward_day_keeps_local_dose_times(self, tracker, clock):
        clock.set("2026-03-27T20:00:00+01:00")
        tracker.ok(*MIA[:-2], "--since", "2026-03-27")
        clock.set("2026-03-29T07:10:00+02:00")  # Sunday, clocks went forward at 02:00
        s = status(tracker)
        assert [x["slot"] for x in s["today"]] == ["2026-03-29T07:30:00+02:00",
                                                   "2026-03-29T19:30:00+02:00"]
        assert s["next"]["status"] == "due"
        clock.set("2026-03-29T07:40:00+02:00")
        tracker.ok("give", "--site", "left-thigh", "--at", "07:35")
        assert tracker.rows("SELECT slot_time, scheduled_at FROM dose") == [
            ("07:30", "2026-03-29 05:30:00.000000")]

    def test_fall_back_day(self, tracker, clock):
        clock.set("2026-10-24T20:00:00+02:00")
        tracker.ok(*MIA[:-2], "--since", "2026-10-24")
        clock.set("2026-10-25T20:00:00+01:00")  # Sunday, clocks went back at 03:00
        tracker.ok("give", "--site", "left-thigh", "--at", "07:30")
        tracker.ok("give", "--site", "right-thigh", "--at", "19:30")
        s = status(tracker)
        assert [(x["time"], x["status"]) for x in s["today"]] == [("07:30", "given"),
                                                                 ("19:30", "given")]
        h = json.loads(tracker.ok("history", "--json").out)["entries"]
        assert [e["at"] for e in h if e["kind"] == "dose"] == [
            "2026-10-25T19:30:00+01:00", "2026-10-25T07:30:00+01:00"]

    def test_dose_in_the_repeated_hour_with_an_offset(self, tracker, clock):
        clock.set("2026-10-24T20:00:00+02:00")
        tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
                   "--dose-mg", "0.8", "--timezone", "Europe/Paris", "--times", "02:30,14:30")
        clock.set("2026-10-25T04:00:00+01:00")
        # the second 02:30 of the night, said explicitly with its offset
        tracker.ok("give", "--site", "left-thigh", "--at", "2026-10-25T02:40+01:00")
        assert tracker.rows("SELECT given_at, slot_time FROM dose") == [
            ("2026-10-25 01:40:00.000000", "02:30")]


class TestTravel:
    def test_changing_zone_moves_the_schedule_to_local_times(self, mia, clock):
        mia.ok("give", "--site", "left-thigh", "--at", "07:35")  # Paris morning
        r = mia.ok("child", "Mia", "--timezone", "America/New_York")
        assert "Europe/Paris -> America/New_York" in r.out
        s = status(mia)
        assert s["timezone"] == "America/New_York"
        assert "ask the child's doctor" in r.out
        # 08:00 UTC is 03:00 in New York. A slot is a local date and time: the 07:30 dose of
        # 24 November was given (in Paris), so the next is 19:30 New York time, not a second
        # morning dose six hours after the first.
        assert [(x["time"], x["status"]) for x in s["today"]] == [("07:30", "given"),
                                                                 ("19:30", "upcoming")]
        assert s["next"]["slot"] == "2026-11-24T19:30:00-05:00"
        # the Paris dose keeps its instant, shown in the new zone
        assert s["last_dose"]["given_at"] == "2026-11-24T01:35:00-05:00"
        mia.fails("child", "Mia", "--timezone", "Nowhere/City", code=2)


def test_init_defaults_to_the_machines_zone(tracker, monkeypatch):
    import tzlocal

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    tzlocal.reload_localzone()  # tzlocal caches the zone for the process
    tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
               "--dose-mg", "0.8")
    assert tracker.rows("SELECT timezone FROM child") == [("Asia/Tokyo",)]
    monkeypatch.undo()
    tzlocal.reload_localzone()
