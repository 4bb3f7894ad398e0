"""Setting a child up, and the history of their weight, height and prescription.

Nothing here overwrites: a new weight or prescription is a new row from a moment on, so
the titration record can be read back at any date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Measurement, Prescription, Symptom
from tracker.domain import dosing, glucose, growth, safety, schedule, text, typed
from tracker.domain.actions import Do, Line, act, fill
from tracker.domain.guidance import DOCTOR, Advice
from tracker.domain.prescription import basis_weight, draw_for, mg_of, no_weight
from tracker.errors import InputError, NotFound, Refused
from tracker.i18n import N_, _, formats
from tracker.services.record import headlines
from tracker.services.record.outcome import Told
from tracker.services.record.questions import NO_ONE, Answers, Question
from tracker.services.views import treatment
from tracker.services.views.plan import (
    latest_measurement,
    latest_weight,
    plan_at,
    prescription_at,
    zone_of,
)

if TYPE_CHECKING:
    from tracker.services.record.interview import Env, Interviewed

MIN_AGE_YEARS = 2


@dataclass
class SetupOutcome(Told):
    """What a setup use case did (a Told), for the child it was about."""

    child: Child = field(kw_only=True)


def _age_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def create_child(
    session: Session,
    *,
    name: str,
    birth_date: date,
    timezone: str,
    weight_kg: float,
    dose_mg_per_kg: float | None,
    dose_mg: float | None,
    times: str,
    concentration: float,
    now: datetime,
    by: str,
    treatment_start: datetime | None = None,
    height_cm: float | None = None,
    force_reason: str | None = None,
    syringe: str | None = None,
    answers: Answers = NO_ONE,
    sex: str | None = None,
    growth_reference: str | None = None,
) -> SetupOutcome:
    """A child, their weight today, and the prescription in effect from the treatment
    start (default: the start of today).

    Every slot from the treatment start on counts: doses can be logged back to it, and a
    slot nobody logged is missed. Without a syringe named, the smallest that holds the
    first dose is assumed and said.
    """
    name = text.clean_name(name, _("the child's name"))
    zone = schedule.zone_named(timezone)
    today = now.astimezone(zone).date()
    _check_new_child(session, name, birth_date, today)
    chosen = dosing.parse_syringe(syringe) if syringe else None
    start = treatment_start or schedule.day_bounds(today, today, zone)[0]
    start_day = start.astimezone(zone).date()
    if start_day > today or start_day < birth_date:
        raise InputError(
            _("the treatment start {day} must be between the birth date and today").format(
                day=formats.day(start_day))
        )
    child = _add_child(session, Child(
        name=name,
        birth_date=birth_date,
        timezone=zone.key,
        created_at=now,
        treatment_start=start,
        syringe=chosen.key if chosen else None,
        sex=growth.normalise_sex(sex) if sex else None,
        # None unless chosen: the default then follows the zone the child lives in (a
        # family that moves gets the charts of its new country)
        growth_reference=(
            growth.normalise_reference(growth_reference) if growth_reference else None
        ),
    ))
    outcome = SetupOutcome(child=child)
    if _age_years(birth_date, today) < MIN_AGE_YEARS:
        outcome.warnings.append(_("the label is for children of 2 years and older"))
    _first_measurement(session, child, weight_kg, height_cm, today, start_day, outcome,
                       now=now, by=by)
    rx = prescribe(
        session,
        child,
        dose_mg_per_kg=dose_mg_per_kg,
        dose_mg=dose_mg,
        times=times,
        concentration=concentration,
        now=now,
        by=by,
        force_reason=force_reason,
        starts_at=schedule.localize(start_day, time(0), zone),
        first=True,
        answers=answers,
    )
    if chosen is None:
        outcome.info.append(_syringe_assumed(session, child, concentration, now))
    outcome.also(rx)
    return outcome


def _check_new_child(session: Session, name: str, birth_date: date, today: date) -> None:
    """A birth date that makes sense, and a name not already set up."""
    if birth_date > today:
        raise InputError(_("the birth date {day} is in the future").format(
                             day=formats.day(birth_date)))
    if _age_years(birth_date, today) > 25:
        raise InputError(_("the birth date {day} makes the child over 25: check it").format(
                             day=formats.day(birth_date)))
    if session.scalar(select(Child.id).where(Child.name.ilike(name))) is not None:
        raise InputError(_("a child named {name} is already set up").format(name=repr(name)))


def _add_child(session: Session, child: Child) -> Child:
    """Insert the child; one set up at the same moment under the same name is said."""
    try:
        with session.begin_nested():
            session.add(child)
            session.flush()
    except IntegrityError:
        raise InputError(_("a child named {name} is already set up").format(
            name=repr(child.name))) from None
    return child


def _first_measurement(session: Session, child: Child, weight_kg: float,
                       height_cm: float | None, today: date, start_day: date,
                       outcome: SetupOutcome, *, now: datetime, by: str) -> None:
    """The weight (and height) at setup, dated today; a treatment that started earlier
    is told how to date them at its start."""
    safety.check_weight(weight_kg)
    if height_cm is not None:
        safety.check_height(height_cm)
    first = Measurement(
        child_id=child.id, measured_on=today, weight_kg=weight_kg, height_cm=height_cm,
        created_at=now, created_by=by
    )
    session.add(first)
    session.flush()
    if start_day < today:
        said = (_("the weight and height are dated today; if measured at the start of "
                  "treatment, date them then: {command}") if height_cm is not None
                else _("the weight is dated today; if measured at the start of treatment, date "
                       "them then: {command}"))
        outcome.info.append(fill(said, command=act(Do.EDIT_DAY, ref=f"M{first.id}",
                                                   day=start_day.isoformat())))


def _syringe_assumed(session: Session, child: Child, concentration: float,
                     now: datetime) -> str:
    """The smallest syringe that holds the first dose, set and said, with another one
    that would draw it as an example."""
    plan = plan_at(session, child, now)
    child.syringe = plan.draw.syringe.key
    other = next((s for s in map(dosing.SYRINGES.get, OTHER_SYRINGES)
                  if s is not None and s.key != child.syringe
                  and _draws(dosing.draw(plan.mg, concentration=concentration, syringe=s),
                             child.name)),
                 None)  # an example of another syringe: only one that draws the dose
    if other is None:
        return _("syringe: {syringe}").format(syringe=plan.draw.syringe.name)
    # TRANSLATORS: {command}: how to choose another syringe (a command or a button)
    return fill(_("syringe: {syringe} (another one: {command})"),
                syringe=plan.draw.syringe.name,
                command=act(Do.SYRINGE, child=child.name, key=other.key))


# The syringe named as an example of another one, after the one assumed: the first of
# these that holds and measures the dose.
OTHER_SYRINGES = ("0.5ml", "1ml", "0.3ml-half", "0.3ml", "1ml-2")


def _draws(d: dosing.Draw, child: str) -> bool:
    return d.fits and d.measurable and safety.precision_note(d, child) is None


def from_interview(session: Session, answers: Interviewed, env: Env, *,
                   syringe: str | None, growth_reference: str | None,
                   force_reason: str | None, asked: Answers = NO_ONE) -> SetupOutcome:
    """Set up the child the interview's answers describe (any front that asks them);
    `asked` answers the questions of the setup itself (a dose above the label...)."""
    from tracker.services.record.interview import zone_and_caregiver

    zone, by = zone_and_caregiver(answers, env)
    dose = answers["dose"]
    per_kg = dose.amount if dose.unit == "mg/kg" else None
    return create_child(
        session,
        name=answers["name"],
        birth_date=answers["birth_date"],
        timezone=zone,
        weight_kg=answers["weight_kg"],
        height_cm=answers["height_cm"],
        dose_mg_per_kg=per_kg,
        dose_mg=None if per_kg is not None else dose.mg(env.concentration),
        times=answers["times"] or schedule.DEFAULT_TIMES,
        concentration=env.concentration,
        now=env.now,
        by=by,
        treatment_start=answers["treatment_start"],
        force_reason=force_reason,
        syringe=syringe,
        answers=asked,
        sex=answers["sex"],
        growth_reference=growth_reference,
    )


def _per_kg(p: Prescription, weight_kg: float | None) -> float | None:
    """A prescription's dose in mg/kg: as written, or a fixed mg at its weight."""
    if p.dose_mg_per_kg is not None:
        return p.dose_mg_per_kg
    basis = basis_weight(p, weight_kg)
    return (p.dose_mg or 0) / basis if basis else None


def _titration_context(
    session: Session, child: Child, starts: datetime
) -> tuple[timedelta | None, bool]:
    """How long since the last increase, and whether a low was logged in the week before."""
    rows = list(
        session.scalars(
            select(Prescription)
            .where(
                Prescription.child_id == child.id,
                Prescription.voided_at.is_(None),
                Prescription.starts_at <= starts,
            )
            .order_by(Prescription.starts_at, Prescription.id)
        )
    )
    zone = zone_of(child)
    last_increase: datetime | None = None
    for before, after in pairwise(rows):
        old = _per_kg(
            before, latest_weight(session, child, before.starts_at.astimezone(zone).date())
        )
        new = _per_kg(after, latest_weight(session, child, after.starts_at.astimezone(zone).date()))
        if old is not None and new is not None and new > old + dosing.EPSILON:
            last_increase = after.starts_at
    week = starts - safety.TITRATION_WAIT
    low_reading = session.scalar(
        select(Glucose.id)
        .where(
            Glucose.child_id == child.id,
            Glucose.voided_at.is_(None),
            Glucose.measured_at > week,
            Glucose.measured_at <= starts,
            Glucose.mg_dl < glucose.LOW_MGDL,
        )
        .limit(1)
    )
    low_symptom = session.scalar(
        select(Symptom.id)
        .where(
            Symptom.child_id == child.id,
            Symptom.voided_at.is_(None),
            Symptom.kind == "low-blood-sugar",
            Symptom.occurred_at > week,
            Symptom.occurred_at <= starts,
        )
        .limit(1)
    )
    since = starts - last_increase if last_increase is not None else None
    return since, low_reading is not None or low_symptom is not None


# a withheld dose's reason, in the family's words, that says the child was ill
ILLNESS = re.compile(r"\b(ill|illness|sick|fever|unwell|infection|flu|cold)\b|vomit|diarrh",
                     re.IGNORECASE)


def _not_tolerated(session: Session, child: Child, starts: datetime) -> tuple[str, ...]:
    """What in the week before an increase says it was not well tolerated: vomiting, and
    doses withheld for illness (a reason in the family's words: ill, sick, fever...)."""
    zone = zone_of(child)
    week = starts - safety.TITRATION_WAIT
    found: list[str] = []
    for at in session.scalars(
        select(Symptom.occurred_at).where(
            Symptom.child_id == child.id, Symptom.voided_at.is_(None),
            Symptom.kind == "vomiting", Symptom.occurred_at > week,
            Symptom.occurred_at <= starts).order_by(Symptom.occurred_at)):
        found.append(_("vomiting on {day}").format(day=formats.day_short(at.astimezone(zone))))
    for slot, reason in session.execute(
        select(Dose.scheduled_at, Dose.reason).where(
            Dose.child_id == child.id, Dose.voided_at.is_(None), Dose.status == "withheld",
            Dose.scheduled_at > week, Dose.scheduled_at <= starts)
        .order_by(Dose.scheduled_at)):
        if reason and ILLNESS.search(reason):
            from tracker.services.views.words import reason_words

            found.append(_("a dose withheld ({reason}) on {day}").format(
                             reason=reason_words(reason),
                             day=formats.day_short(slot.astimezone(zone))))
    return tuple(found)


def _confirm(answers: Answers, key: str, problem: str, force_reason: str | None) -> None:
    """A rule that asks "is that right?": a terminal asks; elsewhere a reason confirms."""
    if force_reason:
        return
    ok = answers.ask(
        Question(key, _("{problem}. Is that what the doctor prescribed?").format(
            problem=problem), default=False),
        otherwise=Refused(fill(_("{problem}: if that is what the doctor prescribed, {command}"),
                               problem=problem, command=act(Do.FORCE))),
    )
    if not ok:
        raise Refused(_("not recorded: {problem}").format(problem=problem))


def prescribe(
    session: Session,
    child: Child,
    *,
    now: datetime,
    by: str,
    dose_mg_per_kg: float | None = None,
    dose_mg: float | None = None,
    dose: typed.Dose | None = None,
    times: str | None = None,
    concentration: float | None = None,
    starts_at: datetime | None = None,
    note: str | None = None,
    force_reason: str | None = None,
    first: bool = False,
    answers: Answers = NO_ONE,
) -> SetupOutcome:
    """A new prescription from `starts_at` on; what is not given is kept from the current one.

    An mg/kg dose is fixed in mg at the child's latest weight: a later weighing changes
    nothing until the next prescription. The label's limits are refused unless forced with
    a reason; the titration advice is warned; both are recorded with the prescription.
    """
    if sum(d is not None for d in (dose_mg_per_kg, dose_mg, dose)) > 1:
        raise InputError(_("give the dose once: in mg/kg, in mg, in mL or in units"))
    starts = starts_at or now
    current = None if first else prescription_at(session, child, starts)
    weight = latest_weight(session, child, starts.astimezone(zone_of(child)).date())
    written = _dose_as_written(dose, dose_mg_per_kg, dose_mg, current, concentration, weight,
                               answers)
    dose_mg_per_kg, dose_mg = written.per_kg, written.mg
    parsed_times = schedule.parse_times(
        times or (current.times if current else schedule.DEFAULT_TIMES)
    )
    conc = concentration or (
        current.concentration_mg_per_ml if current else dosing.DEFAULT_CONCENTRATION_MG_PER_ML
    )
    force_reason = text.clean(force_reason, _("the reason"))
    if dose_mg_per_kg is not None and weight is None:
        raise no_weight()
    mg = dose_mg if dose_mg is not None else dosing.mg_for(weight or 0, dose_mg_per_kg or 0)
    rx = Prescription(
        child_id=child.id,
        starts_at=starts,
        dose_mg_per_kg=dose_mg_per_kg,
        dose_mg=dose_mg,
        times=schedule.format_times(parsed_times),
        concentration_mg_per_ml=conc,
        weight_kg=weight,
        created_at=now,
        created_by=by,
    )
    refused, confirmed = _label_limits(rx, mg, parsed_times, weight, child, force_reason,
                                       answers)
    titration = _titration_checked(session, child, rx, current, weight, answers)
    rx.flags = "\n".join([*refused, *confirmed, *titration]) or None
    rx.note = text.clean(note, _("the note"))
    rx.force_reason = force_reason
    session.add(rx)
    session.flush()
    return _told_prescribed(session, child, rx, current, mg, weight,
                            as_written=written.said, forced=bool(refused))


class _Written(NamedTuple):
    """A dose as prescribed: in mg/kg or in mg, and how it was read back (None: as typed)."""

    per_kg: float | None
    mg: float | None
    said: str | None


def _dose_as_written(dose: typed.Dose | None, per_kg: float | None, mg: float | None,
                     current: Prescription | None, concentration: float | None,
                     weight: float | None, answers: Answers) -> _Written:
    """The dose in mg/kg or mg: typed so, or a volume or micrograms read back in mg and
    mg/kg and confirmed; nothing typed keeps the current prescription's."""
    said = None
    if dose is not None and dose.written is not None:  # micrograms: read back, confirmed
        said = dose.shown_in_mg(concentration or dosing.DEFAULT_CONCENTRATION_MG_PER_ML,
                                weight)
        _confirm_read_back(said, answers)
    if dose is not None and dose.unit == "mg/kg":
        per_kg = dose.amount
    elif dose is not None and dose.unit == "mg":
        mg = dose.amount
    elif dose is not None:
        conc_now = concentration or (
            current.concentration_mg_per_ml if current else dosing.DEFAULT_CONCENTRATION_MG_PER_ML
        )
        mg = dose.mg(conc_now)
        said = dose.shown_in_mg(conc_now, weight)  # a volume: read back in mg and mg/kg
        _confirm_read_back(said, answers)
    if per_kg is None and mg is None:
        if current is None:
            raise InputError(_(safety.NO_DOSE))
        per_kg, mg = current.dose_mg_per_kg, current.dose_mg
    return _Written(per_kg, mg, said)


def _confirm_read_back(said: str, answers: Answers) -> None:
    if not answers.ask(Question("confirm-dose", _("{dose}. Right?").format(dose=said),
                                default=True), otherwise=True):
        raise Refused(_("not recorded: {dose} is not the dose prescribed").format(dose=said))


def _label_limits(rx: Prescription, mg: float, parsed_times: tuple[time, ...],
                  weight: float | None, child: Child, force_reason: str | None,
                  answers: Answers) -> tuple[list[str], list[str]]:
    """What breaks the label's limits (refused unless a reason is given) and what is
    confirmed by a person (dose times that look wrong), each recorded with it."""
    refused = safety.prescription_problems(rx.dose_mg_per_kg, rx.dose_mg, weight)
    refused += safety.concentration_problems(rx.concentration_mg_per_ml)
    time_findings = safety.times_findings(parsed_times)
    refused += [f.text for f in time_findings if f.action == safety.REFUSE]
    refused += safety.daily_total_problems(mg, weight, len(parsed_times))
    draw = draw_for(rx, mg, weight, child.syringe)
    refused += [p for p in safety.draw_problems(draw, weight) if p not in refused]
    safety.require_override(refused, force_reason)
    confirmed = [f.text for f in time_findings if f.action == safety.CONFIRM]
    for problem in confirmed:
        _confirm(answers, "confirm-times", problem, force_reason)
    return refused, confirmed


def _titration_checked(session: Session, child: Child, rx: Prescription,
                       current: Prescription | None, weight: float | None,
                       answers: Answers) -> list[str]:
    """The titration advice for this change; an increase after a low or a dose not well
    tolerated is asked to be the doctor's decision (warned and recorded otherwise)."""
    zone = zone_of(child)
    starts = rx.starts_at
    old_per_kg = None
    if current is not None:
        old_weight = latest_weight(session, child, current.starts_at.astimezone(zone).date())
        old_per_kg = _per_kg(current, old_weight)
    since_increase, low_week = _titration_context(session, child, starts)
    not_tolerated = _not_tolerated(session, child, starts) if current is not None else ()
    titration = safety.titration_warnings(
        _per_kg(rx, weight),
        old_per_kg,
        since_last_increase=since_increase,
        low_in_last_week=low_week,
        not_tolerated=not_tolerated,
        since_start=starts - treatment.started(child),
    )
    about_the_week = set(safety.tolerance_warnings(low_week, not_tolerated))
    increase = [w for w in titration if w in about_the_week]
    if increase and not answers.ask(  # asked in a terminal; warned and recorded otherwise
            Question("confirm-increase",
                     # TRANSLATORS: {findings}: why the increase may be too early
                     _("{findings}. Is this increase the doctor's decision?").format(
                         findings='; '.join(increase)),
                     default=False),
            otherwise=True):
        raise Refused(_("not recorded: ask the child's doctor before raising the dose"))
    return titration


def _told_prescribed(session: Session, child: Child, rx: Prescription,
                     current: Prescription | None, mg: float, weight: float | None, *,
                     as_written: str | None, forced: bool) -> SetupOutcome:
    """What is said after a prescription: the dose as read back, what it was and is now,
    what is wrong with it, and its judgement."""
    from tracker.domain.guidance import of_judgement
    from tracker.services.views import judged

    outcome = SetupOutcome(child=child, entry=rx, headline=headlines.prescription(rx))
    new_plan = plan_at(session, child, rx.starts_at)
    if as_written is not None:
        outcome.info.append(as_written)
    if current is not None:
        old = draw_for(current, mg_of(current, weight), weight, child.syringe)
        outcome.info.append(_("was: {draw} at {times}").format(
                                draw=old.describe(), times=current.times))
    outcome.info.append(_("now: {prescription}").format(
        prescription=new_plan.describe_prescription()))
    if new_plan.precision:  # said where the new dose is first shown, before it is drawn
        outcome.warnings.append(new_plan.precision)
    per_kg = rx.dose_mg_per_kg
    if per_kg is not None and per_kg < dosing.START_MG_PER_KG[0] - dosing.EPSILON:
        outcome.warnings.append(_("{dose} mg/kg is below the label's usual range").format(
                                    dose=formats.decimal(f"{per_kg:g}")))
    if forced:
        outcome.warnings.append(_("recorded with your reason: {reason}").format(
                                    reason=rx.force_reason))
    stop = safety.do_not_give(new_plan.problems)
    if stop:
        outcome.advice.append(Advice(DOCTOR, stop))
    # the prescription's judgement (its titration and the label's limits), as every
    # reader of the log sees it, after what must stop the dose itself
    outcome.advice += of_judgement(judged.of(session, child, f"P{rx.id}", rx.created_at))
    return outcome


def measure(
    session: Session,
    child: Child,
    *,
    now: datetime,
    by: str,
    on: date | None = None,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    note: str | None = None,
    force_reason: str | None = None,
    update_dose: bool = False,
    answers: Answers = NO_ONE,
) -> SetupOutcome:
    """A weight and/or height. A weight never changes the dose by itself (the doctor does).

    The typo check compares a weight with the last one and with the weight the dose was
    prescribed for: small steps that add up to a big change are still caught.
    """
    if weight_kg is None and height_cm is None:
        raise InputError(_("give a weight (kg), a height (cm) or both"))
    today = now.astimezone(zone_of(child)).date()
    day = on or today
    if day > today:
        raise InputError(_("{day} is in the future").format(day=formats.day(day)))
    if day < child.birth_date:
        raise InputError(_("{day} is before {name} was born").format(day=formats.day(day),
                                                                     name=child.name))
    outcome = SetupOutcome(child=child)
    try:
        rx_before: Prescription | None = prescription_at(session, child, now)
    except NotFound:  # a child can be measured before the first prescription
        rx_before = None
    force_reason = text.clean(force_reason, _("the reason"))
    if weight_kg is not None:
        _confirm_weight(session, child, day, weight_kg, rx_before, force_reason, answers)
    if height_cm is not None:
        outcome.warnings += _height_checked(session, child, day, height_cm)
    entry = Measurement(
        child_id=child.id,
        measured_on=day,
        weight_kg=weight_kg,
        height_cm=height_cm,
        note=text.clean(note, _("the note")),
        created_at=now,
        created_by=by,
    )
    session.add(entry)
    session.flush()
    outcome.entry = entry
    outcome.headline = headlines.measurement(entry, child)
    if weight_kg is not None and rx_before is not None:
        _dose_after_weighing(session, child, rx_before, outcome, now=now, by=by,
                             update_dose=update_dose, answers=answers)
    return outcome


def _confirm_weight(session: Session, child: Child, day: date, weight_kg: float,
                    rx_before: Prescription | None, force_reason: str | None,
                    answers: Answers) -> None:
    """A weight far from the last one, or from the one the dose was prescribed for, is
    confirmed by a person or a reason; a script without one is refused."""
    safety.check_weight(weight_kg)
    previous = latest_weight(session, child, day)
    jumps = [safety.weight_jump(previous, weight_kg)]
    if rx_before is not None and rx_before.weight_kg != previous:
        jumps.append(
            safety.weight_jump(
                rx_before.weight_kg, weight_kg, _("the weight the dose was prescribed for")
            )
        )
    for jump in filter(None, jumps):
        if force_reason:
            break
        ok = answers.ask(
            # TRANSLATORS: {jump}: how far the weight is from the last one
            Question("weight-right", _("{jump}. Is {weight} kg right?").format(
                jump=jump, weight=formats.decimal(f"{weight_kg:g}")), default=False),
            otherwise=Refused(fill(_("{jump}: check the number; to record it anyway {command}"),
                                   jump=jump, command=act(Do.FORCE))),
        )
        if not ok:
            raise InputError(_("not recorded: check the weight ({jump})").format(jump=jump))


def _height_checked(session: Session, child: Child, day: date, height_cm: float) -> list[str]:
    """A height within the label's range; one below the last is warned."""
    safety.check_height(height_cm)
    last_height = latest_measurement(session, child, day, weight=False)
    if last_height is None or not last_height.height_cm:
        return []
    if height_cm >= last_height.height_cm - 1.0:
        return []
    return [_("{height} cm is less than the last height ({last} cm on "
              "{day}): check the measurement").format(
                height=formats.decimal(f"{height_cm:g}"),
                last=formats.decimal(f"{last_height.height_cm:g}"),
                day=formats.day(last_height.measured_on))]


def _dose_after_weighing(session: Session, child: Child, rx_before: Prescription,
                         outcome: SetupOutcome, *, now: datetime, by: str, update_dose: bool,
                         answers: Answers) -> None:
    """Whether a new weight changes the dose: only when the doctor said an mg/kg dose
    follows it (asked, or --update-dose); otherwise the dose stays, and is said."""
    plan = plan_at(session, child, now)
    if rx_before.dose_mg_per_kg is not None and plan.weight_note():
        new_mg = dosing.mg_for(plan.weight_kg or 0, rx_before.dose_mg_per_kg)
        change = _("{dose} mg -> {new_dose} mg").format(
                     dose=formats.decimal(dosing.format_mg(plan.mg)),
                     new_dose=formats.decimal(dosing.format_mg(new_mg)))
        follow = update_dose or answers.ask(
            Question(
                "follow-weight",
                _("At {per_kg} mg/kg the new weight would change the dose ({change}). "
                  "Has the doctor said the dose should follow it?").format(
                    per_kg=formats.decimal(f"{rx_before.dose_mg_per_kg:g}"), change=change),
                default=False,
            ),
            otherwise=False,
        )
        if follow:
            rx = prescribe(
                session,
                child,
                now=now,
                by=by,
                dose_mg_per_kg=rx_before.dose_mg_per_kg,
                note=_("the dose follows the new weight of {weight} kg (confirmed when it "
                       "was measured)").format(
                         weight=formats.decimal(f"{plan.weight_kg:g}")),
                answers=answers,
            )
            outcome.info.append(
                _("dose changed ({change}), recorded as {ref}").format(
                    change=change, ref=f"P{rx.entry.id if rx.entry else ''}"))
            outcome.also(rx)
            return
        outcome.info.append(fill(
            # TRANSLATORS: {command} and {update} record the new dose (commands or buttons)
            _("the dose stays {draw}: a new weight does not change it by itself. At "
              "{per_kg} mg/kg it would be {new_dose} mg; if the doctor says so, record "
              "it: {command} (or {update})"),
            draw=plan.draw.describe(), per_kg=formats.decimal(f"{rx_before.dose_mg_per_kg:g}"),
            new_dose=formats.decimal(dosing.format_mg(new_mg)),
            command=act(Do.PRESCRIBE, dose=f"{rx_before.dose_mg_per_kg:g}"),
            update=act(Do.UPDATE_DOSE)))
    else:
        outcome.info.append(_("the dose stays {draw}").format(draw=plan.draw.describe()))
    stop = safety.do_not_give(plan.problems)
    if stop:
        outcome.advice.append(Advice(DOCTOR, stop))


def set_syringe(
    session: Session, child: Child, syringe: str, now: datetime
) -> tuple[str, str, str | None]:
    """The family's syringe; refused when it cannot hold or measure today's dose, and
    named as too coarse when its marks move the dose by more than tracker's tolerance
    (this is where the new draw is shown, so the rule is said here too)."""
    chosen = dosing.parse_syringe(syringe)
    old = child.syringe
    child.syringe = chosen.key
    plan = plan_at(session, child, now)
    d = plan.draw
    if not d.fits or not d.measurable:
        raise Refused(Line(_("not changed: a {syringe} cannot be used for {name}'s dose: ").format(
            syringe=chosen.name, name=child.name)) + (safety.precision_note(d, child.name) or ""))
    old_label = dosing.SYRINGES[old].name if old in dosing.SYRINGES else _("not set")
    # TRANSLATORS: a syringe and the dose drawn with it
    return old_label, _("{syringe}: {draw}").format(syringe=chosen.name, draw=d.describe()), \
        plan.precision


def set_growth(child: Child, sex: str | None, reference: str | None) -> str:
    """The child's sex and growth reference, for height SDS and centiles; what they are now."""
    if sex is not None:
        child.sex = growth.normalise_sex(sex)
    if reference is not None:
        child.growth_reference = growth.normalise_reference(reference)
    return describe_growth(child)


def describe_growth(child: Child) -> str:
    """"female, growth reference CDC, as chosen" or "... WHO (2006 under 5, 2007 from 5),
    from the time zone: Canada": the reference and why it is the one."""
    sex = _(SEX_WORDS.get(child.sex, child.sex)) if child.sex else _("sex not recorded")
    shown = growth.reference_shown(child.growth_reference, child.timezone)
    # TRANSLATORS: "female, growth reference CDC, as chosen"
    return _("{sex}, growth reference {reference}").format(sex=sex, reference=shown)


# the child's sex as stored -> as a person reads it: _() where shown
SEX_WORDS = {"female": N_("female"), "male": N_("male")}


def set_timezone(child: Child, timezone: str) -> str:
    """Travel: the dose times stay the same wall-clock times in the new zone."""
    zone = schedule.zone_named(timezone)
    old = child.timezone
    child.timezone = zone.key
    return old
