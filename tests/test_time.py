"""Time: slots across DST, the nearest-slot rule, and reading what parents type."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.domain import schedule
from tracker.domain.schedule import SlotStatus
from tracker.domain.timeparse import parse_date, parse_period, parse_when, refuse_future
from tracker.errors import InputError

PARIS = ZoneInfo("Europe/Paris")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TIMES = schedule.parse_times("07:30,19:30")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class TestTimes:
    def test_parse_sorts_and_validates(self):
        assert schedule.parse_times("19:30, 7:30") == (time(7, 30), time(19, 30))
        for bad in ("", "25:00", "7", "07:30,08:00", "1:00,5:00,9:00,13:00,17:00"):
            with pytest.raises(InputError):
                schedule.parse_times(bad)

    def test_unknown_zone(self):
        with pytest.raises(InputError, match="unknown time zone"):
            schedule.zone_named("Mars/Olympus")


class TestDST:
    def test_ordinary_times_keep_local_wall_clock_across_spring_forward(self):
        before = schedule.slots_on(date(2026, 3, 28), TIMES, PARIS)
        after = schedule.slots_on(date(2026, 3, 29), TIMES, PARIS)
        assert [s.at.astimezone(PARIS).strftime("%H:%M") for s in before + after] == [
            "07:30",
            "19:30",
            "07:30",
            "19:30",
        ]
        assert before[0].at == utc(2026, 3, 28, 6, 30)  # CET, UTC+1
        assert after[0].at == utc(2026, 3, 29, 5, 30)  # CEST, UTC+2
        # the night between the 19:30 and the 07:30 dose is an hour shorter
        assert after[0].at - before[1].at == timedelta(hours=11)

    def test_time_in_the_skipped_hour_moves_forward(self):
        (slot,) = schedule.slots_on(date(2026, 3, 29), (time(2, 30),), BERLIN)
        assert slot.at.astimezone(BERLIN).strftime("%H:%M %Z") == "03:30 CEST"

    def test_time_in_the_repeated_hour_happens_once_at_its_first_occurrence(self):
        (slot,) = schedule.slots_on(date(2026, 10, 25), (time(2, 30),), BERLIN)
        assert slot.at == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, the first of the two
        day = schedule.slots_around(utc(2026, 10, 25, 12), (time(2, 30),), BERLIN, range(0, 1))
        assert len(day) == 1

    def test_fall_back_night_is_an_hour_longer(self):
        sat = schedule.slots_on(date(2026, 10, 24), TIMES, PARIS)
        sun = schedule.slots_on(date(2026, 10, 25), TIMES, PARIS)
        assert sun[0].at - sat[1].at == timedelta(hours=13)


class TestNearestSlot:
    def test_after_midnight_belongs_to_last_evening(self):
        at = datetime(2026, 11, 25, 0, 30, tzinfo=PARIS)
        slot = schedule.nearest_slot(at, TIMES, PARIS)
        assert (slot.day, slot.label) == (date(2026, 11, 24), "19:30")

    def test_early_dose_belongs_to_the_coming_slot(self):
        slot = schedule.nearest_slot(datetime(2026, 11, 24, 7, 0, tzinfo=PARIS), TIMES, PARIS)
        assert (slot.day, slot.label) == (date(2026, 11, 24), "07:30")

    def test_halfway_counts_as_late_not_early(self):
        slot = schedule.nearest_slot(datetime(2026, 11, 24, 13, 30, tzinfo=PARIS), TIMES, PARIS)
        assert slot.label == "07:30"

    def test_status_of_a_slot_through_the_day(self):
        slot = schedule.slots_on(date(2026, 11, 24), TIMES, PARIS)[0]
        nxt = schedule.next_slot_after(slot, TIMES, PARIS)
        closes = schedule.closes_at(slot, nxt)
        assert closes == slot.at + timedelta(hours=4)
        assert (
            schedule.status_of(slot, closes, None, slot.at - timedelta(hours=2))
            is SlotStatus.UPCOMING
        )
        assert (
            schedule.status_of(slot, closes, None, slot.at - timedelta(minutes=30))
            is SlotStatus.DUE
        )
        assert schedule.status_of(slot, closes, None, closes) is SlotStatus.MISSED
        assert schedule.status_of(slot, closes, "given", closes) is SlotStatus.GIVEN
        assert schedule.status_of(slot, closes, "withheld", closes) is SlotStatus.WITHHELD

    def test_close_slots_close_halfway(self):
        times = schedule.parse_times("08:00,12:00")
        slot = schedule.slots_on(date(2026, 11, 24), times, PARIS)[0]
        assert schedule.closes_at(
            slot, schedule.next_slot_after(slot, times, PARIS)
        ) == slot.at + timedelta(hours=2)


NOW = datetime(2026, 11, 24, 14, 0, tzinfo=PARIS).astimezone(UTC)


class TestParseWhen:
    @pytest.mark.parametrize(
        ("typed", "local"),
        [
            ("07:40", "2026-11-24 07:40"),
            ("7.40", "2026-11-24 07:40"),
            ("7:40pm", "2026-11-23 19:40"),  # later than now today: yesterday evening
            ("19:30", "2026-11-23 19:30"),
            ("yesterday 19:30", "2026-11-23 19:30"),
            ("today 13:58", "2026-11-24 13:58"),
            ("2026-11-20 07:35", "2026-11-20 07:35"),
            ("2026-11-20T07:35", "2026-11-20 07:35"),
            ("2026-11-20T06:35+00:00", "2026-11-20 07:35"),
            ("20 min ago", "2026-11-24 13:40"),
            ("2 hours ago", "2026-11-24 12:00"),
            ("now", "2026-11-24 14:00"),
        ],
    )
    def test_read_in_the_childs_zone(self, typed, local):
        assert parse_when(typed, NOW, PARIS).astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == local

    def test_same_text_other_zone_is_another_instant(self):
        assert parse_when("07:40", NOW, NEW_YORK) == datetime(2026, 11, 24, 7, 40, tzinfo=NEW_YORK)

    def test_slot_reading_keeps_today(self):
        at = parse_when("19:30", NOW, PARIS, past=False)
        assert at.astimezone(PARIS).strftime("%d %H:%M") == "24 19:30"

    @pytest.mark.parametrize(
        "typed",
        [
            "2026-02-30 07:00",
            "25:00",
            "2026-03-29 02:30",
            "yesterday",
            "2026-11-20",
            "banana",
            "13:61",
        ],
    )
    def test_times_that_do_not_exist_are_refused(self, typed):
        with pytest.raises(InputError):
            parse_when(typed, NOW, PARIS)

    def test_future(self):
        refuse_future(NOW + timedelta(minutes=4), NOW)
        with pytest.raises(InputError, match="future"):
            refuse_future(NOW + timedelta(minutes=6), NOW)

    def test_dates(self):
        today = date(2026, 11, 24)
        assert parse_date("yesterday", today) == date(2026, 11, 23)
        assert parse_date("2024-02-29", today) == date(2024, 2, 29)
        with pytest.raises(InputError, match="exists"):
            parse_date("2026-02-29", today)
        assert parse_date("24/11/2026", today) == date(2026, 11, 24)  # only one reading
        with pytest.raises(InputError, match="could be 12 June 2019 or 6 December 2019"):
            parse_date("12/06/2019", today)


def test_spans_read_like_a_parent_would():
    assert schedule.format_span(55) == "55 min"
    assert schedule.format_span(245) == "4 h 05 min"
    assert schedule.format_span(-90) == "1 h 30 min"
    assert schedule.format_span(3 * 24 * 60 + 125) == "3 d 2 h"


def test_a_period_falls_back_to_its_commands_defaults_and_refuses_a_reversed_one():
    today = date(2026, 11, 24)
    ninety = {"end": today, "start": lambda end: end - timedelta(days=89)}
    assert parse_period(None, None, today, **ninety) == (date(2026, 8, 27), today)
    assert parse_period(None, "2026-11-01", today, **ninety) == (date(2026, 8, 4),
                                                                  date(2026, 11, 1))
    assert parse_period("yesterday", None, today, **ninety) == (date(2026, 11, 23), today)
    with pytest.raises(InputError, match=r"first day \(2026-11-25\) is after its last "
                                         r"\(2026-11-24\)"):
        parse_period("2026-11-25", None, today, **ninety)
