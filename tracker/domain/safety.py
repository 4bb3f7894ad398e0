"""The label's limits as plain functions: what to refuse, what to confirm, what to flag.

Every rule here judges only what it is given (no clock, no database), and says what it
finds as a `Finding`: a sentence a parent can read, a stable rule name, and what the
caller must do about it:

- REFUSE: not recorded unless the parent forces it with a reason (which is recorded);
- CONFIRM: asked again ("really?") in a terminal; elsewhere forced with a reason;
- FLAG: recorded, with the problem kept on the entry and shown to the clinic.

Why a dose that was really given is flagged and never refused: a refusal leaves the slot
"due", and a slot that looks due invites a second injection. The dose *shown before* an
injection is where the limits bite ("do not give this dose; call the doctor").
"""

from __future__ import annotations

from datetime import time, timedelta
from itertools import pairwise
from typing import NamedTuple

from tracker.domain.actions import Do, Line, act
from tracker.domain.dosing import (
    EPSILON,
    INCRELEX_MG_PER_ML,
    MAX_MG_PER_KG,
    MAX_MG_PER_KG_PER_DAY,
    START_MG_PER_KG,
    STEP_MG_PER_KG,
    SYRINGES,
    UNITS_PER_ML,
    Draw,
    Syringe,
    format_mg,
    format_per_kg,
    format_units,
    significant,
)
from tracker.domain.dosing import draw as dosing_draw
from tracker.domain.schedule import format_span
from tracker.errors import InputError, Refused

REFUSE = "refuse"
CONFIRM = "confirm"
FLAG = "flag"

WEIGHT_RANGE_KG = (2.0, 200.0)
HEIGHT_RANGE_CM = (40.0, 220.0)
WEIGHT_JUMP = 0.20  # a weight this far from the last one (or the prescription's) is a typo?
DOSES_PER_DAY = 2  # the label: twice a day
MIN_DOSE_GAP = timedelta(hours=8)  # two doses closer than this are refused
USUAL_DOSE_GAP = timedelta(hours=10)  # ...closer than this are confirmed (12 is expected)
MEAL_WINDOW = timedelta(minutes=20)  # the label: within 20 minutes of a meal or snack
MIN_INJECTION_GAP = timedelta(hours=6)  # a dose this soon after the last one is confirmed
TITRATION_WAIT = timedelta(days=7)  # a step up only after a tolerated week (2.1)


class Finding(NamedTuple):
    rule: str
    text: str
    action: str


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


def mark_tolerance_mg(syringe: Syringe, concentration: float) -> float:
    """Half a mark of the family's syringe: what rounding to its marks may add."""
    return syringe.mark_units / 2 / UNITS_PER_ML * concentration


def dose_problems(
    dose_mg: float, prescribed_mg: float, weight_kg: float | None, tolerance_mg: float
) -> list[str]:
    """Why this dose must not be given as it is (empty when it is fine).

    The same check runs on the dose shown before an injection and on the dose logged
    after it. "More than prescribed" allows the half mark that rounding may add; the
    label's ceiling allows nothing but float noise.
    """
    check_positive(dose_mg, "the dose")
    problems = []
    if dose_mg > prescribed_mg + tolerance_mg + EPSILON:
        problems.append(
            f"{format_mg(dose_mg)} mg is more than the prescribed {format_mg(prescribed_mg)} mg"
        )
    if weight_kg and dose_mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        problems.append(
            f"{format_mg(dose_mg)} mg is {format_per_kg(dose_mg / weight_kg)} mg/kg at "
            f"{weight_kg:g} kg, "
            f"above the label's ceiling of {MAX_MG_PER_KG} mg/kg per injection"
        )
    return problems


def syringe_problems(draw: Draw) -> list[str]:
    """Why the family's syringe cannot draw this dose: too small to hold it, or too
    coarse to measure it at all. A question of the syringe, not of the dose: the answer is
    another syringe (`precision_note` names it), never the doctor."""
    problems = []
    if not draw.fits:
        problems.append(
            f"{format_units(draw.units)} units do not fit in a {draw.syringe.label} "
            f"(it holds {draw.syringe.capacity_units}): a bigger syringe is needed"
        )
    if not draw.measurable:
        problems.append(
            f"{format_mg(draw.prescribed_mg)} mg is less than one mark of a "
            f"{draw.syringe.label}: a finer syringe is needed"
        )
    return problems


def draw_problems(draw: Draw, weight_kg: float | None) -> list[str]:
    """What is wrong with the dose a parent is about to draw: the check before injecting.

    Only the dose itself (above the prescription or the label's ceiling): a syringe that
    cannot hold or measure it is said by `precision_note`, with the syringe that can."""
    if not draw.measurable:
        return []
    tolerance = mark_tolerance_mg(draw.syringe, draw.concentration)
    return dose_problems(draw.mg, draw.prescribed_mg, weight_kg, tolerance)


# How far rounding to a syringe's marks may move a dose before the syringe is named as
# too coarse: tracker's choice, not the label's (the label asks for a syringe "small
# enough to withdraw the dose with accuracy", 2.2). 10% is the step a clinic itself
# treats as a dose change (0.04 -> 0.044 mg/kg), so rounding beyond it changes the
# treatment; within it, it stays below the smallest step of a titration (0.04 mg/kg).
PRECISION = 0.10


def _off(draw: Draw) -> float:
    """How far the syringe's marks move the dose, as a share of the prescribed amount."""
    return (draw.mg - draw.prescribed_mg) / draw.prescribed_mg


def _suggest(draw: Draw, finer: bool) -> Syringe | None:
    """A syringe that draws this dose: it holds the units drawn on its own marks and
    measures them. `finer`: only one with finer marks than the family's, the finest
    first (then the smallest); otherwise the smallest that holds it (then the finest)."""
    fitting = []
    for s in SYRINGES.values():
        if finer and s.mark_units >= draw.syringe.mark_units:
            continue
        on_it = dosing_draw(draw.prescribed_mg, concentration=draw.concentration, syringe=s)
        if on_it.fits and on_it.measurable:
            fitting.append(s)
    if finer:
        return min(fitting, key=lambda s: (s.mark_units, s.capacity_units), default=None)
    return min(fitting, key=lambda s: (s.capacity_units, s.mark_units), default=None)


def precision_note(draw: Draw, child: str) -> str | None:
    """The family's syringe not right for this dose, said where the dose is shown,
    before drawing, with the syringe that draws it and how to set it: too small to hold
    it, less than one of its marks, or marks that move it by more than PRECISION.

    A syringe is a matter for the family and the pharmacy, not a medical question: the
    doctor is not named here."""
    if draw.prescribed_mg <= 0:
        return None
    if not draw.fits:
        said = (f"{format_units(draw.units)} units do not fit in a "
                f"{draw.syringe.label} (it holds {draw.syringe.capacity_units})")
        better = _suggest(draw, finer=False)
        if better is None:
            return f"{said}: ask the pharmacist or clinic which syringe to draw it with"
        return Line(f"{said}: change the syringe to a {better.label} (",
                    act(Do.SYRINGE, child=child, key=better.key), ")")
    if not draw.measurable:
        said = (f"{format_mg(draw.prescribed_mg)} mg is less than one mark of a "
                f"{draw.syringe.label}")
    else:
        off = _off(draw)
        if abs(off) <= PRECISION + EPSILON:
            return None
        said = (f"the {draw.syringe.label} is too coarse for this dose: "
                f"{format_units(draw.units)} units is {abs(off):.0%} "
                f"{'less' if off < 0 else 'more'} than the prescribed "
                f"{format_mg(draw.prescribed_mg)} mg")
    better = _suggest(draw, finer=True)
    if better is None:
        return f"{said}: ask the clinic for a syringe with finer marks"
    return Line(f"{said}: use a {better.label} (",
                act(Do.SYRINGE, child=child, key=better.key), ")")


def do_not_give(problems: list[str]) -> str | None:
    """The sentence shown where the dose is shown, when anything is wrong with it: the
    same words on every front, and first, since a reminder is often read only as far as
    its first line."""
    if not problems:
        return None
    return f"Do not give this dose: {'; '.join(problems)}. Call the child's doctor."


def ask_first(hold: list[str]) -> str | None:
    """The sentence shown beside the next dose when a symptom needs the doctor's word
    before it is given (the reasons come from the urgency table)."""
    if not hold:
        return None
    return f"Ask the child's doctor before giving this dose: {'; '.join(hold)} was logged."


def concentration_problems(concentration: float) -> list[str]:
    check_positive(concentration, "the concentration")
    if abs(concentration - INCRELEX_MG_PER_ML) > EPSILON:
        return [
            f"Increlex is made only as {INCRELEX_MG_PER_ML:g} mg/mL; {concentration:g} mg/mL "
            "is not an Increlex vial"
        ]
    return []


def _gaps(times: tuple[time, ...]) -> list[timedelta]:
    """The gaps between dose times, the one across midnight included (none for no time)."""
    minutes = sorted(t.hour * 60 + t.minute for t in times)
    if not minutes:
        return []
    gaps = [b - a for a, b in pairwise(minutes)] + [minutes[0] + 24 * 60 - minutes[-1]]
    return [timedelta(minutes=g) for g in gaps]


def times_findings(times: tuple[time, ...]) -> list[Finding]:
    """Twice a day, about 12 hours apart: anything else is refused or asked again."""
    found = []
    if len(times) != DOSES_PER_DAY:
        found.append(
            Finding(
                "twice-a-day",
                f"{len(times)} dose time{'s' if len(times) != 1 else ''} a day: the label "
                "gives Increlex twice a day",
                REFUSE,
            )
        )
    gaps = _gaps(times)
    shortest = min(gaps, default=None)
    if shortest is not None and shortest < MIN_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                f"two doses only {_hours(shortest)} apart: they must be at least "
                f"{_hours(MIN_DOSE_GAP)} apart (about 12 is usual)",
                REFUSE,
            )
        )
    elif shortest is not None and shortest < USUAL_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                f"the doses are {_hours(shortest)} apart; about 12 hours is usual",
                CONFIRM,
            )
        )
    return found


def _hours(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if not rest else f"{hours} h {rest:02d} min"


def daily_total_problems(
    mg_per_dose: float, weight_kg: float | None, doses_per_day: int
) -> list[str]:
    if not weight_kg:
        return []
    per_kg_day = mg_per_dose * doses_per_day / weight_kg
    if per_kg_day > MAX_MG_PER_KG_PER_DAY + EPSILON:
        return [
            f"{format_mg(mg_per_dose * doses_per_day)} mg a day is "
            f"{format_per_kg(per_kg_day)} mg/kg a day, "
            f"above the label's {MAX_MG_PER_KG_PER_DAY:g} mg/kg a day"
        ]
    return []


NO_DOSE = "give the dose, in mg/kg or in mg"


def prescription_problems(
    mg_per_kg: float | None, mg: float | None, weight_kg: float | None
) -> list[str]:
    """A prescribed dose above the label's ceiling per injection."""
    if mg_per_kg is not None:
        check_positive(mg_per_kg, "the dose in mg/kg")
        if mg_per_kg > MAX_MG_PER_KG + EPSILON:
            return [f"{mg_per_kg:g} mg/kg is above the label's ceiling of {MAX_MG_PER_KG} mg/kg"]
        return []
    if mg is None:
        raise InputError(NO_DOSE)
    check_positive(mg, "the dose")
    if weight_kg and mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        return [
            f"{format_mg(mg)} mg is {format_per_kg(mg / weight_kg)} mg/kg at {weight_kg:g} kg, "
            "above the "
            f"label's ceiling of {MAX_MG_PER_KG} mg/kg per injection"
        ]
    return []


def titration_warnings(
    new_per_kg: float | None,
    old_per_kg: float | None,
    *,
    since_last_increase: timedelta | None,
    low_in_last_week: bool,
    not_tolerated: tuple[str, ...] = (),
    since_start: timedelta | None = None,
) -> list[str]:
    """The label's titration advice (2.1): warned, recorded with the prescription.

    The week of good tolerance counts from the last increase, and for the first increase
    (`since_last_increase` None) from the start of treatment (`since_start`): the 2012
    label's 17 raised the dose only after at least 7 days of dosing without a low.

    `not_tolerated`: what in the last 7 days says the week was not well tolerated
    (vomiting, a dose withheld for illness), in words with its day.

    `old_per_kg` is None for the first prescription. A step is judged on mg/kg; a fixed
    mg prescription is compared at the weight it was made for.
    """
    if new_per_kg is None:
        return []
    if old_per_kg is None:
        if new_per_kg > START_MG_PER_KG[1] + EPSILON:
            return [
                f"a start at {significant(new_per_kg)} mg/kg is above the label's starting range "
                f"({START_MG_PER_KG[0]:g}-{START_MG_PER_KG[1]:g} mg/kg)"
            ]
        return []
    warnings = []
    step = new_per_kg - old_per_kg
    if step <= EPSILON:
        return []
    if step > STEP_MG_PER_KG + 1e-6:  # per-kg values read back from mg carry float noise
        warnings.append(
            f"a step of {significant(step)} mg/kg (from {significant(old_per_kg)} to "
            f"{significant(new_per_kg)}) is more "
            f"than the label's {STEP_MG_PER_KG:g} mg/kg"
        )
    if since_last_increase is not None and since_last_increase < TITRATION_WAIT:
        warnings.append(
            f"the last increase was {_span(since_last_increase)} ago: the label raises the "
            "dose only after a week that was well tolerated"
        )
    elif since_last_increase is None and since_start is not None \
            and since_start < TITRATION_WAIT:
        warnings.append(
            f"the treatment started {_span(max(since_start, timedelta(0)))} ago: the label "
            "raises the dose only after a first week of treatment that was well tolerated"
        )
    if low_in_last_week:
        warnings.append(
            "low blood sugar was logged in the last 7 days: the label raises the dose only "
            "after a week without it"
        )
    if not_tolerated:
        warnings.append(
            f"the last 7 days were not well tolerated ({'; '.join(not_tolerated)}): the "
            "label raises the dose only if it was well tolerated for at least one week"
        )
    return warnings


def require_override(problems: list[str], force_reason: str | None) -> None:
    """Refuse unless the parent forced it and said why (the reason is recorded)."""
    if problems and not (force_reason and force_reason.strip()):
        raise Refused(Line("; ".join(problems) + ". Check with the child's doctor; to record it "
                           "anyway ", act(Do.FORCE)))


def weight_jump(
    previous_kg: float | None, new_kg: float, what: str = "the last weight"
) -> str | None:
    """A weight far from an earlier one is more likely a typo than a change."""
    if previous_kg and abs(new_kg - previous_kg) / previous_kg > WEIGHT_JUMP + EPSILON:
        return f"{new_kg:g} kg is more than {WEIGHT_JUMP:.0%} away from {what} ({previous_kg:g} kg)"
    return None


def injection_findings(
    *,
    dose_problems_found: list[str],
    meal: bool | None,
    after_close: timedelta | None,
    since_previous: timedelta | None,
) -> list[Finding]:
    """What was unusual about an injection that was given: flagged, some confirmed first.

    `after_close` is how long after its slot closed the dose was given (None: in time);
    `since_previous` how long after the previous injection.
    """
    found = [Finding("dose", p, FLAG) for p in dose_problems_found]
    if meal is False:
        found.append(Finding("no-meal", "given without a meal or snack within 20 minutes", FLAG))
    if after_close is not None and after_close >= timedelta(0):
        found.append(
            Finding(
                "late",
                f"given {_span(after_close)} after its slot closed (a late make-up)",
                CONFIRM,
            )
        )
    if since_previous is not None and since_previous < MIN_INJECTION_GAP:
        found.append(
            Finding(
                "too-soon",
                f"given only {_span(since_previous)} after the previous injection",
                CONFIRM,
            )
        )
    return found


_FLAG_RULES = (  # a phrase of each recorded flag's text -> the rule it broke
    ("more than the prescribed", "dose"),
    ("above the label's ceiling", "dose"),
    ("after the previous injection", "too-soon"),
    ("without a meal or snack", "no-meal"),
    ("after its slot closed", "late"),
    ("past its discard day", "vial-past"),
    ("past its expiry date", "vial-past"),
    ("the dose may have been short", "vial-short"),
)


def rules_of(flags: list[str]) -> frozenset[str]:
    """The rules a recorded dose broke, read back from its flags as they were recorded
    (the texts of injection_findings, dose_problems and the vial checks), so a dose
    logged years ago is judged by what was found when it was logged."""
    return frozenset(rule for flag in flags for phrase, rule in _FLAG_RULES if phrase in flag)


def _span(delta: timedelta) -> str:
    """'45 min', '5 h 57 min', '3 d 4 h': how long, as a parent reads it."""
    return format_span(round(delta.total_seconds() / 60))


NO_MAKE_UP = ("A missed or withheld dose is not made up: give the normal dose at the next "
              "time, never a double one.")  # the one sentence, wherever a dose was not given


def time_passed(label: str, closed: str) -> Line:
    """Why a tap on an old reminder records nothing: past its window the tap's time is
    not the injection's, and a make-up is not given; a dose that was given on time is
    logged with its own time."""
    return Line(f"the {label} dose's time has passed (it closed at {closed}): it is "
                "missed, not made up. If it was given, ", act(Do.AT, at=label), ".")


def meal_rule(child: str) -> Line:
    """The meal rule beside every dose shown (status, Today, a reminder): one sentence."""
    return Line(f"Within 20 minutes of a meal or snack; if {child} cannot eat, ",
                act(Do.SKIP), ".")


NOT_ADVICE = "tracker is a log, not medical advice: the child's doctor decides the dose."


def late_window(child: str, label: str, late: str, closes: str, *, blocked: bool = False) -> str:
    """The late-dose rule, stated with its condition and its end.

    `blocked`: something said not to give the dose (above a limit, or the doctor to be
    asked first); then the window is not an invitation to give it.
    """
    if blocked:
        return (
            f"the {label} dose is {late} late and is not to be given until the doctor says so "
            f"(see above); from {closes} it counts as missed and is not made up."
        )
    return Line(
        f"the {label} dose is {late} late. If {child} can eat now, it can still be given "
        f"with food until {closes}; after that it is missed and not made up. If {child} is "
        f"asleep or cannot eat, ", act(Do.SKIP), "."
    )
