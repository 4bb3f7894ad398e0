"""From a prescription to what is drawn: mg, mL, syringe marks, and how clinics write doses.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

import pytest
from conftest import HALF, HALF_ML, ONE_ML, TWO, WHOLE, message, precision, said, units

from tracker.domain import dosing, typed
from tracker.domain.dosing import SYRINGES, draw
from tracker.errors import InputError


class TestDosingEdges:
    def test_syringe_words(self):
        for written in ("0.3 mL with half-unit marks", "0.3ml half mark", "0.3ml-half-units"):
            assert dosing.parse_syringe(written).key == "0.3ml-half"
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


class TestDosesAsClinicsWriteThem:
    def test_read_back_in_mg_exact_words(self):
        assert typed.Dose(0.04, "mg/kg").shown_in_mg(10, 20) == (
            "0.04 mg/kg is 0.040 mg/kg = 0.80 mg at 20 kg")
        assert typed.Dose(0.04, "mg/kg").shown_in_mg(10, None) == "0.04 mg/kg is 0.040 mg/kg"
        assert typed.Dose(0.8, "mg", "800 µg").shown_in_mg(10, 20) == (
            "800 µg is 0.80 mg, 0.040 mg/kg at 20 kg")
        assert typed.Dose(0.8, "mg").shown_in_mg(10, None) == "0.8 mg is 0.80 mg"
        assert typed.Dose(13, "units").shown_in_mg(10, None) == (
            "13 units of the 10 mg/mL vial is 1.30 mg")

    def test_micrograms_keep_their_precision(self):
        assert typed.dose("0.5 µg/kg") == typed.Dose(0.0005, "mg/kg", "0.5 µg/kg")
        assert typed.dose("45.5 mcg/kg").amount == 0.0455

    def test_the_longest_unit_is_read_first_when_the_amount_is_wrong(self):
        with pytest.raises(InputError) as e:
            typed.dose("abc mg/kg")  # not "abc mg/" as an amount and "kg" as a unit
        assert said(e) == "'abc' is not a number: type the dose like 21.5"
        with pytest.raises(InputError) as e:
            typed.dose("x units")
        assert said(e) == "'x' is not a number: type the dose like 21.5"

    def test_the_words_of_each_refusal(self):
        how = ("type the dose as the clinic wrote it, like 0.04 mg/kg, 40 µg/kg, 0.8 mg, "
               "0.08 mL or 8 units")
        with pytest.raises(InputError) as e:
            typed.dose("mg/kg")
        assert said(e) == f"'mg/kg' has no amount: {how}"
        with pytest.raises(InputError) as e:
            typed.dose("8 IU")
        assert said(e) == (
            "'8 IU': Increlex is not dosed in international units (IU). The clinic's dose is "
            "in mg/kg, micrograms/kg or mg; 'units' on a sheet are the marks of a U-100 "
            "syringe (8 units = 0.08 mL). Type it as written there, like 0.04 mg/kg or 8 units")
        with pytest.raises(InputError) as e:
            typed.dose("8 drops")
        assert said(e) == f"'8 drops': 'drops' is not a dose unit tracker reads: {how}"


class TestSyringeTolerance:
    def test_exactly_at_ten_percent_is_within(self):
        # 0.5 mg on 1-unit marks is 5 units exactly; 0.455 mg -> 5 units is 9.9% more
        assert precision(dosing.draw(0.455, syringe=dosing.SYRINGES["1ml"]),
                                     "Mia") is None
        # 0.44 mg: 4.4 units -> 4 (9.1% less): within; 0.43 -> 4 (7%); 0.45 -> 5 (11% more)
        assert precision(dosing.draw(0.44, syringe=dosing.SYRINGES["1ml"]),
                                     "Mia") is None
        note = precision(dosing.draw(0.45, syringe=dosing.SYRINGES["1ml"]), "Mia")
        assert note == ("the 1 mL syringe with 1-unit marks is too coarse for this dose: 5 "
                        "units is 11% more than the prescribed 0.45 mg: use a 0.3 mL syringe "
                        "with half-unit marks (tracker child Mia --syringe 0.3ml-half)")

    def test_the_finer_syringe_must_hold_the_dose(self):
        # 35 units is beyond the half-unit syringe: no finer one holds it
        d = dosing.draw(3.45, syringe=dosing.SYRINGES["1ml-2"])  # 34.5 -> 34 or 36
        assert precision(d, "Mia") is None  # 1.4% off: fine
        tiny = dosing.draw(0.13, syringe=dosing.SYRINGES["1ml-2"])  # 1.3 units -> 2 (54%)
        assert precision(tiny, "Ana Lu").endswith(
            "use a 0.3 mL syringe with half-unit marks (tracker child 'Ana Lu' --syringe "
            "0.3ml-half)")
        nothing = dosing.Draw(0.0, 0.0, dosing.SYRINGES["1ml"], 10, False)
        assert precision(nothing, "Mia") is None


class TestSecondReadEdges:
    def test_micrograms_to_six_places(self):
        assert typed.dose("40.1234 µg/kg").amount == 0.040123

    def test_no_dose_unit_ends_another_ones_name(self):
        units = list(typed._DOSE_UNITS)
        assert not [(a, b) for a in units for b in units if a != b and a.endswith(b)]

    def test_the_precision_of_a_draw_at_its_edges(self):
        whole, two = dosing.SYRINGES["1ml"], dosing.SYRINGES["1ml-2"]
        unmeasurable = dosing.draw(0.02, syringe=whole)  # 0.2 units: no mark
        assert not unmeasurable.measurable  # said as the syringe's, not as the doctor's
        assert precision(unmeasurable, "M") == (
            "0.02 mg is less than one mark of a 1 mL syringe with 1-unit marks: ask the clinic "
            "for a syringe with finer marks")
        assert precision(dosing.Draw(0.0, 1.0, whole, 10, False), "M") is None
        assert precision(dosing.Draw(1.0, 11.0, whole, 10, False), "M") is None
        assert precision(dosing.Draw(1.0, 9.0, whole, 10, False), "M") is None
        over = precision(dosing.Draw(1.0, 12.0, whole, 10, False), "M")
        assert over is not None and "12 units is 20% more" in over
        # exactly 30 units prescribed: the half-unit syringe holds it and is the finest
        note = precision(dosing.Draw(3.0, 26.0, two, 10, False), "M")
        assert note is not None and note.endswith("(tracker child M --syringe 0.3ml-half)")


class TestRoundingAtTheHalf:
    """A person rounds a 5 up: the amounts shown at exactly the half and just below it."""

    def test_two_decimals_at_the_half_and_below(self):
        assert dosing.half_up(0.125, 2) == "0.13"  # Python's banker's rounding says 0.12
        assert dosing.half_up(0.1249, 2) == "0.12"
        assert dosing.half_up(2.5, 0) == "3" and dosing.half_up(2.4999, 0) == "2"
        assert dosing.half_up(1.0, 2) == "1.00"

    def test_a_negative_amount_keeps_its_sign_and_a_rounded_zero_loses_it(self):
        assert dosing.half_up(-1.25, 1) == "-1.3"
        assert dosing.half_up(-0.5, 2) == "-0.50"
        assert dosing.half_up(-0.001, 2) == "0.00"  # not "-0.00"
        assert dosing.half_up(0.0, 2) == "0.00" and dosing.half_up(-0.0, 2) == "0.00"
        assert dosing.format_units(-0.001) == "0"

    def test_three_significant_digits_at_the_half_and_below(self):
        assert dosing.significant(0.12345) == "0.123"  # three digits unless told
        assert dosing.format_ml(0.2165) == "0.217"  # banker's rounding says 0.216
        assert dosing.format_ml(0.21649) == "0.216"
        assert dosing.format_ml(0.9995) == "1"
        assert dosing.format_ml(1.0) == "1" and dosing.format_ml(0.0) == "0"
        assert dosing.significant(125, 2) == "130" and dosing.significant(-0.0625, 2) == "-0.063"
