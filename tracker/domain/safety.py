"""Safety rules for doses, prescriptions and measurements, as plain functions.

A rule returns the problems it finds (as sentences a parent can read); the caller decides
whether a `--force` with a reason overrides them. Rules never look at the clock or the
database: everything they judge is passed in.
"""

from __future__ import annotations

from tracker.domain.dosing import MAX_MG_PER_KG, format_mg
from tracker.errors import InputError, Refused

# A dose is compared with the prescription after rounding to what a syringe can draw,
# so allow half a syringe mark (0.05 mg at 10 mg/mL) before calling it "more".
DOSE_TOLERANCE_MG = 0.05
WEIGHT_RANGE_KG = (2.0, 200.0)
HEIGHT_RANGE_CM = (40.0, 220.0)
WEIGHT_JUMP = 0.20  # a weight this far from the last one is probably a typo


def check_weight(kg: float) -> float:
    if kg != kg or kg <= 0:  # NaN or not positive
        raise InputError(f"weight must be a positive number of kilograms, not {kg:g}")
    low, high = WEIGHT_RANGE_KG
    if not low <= kg <= high:
        raise InputError(f"a weight of {kg:g} kg is outside {low:g}-{high:g} kg: check the number")
    return kg


def check_height(cm: float) -> float:
    if cm != cm or cm <= 0:
        raise InputError(f"height must be a positive number of centimetres, not {cm:g}")
    low, high = HEIGHT_RANGE_CM
    if not low <= cm <= high:
        raise InputError(f"a height of {cm:g} cm is outside {low:g}-{high:g} cm: check the number")
    return cm


def check_positive(value: float, what: str) -> float:
    if value != value or value <= 0:
        raise InputError(f"{what} must be a positive number, not {value:g}")
    return value


def dose_problems(dose_mg: float, prescribed_mg: float, weight_kg: float | None) -> list[str]:
    """Why this dose should not be given without a second look (empty when it is fine)."""
    check_positive(dose_mg, "the dose")
    problems = []
    if dose_mg > prescribed_mg + DOSE_TOLERANCE_MG:
        problems.append(
            f"{format_mg(dose_mg)} mg is more than the prescribed {format_mg(prescribed_mg)} mg"
        )
    if weight_kg:
        per_kg = dose_mg / weight_kg
        if per_kg > MAX_MG_PER_KG + 1e-9 and dose_mg > MAX_MG_PER_KG * weight_kg + 0.005:
            problems.append(
                f"{format_mg(dose_mg)} mg is {per_kg:.3f} mg/kg at {weight_kg:g} kg, above the "
                f"label's ceiling of {MAX_MG_PER_KG} mg/kg per injection"
            )
    return problems


def prescription_problems(
    mg_per_kg: float | None, mg: float | None, weight_kg: float | None
) -> list[str]:
    if mg_per_kg is not None:
        check_positive(mg_per_kg, "the dose in mg/kg")
        if mg_per_kg > MAX_MG_PER_KG + 1e-9:
            return [f"{mg_per_kg:g} mg/kg is above the label's ceiling of {MAX_MG_PER_KG} mg/kg"]
        return []
    assert mg is not None
    return dose_problems(mg, mg, weight_kg)


def require_override(problems: list[str], force_reason: str | None) -> None:
    """Refuse unless the parent forced it and said why (the reason is recorded)."""
    if problems and not (force_reason and force_reason.strip()):
        raise Refused(
            "; ".join(problems)
            + ". Check with the child's doctor; to record it anyway add --force --reason TEXT"
        )


def weight_jump(previous_kg: float | None, new_kg: float) -> str | None:
    if previous_kg and abs(new_kg - previous_kg) / previous_kg > WEIGHT_JUMP:
        return (
            f"{new_kg:g} kg is more than {WEIGHT_JUMP:.0%} away from the last weight "
            f"({previous_kg:g} kg)"
        )
    return None


NO_MAKE_UP = (
    "A missed dose is not made up: give the normal dose at the next time, never a double one."
)
MEAL_RULE = (
    "Give Increlex within 20 minutes before or after a meal or snack. If the child cannot "
    "eat, withhold this dose (tracker skip --reason 'not eating')."
)
NOT_ADVICE = "tracker is a log, not medical advice: the child's doctor decides the dose."
