"""Reading the times and dates people type, in the child's zone, across DST.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import NEW_YORK, NOW_DEC3, PARIS, TODAY_DEC3, local, message, said

from tracker.domain import timeparse, typed
from tracker.errors import InputError


class TestTimeParsing:
    NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)  # 10:00 in Paris

    def when(self, written, past=True):
        return timeparse.parse_when(written, self.NOW, PARIS, past=past)

    def test_now_and_ago(self):
        assert self.when("now") == self.NOW == self.when("  ")
        assert self.when("20 min ago") == self.NOW - timedelta(minutes=20)
        assert self.when("2 h ago") == self.NOW - timedelta(hours=2)

    @pytest.mark.parametrize(
        ("typed", "local"),
        [
            ("12am", (0, 0)),
            ("12pm", (12, 0)),
            ("1am", (1, 0)),
            ("7:40pm", (19, 40)),
            ("9:59am", (9, 59)),
            ("11pm", (23, 0)),
        ],
    )
    def test_am_pm(self, typed, local):
        at = self.when(f"yesterday {typed}").astimezone(PARIS)
        assert (at.hour, at.minute) == local and at.date() == date(2026, 11, 23)

    @pytest.mark.parametrize("typed", ["0am", "13pm", "7:60pm"])
    def test_am_pm_that_does_not_exist(self, typed):
        with pytest.raises(InputError) as e:
            self.when(typed)
        assert message(e) == f"{typed!r} is not a time of day"

    def test_days_by_name(self):
        assert self.when("today 07:30") == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
        assert self.when("tomorrow 07:30", past=False) == datetime(2026, 11, 25, 6, 30,
                                                                   tzinfo=UTC)
        assert self.when("Yesterday  19:30") == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
        assert self.when("2026-11-20 07:35") == datetime(2026, 11, 20, 6, 35, tzinfo=UTC)
        assert self.when("2026-11-20 07:35").tzinfo is UTC

    def test_iso_instants(self):
        assert self.when("2026-11-20T07:35:00+01:00") == datetime(2026, 11, 20, 6, 35,
                                                                  tzinfo=UTC)
        assert self.when("2026-11-20T06:35:00z") == datetime(2026, 11, 20, 6, 35, tzinfo=UTC)
        assert self.when("2026-11-20T07:35") == datetime(2026, 11, 20, 6, 35, tzinfo=UTC)
        assert self.when("2026-11-20T07:35").tzinfo is UTC
        with pytest.raises(InputError) as e:
            self.when("2026-02-30T07:35")
        assert message(e) == "'2026-02-30T07:35' is not a date and time that exists"
        with pytest.raises(InputError) as e:
            self.when("2026-03-29T02:30")
        assert message(e) == (
            "'2026-03-29T02:30' does not exist in Europe/Paris: the clocks skipped it"
        )

    def test_a_date_alone_asks_for_a_time(self):
        with pytest.raises(InputError) as e:
            self.when("2026-11-20")
        assert message(e) == "'2026-11-20' has no time: add one, e.g. '2026-11-20 07:30'"

    def test_a_skipped_hour_is_refused_naming_the_day(self):
        with pytest.raises(InputError) as e:
            self.when("2026-03-29 02:30")
        assert message(e) == (
            "'2026-03-29 02:30' does not exist in Europe/Paris: the clocks skipped that hour "
            "on 2026-03-29"
        )

    def test_every_skipped_hour_names_what_was_typed(self):
        after = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # 01:30 on the 30th in Paris
        that_day = datetime(2026, 3, 29, 10, tzinfo=UTC)
        for written, at in (("yesterday 02:30", after), ("02:30", after),
                            ("today 2:30am", that_day), ("2:30", that_day)):
            with pytest.raises(InputError) as e:
                timeparse.parse_when(written, at, PARIS)
            assert message(e).startswith(f"{written!r} does not exist in Europe/Paris"), written

    def test_a_bare_time_is_the_latest_one_within_five_minutes(self):
        # 10:00 now: 10:05 is today (five minutes of clock skew), 10:06 was yesterday
        assert self.when("10:05") == datetime(2026, 11, 24, 9, 5, tzinfo=UTC)
        assert self.when("10:06") == datetime(2026, 11, 23, 9, 6, tzinfo=UTC)
        assert self.when("19:30", past=False) == datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
        # the day is the child's: 00:30 UTC is already tomorrow in Paris
        late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
        assert timeparse.parse_when("00:20", late, PARIS) == datetime(2026, 11, 24, 23, 20,
                                                                      tzinfo=UTC)

    def test_refuse_future_allows_five_minutes(self):
        timeparse.refuse_future(self.NOW + timeparse.FUTURE_TOLERANCE, self.NOW)
        with pytest.raises(InputError) as e:
            timeparse.refuse_future(
                self.NOW + timeparse.FUTURE_TOLERANCE + timedelta(seconds=1), self.NOW)
        assert message(e) == "that time is in the future: log things after they happen"

    def test_dates(self):
        today = date(2026, 11, 24)
        assert timeparse.parse_date(" Today", today) == today
        assert timeparse.parse_date("yesterday", today) == date(2026, 11, 23)
        assert timeparse.parse_date("20/11/2026", today) == date(2026, 11, 20)  # one reading
        assert timeparse.parse_date("20 Nov 2026", today) == date(2026, 11, 20)
        with pytest.raises(InputError) as e:
            timeparse.parse_date("12/06/2019", today)
        assert message(e) == (
            "'12/06/2019' could be 12 June 2019 or 6 December 2019: write 2019-06-12 "
            "(year-month-day) to say which"
        )
        with pytest.raises(InputError) as e:
            timeparse.parse_date("31/31/2019", today)
        assert message(e) == (
            "'31/31/2019' is not a date that exists: check the day and month"
        )
        with pytest.raises(InputError) as e:
            timeparse.parse_date("soon", today)
        assert message(e) == (
            "'soon' is not a date: type it like 2019-06-12, 12/06/2019 or 12 June 2019"
        )
        assert timeparse.parse_period(None, "today", today, end=date(2020, 1, 1),
                               start=lambda d: d - timedelta(days=9)) == (
            date(2026, 11, 15), today)


class TestOneReaderOfDatesAndTimes:
    @pytest.mark.parametrize("typed_text,shown", [
        ("19/11/2026 07:35", "2026-11-19 07:35"),
        ("19.11.2026 07:35", "2026-11-19 07:35"),
        ("19 Nov 2026 7:35 pm", "2026-11-19 19:35"),
        ("19 November 2026 7:35pm", "2026-11-19 19:35"),
        ("November 19, 2026 07:35", "2026-11-19 07:35"),
        ("yesterday 7:40 am", "2026-12-02 07:40"),
        ("yesterday 7.40", "2026-12-02 07:40"),
        ("Today 09:15", "2026-12-03 09:15"),
        ("2026-11-19 7h35", "2026-11-19 07:35"),
        ("7:40 pm", "2026-12-02 19:40"),  # a bare time in the past: last night
        ("7:40pm", "2026-12-02 19:40"),
        ("09:30", "2026-12-03 09:30"),
    ])
    def test_a_date_with_a_time_in_every_form(self, typed_text, shown):
        assert local(timeparse.parse_when(typed_text, NOW_DEC3, PARIS)) == shown

    @pytest.mark.parametrize("typed_text", ["19/11/2026", "2026-11-19", "19 Nov 2026",
                                            "November 19, 2026"])
    def test_a_date_alone_is_the_start_of_its_day_where_a_start_is_asked(self, typed_text):
        start = timeparse.parse_when(typed_text, NOW_DEC3, PARIS, date_alone=True)
        assert local(start) == "2026-11-19 00:00"
        with pytest.raises(InputError) as e:
            timeparse.parse_when(typed_text, NOW_DEC3, PARIS)
        assert said(e) == f"{typed_text!r} has no time: add one, e.g. '{typed_text} 07:30'"

    def test_today_and_yesterday_alone(self):
        assert local(timeparse.parse_when("today", NOW_DEC3, PARIS, date_alone=True)) == (
            "2026-12-03 00:00")
        assert local(timeparse.parse_when("yesterday", NOW_DEC3, PARIS, date_alone=True)) == (
            "2026-12-02 00:00")

    def test_what_is_neither_a_time_nor_a_date_says_so_in_the_right_words(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_when("banana", NOW_DEC3, PARIS)
        assert said(e) == ("'banana' is not a time or a date: type it like 07:30, yesterday "
                           "19:30 or 2026-11-20 07:30")
        with pytest.raises(InputError) as e:  # shaped like a time: said as a time
            timeparse.parse_when("7:60pm", NOW_DEC3, PARIS)
        assert said(e) == "'7:60pm' is not a time of day"
        with pytest.raises(InputError) as e:
            timeparse.parse_when("25:00", NOW_DEC3, PARIS)
        assert said(e) == "'25:00' is not a time of day: use HH:MM, e.g. 07:30"
        with pytest.raises(InputError) as e:  # a date that does not exist, alone
            timeparse.parse_when("2026-02-30", NOW_DEC3, PARIS, date_alone=True)
        assert said(e) == "'2026-02-30' is not a date that exists: check the day and month"
        with pytest.raises(InputError) as e:  # words that are not a date, with a time
            timeparse.parse_when("next week 07:30", NOW_DEC3, PARIS)
        assert said(e).startswith("'next week' is not a date")
        with pytest.raises(InputError) as e:  # a date and a word
            timeparse.parse_when("2026-11-20 at", NOW_DEC3, PARIS)
        assert said(e).startswith("'2026-11-20 at' is not a date")
        with pytest.raises(InputError) as e:
            timeparse.parse_when("am", NOW_DEC3, PARIS)
        assert said(e).startswith("'am' is not a time or a date")

    def test_day_first_outside_the_united_states_month_first_in_it(self):
        assert timeparse.day_first(PARIS) and timeparse.day_first("Europe/Paris")
        assert timeparse.day_first(None)
        assert not timeparse.day_first(NEW_YORK) and not timeparse.day_first("America/Chicago")
        # by the zone's country, not a list: every US zone, and Puerto Rico as before
        assert not timeparse.day_first("America/Menominee")
        assert not timeparse.day_first("America/Puerto_Rico")
        assert timeparse.day_first("America/Toronto")
        # 13/11 reads one way anywhere; its order of readings follows the zone
        assert timeparse.parse_date("13/11/2026", TODAY_DEC3, PARIS) == date(2026, 11, 13)
        assert timeparse.parse_date("11/13/2026", TODAY_DEC3, NEW_YORK) == date(2026, 11, 13)
        with pytest.raises(InputError) as e:
            timeparse.parse_date("12/06/2026", TODAY_DEC3, NEW_YORK)
        assert said(e).startswith("'12/06/2026' could be 6 December 2026 or 12 June 2026")
        with pytest.raises(InputError) as e:
            timeparse.parse_date("12/06/2026", TODAY_DEC3, PARIS)
        assert said(e).startswith("'12/06/2026' could be 12 June 2026 or 6 December 2026")
        assert local(timeparse.parse_when("11/13/2026 08:00", NOW_DEC3, NEW_YORK), NEW_YORK) == (
            "2026-11-13 08:00")
        assert timeparse.parse_date("  Yesterday ", TODAY_DEC3) == date(2026, 12, 2)
        assert timeparse.parse_date("tomorrow", TODAY_DEC3) == date(2026, 12, 4)
        with pytest.raises(InputError):
            timeparse.parse_date("12/06/19", TODAY_DEC3, PARIS)  # two readings, two-digit year
        assert typed.one_date("13/06/19", TODAY_DEC3) == date(2019, 6, 13)
        assert typed.one_date("06/13/19", TODAY_DEC3, day_first=False) == date(2019, 6, 13)

    def test_a_period_reads_its_dates_in_the_zone(self):
        first, last = timeparse.parse_period("11/13/2026", "11/14/2026", TODAY_DEC3,
                                             end=TODAY_DEC3, start=lambda e: e, zone=NEW_YORK)
        assert (first, last) == (date(2026, 11, 13), date(2026, 11, 14))
        first, last = timeparse.parse_period("13/11/2026", "14/11/2026", TODAY_DEC3,
                                             end=TODAY_DEC3, start=lambda e: e, zone=PARIS)
        assert (first, last) == (date(2026, 11, 13), date(2026, 11, 14))

    @pytest.mark.parametrize("printed,last_day", [
        ("2027-03", date(2027, 3, 31)), ("2027/3", date(2027, 3, 31)),
        ("03/2027", date(2027, 3, 31)), ("3.2027", date(2027, 3, 31)),
        ("March 2027", date(2027, 3, 31)), ("MAR 2027", date(2027, 3, 31)),
        ("mar. 2027", date(2027, 3, 31)), ("February 2028", date(2028, 2, 29)),
        ("2027-02", date(2027, 2, 28)), ("12/2027", date(2027, 12, 31)),
        ("Dec, 2027", date(2027, 12, 31)), ("30/06/2027", date(2027, 6, 30)),
        ("2027-06-30", date(2027, 6, 30)),
    ])
    def test_an_expiry_printed_as_a_month_is_its_last_day(self, printed, last_day):
        assert timeparse.parse_expiry(printed, TODAY_DEC3, PARIS) == last_day

    @pytest.mark.parametrize("printed", ["2027-13", "13/2027", "2027-00", "00/2027"])
    def test_a_month_that_does_not_exist(self, printed):
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry(printed, TODAY_DEC3)
        assert said(e) == f"{printed!r} is not a month that exists: check it"

    def test_an_expiry_in_words_that_is_not_a_month(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry("Smarch 2027", TODAY_DEC3)
        assert said(e).startswith("'Smarch 2027' is not a date")


class TestSecondReadEdges:
    def test_the_zone_orders_the_readings_of_every_reader(self):
        for read in (lambda t: timeparse.parse_when(f"{t} 08:00", NOW_DEC3, NEW_YORK),
                     lambda t: timeparse.parse_expiry(t, TODAY_DEC3, NEW_YORK),
                     lambda t: timeparse.parse_period(t, None, TODAY_DEC3, end=TODAY_DEC3,
                                                      start=lambda e: e, zone=NEW_YORK),
                     lambda t: timeparse.parse_period(None, t, TODAY_DEC3, end=TODAY_DEC3,
                                                      start=lambda e: e, zone=NEW_YORK)):
            with pytest.raises(InputError) as e:
                read("06/12/2026")
            assert said(e).startswith("'06/12/2026' could be 12 June 2026 or 6 December 2026")
        with pytest.raises(InputError) as e:
            typed.one_date("12/06/2019", TODAY_DEC3)  # day first unless told otherwise
        assert said(e).startswith("'12/06/2019' could be 12 June 2019 or 6 December 2019")

    def test_a_date_and_a_word_is_not_taken_for_an_iso_instant(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_when("2026-11-20 at", NOW_DEC3, PARIS)
        assert said(e) == ("'2026-11-20 at' is not a date: type it like 2019-06-12, "
                           "12/06/2019 or 12 June 2019")
