"""Dose arithmetic: mg/kg to mg, mg to mL, mL to U-100 syringe units.

The label's formula is units = kg x mg/kg / (mg/mL) x 100 units/mL. A parent draws the
dose in syringe units, so the units are rounded to the marks a syringe actually has:
half units on a 0.3 mL syringe (up to 30 units), whole units on bigger ones.
"""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_CONCENTRATION_MG_PER_ML = 10.0
UNITS_PER_ML = 100  # U-100 syringe
MAX_MG_PER_KG = 0.12  # label ceiling per injection
START_MG_PER_KG = (0.04, 0.08)  # label starting range per injection
STEP_MG_PER_KG = 0.04  # label titration step after a tolerated week
SMALL_SYRINGE_UNITS = 30  # a 0.3 mL U-100 syringe, marked in half units


class DoseAmount(NamedTuple):
    """A dose as a parent needs to see it: what was prescribed and what to draw."""

    mg: float
    ml: float
    units: float  # rounded to the syringe's marks
    concentration: float

    def describe(self) -> str:
        return f"{format_mg(self.mg)} mg = {self.ml:.3g} mL = {format_units(self.units)} units"


def format_mg(mg: float) -> str:
    return f"{mg:.2f}"


def format_units(units: float) -> str:
    return f"{units:g}"


def syringe_step(units: float) -> float:
    """The finest mark on the syringe that holds this many units."""
    return 0.5 if units <= SMALL_SYRINGE_UNITS else 1.0


def round_to_syringe(units: float) -> float:
    step = syringe_step(units)
    # round half up: 16.25 -> 16.5 rather than Python's banker's rounding
    return float(int(units / step + 0.5 + 1e-9)) * step


def mg_for(weight_kg: float, mg_per_kg: float) -> float:
    return weight_kg * mg_per_kg


def amount(mg: float, concentration: float = DEFAULT_CONCENTRATION_MG_PER_ML) -> DoseAmount:
    """Turn a dose in mg into what to draw from a vial of the given concentration."""
    exact_units = mg / concentration * UNITS_PER_ML
    units = round_to_syringe(exact_units)
    return DoseAmount(mg=mg, ml=units / UNITS_PER_ML, units=units, concentration=concentration)


def volume_ml(mg: float, concentration: float = DEFAULT_CONCENTRATION_MG_PER_ML) -> float:
    """The exact volume of a dose, used for the supply arithmetic (not for drawing)."""
    return mg / concentration
