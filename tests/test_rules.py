"""The pure rules: dosing arithmetic, sites, safety limits, glucose, symptoms, text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain import dosing, glucose, safety, sites, symptoms, text
from tracker.errors import InputError, Refused


class TestDosing:
    def test_label_example_20kg_at_008(self):
        # Label: 20 kg x 0.08 mg/kg = 1.6 mg = 0.16 mL = 16 units on a U-100 syringe.
        amount = dosing.amount(dosing.mg_for(20, 0.08))
        assert amount.mg == pytest.approx(1.6)
        assert amount.ml == pytest.approx(0.16)
        assert amount.units == 16
        assert amount.describe() == "1.60 mg = 0.16 mL = 16 units"

    @pytest.mark.parametrize(
        ("mg", "units"),
        [
            (0.88, 9.0),  # 8.8 units -> nearest half unit is 9
            (0.83, 8.5),  # 8.3 -> 8.5
            (0.825, 8.5),  # 8.25 rounds half up, not to even
            (3.14, 31.0),  # above 30 units a bigger syringe: whole units
            (3.16, 32.0),
        ],
    )
    def test_units_round_to_syringe_marks(self, mg, units):
        assert dosing.amount(mg).units == units
        assert dosing.amount(mg).ml == pytest.approx(units / 100)

    def test_other_concentration(self):
        assert dosing.amount(1.6, concentration=5).units == 32

    def test_exact_volume_for_supply(self):
        assert dosing.volume_ml(0.88) == pytest.approx(0.088)


class TestSites:
    def test_names_and_aliases(self):
        assert sites.normalise_site("Left upper arm") == "left-upper-arm"
        assert sites.normalise_site("RIGHT_THIGH") == "right-thigh"
        assert sites.normalise_site("left-tummy") == "left-abdomen"
        with pytest.raises(InputError, match="unknown site 'elbow'"):
            sites.normalise_site("elbow")

    def test_suggests_never_used_first_then_least_recent(self):
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        assert sites.suggest_site({}) == "left-upper-arm"
        used = {s: t0 + timedelta(hours=i) for i, s in enumerate(sites.SITES)}
        assert sites.suggest_site(used) == "left-upper-arm"  # oldest
        used["left-upper-arm"] = t0 + timedelta(days=1)
        assert sites.suggest_site(used) == "right-upper-arm"
        del used["left-buttock"]
        assert sites.suggest_site(used) == "left-buttock"

    def test_repeat_warning(self):
        assert sites.repeat_warning("left-thigh", "left-thigh")
        assert sites.repeat_warning("left-thigh", "right-thigh") is None
        assert sites.repeat_warning("left-thigh", None) is None


class TestSafety:
    def test_dose_at_prescription_is_fine(self):
        assert safety.dose_problems(0.8, 0.8, 20) == []
        # syringe rounding of half a mark is not "more than prescribed"
        assert safety.dose_problems(0.85, 0.8, 20) == []

    def test_above_prescription(self):
        problems = safety.dose_problems(1.0, 0.8, 20)
        assert problems == ["1.00 mg is more than the prescribed 0.80 mg"]

    def test_above_label_ceiling_even_if_prescribed(self):
        # 20 kg x 0.12 = 2.4 mg is the ceiling; a fixed 3 mg prescription is over it
        assert safety.dose_problems(2.4, 2.4, 20) == []
        problems = safety.dose_problems(3.0, 3.0, 20)
        assert len(problems) == 1 and "0.12 mg/kg" in problems[0]

    def test_prescription_ceiling(self):
        assert safety.prescription_problems(0.12, None, 20) == []
        assert "ceiling" in safety.prescription_problems(0.16, None, 20)[0]
        with pytest.raises(InputError):
            safety.prescription_problems(-0.04, None, 20)

    def test_override_needs_a_reason(self):
        safety.require_override([], None)
        with pytest.raises(Refused, match="--force --reason"):
            safety.require_override(["too much"], None)
        with pytest.raises(Refused):
            safety.require_override(["too much"], "   ")
        safety.require_override(["too much"], "doctor said so on the phone")

    @pytest.mark.parametrize("kg", [-1.0, 0.0, float("nan"), 1.0, 500.0])
    def test_implausible_weights(self, kg):
        with pytest.raises(InputError):
            safety.check_weight(kg)

    def test_weight_jump(self):
        assert safety.weight_jump(20, 21) is None
        assert safety.weight_jump(None, 21) is None
        assert "20%" in (safety.weight_jump(20, 200) or "")


class TestGlucose:
    def test_units_and_levels(self):
        assert glucose.to_mgdl(3.5, "mmol/L") == pytest.approx(63)
        assert glucose.level(69) == "low"
        assert glucose.level(53) == "very low"
        assert glucose.level(70) is None
        assert glucose.format_value(63, "mmol/L") == "3.5 mmol/L"
        assert "emergency" in (glucose.low_advice(40) or "")
        assert glucose.low_advice(100) is None

    def test_implausible_value_suggests_the_other_unit(self):
        with pytest.raises(InputError, match="--unit mg/dL"):
            glucose.to_mgdl(90, "mmol/L")
        with pytest.raises(InputError):
            glucose.normalise_unit("g/L")
        assert glucose.normalise_unit("MMOL/l") == "mmol/L"


class TestSymptomsAndText:
    def test_kinds(self):
        assert symptoms.normalise_kind("Low blood sugar") == "low-blood-sugar"
        assert symptoms.normalise_kind("hypoglycaemia") == "low-blood-sugar"
        with pytest.raises(InputError, match="unknown symptom"):
            symptoms.normalise_kind("sneezing")

    def test_text_refuses_control_characters_keeps_unicode(self):
        assert text.clean("  שלום עולם  ", "note") == "שלום עולם"
        assert text.clean("", "note") is None
        with pytest.raises(InputError, match="control character"):
            text.clean("bad\x1b[31m", "note")
        with pytest.raises(InputError, match="characters long"):
            text.clean("x" * 3000, "note")
        with pytest.raises(InputError):
            text.clean_name("line\nbreak")
