"""The medicine supply: discard days (across DST), what is left, days of supply, warnings."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.domain import vials

PARIS = ZoneInfo("Europe/Paris")


class TestRules:
    def test_discard_thirty_calendar_days_later_across_dst(self):
        opened = datetime(2026, 3, 20, 8, 0, tzinfo=PARIS)  # CET; clocks go forward 29 March
        discard = vials.discard_at(opened, None, PARIS)
        assert discard.astimezone(PARIS) == datetime(2026, 4, 19, 8, 0, tzinfo=PARIS)
        assert discard - opened == timedelta(days=30) - timedelta(hours=1)

    def test_expiry_sooner_than_thirty_days_wins(self):
        opened = datetime(2026, 11, 24, 8, 0, tzinfo=PARIS)
        discard = vials.discard_at(opened, date(2026, 12, 1), PARIS)
        assert discard.astimezone(PARIS) == datetime(2026, 12, 2, 0, 0, tzinfo=PARIS)

    def test_remaining_and_doses(self):
        assert vials.remaining_ml(4.0, [0.2] * 5) == pytest.approx(3.0)
        assert vials.remaining_ml(4.0, [1.5, 1.5, 1.5]) == 0.0
        assert vials.doses_left(3.0, 0.16) == 18

    def test_days_of_supply(self):
        now = datetime(2026, 11, 24, tzinfo=UTC)
        # 0.16 mL twice a day: 3.2 mL left lasts 10 days; a new vial 25 doses = 12.5 days
        assert vials.days_of_supply(3.2, now + timedelta(days=20), 2, 0.16, 2, now) == \
            pytest.approx(10 + 2 * 12.5)
        # the open vial is cut short by its discard day
        assert vials.days_of_supply(3.2, now + timedelta(days=4), 0, 0.16, 2, now) == \
            pytest.approx(4)
        # a tiny dose: an unopened vial still lasts only 30 days once opened
        assert vials.days_of_supply(0, None, 1, 0.02, 2, now) == pytest.approx(30)

    def test_warnings(self):
        now = datetime(2026, 11, 24, 12, tzinfo=UTC)
        fine = vials.VialState(3.0, now + timedelta(days=10), 15)
        assert vials.vial_warnings(fine, 0.2, now, PARIS) == []
        soon = vials.VialState(3.0, now + timedelta(days=2), 15)
        assert "must be discarded in 2 d 0 h" in vials.vial_warnings(soon, 0.2, now, PARIS)[0]
        past = vials.VialState(3.0, now - timedelta(hours=1), 15)
        assert "had to be discarded" in vials.vial_warnings(past, 0.2, now, PARIS)[0]
        short = vials.VialState(0.1, now + timedelta(days=10), 0)
        assert "less than one dose" in vials.vial_warnings(short, 0.2, now, PARIS)[0]
        assert vials.supply_warning(5, 0) is not None
        assert vials.supply_warning(20, 2) is None


def vstatus(t) -> dict:
    return json.loads(t.ok("vial", "status", "--json").out)


class TestCommands:
    def test_open_give_and_status(self, mia, clock):
        mia.ok("vial", "stock", "3")
        clock.advance(minutes=1)
        r = mia.ok("vial", "open", "--lot", "AB123", "--expires", "2027-06-30")
        assert "discard it on Thu 24 Dec 2026" in r.out and "2 unopened vials left" in r.out
        clock.advance(minutes=30)
        mia.ok("give", "--site", "left-thigh")  # 0.8 mg = 0.08 mL
        s = vstatus(mia)
        assert s["vial"]["remaining_ml"] == pytest.approx(3.92)
        assert s["vial"]["doses_left"] == 49
        assert s["unopened"] == 2
        assert mia.rows("SELECT vial_id FROM dose") == [(1,)]
        # 3.92 mL lasts 24.5 days; each new vial 25 days: 74.5 days
        assert s["days_of_supply"] == pytest.approx(74.5)

    def test_expired_vial_refused(self, mia):
        r = mia.fails("vial", "open", "--expires", "2026-11-01", code=4)
        assert "expired" in r.err

    def test_give_warns_past_discard_and_short_vial(self, mia, clock):
        mia.ok("vial", "open", "--at", "07:00")
        clock.set("2026-12-25T07:35:00+01:00")  # 31 days later
        r = mia.ok("give", "--site", "left-thigh")
        assert "had to be discarded" in r.out
        s = json.loads(mia.ok("status", "--json").out)
        assert any("discarded" in w for w in s["warnings"])

    def test_dose_larger_than_what_is_left(self, tracker, clock):
        tracker.ok("init", "--child", "Leo", "--birth-date", "2012-01-01", "--weight", "50",
                   "--dose-mg", "6", "--timezone", "Europe/Paris")  # 0.6 mL a dose
        tracker.ok("vial", "open", "--at", "2026-11-24 07:00")
        for day in range(3):
            clock.set(f"2026-11-{24 + day}T07:35:00+01:00")
            tracker.ok("give", "--site", "left-thigh")
            clock.set(f"2026-11-{24 + day}T19:35:00+01:00")
            if day < 2:
                tracker.ok("give", "--site", "right-thigh")
        # 5 doses x 0.6 = 3.0 mL used, 1.0 mL left: one more dose, then 0.4 mL
        clock.set("2026-11-26T19:35:00+01:00")
        r = tracker.ok("give", "--site", "right-thigh")
        assert "less than one dose" not in r.out
        clock.set("2026-11-27T07:35:00+01:00")
        r = tracker.ok("give", "--site", "left-thigh")
        assert "less than one dose" in r.out
        assert vstatus(tracker)["vial"]["remaining_ml"] == 0.0  # never below empty

    def test_undo_opening_reopens_the_previous_vial_and_restores_stock(self, mia, clock):
        mia.ok("vial", "stock", "2")
        clock.advance(minutes=1)
        mia.ok("vial", "open", "--lot", "OLD")
        clock.advance(days=2)
        mia.ok("vial", "open", "--lot", "NEW")
        assert vstatus(mia)["unopened"] == 0
        assert "Undone V2" in mia.ok("undo").out
        s = vstatus(mia)
        assert s["vial"]["lot"] == "OLD" and s["unopened"] == 1

    def test_low_supply_warning(self, tracker, clock):
        tracker.ok("init", "--child", "Leo", "--birth-date", "2012-01-01", "--weight", "50",
                   "--dose-mg", "6", "--timezone", "Europe/Paris")  # 1.2 mL a day
        tracker.ok("vial", "stock", "1")
        clock.advance(minutes=1)
        tracker.ok("vial", "open")  # 4 mL = 3.3 days, and one vial more = 6 doses, 3 days
        s = vstatus(tracker)
        assert s["unopened"] == 0
        assert s["days_of_supply"] == pytest.approx(3.3, abs=0.05)
        assert any("order more" in w for w in s["warnings"])
        assert any("order more" in w
                   for w in json.loads(tracker.ok("status", "--json").out)["warnings"])
        tracker.ok("vial", "add", "4")
        assert vstatus(tracker)["unopened"] == 4
        assert not any("order more" in w for w in vstatus(tracker)["warnings"])
        tracker.fails("vial", "add", "-1", code=2)

    def test_no_vial_tracking_no_noise(self, mia):
        r = mia.ok("give", "--site", "left-thigh")
        assert "vial" not in r.out
