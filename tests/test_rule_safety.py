"""The label's limits on a dose and a prescription, and what an injection that broke
one is flagged with.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from conftest import HALF, TWO, WHOLE, message, precision

from tracker.domain import dosing, safety
from tracker.domain.actions import Do, act
from tracker.domain.dosing import EPSILON, SYRINGES, draw
from tracker.errors import InputError, Refused


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


def test_a_tap_after_the_window_is_told_the_dose_is_missed():
    said = safety.time_passed("07:30", "11:30")
    assert said == ("the 07:30 dose's time has passed (it closed at 11:30): it is missed, not "
                    "made up. If it was given, log it with the time it was given.")
    assert said.actions() == (act(Do.AT, at="07:30"),)  # each front names it its own way


class TestDoseLimits:
    TOL = safety.mark_tolerance_mg(HALF, 10)

    def test_half_a_mark_of_the_syringe(self):
        assert pytest.approx(0.025) == self.TOL
        assert safety.mark_tolerance_mg(TWO, 10) == pytest.approx(0.1)
        assert safety.mark_tolerance_mg(WHOLE, 5) == pytest.approx(0.025)

    def test_above_the_prescription_only_past_half_a_mark(self):
        assert safety.dose_problems(0.825, 0.8, 20, self.TOL) == []
        assert safety.dose_problems(0.826, 0.8, 20, self.TOL) == [
            "0.83 mg is more than the prescribed 0.80 mg"
        ]

    def test_the_label_ceiling_has_no_slack(self):
        assert safety.dose_problems(2.4, 2.4, 20, self.TOL) == []
        problems = safety.dose_problems(2.401, 2.401, 20, self.TOL)
        assert problems == [
            "2.40 mg is 0.120 mg/kg at 20 kg, above the label's ceiling of 0.12 mg/kg per injection"
        ]
        # above both the prescription and the ceiling: both are said
        assert len(safety.dose_problems(3.0, 0.8, 20, self.TOL)) == 2

    def test_no_weight_no_ceiling_check(self):
        assert safety.dose_problems(5.0, 5.0, None, self.TOL) == []

    @pytest.mark.parametrize("mg", [0.0, -0.1, float("nan")])
    def test_a_dose_must_be_positive(self, mg):
        with pytest.raises(InputError):
            safety.dose_problems(mg, 0.8, 20, self.TOL)

    def test_the_drawn_dose_is_checked_before_the_injection(self):
        assert safety.draw_problems(draw(0.8), 20) == []
        over = safety.draw_problems(draw(3.0), 20)
        assert over and "ceiling" in over[0]
        # a syringe that cannot hold or measure the dose is the syringe's problem, said
        # with the syringe that can (precision_note), not a reason to call the doctor
        assert safety.draw_problems(draw(3.2, syringe=HALF), 30) == []
        big = safety.syringe_problems(draw(3.2, syringe=HALF))
        assert big == ["32 units do not fit in a 0.3 mL syringe with half-unit marks (it holds 30)"
                       ": a bigger syringe is needed"]
        assert safety.draw_problems(draw(0.02, syringe=HALF), 20) == []
        tiny = safety.syringe_problems(draw(0.02, syringe=HALF))
        assert tiny and "less than one mark" in tiny[0]
        assert safety.do_not_give([]) is None
        assert safety.do_not_give(["a", "b"]) == ("Do not give this dose: a; b. Call the child's "
                                                  "doctor.")
        assert safety.do_not_give([]) is None
        assert safety.ask_first(["a", "b"]) == ("Ask the child's doctor before giving this dose: "
                                                "a; b was logged.")
        assert safety.ask_first([]) is None
        assert str(safety.meal_rule("Mia")) == ("Within 20 minutes of a meal or snack; if Mia "
                                                "cannot eat, withhold it and log why.")


class TestMeasurementLimits:
    @pytest.mark.parametrize("kg", [2.0, 200.0])
    def test_weights_at_the_limits_are_accepted(self, kg):
        assert safety.check_weight(kg) == kg

    @pytest.mark.parametrize("kg", [-1.0, 0.0, float("nan"), 1.99, 200.01])
    def test_weights_past_the_limits_are_refused(self, kg):
        with pytest.raises(InputError):
            safety.check_weight(kg)

    @pytest.mark.parametrize("cm", [40.0, 220.0])
    def test_heights_at_the_limits(self, cm):
        assert safety.check_height(cm) == cm

    @pytest.mark.parametrize("cm", [0.0, float("nan"), 39.9, 220.1])
    def test_heights_past_the_limits(self, cm):
        with pytest.raises(InputError):
            safety.check_height(cm)

    def test_weight_jump_at_twenty_percent(self):
        assert safety.weight_jump(20, 24) is None
        assert safety.weight_jump(20, 16) is None
        assert safety.weight_jump(20, 24.01) == (
            "24.01 kg is more than 20% away from the last weight (20 kg)"
        )
        assert safety.weight_jump(20, 15.99) is not None
        assert safety.weight_jump(None, 50) is None
        assert "the weight the dose was prescribed for" in (
            safety.weight_jump(20, 30, "the weight the dose was prescribed for") or ""
        )


class TestPrescriptionRules:
    def test_only_the_increlex_strength(self):
        assert safety.concentration_problems(10) == []
        assert safety.concentration_problems(10.0000000001) == []
        assert safety.concentration_problems(9.99) == [
            "Increlex is made only as 10 mg/mL; 9.99 mg/mL is not an Increlex vial"
        ]
        assert safety.concentration_problems(10.01)
        with pytest.raises(InputError):
            safety.concentration_problems(0)

    @pytest.mark.parametrize(
        ("times", "expected"),
        [
            ((time(7, 30), time(19, 30)), []),
            ((time(7, 0), time(17, 0)), []),  # 10 h: still the usual range
            ((time(7, 0), time(16, 59)), [("dose-gap", "confirm")]),
            ((time(7, 0), time(15, 0)), [("dose-gap", "confirm")]),  # exactly 8 h
            ((time(7, 0), time(14, 59)), [("dose-gap", "refuse")]),
            ((time(20, 0), time(4, 0)), [("dose-gap", "confirm")]),  # across midnight
            ((time(8, 0),), [("twice-a-day", "refuse")]),
            ((time(6, 0), time(14, 0), time(22, 0)),
             [("twice-a-day", "refuse"), ("dose-gap", "confirm")]),
            ((time(6, 0), time(18, 0), time(23, 0)),
             [("twice-a-day", "refuse"), ("dose-gap", "refuse")]),
        ],
    )
    def test_twice_a_day_about_twelve_hours_apart(self, times, expected):
        found = safety.times_findings(times)
        assert [(f.rule, f.action) for f in found] == expected

    def test_gap_is_said_in_hours_and_minutes(self):
        (f,) = safety.times_findings((time(7, 0), time(14, 30)))
        assert f.text == (
            "two doses only 7 h 30 min apart: they must be at least 8 h apart (about 12 is usual)"
        )
        (f,) = safety.times_findings((time(7, 0), time(16, 0)))
        assert f.text == "the doses are 9 h apart; about 12 hours is usual"
        (f,) = safety.times_findings((time(8, 0),))
        assert f.text.startswith("1 dose time a day")

    def test_daily_total(self):
        assert safety.daily_total_problems(2.4, 20, 2) == []
        assert safety.daily_total_problems(1.6, 20, 3) == []  # 4.8 mg = 0.24 mg/kg a day
        assert safety.daily_total_problems(1.61, 20, 3) == [  # 0.2415 rounds half up
            "4.83 mg a day is 0.242 mg/kg a day, above the label's 0.24 mg/kg a day"
        ]
        assert safety.daily_total_problems(9.0, None, 2) == []

    def test_ceiling_per_injection(self):
        assert safety.prescription_problems(0.12, None, 20) == []
        assert safety.prescription_problems(0.1201, None, 20) == [
            "0.1201 mg/kg is above the label's ceiling of 0.12 mg/kg"
        ]
        assert safety.prescription_problems(None, 2.4, 20) == []
        assert "0.121 mg/kg" in safety.prescription_problems(None, 2.42, 20)[0]
        assert safety.prescription_problems(None, 9.0, None) == []
        for bad in ((-0.04, None), (None, 0.0), (None, None)):
            with pytest.raises(InputError):
                safety.prescription_problems(*bad, 20)

    def test_titration_start(self):
        assert safety.titration_warnings(0.08, None, since_last_increase=None,
                                         low_in_last_week=True) == []
        (w,) = safety.titration_warnings(0.0801, None, since_last_increase=None,
                                         low_in_last_week=False)
        assert w == "a start at 0.0801 mg/kg is above the label's starting range (0.04-0.08 mg/kg)"
        assert safety.titration_warnings(None, 0.04, since_last_increase=None,
                                         low_in_last_week=True) == []

    def test_titration_steps(self):
        week = timedelta(days=7)
        ok = safety.titration_warnings(0.08, 0.04, since_last_increase=week,
                                       low_in_last_week=False)
        assert ok == []
        (w,) = safety.titration_warnings(0.0801, 0.04, since_last_increase=None,
                                         low_in_last_week=False)
        assert w.startswith("a step of 0.0401 mg/kg (from 0.04 to 0.0801) is more than")
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=week - timedelta(hours=1),
                                         low_in_last_week=False)
        assert w.startswith("the last increase was 6 d 23 h ago")
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=None,
                                         low_in_last_week=True)
        assert w.startswith("low blood sugar was logged in the last 7 days")
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=None,
                                         low_in_last_week=False,
                                         not_tolerated=("vomiting on Thu 26 Nov", "x"))
        assert w == ("the last 7 days were not well tolerated (vomiting on Thu 26 Nov; x): the "
                     "label raises the dose only if it was well tolerated for at least one "
                     "week")
        assert safety.titration_warnings(0.04, 0.04, since_last_increase=None,
                                         low_in_last_week=False, not_tolerated=("x",)) == []
        assert safety.titration_warnings(0.04, None, since_last_increase=None,
                                         low_in_last_week=False, not_tolerated=("x",)) == []
        # a decrease or the same dose is never warned
        for new in (0.04, 0.02):
            assert safety.titration_warnings(new, 0.04, since_last_increase=timedelta(0),
                                             low_in_last_week=True) == []
        three = safety.titration_warnings(0.12, 0.04, since_last_increase=timedelta(days=1),
                                          low_in_last_week=True)
        assert len(three) == 3

    def test_override_needs_a_reason(self):
        safety.require_override([], None)
        with pytest.raises(Refused, match=r"too much\. Check with the child's doctor; to record"):
            safety.require_override(["too much"], None)
        with pytest.raises(Refused):
            safety.require_override(["too much"], "   ")
        safety.require_override(["too much"], "doctor said so on the phone")


class TestInjectionFindings:
    def test_an_ordinary_injection_has_none(self):
        assert safety.injection_findings(
            dose_problems_found=[], meal=True, after_close=None, since_previous=timedelta(hours=12)
        ) == []
        assert safety.injection_findings(
            dose_problems_found=[], meal=None, after_close=None, since_previous=None
        ) == []

    def test_each_finding_and_what_it_asks(self):
        found = safety.injection_findings(
            dose_problems_found=["too much"],
            meal=False,
            after_close=timedelta(0),
            since_previous=timedelta(hours=5, minutes=59),
        )
        assert [(f.rule, f.action) for f in found] == [
            ("dose", "flag"),
            ("no-meal", "flag"),
            ("late", "confirm"),
            ("too-soon", "confirm"),
        ]
        assert found[2].text == "given 0 min after its slot closed (a late make-up)"
        assert found[3].text == "given only 5 h 59 min after the previous injection"

    def test_six_hours_after_the_last_is_fine(self):
        assert safety.injection_findings(
            dose_problems_found=[], meal=True, after_close=None, since_previous=timedelta(hours=6)
        ) == []

    def test_late_is_said_in_hours(self):
        (f,) = safety.injection_findings(
            dose_problems_found=[], meal=None, after_close=timedelta(minutes=75),
            since_previous=None,
        )
        assert f.text == "given 1 h 15 min after its slot closed (a late make-up)"

    def test_late_window_is_a_rule_with_its_condition(self):
        text = safety.late_window("Lea", "19:00", "1 h 10 min", "23:00")
        assert text.startswith("the 19:00 dose is 1 h 10 min late. If Lea can eat now, it can ")
        assert "until 23:00; after that it is missed and not made up" in text
        assert "If Lea is asleep or cannot eat, withhold it" in text
        from tracker.cli.say import text as cli_text

        assert cli_text(text).endswith(
            "If Lea is asleep or cannot eat, withhold it (tracker skip --reason 'not eating').")
        assert str(text).endswith("If Lea is asleep or cannot eat, withhold it and log why.")


class TestTheFirstWeekOfTreatment:
    """The first increase waits a week from the start of treatment, counted to the minute."""

    FIRST_WEEK = ("the label raises the dose only after a first week of treatment that was "
                  "well tolerated")

    def first_increase(self, since_start: timedelta | None) -> list[str]:
        return safety.titration_warnings(0.06, 0.04, since_last_increase=None,
                                         low_in_last_week=False, since_start=since_start)

    def test_within_the_first_week_it_is_warned_in_full(self):
        assert self.first_increase(timedelta(days=7) - timedelta(minutes=1)) == [
            f"the treatment started 6 d 23 h ago: {self.FIRST_WEEK}"]
        assert self.first_increase(timedelta(hours=5)) == [
            f"the treatment started 5 h 00 min ago: {self.FIRST_WEEK}"]

    def test_a_start_recorded_after_the_prescription_is_said_as_just_now(self):
        assert self.first_increase(timedelta(hours=-2)) == [
            f"the treatment started 0 min ago: {self.FIRST_WEEK}"]

    def test_a_full_week_after_the_start_or_no_start_known_is_not_warned(self):
        assert self.first_increase(timedelta(days=7)) == []
        assert self.first_increase(None) == []

    def test_after_an_increase_the_start_no_longer_counts(self):
        assert safety.titration_warnings(0.06, 0.04, since_last_increase=timedelta(days=8),
                                         low_in_last_week=False,
                                         since_start=timedelta(days=2)) == []


class TestAPrescriptionInMgAboveTheCeiling:
    def test_said_in_full(self):
        assert safety.prescription_problems(None, 2.5, 20) == [
            "2.50 mg is 0.125 mg/kg at 20 kg, above the label's ceiling of 0.12 mg/kg per "
            "injection"]


class TestTheSyringeSuggested:
    def test_at_another_concentration_it_holds_the_units_of_that_concentration(self):
        # 2 mg at 5 mg/mL is 0.4 mL = 40 units: a 0.5 mL syringe, not a 0.3 mL one
        note = precision(draw(2.0, concentration=5, syringe=SYRINGES["0.3ml"]), "Mia")
        assert note == (
            "40 units do not fit in a 0.3 mL syringe with 1-unit marks (it holds 30): change "
            "the syringe to a 0.5 mL syringe with 1-unit marks "
            "(tracker child Mia --syringe 0.5ml)")

    def test_a_dose_no_syringe_holds_is_for_the_pharmacist(self):
        assert precision(draw(12.0, syringe=SYRINGES["1ml"]), "Mia") == (
            "120 units do not fit in a 1 mL syringe with 1-unit marks (it holds 100): ask the "
            "pharmacist or clinic which syringe to draw it with")
