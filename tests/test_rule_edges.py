"""Every limit of the pure rules at its edge, and the words a parent reads, exactly.

Written from a mutation run of tracker/domain (bench/mutation.py): each test here failed
against at least one mutant that the rest of the suite let through, so that a limit, a
comparison or a message cannot drift without a test noticing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.domain import dosing, glucose, guidance, safety, schedule, sites, symptoms, text, vials
from tracker.domain import timeparse as tp
from tracker.domain.dosing import EPSILON, SYRINGES, draw
from tracker.domain.guidance import DOCTOR, EMERGENCY, WATCH, Advice, Recent
from tracker.errors import InputError, Refused

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def message(exc_info: pytest.ExceptionInfo[BaseException]) -> str:
    """The refusal as the command line says it (its actions named as commands)."""
    from tracker.cli.say import text

    return text(exc_info.value)


class TestSymptomWords:
    @pytest.mark.parametrize(
        ("typed", "kind"),
        [
            ("hypoglycemia", "low-blood-sugar"),
            ("Hypoglycaemia", "low-blood-sugar"),
            ("low sugar", "low-blood-sugar"),
            ("hypo", "low-blood-sugar"),
            ("low_blood_sugar", "low-blood-sugar"),
            ("low -blood sugar", "low-blood-sugar"),
            ("limp", "limp-or-joint-pain"),
            ("joint pain", "limp-or-joint-pain"),
            ("hip pain", "limp-or-joint-pain"),
            ("knee-pain", "limp-or-joint-pain"),
            ("rash", "rash-or-swelling"),
            ("hives", "rash-or-swelling"),
            ("swelling", "rash-or-swelling"),
            ("blurred vision", "vision-change"),
            ("vision", "vision-change"),
            ("feeling sick", "nausea"),
            ("sick", "nausea"),
            ("seizure", "seizure-or-unresponsive"),
            ("fit", "seizure-or-unresponsive"),
            ("convulsion", "seizure-or-unresponsive"),
            ("unresponsive", "seizure-or-unresponsive"),
            ("fainting", "seizure-or-unresponsive"),
            ("fainted", "seizure-or-unresponsive"),
            ("lump", "new-lump"),
            ("growth", "new-lump"),
            ("scoliosis", "back-curve"),
            ("curved back", "back-curve"),
            ("  NAUSEA ", "nausea"),
        ],
    )
    def test_the_words_parents_use(self, typed, kind):
        assert symptoms.normalise_kind(typed) == kind

    def test_unknown_kinds_and_severities_name_the_choices(self):
        with pytest.raises(InputError) as e:
            symptoms.normalise_kind("sneezing")
        assert message(e) == (
            f"unknown symptom 'sneezing': choose one of {', '.join(symptoms.KINDS)}"
        )
        with pytest.raises(InputError) as e:
            symptoms.normalise_severity("awful")
        assert message(e) == "unknown severity 'awful': choose mild, moderate or severe"
        assert symptoms.normalise_severity(" Severe ") == "severe"


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


class TestTimeParsing:
    NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)  # 10:00 in Paris

    def when(self, typed, past=True):
        return tp.parse_when(typed, self.NOW, PARIS, past=past)

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
        for typed, at in (("yesterday 02:30", after), ("02:30", after),
                          ("today 2:30am", that_day), ("2:30", that_day)):
            with pytest.raises(InputError) as e:
                tp.parse_when(typed, at, PARIS)
            assert message(e).startswith(f"{typed!r} does not exist in Europe/Paris"), typed

    def test_a_bare_time_is_the_latest_one_within_five_minutes(self):
        # 10:00 now: 10:05 is today (five minutes of clock skew), 10:06 was yesterday
        assert self.when("10:05") == datetime(2026, 11, 24, 9, 5, tzinfo=UTC)
        assert self.when("10:06") == datetime(2026, 11, 23, 9, 6, tzinfo=UTC)
        assert self.when("19:30", past=False) == datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
        # the day is the child's: 00:30 UTC is already tomorrow in Paris
        late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
        assert tp.parse_when("00:20", late, PARIS) == datetime(2026, 11, 24, 23, 20, tzinfo=UTC)

    def test_refuse_future_allows_five_minutes(self):
        tp.refuse_future(self.NOW + tp.FUTURE_TOLERANCE, self.NOW)
        with pytest.raises(InputError) as e:
            tp.refuse_future(self.NOW + tp.FUTURE_TOLERANCE + timedelta(seconds=1), self.NOW)
        assert message(e) == "that time is in the future: log things after they happen"

    def test_dates(self):
        today = date(2026, 11, 24)
        assert tp.parse_date(" Today", today) == today
        assert tp.parse_date("yesterday", today) == date(2026, 11, 23)
        assert tp.parse_date("20/11/2026", today) == date(2026, 11, 20)  # one reading
        assert tp.parse_date("20 Nov 2026", today) == date(2026, 11, 20)
        with pytest.raises(InputError) as e:
            tp.parse_date("12/06/2019", today)
        assert message(e) == (
            "'12/06/2019' could be 12 June 2019 or 6 December 2019: write 2019-06-12 "
            "(year-month-day) to say which"
        )
        with pytest.raises(InputError) as e:
            tp.parse_date("31/31/2019", today)
        assert message(e) == (
            "'31/31/2019' is not a date that exists: check the day and month"
        )
        with pytest.raises(InputError) as e:
            tp.parse_date("soon", today)
        assert message(e) == (
            "'soon' is not a date: type it like 2019-06-12, 12/06/2019 or 12 June 2019"
        )
        assert tp.parse_period(None, "today", today, end=date(2020, 1, 1),
                               start=lambda d: d - timedelta(days=9)) == (
            date(2026, 11, 15), today)


class TestSitesAndGlucoseAndText:
    def test_sites(self):
        assert sites.normalise_site("left -thigh") == "left-thigh"
        with pytest.raises(InputError) as e:
            sites.normalise_site("elbow")
        assert message(e) == f"unknown site 'elbow': choose one of {', '.join(sites.SITES)}"

    @pytest.mark.parametrize("typed, site", [
        ("thigh-left", "left-thigh"), ("Thigh Left", "left-thigh"), ("L thigh", "left-thigh"),
        ("r_leg", "right-thigh"), ("upper arm right", "right-upper-arm"),
        ("right arm", "right-upper-arm"), ("left tummy", "left-abdomen"),
        ("stomach R", "right-abdomen"), ("belly-left", "left-abdomen"),
        ("left buttocks", "left-buttock"), ("bottom right", "right-buttock"),
        ("bum l", "left-buttock"), ("  LEFT   ABDOMEN ", "left-abdomen"),
    ])
    def test_a_site_is_read_as_a_tired_person_types_it(self, typed, site):
        assert sites.normalise_site(typed) == site

    @pytest.mark.parametrize("typed", ["left right thigh", "left", "left elbow", "elbows",
                                       "arm upper left", ""])
    def test_a_site_with_a_side_or_part_missing_or_unknown_is_refused(self, typed):
        with pytest.raises(InputError) as e:
            sites.normalise_site(typed)
        assert message(e).startswith(f"unknown site {typed!r}: choose one of left-upper-arm")

    def test_a_site_without_its_side_asks_which_side(self):
        with pytest.raises(InputError) as e:
            sites.normalise_site(" Thigh ")
        assert message(e) == "which side, for 'Thigh'? left-thigh or right-thigh"
        with pytest.raises(InputError) as e:
            sites.normalise_site("upper arm")
        assert message(e) == "which side, for 'upper arm'? left-upper-arm or right-upper-arm"
        assert sites.repeat_warning("left-thigh", "left-thigh") == (
            "left-thigh was also the site of the last injection: rotate sites to avoid lumps "
            "under the skin"
        )

    def test_glucose_limits(self):
        assert glucose.level(54) == "low"
        assert glucose.level(53.99) == "very low"
        assert glucose.level(69.99) == "low"
        assert glucose.level(70) is None
        assert glucose.to_mgdl(10, "mg/dL") == 10 and glucose.to_mgdl(700, "mg/dL") == 700
        assert glucose.to_mgdl(0.5, "mmol/L") == 9 and glucose.to_mgdl(40, "mmol/L") == 720
        for value, unit in ((9.99, "mg/dL"), (700.01, "mg/dL"), (0.49, "mmol/L"),
                            (40.01, "mmol/L"), (float("nan"), "mg/dL")):
            with pytest.raises(InputError):
                glucose.to_mgdl(value, unit)
        with pytest.raises(InputError) as e:
            glucose.to_mgdl(900, "mg/dL")
        assert message(e) == (
            "a blood sugar of 900 mg/dL is not plausible: check the number, or if the meter "
            "shows mmol/L, log it with --unit mmol/L"
        )
        with pytest.raises(InputError) as e:
            glucose.to_mgdl(0.2, "mmol/L")
        assert message(e).endswith("if the meter shows mg/dL, log it with --unit mg/dL")

    def test_glucose_units(self):
        assert glucose.normalise_unit(" mg / dl ") == "mg/dL"
        with pytest.raises(InputError) as e:
            glucose.normalise_unit("g/L")
        assert message(e) == "unknown glucose unit 'g/L': use mg/dL or mmol/L"
        assert glucose.from_mgdl(90, "mmol/L") == 5.0 and glucose.from_mgdl(90, "mg/dL") == 90
        assert glucose.format_value(90, "mg/dL") == "90 mg/dL"
        for typed_unit, unit in (("mmol", "mmol/L"), ("MMOL/L", "mmol/L"), ("mg", "mg/dL"),
                                 ("mgdl", "mg/dL")):
            assert glucose.normalise_unit(typed_unit) == unit

    def test_a_number_that_is_low_in_one_unit_and_not_the_other(self):
        """18 is a dangerous low in mg/dL and a high in mmol/L: which must be asked."""
        assert glucose.other_reading(18, "mg/dL") == "mmol/L"
        assert glucose.other_reading(10, "mg/dL") == "mmol/L"  # both ends plausible
        assert glucose.other_reading(40, "mg/dL") == "mmol/L"
        assert glucose.other_reading(41, "mg/dL") is None  # not plausible in mmol/L
        assert glucose.other_reading(9.9, "mmol/L") is None  # not plausible in mg/dL
        assert glucose.other_reading(3.5, "mmol/L") is None
        assert glucose.other_reading(12, "mmol/L") == "mg/dL"
        assert glucose.other_reading(95, "mg/dL") is None
        assert glucose.other_reading(10, "mmol/L") == "mg/dL"  # the low end of mg/dL
        assert glucose.other_reading(9.99, "mmol/L") is None
        assert glucose.other_reading(5, "mg/dL") is None  # not a reading in mg/dL at all
        assert glucose.other_reading(0.5, "mmol/L") is None

    def test_clean_text(self):
        assert text.clean("line one\n\tline two", "the note") == "line one\n\tline two"
        with pytest.raises(InputError) as e:
            text.clean("a\x1bb", "the note")
        assert message(e) == "the note contains a control character ('\\x1b'): remove it"
        with pytest.raises(InputError):
            text.clean("half \ud800 a pair", "the note")
        assert text.clean("x" * 10, "the note", 10) == "x" * 10
        with pytest.raises(InputError) as e:
            text.clean("x" * 11, "the note", 10)
        assert message(e) == "the note is 11 characters long: keep it under 10"
        assert text.clean("x" * text.NOTE_MAX, "the note")
        with pytest.raises(InputError):
            text.clean("x" * (text.NOTE_MAX + 1), "the note")

    def test_clean_name(self):
        assert text.clean_name("x" * text.NAME_MAX) == "x" * text.NAME_MAX
        with pytest.raises(InputError) as e:
            text.clean_name("x" * (text.NAME_MAX + 1))
        assert message(e) == "the name is 81 characters long: keep it under 80"
        with pytest.raises(InputError) as e:
            text.clean_name("  ")
        assert message(e) == "the name cannot be empty"
        with pytest.raises(InputError) as e:
            text.clean_name("a\tb", "the caregiver's name")
        assert message(e) == "the caregiver's name contains a control character ('\\t'): remove it"

    def test_one_line(self):
        assert text.one_line("a\nb\x1b[31m\u202ec שלום") == "a\\nb\\x1b[31m\\u202ec שלום"
        assert text.one_line("x" * text.MESSAGE_MAX) == "x" * text.MESSAGE_MAX
        cut = text.one_line("x" * (text.MESSAGE_MAX + 1))
        assert cut == "x" * (text.MESSAGE_MAX - 1) + "…" and len(cut) == text.MESSAGE_MAX


class TestDosingEdges:
    def test_syringe_words(self):
        for typed in ("0.3 mL with half-unit marks", "0.3ml half mark", "0.3ml-half-units"):
            assert dosing.parse_syringe(typed).key == "0.3ml-half"
        assert dosing.parse_syringe("1 mL with 2-unit marks").key == "1ml-2"
        assert dosing.parse_syringe("0.5 ml 1 unit mark").key == "0.5ml"
        with pytest.raises(InputError) as e:
            dosing.parse_syringe("3ml")
        assert message(e) == (
            "unknown syringe '3ml': choose one of 0.3ml-half, 0.3ml, 0.5ml, 1ml, 1ml-2 "
            "(0.3 mL with half or whole units, 0.5 mL, 1 mL with 1- or 2-unit marks)"
        )

    def test_rounded_down_only_when_it_is(self):
        assert draw(0.8).rounded_down is False
        # a prescription already above its ceiling is not "rounded down": it is too high,
        # and the check says so
        d = draw(3.0, syringe=SYRINGES["0.5ml"], ceiling=2.4)
        assert (d.units, d.rounded_down) == (30, False)
        assert draw(0.88, ceiling=0.88).rounded_down is True

    def test_amount_given_keeps_two_decimals_of_a_unit(self):
        assert dosing.describe_amount(0.8333) == "0.83 mg = 0.0833 mL = 8.33 units"

    def test_exact_units(self):
        assert draw(0.86).exact_units == pytest.approx(8.6)


class TestSafetyEdges:
    def test_limits_hold_exactly_at_the_edge(self):
        tol = safety.mark_tolerance_mg(SYRINGES["0.3ml-half"], 10)
        edge = 0.8 + tol + EPSILON
        assert safety.dose_problems(edge, 0.8, 20, tol) == []
        ceiling = dosing.MAX_MG_PER_KG * 20 + EPSILON
        assert safety.dose_problems(ceiling, 5.0, 20, tol) == []
        assert safety.prescription_problems(None, ceiling, 20) == []
        assert safety.prescription_problems(dosing.MAX_MG_PER_KG + EPSILON, None, 20) == []
        assert safety.concentration_problems(10 + EPSILON / 2) == []
        day = dosing.MAX_MG_PER_KG_PER_DAY + EPSILON
        assert safety.daily_total_problems(day * 20 / 2, 20, 2) == []
        assert safety.titration_warnings(
            dosing.START_MG_PER_KG[1] + EPSILON, None, since_last_increase=None,
            low_in_last_week=False) == []
        assert safety.titration_warnings(
            0.04 + dosing.STEP_MG_PER_KG + 1e-6, 0.04, since_last_increase=None,
            low_in_last_week=False) == []
        assert safety.titration_warnings(
            0.04 + EPSILON, 0.04, since_last_increase=timedelta(0), low_in_last_week=True) == []

    def test_positive_numbers_only(self):
        for check in (safety.check_weight, safety.check_height):
            for bad in (0.0, 0.5, -1.0, float("nan")):
                with pytest.raises(InputError):
                    check(bad)
        with pytest.raises(InputError) as e:
            safety.check_weight(0)
        assert message(e) == "weight must be a positive number of kilograms, not 0"
        with pytest.raises(InputError) as e:
            safety.check_weight(0.5)
        assert message(e) == "a weight of 0.5 kg is outside 2-200 kg: check the number"
        with pytest.raises(InputError) as e:
            safety.check_weight(300)
        assert message(e) == "a weight of 300 kg is outside 2-200 kg: check the number"
        with pytest.raises(InputError) as e:
            safety.check_height(0)
        assert message(e) == "height must be a positive number of centimetres, not 0"
        with pytest.raises(InputError) as e:
            safety.check_height(0.5)
        assert message(e) == "a height of 0.5 cm is outside 40-220 cm: check the number"
        with pytest.raises(InputError) as e:
            safety.check_height(300)
        assert message(e) == "a height of 300 cm is outside 40-220 cm: check the number"

    def test_what_each_refusal_says(self):
        with pytest.raises(InputError) as e:
            safety.dose_problems(0, 0.8, 20, 0.025)
        assert message(e) == "the dose must be a positive number, not 0"
        with pytest.raises(InputError) as e:
            safety.concentration_problems(0)
        assert message(e) == "the concentration must be a positive number, not 0"
        with pytest.raises(InputError) as e:
            safety.prescription_problems(-0.1, None, 20)
        assert message(e) == "the dose in mg/kg must be a positive number, not -0.1"
        with pytest.raises(InputError) as e:
            safety.prescription_problems(None, -1, 20)
        assert message(e) == "the dose must be a positive number, not -1"
        with pytest.raises(InputError) as e:
            safety.prescription_problems(None, None, 20)
        assert message(e) == "give the dose, in mg/kg or in mg"
        with pytest.raises(Refused) as e:
            safety.require_override(["too much", "too soon"], None)
        assert message(e) == (
            "too much; too soon. Check with the child's doctor; to record it anyway add "
            "--force --reason TEXT"
        )

    def test_the_gap_across_midnight_with_three_times(self):
        found = safety.times_findings((time(0, 30), time(8), time(23)))
        assert [f.text for f in found][1] == (
            "two doses only 1 h 30 min apart: they must be at least 8 h apart (about 12 is usual)"
        )

    def test_dose_times_and_their_words(self):
        (f,) = safety.times_findings((time(8), time(9), time(20)))[:1]
        assert f.text == "3 dose times a day: the label gives Increlex twice a day"
        assert safety.times_findings(()) == [
            safety.Finding("twice-a-day", "0 dose times a day: the label gives Increlex "
                           "twice a day", safety.REFUSE)]
        # the gap across midnight counts: 20:00 and 06:00 are 10 h apart that way
        assert safety.times_findings((time(6), time(20))) == []
        (f,) = safety.times_findings((time(6), time(21)))  # 9 h across midnight
        assert f.text == "the doses are 9 h apart; about 12 hours is usual"

    def test_titration_words(self):
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=timedelta(days=3.5),
                                         low_in_last_week=False)
        assert w == (
            "the last increase was 3 d 12 h ago: the label raises the dose only after a week "
            "that was well tolerated"
        )
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=None,
                                         low_in_last_week=True)
        assert w == (
            "low blood sugar was logged in the last 7 days: the label raises the dose only "
            "after a week without it"
        )

    def test_too_soon_is_said_in_hours_and_minutes(self):
        (f,) = safety.injection_findings(dose_problems_found=[], meal=None, after_close=None,
                                         since_previous=timedelta(seconds=21420))
        assert f.text == "given only 5 h 57 min after the previous injection"


def test_a_late_dose_that_must_not_be_given_is_not_offered():
    text = safety.late_window("Lea", "19:00", "1 h 10 min", "23:00", blocked=True)
    assert text == (
        "the 19:00 dose is 1 h 10 min late and is not to be given until the doctor says so "
        "(see above); from 23:00 it counts as missed and is not made up."
    )
    assert "can still be given" not in text


class TestGuidanceWords:
    def test_low_sugar_default_unit_and_no_vomiting(self):
        (a,) = guidance.low_sugar(60)
        assert a.text.startswith("Low blood sugar (60 mg/dL): give fast sugar now")
        assert a.text.endswith(guidance.ESCALATE.strip())
        (a,) = guidance.low_sugar(None)
        assert a.text.startswith(
            "Signs of low blood sugar: check it now if you can; if you cannot, treat it as "
            "low: give fast sugar now")
        (a,) = guidance.low_sugar(80)
        assert a.text == (
            "A blood sugar of 80 mg/dL is not low: no sugar is needed for it. If the signs "
            "go on, check again and tell the child's doctor."
        )

    def test_a_reading_in_the_meters_unit(self):
        found = guidance.advice("dizziness", None, 60, [], NOW, "mmol/L")
        assert found[0].text.startswith("Low blood sugar (3.3 mmol/L)")
        assert [a.level for a in found] == [DOCTOR]  # dizziness adds nothing beyond the low
        found = guidance.advice("headache", None, 60, [], NOW)
        assert found[0].level == DOCTOR and found[1] == (WATCH, guidance.RULES[3].advice().text)
        assert guidance.reading_advice(60, "mmol/L", [], NOW, None)[0].text.startswith(
            "Low blood sugar (3.3 mmol/L)")

    def test_recent_vomiting_changes_a_low_reading(self):
        sick = [Recent("vomiting", NOW - timedelta(hours=1), None)]
        assert guidance.reading_advice(60, "mg/dL", sick, NOW, None) == [
            (EMERGENCY, guidance.VOMITING_LOW)]
        later = [Recent("vomiting", NOW + timedelta(hours=5), None)]  # abs(): either side
        assert guidance.reading_advice(60, "mg/dL", later, NOW, None)[0].text == (
            guidance.VOMITING_LOW)
        # a vomiting logged as the symptom itself is the only one it needs
        assert guidance.advice("vomiting", None, 60, [], NOW)[0].text == guidance.VOMITING_LOW

    def test_the_recheck_after_a_low_says_exactly_what_next(self):
        (a,) = guidance.reading_advice(90, "mg/dL", [], NOW, (NOW, 62.0))
        assert a.text == (
            "Back in range: 90 mg/dL is above the low line of 70 mg/dL. "
            "Back up from the low of 62 mg/dL: give a snack or a meal with protein now if the "
            "child has not eaten, and check again before the next meal. Tell the child's "
            "doctor about the low."
        )
        assert guidance.reading_advice(90, "mg/dL", [], NOW, (NOW + timedelta(seconds=1), 62.0)
                                       ) == []

    def test_severe_comes_first_among_several(self):
        found = guidance.advice("snoring", "severe", None, [], NOW)
        assert found == [(EMERGENCY, guidance.SEVERE), (DOCTOR, guidance.RULES[10].advice().text)]

    def test_open_warnings_keep_the_severity(self):
        severe_rash = [Recent("rash-or-swelling", NOW, "severe")]
        texts = [t for _, t in guidance.open_warnings(severe_rash, NOW)]
        assert any("interrupted" in t for t in texts)

    def test_combinations_need_two_different_kinds_close_together(self):
        headaches = [Recent("headache", NOW - timedelta(days=1), None),
                     Recent("headache", NOW, None)]
        assert guidance.open_warnings(headaches, NOW) == []
        apart = [Recent("headache", NOW - timedelta(days=3), None),
                 Recent("vomiting", NOW, None)]
        assert any("intracranial" in t for _, t in guidance.open_warnings(apart, NOW))

    def test_after_injection_words(self):
        (a,) = guidance.after_injection({"dose"}, ["a", "b"])
        row = guidance.MISTAKES["dose"]
        assert a.text == f"a; b: {row.now}; {row.check}; {row.tell}; {row.watch}."
        (a,) = guidance.after_injection({"no-meal"}, [])
        assert a.text == (
            "No meal with this dose: give a meal or snack now; if the child cannot eat, give "
            "fast sugar (juice, glucose tablets); check blood sugar if the child seems unwell; "
            "tell the child's doctor at the next visit (now if a low follows); watch for "
            "signs of low blood sugar (shakiness, sweating, paleness, hunger, drowsiness, "
            "confusion) for the next 2 to 3 hours and keep fast sugar at hand."
        )

    def test_most_urgent_first_keeps_the_order_within_a_level(self):
        items = [Advice(DOCTOR, "b"), Advice(DOCTOR, "a"), Advice(EMERGENCY, "e")]
        assert guidance.most_urgent_first(items) == [
            Advice(EMERGENCY, "e"), Advice(DOCTOR, "b"), Advice(DOCTOR, "a")]


class TestVialEdges:
    ZONE = PARIS

    def test_doses_left(self):
        assert vials.doses_left(0.8, 0.08) == 10
        assert vials.doses_left(0.79, 0.08) == 9
        assert vials.doses_left(1.0, 0) == 0

    def test_days_of_supply(self):
        assert vials.days_of_supply(1.0, None, 0, 0.0, 2, NOW) == float("inf")
        assert vials.days_of_supply(1.6, None, 0, 0.08, 2, NOW) == pytest.approx(10)
        # the open vial counts only until its discard day, never less than nothing
        soon = NOW + timedelta(hours=12)
        assert vials.days_of_supply(1.6, soon, 0, 0.08, 2, NOW) == pytest.approx(0.5)
        past = NOW - timedelta(days=2)
        assert vials.days_of_supply(1.6, past, 0, 0.08, 2, NOW) == 0
        # an unopened vial gives 25 days at 0.08 mL twice a day (50 doses), capped at 30
        assert vials.days_of_supply(0, None, 1, 0.08, 2, NOW) == pytest.approx(25)
        assert vials.days_of_supply(0, None, 1, 0.02, 2, NOW) == 30

    def test_vial_warnings_at_their_edges(self):
        discard = datetime(2026, 11, 30, 7, tzinfo=UTC)
        state = vials.VialState(remaining_ml=1.0, discard_at=discard, doses_left=12)
        from tracker.cli.say import text

        none_open = vials.vial_warnings(None, 0.08, NOW, self.ZONE)
        assert none_open == [
            "no vial is recorded as open: when you open one, record the vial that was opened"]
        assert [text(w) for w in none_open] == [
            "no vial is recorded as open: when you open one, run 'tracker vial open'"]
        assert [text(w) for w in vials.vial_warnings(state, 0.08, discard, self.ZONE)] == [
            "the open vial had to be discarded on Mon 30 Nov 08:00: open a new vial "
            "(run 'tracker vial open')"]
        three_days = discard - vials.DISCARD_SOON
        assert vials.vial_warnings(state, 0.08, three_days, self.ZONE) == [
            "the open vial must be discarded in 3 d 0 h (Mon 30 Nov 08:00)"]
        assert vials.vial_warnings(state, 0.08, three_days - timedelta(minutes=1),
                                   self.ZONE) == []
        low = state._replace(remaining_ml=0.08)
        assert vials.vial_warnings(low, 0.08, NOW, self.ZONE) == []
        lower = state._replace(remaining_ml=0.0799)
        assert vials.vial_warnings(lower, 0.08, NOW, self.ZONE) == [
            "the open vial holds about 0.08 mL, less than one dose (0.08 mL): open a new vial"]

    def test_supply_warning(self):
        assert vials.supply_warning(10, 1) is None
        assert vials.supply_warning(9.9, 1) == (
            "medicine at home lasts about 10 days (1 unopened vial): order more")
        assert vials.supply_warning(3, 2) == (
            "medicine at home lasts about 3 days (2 unopened vials): order more")
        assert vials.supply_warning(3, 0).endswith("(0 unopened vials): order more")


class TestDirectionControls:
    def test_names_refuse_direction_controls_and_keep_right_to_left_letters(self):
        assert text.clean_name("מיה") == "מיה" and text.clean_name("مايا") == "مايا"
        for control in ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                        "\u2066", "\u2067", "\u2068", "\u2069"):
            with pytest.raises(InputError) as e:
                text.clean_name(f"Mia{control}", "the child's name")
            assert message(e) == (
                f"the child's name contains a text-direction control ({control!r}): remove "
                "it; right-to-left letters are fine"
            )

    def test_text_beside_amounts_is_isolated_only_when_it_needs_to_be(self):
        assert text.isolate("ate at 07:30") == "ate at 07:30"
        assert text.isolate("a\u202eb") == "\u2068a\u202eb\u2069"


def test_a_note_with_a_direction_control_cannot_reverse_the_history_line(mia):
    mia.ok("give", "--site", "left-thigh", "--at", "07:35", "--note", "x\u202ey")
    line = next(ln for ln in mia.ok("history").out.splitlines() if "D1" in ln)
    assert line.endswith("  - \u2068x\u202ey\u2069")
    mia.fails("init", "--child", "Leo\u202e", "--birth-date", "2019-01-01", "--weight", "18",
              "--dose-mg-per-kg", "0.04", code=2)
    rows = mia.rows("SELECT note FROM dose")
    assert rows == [("x\u202ey",)]  # kept as typed
