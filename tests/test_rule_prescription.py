"""A prescription's mg and the amount to draw (tracker/domain/prescription.py), at the
edges: a fixed dose never rounded past itself, a dose in mg/kg at the weight it was
written for (or the day's, in an older log), and the basis said in words."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tracker.cli.say import text
from tracker.domain import prescription
from tracker.errors import NotFound


@dataclass
class Rx:
    dose_mg_per_kg: float | None = None
    dose_mg: float | None = None
    weight_kg: float | None = None
    concentration_mg_per_ml: float = 10.0


def test_the_basis_weight_is_the_prescriptions_own_else_the_days() -> None:
    assert prescription.basis_weight(Rx(0.04, weight_kg=21.5), 20) == 21.5
    assert prescription.basis_weight(Rx(0.04), 20) == 20
    assert prescription.basis_weight(Rx(0.04), None) is None


def test_the_mg_of_a_dose_in_mg_per_kg_and_of_a_fixed_dose() -> None:
    assert prescription.mg_of(Rx(0.04, weight_kg=21.5), 20) == pytest.approx(0.86)
    assert prescription.mg_of(Rx(0.04), 20) == pytest.approx(0.80)  # an older log
    assert prescription.mg_of(Rx(dose_mg=1.2), None) == 1.2
    with pytest.raises(NotFound) as e:
        prescription.mg_of(Rx(0.04), None)
    assert text(e.value) == ("the dose is in mg/kg but no weight is recorded: run 'tracker "
                             "measure --weight KG'")
    assert str(e.value) == ("the dose is in mg/kg but no weight is recorded: record the "
                            "child's weight")


def test_the_basis_in_words() -> None:
    assert prescription.describe_basis(Rx(0.04), 0.8, 20) == "0.04 mg/kg x 20 kg"
    assert prescription.describe_basis(Rx(0.04, weight_kg=21.5), 0.86, 20) == \
        "0.04 mg/kg x 21.5 kg"
    assert prescription.describe_basis(Rx(dose_mg=0.8), 0.8, 20) == \
        "fixed dose, 0.040 mg/kg at 20 kg"
    assert prescription.describe_basis(Rx(dose_mg=0.8), 0.8, None) == "fixed dose"
    assert prescription.describe_basis(Rx(0.04), 0.8, None) == "fixed dose"  # no weight


def test_the_draw_never_rounds_a_fixed_dose_past_itself() -> None:
    fixed = prescription.draw_for(Rx(dose_mg=0.86), 0.86, None, "1ml")
    assert fixed.units == 8.0 and fixed.rounded_down  # 9 units would be 0.90 mg
    per_kg = prescription.draw_for(Rx(0.043), 0.86, 20, "1ml")
    assert per_kg.units == 9.0 and not per_kg.rounded_down  # 0.90 mg is below 2.4 mg
    assert prescription.draw_for(Rx(0.04), 0.8, 20, None).syringe.key == "0.3ml-half"
    assert prescription.draw_for(Rx(0.04), 0.8, 20, "1ml-2").syringe.key == "1ml-2"
    stronger = prescription.draw_for(Rx(dose_mg=0.8, concentration_mg_per_ml=5.0), 0.8, 20,
                                     "1ml")
    assert stronger.units == 16.0 and stronger.concentration == 5.0
