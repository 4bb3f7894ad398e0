"""The label's dose rules as plain functions, each tested at its limit and just past it.

A mutation run found that the old tests checked each rule well inside and well outside its
limit, so a limit could move (rounding at +0.55, a 10% wider ceiling, 220 kg) unnoticed.
Every test here sits on an edge: the value that is still allowed and the first that is not.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tracker.domain import dosing, safety
from tracker.domain.dosing import SYRINGES, draw
from tracker.errors import InputError, Refused

HALF = SYRINGES["0.3ml-half"]
WHOLE = SYRINGES["0.3ml"]
HALF_ML = SYRINGES["0.5ml"]
ONE_ML = SYRINGES["1ml"]
TWO = SYRINGES["1ml-2"]

def precision(draw: dosing.Draw, child: str) -> str | None:
    """The syringe note as the command line says it (the finer syringe's command)."""
    from tracker.cli.say import text

    note = safety.precision_note(draw, child)
    return None if note is None else text(note)



def units(mg, syringe=HALF, ceiling=None, concentration=10.0):
    return draw(mg, syringe=syringe, ceiling=ceiling, concentration=concentration).units


class TestDrawing:
    def test_label_example_20kg_at_008(self):
        # Label 2.2: 20 kg x 0.08 mg/kg = 1.6 mg = 0.16 mL = 16 units on a U-100 syringe.
        d = draw(dosing.mg_for(20, 0.08))
        assert (d.units, d.ml, d.mg) == (16, pytest.approx(0.16), pytest.approx(1.6))
        assert d.describe() == "1.60 mg = 0.16 mL = 16 units"
        assert d.syringe is HALF and not d.rounded_down

    @pytest.mark.parametrize(
        ("exact_units", "expected"),
        [
            (8.23, 8.0),  # nearest half mark is 8: a rounding point at +0.55 would give 8.5
            (8.24, 8.0),
            (8.25, 8.5),  # exactly half a mark rounds up (not to even)
            (8.26, 8.5),
            (8.74, 8.5),
            (8.75, 9.0),
        ],
    )
    def test_nearest_half_mark(self, exact_units, expected):
        assert units(exact_units / 10) == expected

    @pytest.mark.parametrize(
        ("exact_units", "expected"), [(8.49, 8.0), (8.5, 9.0), (8.51, 9.0), (9.49, 9.0)]
    )
    def test_nearest_whole_mark(self, exact_units, expected):
        assert units(exact_units / 10, WHOLE) == expected

    @pytest.mark.parametrize(
        ("exact_units", "expected"), [(8.9, 8.0), (8.99, 8.0), (9.0, 10.0), (9.1, 10.0)]
    )
    def test_nearest_two_unit_mark(self, exact_units, expected):
        assert units(exact_units / 10, TWO) == expected

    def test_other_concentration_changes_the_units(self):
        assert units(1.6, ONE_ML, concentration=5) == 32

    def test_never_rounds_past_the_ceiling_by_weight(self):
        # 0.12 mg/kg x 20.5 kg = 2.46 mg = 24.6 units: the nearest whole mark (25 = 2.50 mg)
        # is above the ceiling, so the mark below is drawn.
        ceiling = dosing.ceiling_mg(20.5)
        d = draw(2.46, syringe=HALF_ML, ceiling=ceiling)
        assert d.units == 24 and d.rounded_down
        assert d.describe() == "prescribed 2.46 mg: draw 24 units = 0.24 mL = 2.40 mg"
        # on half marks the nearest mark (24.5 = 2.45 mg) is under the ceiling: kept
        d = draw(2.46, syringe=HALF, ceiling=ceiling)
        assert d.units == 24.5 and not d.rounded_down

    def test_a_mark_exactly_at_the_ceiling_is_allowed(self):
        d = draw(2.4, syringe=HALF_ML, ceiling=dosing.ceiling_mg(20))
        assert d.units == 24 and not d.rounded_down

    def test_fixed_mg_is_its_own_ceiling(self):
        # fixed 0.88 mg = 8.8 units: 9 would be more than prescribed, so 8.5
        assert units(0.88, ceiling=dosing.ceiling_mg(None, 0.88)) == 8.5
        # fixed 0.86 mg = 8.6 units: the nearest mark (8.5) is already below
        d = draw(0.86, ceiling=dosing.ceiling_mg(None, 0.86))
        assert d.units == 8.5 and not d.rounded_down
        assert d.describe() == "prescribed 0.86 mg: draw 8.5 units = 0.085 mL = 0.85 mg"

    def test_rounding_up_under_an_mg_per_kg_ceiling_is_fine(self):
        # 0.04 mg/kg x 20.6 kg = 0.824 mg = 8.24 units -> 8; 0.04 x 21.2 = 8.48 -> 8.5
        assert units(0.848, ceiling=dosing.ceiling_mg(21.2)) == 8.5

    def test_no_equals_sign_between_unequal_amounts(self):
        for mg in (0.86, 0.824, 1.234, 2.46):
            text = draw(mg, syringe=WHOLE).describe()
            if text.count("=") == 2 and not text.startswith("prescribed"):
                parts = [p.split()[0] for p in text.split("=")]
                assert float(parts[0]) == pytest.approx(float(parts[1]) * 10, abs=1e-9)
            else:
                assert text.startswith(f"prescribed {mg:.2f} mg: draw ")

    def test_ceiling_mg(self):
        assert dosing.ceiling_mg(20) == pytest.approx(2.4)
        assert dosing.ceiling_mg(None, 1.0) == 1.0
        assert dosing.ceiling_mg(20, 3.0) == pytest.approx(2.4)
        assert dosing.ceiling_mg(20, 2.0) == 2.0
        assert dosing.ceiling_mg(None) is None

    def test_smallest_syringe_that_holds_the_dose(self):
        assert dosing.syringe_for(30) is HALF
        assert dosing.syringe_for(30.5) is HALF_ML
        assert dosing.syringe_for(50) is HALF_ML
        assert dosing.syringe_for(50.5) is ONE_ML
        assert dosing.syringe_for(150) is ONE_ML

    def test_what_a_syringe_can_hold_and_measure(self):
        assert draw(3.0, syringe=HALF).fits  # 30 units in a 0.3 mL syringe
        assert not draw(3.05, syringe=HALF).fits
        assert draw(10.0, syringe=ONE_ML).fits
        assert not draw(10.1, syringe=ONE_ML).fits
        assert draw(0.025, syringe=HALF).measurable  # 0.25 units -> half a unit
        assert not draw(0.024, syringe=HALF).measurable

    @pytest.mark.parametrize(
        ("text", "key"),
        [
            ("0.3ml-half", "0.3ml-half"),
            ("0.3 mL half units", "0.3ml-half"),
            ("0,3 ml half", "0.3ml-half"),
            ("0.3ml", "0.3ml"),
            ("0.5 mL", "0.5ml"),
            ("1ml", "1ml"),
            ("1 ml 2 units", "1ml-2"),
            ("1ml-2", "1ml-2"),
        ],
    )
    def test_syringe_names(self, text, key):
        assert dosing.parse_syringe(text).key == key

    def test_unknown_syringe_is_refused(self):
        with pytest.raises(InputError, match="unknown syringe"):
            dosing.parse_syringe("3ml")

    def test_amounts_given(self):
        assert dosing.describe_amount(0.83) == "0.83 mg = 0.083 mL = 8.3 units"
        assert dosing.volume_ml(0.88) == pytest.approx(0.088)
        assert dosing.volume_ml(1.6, 5) == pytest.approx(0.32)


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
        big = safety.draw_problems(draw(3.2, syringe=HALF), 30)
        assert big == ["32 units do not fit in a 0.3 mL syringe with half-unit marks (it holds 30)"
                       ": a bigger syringe is needed"]
        tiny = safety.draw_problems(draw(0.02, syringe=HALF), 20)
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
        assert safety.daily_total_problems(1.61, 20, 3) == [
            "4.83 mg a day is 0.241 mg/kg a day, above the label's 0.24 mg/kg a day"
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


class TestSyringePrecision:
    """The syringe too coarse for a dose is named, with the finer one, at 10%."""

    def test_a_tiny_dose_on_two_unit_marks_is_named_with_the_finer_syringe(self):
        # 0.12 mg/kg at 4.8 kg = 0.576 mg: 6 units would pass the ceiling, so 4 (31% less)
        d = dosing.draw(0.576, syringe=dosing.SYRINGES["1ml-2"], ceiling=0.576)
        assert d.units == 4
        note = precision(d, "Mia")
        assert note == ("the 1 mL syringe with 2-unit marks is too coarse for this dose: 4 "
                        "units is 31% less than the prescribed 0.58 mg: use a 0.3 mL syringe "
                        "with half-unit marks (tracker child Mia --syringe 0.3ml-half)")

    def test_at_the_tolerance_and_just_past_it(self):
        whole = dosing.SYRINGES["1ml"]
        # 5.5 units exact on 1-unit marks: 6 is 9.1% more (fine); 4.5 -> 5 is 11.1% more
        assert precision(dosing.draw(0.55, syringe=whole), "Mia") is None
        assert "11% more" in precision(dosing.draw(0.45, syringe=whole), "Mia")
        # exactly 10%: 5 units for 0.5 mg... 5.0 exact: none; 10.0 exact on 2-unit: none
        assert precision(dosing.draw(1.0, syringe=dosing.SYRINGES["1ml-2"]),
                                     "Mia") is None

    def test_no_finer_syringe_holds_it_says_ask_the_clinic(self):
        d = dosing.draw(0.05, syringe=dosing.SYRINGES["0.3ml-half"])  # 0.5 units exact
        assert d.units == 0.5 and precision(d, "Mia") is None
        d = dosing.draw(0.07, syringe=dosing.SYRINGES["0.3ml-half"])  # 0.7 -> 0.5, 29% less
        assert precision(d, "Leo Ann").endswith(
            ": ask the clinic for a syringe with finer marks")
