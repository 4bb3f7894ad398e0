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
from tracker.i18n import _

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
        raise InputError(_("weight must be a positive number of kilograms, not {kg:g}").format(
                             kg=kg))
    low, high = WEIGHT_RANGE_KG
    if not low <= kg <= high:
        raise InputError(_("a weight of {kg:g} kg is outside {low:g}-{high:g} kg: check the "
                           "number").format(
                             kg=kg, low=low, high=high))
    return kg


def check_height(cm: float) -> float:
    if cm != cm or cm <= 0:
        raise InputError(_("height must be a positive number of centimetres, not {cm:g}").format(
                             cm=cm))
    low, high = HEIGHT_RANGE_CM
    if not low <= cm <= high:
        raise InputError(_("a height of {cm:g} cm is outside {low:g}-{high:g} cm: check the "
                           "number").format(
                             cm=cm, low=low, high=high))
    return cm


def check_positive(value: float, what: str) -> float:
    if value != value or value <= 0:
        raise InputError(_("{what} must be a positive number, not {value:g}").format(
                             what=what, value=value))
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
    check_positive(dose_mg, _("the dose"))
    problems = []
    if dose_mg > prescribed_mg + tolerance_mg + EPSILON:
        problems.append(
            _("{dose_mg} mg is more than the prescribed {prescribed_mg} mg").format(
                dose_mg=format_mg(dose_mg), prescribed_mg=format_mg(prescribed_mg))
        )
    if weight_kg and dose_mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        problems.append(
            _("{dose_mg} mg is {format_per_kg} mg/kg at {weight_kg:g} kg, above the label's "
              "ceiling of {MAX_MG_PER_KG} mg/kg per injection").format(
                dose_mg=format_mg(dose_mg), format_per_kg=format_per_kg(dose_mg / weight_kg),
                weight_kg=weight_kg, MAX_MG_PER_KG=MAX_MG_PER_KG)
        )
    return problems


def syringe_problems(draw: Draw) -> list[str]:
    """Why the family's syringe cannot draw this dose: too small to hold it, or too
    coarse to measure it at all. A question of the syringe, not of the dose: the answer is
    another syringe (`precision_note` names it), never the doctor."""
    problems = []
    if not draw.fits:
        problems.append(
            _("{units} units do not fit in a {label} (it holds {capacity_units}): a bigger "
              "syringe is needed").format(
                units=format_units(draw.units), label=draw.syringe.label,
                capacity_units=draw.syringe.capacity_units)
        )
    if not draw.measurable:
        problems.append(
            _("{prescribed_mg} mg is less than one mark of a {label}: a finer syringe is needed").format(
                prescribed_mg=format_mg(draw.prescribed_mg), label=draw.syringe.label)
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
        said = _("{units} units do not fit in a {label} (it holds {capacity_units})").format(
                    units=format_units(draw.units), label=draw.syringe.label,
                    capacity_units=draw.syringe.capacity_units)
        better = _suggest(draw, finer=False)
        if better is None:
            return _("{said}: ask the pharmacist or clinic which syringe to draw it with").format(
                       said=said)
        return Line(_("{said}: change the syringe to a {label} (").format(
                        said=said, label=better.label),
                    act(Do.SYRINGE, child=child, key=better.key), ")")
    if not draw.measurable:
        said = _("{prescribed_mg} mg is less than one mark of a {label}").format(
                    prescribed_mg=format_mg(draw.prescribed_mg), label=draw.syringe.label)
    else:
        off = _off(draw)
        if abs(off) <= PRECISION + EPSILON:
            return None
        said = _("the {label} is too coarse for this dose: {units} units is {off:.0%} {value} "
                  "than the prescribed {prescribed_mg} mg").format(
                    label=draw.syringe.label, units=format_units(draw.units), off=abs(off),
                    value='less' if off < 0 else 'more',
                    prescribed_mg=format_mg(draw.prescribed_mg))
    better = _suggest(draw, finer=True)
    if better is None:
        return _("{said}: ask the clinic for a syringe with finer marks").format(said=said)
    return Line(_("{said}: use a {label} (").format(said=said, label=better.label),
                act(Do.SYRINGE, child=child, key=better.key), ")")


def do_not_give(problems: list[str]) -> str | None:
    """The sentence shown where the dose is shown, when anything is wrong with it: the
    same words on every front, and first, since a reminder is often read only as far as
    its first line."""
    if not problems:
        return None
    return _("Do not give this dose: {join}. Call the child's doctor.").format(
               join='; '.join(problems))


def ask_first(hold: list[str]) -> str | None:
    """The sentence shown beside the next dose when a symptom needs the doctor's word
    before it is given (the reasons come from the urgency table)."""
    if not hold:
        return None
    return _("Ask the child's doctor before giving this dose: {join} was logged.").format(
               join='; '.join(hold))


def concentration_problems(concentration: float) -> list[str]:
    check_positive(concentration, _("the concentration"))
    if abs(concentration - INCRELEX_MG_PER_ML) > EPSILON:
        return [
            _("Increlex is made only as {INCRELEX_MG_PER_ML:g} mg/mL; {concentration:g} mg/mL is "
              "not an Increlex vial").format(
                INCRELEX_MG_PER_ML=INCRELEX_MG_PER_ML, concentration=concentration)
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
                _("{n_times} dose time{value} a day: the label gives Increlex twice a day").format(
                    n_times=len(times), value='s' if len(times) != 1 else ''),
                REFUSE,
            )
        )
    gaps = _gaps(times)
    shortest = min(gaps, default=None)
    if shortest is not None and shortest < MIN_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                _("two doses only {_hours} apart: they must be at least {_hours2} apart (about "
                  "12 is usual)").format(
                    _hours=_hours(shortest), _hours2=_hours(MIN_DOSE_GAP)),
                REFUSE,
            )
        )
    elif shortest is not None and shortest < USUAL_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                _("the doses are {_hours} apart; about 12 hours is usual").format(
                    _hours=_hours(shortest)),
                CONFIRM,
            )
        )
    return found


def _hours(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if not rest else _("{hours} h {rest:02d} min").format(
                                             hours=hours, rest=rest)


def daily_total_problems(
    mg_per_dose: float, weight_kg: float | None, doses_per_day: int
) -> list[str]:
    if not weight_kg:
        return []
    per_kg_day = mg_per_dose * doses_per_day / weight_kg
    if per_kg_day > MAX_MG_PER_KG_PER_DAY + EPSILON:
        return [
            _("{format_mg} mg a day is {per_kg_day} mg/kg a day, above the label's "
              "{MAX_MG_PER_KG_PER_DAY:g} mg/kg a day").format(
                format_mg=format_mg(mg_per_dose * doses_per_day),
                per_kg_day=format_per_kg(per_kg_day),
                MAX_MG_PER_KG_PER_DAY=MAX_MG_PER_KG_PER_DAY)
        ]
    return []


NO_DOSE = "give the dose, in mg/kg or in mg"


def prescription_problems(
    mg_per_kg: float | None, mg: float | None, weight_kg: float | None
) -> list[str]:
    """A prescribed dose above the label's ceiling per injection."""
    if mg_per_kg is not None:
        check_positive(mg_per_kg, _("the dose in mg/kg"))
        if mg_per_kg > MAX_MG_PER_KG + EPSILON:
            return [_("{mg_per_kg:g} mg/kg is above the label's ceiling of {MAX_MG_PER_KG} mg/kg").format(
                        mg_per_kg=mg_per_kg, MAX_MG_PER_KG=MAX_MG_PER_KG)]
        return []
    if mg is None:
        raise InputError(NO_DOSE)
    check_positive(mg, _("the dose"))
    if weight_kg and mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        return [
            _("{mg} mg is {format_per_kg} mg/kg at {weight_kg:g} kg, above the label's ceiling "
              "of {MAX_MG_PER_KG} mg/kg per injection").format(
                mg=format_mg(mg), format_per_kg=format_per_kg(mg / weight_kg),
                weight_kg=weight_kg, MAX_MG_PER_KG=MAX_MG_PER_KG)
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
                _("a start at {significant} mg/kg is above the label's starting range "
                  "({START_MG_PER_KG:g}-{START_MG_PER_KG2:g} mg/kg)").format(
                    significant=significant(new_per_kg), START_MG_PER_KG=START_MG_PER_KG[0],
                    START_MG_PER_KG2=START_MG_PER_KG[1])
            ]
        return []
    warnings = []
    step = new_per_kg - old_per_kg
    if step <= EPSILON:
        return []
    if step > STEP_MG_PER_KG + 1e-6:  # per-kg values read back from mg carry float noise
        warnings.append(
            _("a step of {significant} mg/kg (from {significant2} to {significant3}) is more "
              "than the label's {STEP_MG_PER_KG:g} mg/kg").format(
                significant=significant(step), significant2=significant(old_per_kg),
                significant3=significant(new_per_kg), STEP_MG_PER_KG=STEP_MG_PER_KG)
        )
    if since_last_increase is not None and since_last_increase < TITRATION_WAIT:
        warnings.append(
            _("the last increase was {_span} ago: the label raises the dose only after a week "
              "that was well tolerated").format(
                _span=_span(since_last_increase))
        )
    elif since_last_increase is None and since_start is not None \
            and since_start < TITRATION_WAIT:
        warnings.append(
            _("the treatment started {_span} ago: the label raises the dose only after a first "
              "week of treatment that was well tolerated").format(
                _span=_span(max(since_start, timedelta(0))))
        )
    if low_in_last_week:
        warnings.append(
            _("low blood sugar was logged in the last 7 days: the label raises the dose only "
              "after a week without it")
        )
    if not_tolerated:
        warnings.append(
            _("the last 7 days were not well tolerated ({join}): the label raises the dose only "
              "if it was well tolerated for at least one week").format(
                join='; '.join(not_tolerated))
        )
    return warnings


def require_override(problems: list[str], force_reason: str | None) -> None:
    """Refuse unless the parent forced it and said why (the reason is recorded)."""
    if problems and not (force_reason and force_reason.strip()):
        raise Refused(Line("; ".join(problems) + _(". Check with the child's doctor; to record "
                                                   "it anyway "), act(Do.FORCE)))


def weight_jump(
    previous_kg: float | None, new_kg: float, what: str = _("the last weight")
) -> str | None:
    """A weight far from an earlier one is more likely a typo than a change."""
    if previous_kg and abs(new_kg - previous_kg) / previous_kg > WEIGHT_JUMP + EPSILON:
        return _("{new_kg:g} kg is more than {WEIGHT_JUMP:.0%} away from {what} ({previous_kg:g} "
                 "kg)").format(
                   new_kg=new_kg, WEIGHT_JUMP=WEIGHT_JUMP, what=what, previous_kg=previous_kg)
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
        found.append(Finding("no-meal", _("given without a meal or snack within 20 minutes"), FLAG))
    if after_close is not None and after_close >= timedelta(0):
        found.append(
            Finding(
                "late",
                _("given {_span} after its slot closed (a late make-up)").format(
                    _span=_span(after_close)),
                CONFIRM,
            )
        )
    if since_previous is not None and since_previous < MIN_INJECTION_GAP:
        found.append(
            Finding(
                "too-soon",
                _("given only {_span} after the previous injection").format(
                    _span=_span(since_previous)),
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
    return Line(_("the {label} dose's time has passed (it closed at {closed}): it is missed, not "
                  "made up. If it was given, ").format(
                    label=label, closed=closed), act(Do.AT, at=label), ".")


def meal_rule(child: str) -> Line:
    """The meal rule beside every dose shown (status, Today, a reminder): one sentence."""
    return Line(_("Within 20 minutes of a meal or snack; if {child} cannot eat, ").format(
                    child=child),
                act(Do.SKIP), ".")


NOT_ADVICE = "tracker is a log, not medical advice: the child's doctor decides the dose."


def late_window(child: str, label: str, late: str, closes: str, *, blocked: bool = False) -> str:
    """The late-dose rule, stated with its condition and its end.

    `blocked`: something said not to give the dose (above a limit, or the doctor to be
    asked first); then the window is not an invitation to give it.
    """
    if blocked:
        return _("the {label} dose is {late} late and is not to be given until the doctor says so "
              "(see above); from {closes} it counts as missed and is not made up.").format(
                label=label, late=late, closes=closes)
    return Line(
        _("the {label} dose is {late} late. If {child} can eat now, it can still be given with "
          "food until {closes}; after that it is missed and not made up. If {child} is asleep or "
          "cannot eat, ").format(
            label=label, late=late, child=child, closes=closes), act(Do.SKIP), "."
    )
