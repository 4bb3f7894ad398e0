"""Dose arithmetic: mg/kg to mg, mg to mL, mL to the marks of the family's syringe.

The label's formula is units = kg x mg/kg / (mg/mL) x 100 units/mL. A parent draws the
dose in syringe units, so the units are rounded to the marks their syringe has, to the
nearest mark, except where the nearest mark would pass a ceiling (0.12 mg/kg at today's
weight, or a fixed-mg prescription's own mg): there the rounding goes down. Rounding
must never be the reason a child gets more than the label or the doctor allows.

What is shown says both amounts when they differ ("prescribed 0.86 mg: draw 8.5 units =
0.085 mL = 0.85 mg"): a parent checking against the pharmacy label must never read an
`=` between two unequal numbers.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from tracker.errors import InputError
from tracker.i18n import N_, _
from tracker.i18n.formats import decimal

INCRELEX_MG_PER_ML = 10.0  # the only strength Increlex is made in (label section 3)
DEFAULT_CONCENTRATION_MG_PER_ML = INCRELEX_MG_PER_ML
UNITS_PER_ML = 100  # U-100 syringe
MAX_MG_PER_KG = 0.12  # label ceiling per injection (2.1)
MAX_MG_PER_KG_PER_DAY = 2 * MAX_MG_PER_KG  # twice a day at the ceiling
START_MG_PER_KG = (0.04, 0.08)  # label starting range per injection (2.1)
STEP_MG_PER_KG = 0.04  # label titration step after a tolerated week (2.1)
# Float noise only: 0.12 x 20 kg is 2.4000000000000004 mg, which is not "above" 2.4 mg.
EPSILON = 1e-9


class Syringe(NamedTuple):
    """A U-100 insulin syringe as the family has it: how much it holds, how it is marked."""

    key: str
    capacity_units: int
    mark_units: float
    label: str  # in English (N_): `name` says it in the reader's language

    @property
    def name(self) -> str:
        """The syringe as the reader's language names it."""
        return _(self.label)


SYRINGES: dict[str, Syringe] = {
    s.key: s
    for s in (
        Syringe("0.3ml-half", 30, 0.5, N_("0.3 mL syringe with half-unit marks")),
        Syringe("0.3ml", 30, 1.0, N_("0.3 mL syringe with 1-unit marks")),
        Syringe("0.5ml", 50, 1.0, N_("0.5 mL syringe with 1-unit marks")),
        Syringe("1ml", 100, 1.0, N_("1 mL syringe with 1-unit marks")),
        Syringe("1ml-2", 100, 2.0, N_("1 mL syringe with 2-unit marks")),
    )
}
_SYRINGE_RE = re.compile(r"^(0[.,]3|0[.,]5|1)\s*ml\b(.*)$")
_HALF_MARKS_RE = re.compile(r"half|\b0[.,]5\b")
_TWO_UNIT_MARKS_RE = re.compile(r"\b2\b")


def parse_syringe(text: str) -> Syringe:
    """'0.3ml-half', '0.3 mL with half-unit marks', '1 ml 2 units' -> the syringe.

    The size comes first; its marks are half units ("half", "0.5"), 2 units ("2") or
    whole units (anything else). A size and marks that are not made together are refused.
    """
    m = _SYRINGE_RE.match(text.strip().lower())
    key = None
    if m is not None:
        size, rest = m.group(1).replace(",", "."), m.group(2)
        half, two = _HALF_MARKS_RE.search(rest), _TWO_UNIT_MARKS_RE.search(rest)
        mark = 0.5 if half else 2.0 if two else 1.0
        key = {
            ("0.3", 0.5): "0.3ml-half",
            ("0.3", 1.0): "0.3ml",
            ("0.5", 1.0): "0.5ml",
            ("1", 1.0): "1ml",
            ("1", 2.0): "1ml-2",
        }.get((size, mark))
    if key is None:
        raise InputError(
            _("unknown syringe {typed!r}: choose one of {syringes} (0.3 mL with half or whole "
              "units, 0.5 mL, 1 mL with 1- or 2-unit marks)").format(
                typed=text, syringes=", ".join(SYRINGES))
        )
    return SYRINGES[key]


def syringe_for(units: float) -> Syringe:
    """The syringe tracker assumes when none is set: the smallest that holds the dose.

    That is what the label asks for ("small enough to draw the dose accurately"), and it
    is what tracker did before the syringe became a setting of the child.
    """
    for key in ("0.3ml-half", "0.5ml", "1ml"):
        if units <= SYRINGES[key].capacity_units + EPSILON:
            return SYRINGES[key]
    return SYRINGES["1ml"]


class Draw(NamedTuple):
    """What the parent draws for a prescribed amount, on their syringe's marks."""

    prescribed_mg: float
    units: float  # a whole number of the syringe's marks
    syringe: Syringe
    concentration: float
    rounded_down: bool  # the nearest mark would have passed the ceiling

    @property
    def ml(self) -> float:
        return self.units / UNITS_PER_ML

    @property
    def mg(self) -> float:
        """The amount actually drawn (what the log records as given)."""
        return self.units * self.concentration / UNITS_PER_ML

    @property
    def exact_units(self) -> float:
        return self.prescribed_mg / self.concentration * UNITS_PER_ML

    @property
    def fits(self) -> bool:
        return self.units <= self.syringe.capacity_units + EPSILON

    @property
    def measurable(self) -> bool:
        return self.units > 0

    def describe(self) -> str:
        units = decimal(format_units(self.units))
        if format_mg(self.mg) == format_mg(self.prescribed_mg):
            # TRANSLATORS: {units} are the marks of a U-100 syringe
            return _("{mg} mg = {ml} mL = {units} units").format(
                mg=decimal(format_mg(self.mg)), ml=decimal(format_ml(self.ml)), units=units)
        # TRANSLATORS: {units} are the marks of a U-100 syringe
        return _("prescribed {prescribed} mg: draw {units} units = {ml} mL = {mg} mg").format(
            prescribed=decimal(format_mg(self.prescribed_mg)), units=units,
            ml=decimal(format_ml(self.ml)), mg=decimal(format_mg(self.mg)))


# Amounts shown to a person, one set of functions for every front, message and export
# text. Rounded half up, as a person rounds on paper: 2.175 mg is "2.18 mg". Python's
# format() rounds the binary float, and 2.175 is stored as 2.17499999..., so it would say
# "2.17". The value is first read at 12 significant digits (dropping float noise such as
# 0.0725 x 30 = 2.1749999999999998), then rounded half up.


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.12g}")


def _plain(value: Decimal) -> str:
    """Without trailing zeros or an exponent: 0.080 -> "0.08", 1.2E+2 -> "120"."""
    return format(value.normalize(), "f")


def half_up(value: float, places: int) -> str:
    """`value` with exactly `places` decimals, rounded half up."""
    if not math.isfinite(value):
        return f"{value:g}"
    text = str(_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text.removeprefix("-") if Decimal(text) == 0 else text


def significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits, rounded half up, trailing zeros dropped
    (what "%.3g" means, without the binary float's rounding)."""
    if not math.isfinite(value):
        return f"{value:g}"
    exact = _decimal(value)
    if exact == 0:
        return "0"
    step = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    return _plain(exact.quantize(step, rounding=ROUND_HALF_UP))


def format_mg(mg: float) -> str:
    """mg with two decimals: "2.18"."""
    return half_up(mg, 2)


def format_ml(ml: float) -> str:
    """mL to three significant digits: "0.085", "0.22", "1.2"."""
    return significant(ml, 3)


def format_units(units: float) -> str:
    """Syringe units, to a hundredth at most: "8.5", "16", "21.75"."""
    if not math.isfinite(units):
        return f"{units:g}"
    return _plain(Decimal(half_up(units, 2)))


def format_per_kg(mg_per_kg: float) -> str:
    """A dose per kg worked out from mg and a weight, with three decimals: "0.121"."""
    return half_up(mg_per_kg, 3)


def mg_for(weight_kg: float, mg_per_kg: float) -> float:
    return weight_kg * mg_per_kg


def ceiling_mg(weight_kg: float | None, fixed_mg: float | None = None) -> float | None:
    """The most that rounding may reach: 0.12 mg/kg at this weight, and a fixed dose's mg."""
    by_weight = None if weight_kg is None else MAX_MG_PER_KG * weight_kg
    known = [mg for mg in (fixed_mg, by_weight) if mg is not None]
    return min(known) if known else None


def draw(
    mg: float,
    *,
    concentration: float = INCRELEX_MG_PER_ML,
    syringe: Syringe | None = None,
    ceiling: float | None = None,
) -> Draw:
    """Turn a prescribed amount into syringe units: nearest mark, down at the ceiling.

    Rounding is done in whole marks with a half-up rule (8.25 units on half-unit marks
    is 8.5, not Python's banker's 8.0). When that mark is above `ceiling` mg, the mark
    just below the exact amount is taken instead.
    """
    exact_units = mg / concentration * UNITS_PER_ML
    chosen = syringe or syringe_for(exact_units)
    marks = exact_units / chosen.mark_units
    nearest = math.floor(marks + 0.5 + EPSILON)
    units = nearest * chosen.mark_units
    rounded_down = False
    if ceiling is not None and units * concentration / UNITS_PER_ML > ceiling + EPSILON:
        below = math.floor(marks + EPSILON) * chosen.mark_units
        if below < units:
            units, rounded_down = below, True
    return Draw(mg, float(units), chosen, concentration, rounded_down)


def volume_ml(mg: float, concentration: float = INCRELEX_MG_PER_ML) -> float:
    """The exact volume of an amount (of a dose drawn, what it took from the vial)."""
    return mg / concentration


def describe_amount(mg: float, concentration: float = INCRELEX_MG_PER_ML) -> str:
    """An amount already given, in the three units a parent may check it against."""
    ml = mg / concentration
    return _("{mg} mg = {ml} mL = {units} units").format(
        mg=decimal(format_mg(mg)), ml=decimal(format_ml(ml)),
        units=decimal(format_units(ml * UNITS_PER_ML)))
