"""Dose times and slots: when a dose is due, open, missed, and the next one, in the child's zone.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from conftest import NOW, PARIS, message

from tracker.domain import schedule
from tracker.errors import InputError


class TestScheduleEdges:
    @pytest.mark.parametrize("typed,read", [("23:59", time(23, 59)), ("0:00", time(0)),
                                            ("7.30", time(7, 30)), ("7h30", time(7, 30)),
                                            ("00:59", time(0, 59)), (" 19:05 ", time(19, 5))])
    def test_times_of_day_at_the_limits(self, typed, read):
        assert schedule.parse_time_of_day(typed) == read

    @pytest.mark.parametrize("typed", ["24:00", "23:60", "7", "07:3", "noon"])
    def test_times_that_do_not_exist(self, typed):
        with pytest.raises(InputError) as e:
            schedule.parse_time_of_day(typed)
        assert message(e) == f"{typed!r} is not a time of day: use HH:MM, e.g. 07:30"

    def test_dose_times_two_hours_apart_at_least(self):
        assert schedule.parse_times("07:00,09:00") == (time(7), time(9))
        assert schedule.parse_times("23:00,01:00") == (time(1), time(23))  # across midnight
        assert schedule.parse_times("19:30, 07:30,") == (time(7, 30), time(19, 30))
        assert schedule.parse_times("08:00") == (time(8),)
        for bad in ("07:00,08:59", "23:00,00:59", "00:30,22:31", "00:30,08:00,23:00"):
            with pytest.raises(InputError) as e:
                schedule.parse_times(bad)
            assert message(e).endswith("are less than two hours apart"), bad
        with pytest.raises(InputError) as e:
            schedule.parse_times(" , ")
        assert message(e) == "give at least one dose time, like 07:30,19:30"

    def test_at_most_four_dose_times(self):
        assert len(schedule.parse_times("00:00,06:00,12:00,18:00")) == 4
        with pytest.raises(InputError) as e:
            schedule.parse_times("00:00,04:00,08:00,12:00,16:00")
        assert message(e) == "at most four dose times a day"

    def test_localize_gives_utc(self):
        at = schedule.localize(date(2026, 7, 1), time(9), PARIS)
        assert at == datetime(2026, 7, 1, 7, tzinfo=UTC) and at.tzinfo is UTC
        # a gap is moved forward by its length; a repeated hour is taken the first time
        assert schedule.localize(date(2026, 3, 29), time(2, 30), PARIS) == datetime(
            2026, 3, 29, 1, 30, tzinfo=UTC)
        assert schedule.localize(date(2026, 10, 25), time(2, 30), PARIS) == datetime(
            2026, 10, 25, 0, 30, tzinfo=UTC)

    def test_day_bounds_are_local_midnights(self):
        lo, hi = schedule.day_bounds(date(2026, 11, 24), date(2026, 11, 25), PARIS)
        assert lo == datetime(2026, 11, 23, 23, tzinfo=UTC)
        assert hi == datetime(2026, 11, 25, 23, tzinfo=UTC)
        assert hi.tzinfo is UTC

    def test_local_time_exists(self):
        assert schedule.local_time_exists(datetime(2026, 3, 29, 1, 59), PARIS)
        assert not schedule.local_time_exists(datetime(2026, 3, 29, 2, 30), PARIS)
        assert schedule.local_time_exists(datetime(2026, 10, 25, 2, 30), PARIS)

    def test_a_slot_is_due_from_an_hour_before(self):
        slot = schedule.slots_on(date(2026, 11, 24), (time(19, 30),), PARIS)[0]
        closes = slot.at + timedelta(hours=4)
        before = slot.at - schedule.DUE_BEFORE
        assert schedule.status_of(slot, closes, None, before) is schedule.SlotStatus.DUE
        assert schedule.status_of(slot, closes, None, before - timedelta(seconds=1)) is (
            schedule.SlotStatus.UPCOMING)
        assert schedule.status_of(slot, closes, None, closes) is schedule.SlotStatus.MISSED
        assert schedule.status_of(slot, closes, "given", closes) is schedule.SlotStatus.GIVEN
        assert schedule.status_of(slot, closes, "withheld", NOW) is schedule.SlotStatus.WITHHELD

    def test_slots_around_the_childs_own_date(self):
        # 23:30 UTC on the 24th is already the 25th in Paris
        slots = schedule.slots_around(datetime(2026, 11, 24, 23, 30, tzinfo=UTC),
                                      (time(7, 30),), PARIS, range(0, 1))
        assert [s.day for s in slots] == [date(2026, 11, 25)]

    def test_next_slot_after_is_the_very_next(self):
        times = (time(7, 30), time(19, 30))
        evening = schedule.slots_on(date(2026, 11, 24), times, PARIS)[1]
        nxt = schedule.next_slot_after(evening, times, PARIS)
        assert (nxt.day, nxt.label) == (date(2026, 11, 25), "07:30")
