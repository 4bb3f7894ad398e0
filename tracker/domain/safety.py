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

import re
from datetime import time, timedelta
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from tracker import i18n
from tracker.domain.actions import Do, Line, act, fill
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
from tracker.i18n import N_, _, ngettext
from tracker.i18n.formats import decimal

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
        raise InputError(_("weight must be a positive number of kilograms, not {kg}").format(
            kg=_g(kg)))
    low, high = WEIGHT_RANGE_KG
    if not low <= kg <= high:
        raise InputError(_("a weight of {kg} kg is outside {low}-{high} kg: check the "
                           "number").format(kg=_g(kg), low=_g(low), high=_g(high)))
    return kg


def check_height(cm: float) -> float:
    if cm != cm or cm <= 0:
        raise InputError(_("height must be a positive number of centimetres, not {cm}").format(
            cm=_g(cm)))
    low, high = HEIGHT_RANGE_CM
    if not low <= cm <= high:
        raise InputError(_("a height of {cm} cm is outside {low}-{high} cm: check the "
                           "number").format(cm=_g(cm), low=_g(low), high=_g(high)))
    return cm


def _g(value: float) -> str:
    """A number as "%g" writes it, with the locale's decimal mark."""
    return decimal(f"{value:g}")


def check_positive(value: float, what: str) -> float:
    """`what` names the value in the reader's language ("the dose")."""
    if value != value or value <= 0:
        # TRANSLATORS: {what} names a value (the dose, the concentration)
        raise InputError(_("{what} must be a positive number, not {value}").format(
            what=what, value=_g(value)))
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
            _("{dose} mg is more than the prescribed {prescribed} mg").format(
                dose=decimal(format_mg(dose_mg)), prescribed=decimal(format_mg(prescribed_mg)))
        )
    if weight_kg and dose_mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        problems.append(
            _("{dose} mg is {per_kg} mg/kg at {weight} kg, above the label's "
              "ceiling of {ceiling} mg/kg per injection").format(
                dose=decimal(format_mg(dose_mg)),
                per_kg=decimal(format_per_kg(dose_mg / weight_kg)),
                weight=_g(weight_kg), ceiling=decimal(str(MAX_MG_PER_KG)))
        )
    return problems


def syringe_problems(draw: Draw) -> list[str]:
    """Why the family's syringe cannot draw this dose: too small to hold it, or too
    coarse to measure it at all. A question of the syringe, not of the dose: the answer is
    another syringe (`precision_note` names it), never the doctor."""
    problems = []
    if not draw.fits:
        problems.append(
            # TRANSLATORS: {syringe} names a syringe (0.3 mL syringe with half-unit marks)
            _("{units} units do not fit in a {syringe} (it holds {capacity}): a bigger "
              "syringe is needed").format(
                units=decimal(format_units(draw.units)), syringe=draw.syringe.name,
                capacity=draw.syringe.capacity_units)
        )
    if not draw.measurable:
        problems.append(
            _("{mg} mg is less than one mark of a {syringe}: a finer syringe is needed").format(
                mg=decimal(format_mg(draw.prescribed_mg)), syringe=draw.syringe.name)
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
        said = _("{units} units do not fit in a {syringe} (it holds {capacity})").format(
            units=decimal(format_units(draw.units)), syringe=draw.syringe.name,
            capacity=draw.syringe.capacity_units)
        better = _suggest(draw, finer=False)
        if better is None:
            # TRANSLATORS: {problem} is a sentence saying what is wrong with the syringe
            return _("{problem}: ask the pharmacist or clinic which syringe to draw it with")\
                .format(problem=said)
        # TRANSLATORS: {command} is how to set the syringe (a command or a button)
        return fill(_("{problem}: change the syringe to a {syringe} ({command})"),
                    problem=said, syringe=better.name,
                    command=act(Do.SYRINGE, child=child, key=better.key))
    if not draw.measurable:
        said = _("{mg} mg is less than one mark of a {syringe}").format(
            mg=decimal(format_mg(draw.prescribed_mg)), syringe=draw.syringe.name)
    else:
        off = _off(draw)
        if abs(off) <= PRECISION + EPSILON:
            return None
        percent = f"{abs(off):.0%}"
        if off < 0:
            said = _("the {syringe} is too coarse for this dose: {units} units is {percent} less "
                     "than the prescribed {mg} mg")
        else:
            said = _("the {syringe} is too coarse for this dose: {units} units is {percent} more "
                     "than the prescribed {mg} mg")
        said = said.format(syringe=draw.syringe.name, units=decimal(format_units(draw.units)),
                           percent=percent, mg=decimal(format_mg(draw.prescribed_mg)))
    better = _suggest(draw, finer=True)
    if better is None:
        return _("{problem}: ask the clinic for a syringe with finer marks").format(problem=said)
    return fill(_("{problem}: use a {syringe} ({command})"), problem=said, syringe=better.name,
                command=act(Do.SYRINGE, child=child, key=better.key))


def do_not_give(problems: list[str]) -> str | None:
    """The sentence shown where the dose is shown, when anything is wrong with it: the
    same words on every front, and first, since a reminder is often read only as far as
    its first line."""
    if not problems:
        return None
    # TRANSLATORS: {problems} are sentences saying what is wrong with the dose
    return _("Do not give this dose: {problems}. Call the child's doctor.").format(
        problems="; ".join(problems))


def ask_first(hold: list[str]) -> str | None:
    """The sentence shown beside the next dose when a symptom needs the doctor's word
    before it is given (the reasons come from the urgency table)."""
    if not hold:
        return None
    # TRANSLATORS: {signs} what was logged (a headache with vomiting)
    return _("Ask the child's doctor before giving this dose: {signs} was logged.").format(
        signs="; ".join(hold))


def concentration_problems(concentration: float) -> list[str]:
    check_positive(concentration, _("the concentration"))
    if abs(concentration - INCRELEX_MG_PER_ML) > EPSILON:
        return [
            _("Increlex is made only as {strength} mg/mL; {typed} mg/mL is "
              "not an Increlex vial").format(
                strength=_g(INCRELEX_MG_PER_ML), typed=_g(concentration))
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
                ngettext("{n} dose time a day: the label gives Increlex twice a day",
                         "{n} dose times a day: the label gives Increlex twice a day",
                         len(times)).format(n=len(times)),
                REFUSE,
            )
        )
    gaps = _gaps(times)
    shortest = min(gaps, default=None)
    if shortest is not None and shortest < MIN_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                _("two doses only {gap} apart: they must be at least {least} apart (about "
                  "12 is usual)").format(gap=_hours(shortest), least=_hours(MIN_DOSE_GAP)),
                REFUSE,
            )
        )
    elif shortest is not None and shortest < USUAL_DOSE_GAP:
        found.append(
            Finding(
                "dose-gap",
                _("the doses are {gap} apart; about 12 hours is usual").format(
                    gap=_hours(shortest)),
                CONFIRM,
            )
        )
    return found


def _hours(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{rest:02d}")


def daily_total_problems(
    mg_per_dose: float, weight_kg: float | None, doses_per_day: int
) -> list[str]:
    if not weight_kg:
        return []
    per_kg_day = mg_per_dose * doses_per_day / weight_kg
    if per_kg_day > MAX_MG_PER_KG_PER_DAY + EPSILON:
        return [
            _("{mg} mg a day is {per_kg} mg/kg a day, above the label's "
              "{ceiling} mg/kg a day").format(
                mg=decimal(format_mg(mg_per_dose * doses_per_day)),
                per_kg=decimal(format_per_kg(per_kg_day)), ceiling=_g(MAX_MG_PER_KG_PER_DAY))
        ]
    return []


NO_DOSE = N_("give the dose, in mg/kg or in mg")


def prescription_problems(
    mg_per_kg: float | None, mg: float | None, weight_kg: float | None
) -> list[str]:
    """A prescribed dose above the label's ceiling per injection."""
    if mg_per_kg is not None:
        check_positive(mg_per_kg, _("the dose in mg/kg"))
        if mg_per_kg > MAX_MG_PER_KG + EPSILON:
            return [_("{per_kg} mg/kg is above the label's ceiling of {ceiling} mg/kg").format(
                per_kg=_g(mg_per_kg), ceiling=decimal(str(MAX_MG_PER_KG)))]
        return []
    if mg is None:
        raise InputError(_(NO_DOSE))
    check_positive(mg, _("the dose"))
    if weight_kg and mg > MAX_MG_PER_KG * weight_kg + EPSILON:
        return [
            _("{dose} mg is {per_kg} mg/kg at {weight} kg, above the label's "
              "ceiling of {ceiling} mg/kg per injection").format(
                dose=decimal(format_mg(mg)), per_kg=decimal(format_per_kg(mg / weight_kg)),
                weight=_g(weight_kg), ceiling=decimal(str(MAX_MG_PER_KG)))
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
                _("a start at {per_kg} mg/kg is above the label's starting range "
                  "({low}-{high} mg/kg)").format(
                    per_kg=decimal(significant(new_per_kg)), low=_g(START_MG_PER_KG[0]),
                    high=_g(START_MG_PER_KG[1]))
            ]
        return []
    warnings = []
    step = new_per_kg - old_per_kg
    if step <= EPSILON:
        return []
    if step > STEP_MG_PER_KG + 1e-6:  # per-kg values read back from mg carry float noise
        warnings.append(
            _("a step of {step} mg/kg (from {old} to {new}) is more "
              "than the label's {most} mg/kg").format(
                step=decimal(significant(step)), old=decimal(significant(old_per_kg)),
                new=decimal(significant(new_per_kg)), most=_g(STEP_MG_PER_KG))
        )
    if since_last_increase is not None and since_last_increase < TITRATION_WAIT:
        warnings.append(
            _("the last increase was {span} ago: the label raises the dose only after a week "
              "that was well tolerated").format(span=_span(since_last_increase))
        )
    elif since_last_increase is None and since_start is not None \
            and since_start < TITRATION_WAIT:
        warnings.append(
            _("the treatment started {span} ago: the label raises the dose only after a first "
              "week of treatment that was well tolerated").format(
                span=_span(max(since_start, timedelta(0))))
        )
    return warnings + tolerance_warnings(low_in_last_week, not_tolerated)


def tolerance_warnings(low_in_last_week: bool, not_tolerated: tuple[str, ...]) -> list[str]:
    """The titration warnings about the week before an increase (low blood sugar, a week
    not well tolerated): the ones that ask whether the increase is the doctor's decision.
    Told apart by being these sentences, not by their words, which are the reader's."""
    warnings = []
    if low_in_last_week:
        warnings.append(
            _("low blood sugar was logged in the last 7 days: the label raises the dose only "
              "after a week without it")
        )
    if not_tolerated:
        warnings.append(
            # TRANSLATORS: {what} what happened, with its day (vomiting on 3 December)
            _("the last 7 days were not well tolerated ({what}): the label raises the dose only "
              "if it was well tolerated for at least one week").format(
                what="; ".join(not_tolerated))
        )
    return warnings


def require_override(problems: list[str], force_reason: str | None) -> None:
    """Refuse unless the parent forced it and said why (the reason is recorded)."""
    if problems and not (force_reason and force_reason.strip()):
        # TRANSLATORS: {problems} what is wrong; {command} how to record it anyway
        raise Refused(fill(_("{problems}. Check with the child's doctor; to record it anyway "
                             "{command}"), problems="; ".join(problems),
                           command=act(Do.FORCE)))


def weight_jump(
    previous_kg: float | None, new_kg: float, what: str | None = None
) -> str | None:
    """A weight far from an earlier one is more likely a typo than a change. `what` names
    the earlier one in the reader's language (default: "the last weight")."""
    if previous_kg and abs(new_kg - previous_kg) / previous_kg > WEIGHT_JUMP + EPSILON:
        # TRANSLATORS: {what} names the earlier weight (the last weight, the prescription's)
        return _("{new} kg is more than {percent} away from {what} ({old} kg)").format(
            new=_g(new_kg), percent=f"{WEIGHT_JUMP:.0%}", what=what or _("the last weight"),
            old=_g(previous_kg))
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
        found.append(Finding("no-meal", _("given without a meal or snack within 20 minutes"),
                             FLAG))
    if after_close is not None and after_close >= timedelta(0):
        found.append(
            Finding(
                "late",
                _("given {span} after its slot closed (a late make-up)").format(
                    span=_span(after_close)),
                CONFIRM,
            )
        )
    if since_previous is not None and since_previous < MIN_INJECTION_GAP:
        found.append(
            Finding(
                "too-soon",
                _("given only {span} after the previous injection").format(
                    span=_span(since_previous)),
                CONFIRM,
            )
        )
    return found


_FLAG_RULES = (  # a phrase of each recorded flag's text (in English) -> the rule it broke
    ("more than the prescribed", "dose"),
    ("above the label's ceiling", "dose"),
    ("after the previous injection", "too-soon"),
    ("without a meal or snack", "no-meal"),
    ("after its slot closed", "late"),
    ("past its discard day", "vial-past"),
    ("past its expiry date", "vial-past"),
    ("the dose may have been short", "vial-short"),
)
# The flags' whole sentences (the msgids of injection_findings, dose_problems and the vial
# checks): a flag recorded in another language is read back by its translation.
_FLAG_SENTENCES = (
    (N_("{dose} mg is more than the prescribed {prescribed} mg"), "dose"),
    (N_("{dose} mg is {per_kg} mg/kg at {weight} kg, above the label's "
        "ceiling of {ceiling} mg/kg per injection"), "dose"),
    (N_("given only {span} after the previous injection"), "too-soon"),
    (N_("given without a meal or snack within 20 minutes"), "no-meal"),
    (N_("given {span} after its slot closed (a late make-up)"), "late"),
    (N_("drawn from a vial past its discard day, {days} days after opening ({when})"),
     "vial-past"),
    (N_("drawn from a vial past its expiry date ({day})"), "vial-past"),
    (N_("drawn {dose} mL from a vial that held about {remaining} mL: the dose may have "
        "been short"), "vial-short"),
)
# The languages a log's flags may have been recorded in.
FLAG_LANGUAGES = ("fr", "es", "de", "ar")


@cache
def _flag_patterns(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each flag sentence as translated in `lang`, its placeholders matching anything."""
    out = []
    with i18n.speaking(lang):
        for sentence, rule in _FLAG_SENTENCES:
            translated = _(sentence)
            if translated == sentence:
                continue  # not translated: the English phrases read it
            pieces = re.split(r"\{\w+\}", translated)
            out.append((re.compile(".+?".join(re.escape(p) for p in pieces), re.S), rule))
    return tuple(out)


def rules_of(flags: list[str]) -> frozenset[str]:
    """The rules a recorded dose broke, read back from its flags as they were recorded
    (the texts of injection_findings, dose_problems and the vial checks, in English or in
    the language spoken when they were logged), so a dose logged years ago is judged by
    what was found when it was logged."""
    found = {rule for flag in flags for phrase, rule in _FLAG_RULES if phrase in flag}
    return frozenset(found) | translated_rules(flags)


def translated_rules(flags: list[str]) -> frozenset[str]:
    """The rules of flags recorded in another language than English (whole sentences)."""
    found: set[str] = set()
    # a flag with an English phrase is English: no other catalog is read for it (English
    # start-up reads none)
    flags = [f for f in flags if not any(phrase in f for phrase, _rule in _FLAG_RULES)]
    if not flags:
        return frozenset()
    spoken = i18n.language()
    for lang in dict.fromkeys((*FLAG_LANGUAGES, spoken)):
        if lang == i18n.ENGLISH:
            continue
        for flag in flags:
            found.update(rule for pattern, rule in _flag_patterns(lang)
                         if pattern.fullmatch(flag.strip()))
    return frozenset(found)


def _span(delta: timedelta) -> str:
    """'45 min', '5 h 57 min', '3 d 4 h': how long, as a parent reads it."""
    return format_span(round(delta.total_seconds() / 60))


# the one sentence, wherever a dose was not given: `_(NO_MAKE_UP)` where it is shown
NO_MAKE_UP = N_("A missed or withheld dose is not made up: give the normal dose at the next "
                "time, never a double one.")


def time_passed(label: str, closed: str) -> Line:
    """Why a tap on an old reminder records nothing: past its window the tap's time is
    not the injection's, and a make-up is not given; a dose that was given on time is
    logged with its own time."""
    # TRANSLATORS: {slot} the dose's time (08:00); {closed} when its window closed
    return fill(_("the {slot} dose's time has passed (it closed at {closed}): it is missed, "
                  "not made up. If it was given, {command}."), slot=label, closed=closed,
                command=act(Do.AT, at=label))


def meal_rule(child: str) -> Line:
    """The meal rule beside every dose shown (status, Today, a reminder): one sentence."""
    return fill(_("Within 20 minutes of a meal or snack; if {child} cannot eat, {command}."),
                child=child, command=act(Do.SKIP))


NOT_ADVICE = N_("tracker is a log, not medical advice: the child's doctor decides the dose.")


def late_window(child: str, label: str, late: str, closes: str, *, blocked: bool = False) -> str:
    """The late-dose rule, stated with its condition and its end.

    `blocked`: something said not to give the dose (above a limit, or the doctor to be
    asked first); then the window is not an invitation to give it.
    """
    if blocked:
        # TRANSLATORS: {slot} the dose's time (08:00); {late} how late (1 h 10 min);
        # {closes} the time its window closes
        return _("the {slot} dose is {late} late and is not to be given until the doctor says "
                 "so (see above); from {closes} it counts as missed and is not made up.").format(
            slot=label, late=late, closes=closes)
    return fill(
        _("the {slot} dose is {late} late. If {child} can eat now, it can still be given with "
          "food until {closes}; after that it is missed and not made up. If {child} is asleep "
          "or cannot eat, {command}."), slot=label, late=late, child=child, closes=closes,
        command=act(Do.SKIP))
