"""Logging what happened: injections, withheld doses, symptoms and glucose checks.

The slot rule is the heart of it: an injection belongs to the nearest of yesterday's and
today's dose times; a slot holds one given-or-withheld entry. The check for an existing
entry gives a helpful message, but the partial unique index is what guarantees that two
caregivers logging at the same moment cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, bindparam, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Symptom
from tracker.db.session import columns
from tracker.domain import dosing, glucose, safety, schedule, sites, symptoms, text
from tracker.domain.actions import Do, Line, act, fill
from tracker.domain.judgement import TOO_MUCH_WINDOW
from tracker.domain.schedule import Slot
from tracker.domain.timeparse import refuse_future
from tracker.domain.urgency import NEXT_NORMAL
from tracker.errors import InputError, Refused
from tracker.i18n import _, formats
from tracker.services.record import headlines
from tracker.services.record.outcome import Told
from tracker.services.record.questions import CHOICE, NO_ONE, TEXT, Answers, Question
from tracker.services.views import judged
from tracker.services.views.plan import Plan, plan_at, zone_of
from tracker.services.views.treatment import before_start, started
from tracker.services.views.words import (
    SECOND,
    kind_words,
    reason_key,
    reason_words,
    site_words,
)

if TYPE_CHECKING:
    from sqlalchemy import BindParameter


@dataclass
class Outcome(Told):
    """What a logging use case did (a Told), with the dose slot and plan it was for."""

    slot: Slot | None = None
    plan: Plan | None = None


# why a dose is withheld, as a front offers them; the label's own reason first (a child
# who cannot eat), which a reminder's Withheld button records
WITHHELD_REASONS = ("not eating", "ill", "vomiting", "no medicine", "other")
NOT_EATING = WITHHELD_REASONS[0]
def local_text(at: datetime, child: Child, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in the child's zone as a command takes it (the same in every language)."""
    return at.astimezone(zone_of(child)).strftime(fmt)


def local_words(at: datetime, child: Child) -> str:
    """A day and time in the child's zone, as the reader's language writes them
    ("2026-12-05 19:30" in English)."""
    local = at.astimezone(zone_of(child))
    # TRANSLATORS: a day and a time of day: "2026-12-05 19:30"
    return _("{day} {time}").format(day=formats.day(local), time=formats.clock(local))


def _in_slot(child_id: int, day: date, label: str) -> Select[Dose]:
    """The entry that fills a dose slot (given or withheld; not an extra, not undone)."""
    return select(Dose).where(
        Dose.child_id == child_id,
        Dose.slot_date == day,
        Dose.slot_time == label,
        Dose.voided_at.is_(None),
        Dose.extra == false(),
    )


def slot_entry(session: Session, child: Child, slot: Slot) -> Dose | None:
    return session.scalar(_in_slot(child.id, slot.day, slot.label))


def slot_taken(session: Session, child_id: int, day: date, label: str) -> bool:
    """Whether a dose slot has its entry, by whoever logged it (a reminder's check)."""
    return session.scalar(_in_slot(child_id, day, label).with_only_columns(Dose.id)) is not None


def describe_taken(entry: Dose, child: Child) -> str:
    who = entry.given_by or entry.created_by or _("someone")
    if entry.status == "given" and entry.given_at is not None:
        return _("given by {name} at {when} (entry {ref})").format(
                   name=who, when=local_words(entry.given_at, child), ref=f"D{entry.id}")
    return _("withheld by {name} ({reason}) (entry {ref})").format(
               name=who, reason=reason_words(entry.reason or ""), ref=f"D{entry.id}")


def _slot_name(slot: Slot) -> str:
    # TRANSLATORS: a dose named by its time and day: "the 07:30 dose of 2026-12-05"
    return _("the {time} dose of {day}").format(time=slot.name, day=formats.day(slot.day))


def _insert(session: Session, entry: Dose, child: Child, slot: Slot) -> None:
    """Insert under the slot constraint; a concurrent winner is named, not a raw error."""
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        winner = slot_entry(session, child, slot)
        if winner is None:
            raise
        raise Refused(
            _("{dose} was just logged: {taken}").format(
                dose=_slot_name(slot), taken=describe_taken(winner, child))
        ) from None


@cache
def _last_given(before: bool) -> Select[Dose]:
    """Built once (see _last_used_statement)."""
    q = select(Dose).where(
        Dose.child_id == bindparam("child_id"),
        Dose.status == "given",
        Dose.voided_at.is_(None),
        Dose.given_at.is_not(None),
    )
    if before:
        q = q.where(Dose.given_at <= bindparam("before"))
    return q.order_by(Dose.given_at.desc()).limit(1)


def last_given(session: Session, child: Child, before: datetime | None = None) -> Dose | None:
    return session.scalar(_last_given(before is not None),
                          {"child_id": child.id, "before": before})


@cache
def _last_used_statement() -> Select[*tuple[datetime | None, ...]]:
    """One statement of one indexed look-up per site, built once: the suggested site is
    shown at every dose, on every page and reminder, and building eight statements cost
    more than running them."""
    child: BindParameter[int] = bindparam("child_id")
    return select(*[
        select(Dose.given_at)
        .where(
            Dose.child_id == child,
            Dose.site == site,
            Dose.status == "given",
            Dose.voided_at.is_(None),
            Dose.given_at.is_not(None),
        )
        .order_by(Dose.given_at.desc())
        .limit(1)
        .scalar_subquery()
        for site in sites.SITES
    ])


def site_last_used(session: Session, child: Child) -> dict[str, datetime]:
    """When each site was last used, whatever the log's size."""
    row = columns(session, _last_used_statement(), {"child_id": child.id}).one()
    return {site: at for site, at in zip(sites.SITES, row, strict=True) if at is not None}


def suggested_site(session: Session, child: Child) -> str:
    return sites.suggest_site(site_last_used(session, child))


def give(
    session: Session,
    child: Child,
    *,
    at: datetime,
    now: datetime,
    by: str,
    site: str | None = None,
    dose_mg: float | None = None,
    meal: bool | None = None,
    note: str | None = None,
    force_reason: str | None = None,
    answers: Answers = NO_ONE,
    slot_at: datetime | None = None,
) -> Outcome:
    """Record an injection, asking (where a person can answer) what the label needs.

    A dose that was really given is always recorded, with what broke a rule flagged on
    the entry and the advice for now; only a second dose in a slot is refused. When the
    child will not eat, the question is first whether the injection was already given:
    only a dose not yet given is offered to be withheld instead. `slot_at` names the
    dose when the front knows it (a reminder's); otherwise it is the one nearest `at`.
    """
    refuse_future(at, now, _("the injection time"))
    note = text.clean(note, _("the note"))
    by = text.clean_name(by, _("the caregiver's name"))
    force_reason = text.clean(force_reason, _("the reason"))
    plan, slot = plan_and_slot(session, child, slot_at or at)
    existing = slot_entry(session, child, slot)
    if existing is not None and not force_reason:
        force_reason = _second_injection(existing, child, slot, at, answers)
    closes = plan.closes(slot)
    if answers.one_tap:
        _refuse_tap(plan, slot, closes, at)
        _refuse_unseen_stop(plan)
    if site is None:
        site = _ask_site(session, child, plan, answers)
    chosen = sites.normalise_site(site) if site else None
    afterwards = now - at >= safety.MEAL_WINDOW  # logged after the meal's window
    if meal is None:
        meal = _ask_meal(child, afterwards, answers)
    if meal is False and not force_reason and not _given_already(afterwards, answers):
        if _withhold_instead(answers):
            return skip(session, child, reason=NOT_EATING, now=now, by=by, slot_at=at)
        force_reason = _why_without_a_meal(answers)
    mg, problems = _amount_given(plan, dose_mg, answers)
    last = last_given(session, child, before=at)
    findings = _findings(problems, meal, closes, last, child, slot, at, answers)
    warnings: list[str] = [plan.precision] if plan.precision else []  # with the insert
    if chosen is not None:
        warnings += filter(None, [sites.repeat_warning(chosen, last.site if last else None)])
    vial = _vial_used(session, child, plan, mg, at=at, now=now, by=by, answers=answers)
    entry = _given_entry(child, slot, plan, vial, at=at, now=now, by=by, mg=mg, site=chosen,
                         meal=meal, note=note, extra=existing is not None,
                         force_reason=force_reason, findings=findings)
    _insert(session, entry, child, slot)
    outcome = Outcome(entry=entry, slot=slot, plan=plan, warnings=warnings + vial.warnings)
    _tell_given(session, child, outcome, entry, meal_unknown=meal is None, at=at, now=now)
    return outcome


def _findings(problems: list[str], meal: bool | None, closes: datetime, last: Dose | None,
              child: Child, slot: Slot, at: datetime,
              answers: Answers) -> list[safety.Finding]:
    """What this dose breaks of the label's rules (its amount, no meal, late, too soon
    after the last one), a time that looks wrong confirmed by a person."""
    findings = safety.injection_findings(
        dose_problems_found=problems,
        meal=meal,
        after_close=at - closes if at >= closes else None,
        since_previous=at - last.given_at if last is not None and last.given_at else None,
    )
    _confirm_findings(findings, child, slot, at, answers)
    return findings


def _given_entry(child: Child, slot: Slot, plan: Plan, vial: _VialUsed, *, at: datetime,
                 now: datetime, by: str, mg: float, site: str | None, meal: bool | None,
                 note: str | None, extra: bool, force_reason: str | None,
                 findings: list[safety.Finding]) -> Dose:
    """The entry of a dose given, with what it broke flagged on it."""
    return Dose(
        child_id=child.id,
        slot_date=slot.day,
        slot_time=slot.label,
        scheduled_at=slot.at,
        vial_id=vial.id,
        status="given",
        given_at=at,
        dose_mg=mg,
        volume_ml=vial.ml,
        site=site,
        given_by=by,
        meal=meal,
        note=note,
        extra=extra,
        force_reason=force_reason,
        flags="\n".join([*(f.text for f in findings), *vial.flags]) or None,
        prescription_id=plan.prescription.id,
        created_at=now,
        created_by=by,
    )


def _refuse_unseen_stop(plan: Plan) -> None:
    """A dose not to give, refused to a tap: its person never saw it; nothing recorded."""
    stop = safety.do_not_give(plan.problems)
    if stop:
        raise Refused(stop)


def _ask_site(session: Session, child: Child, plan: Plan, answers: Answers) -> str | None:
    """Where it was given: asked with the dose to draw and what is wrong with it shown
    first; a script that named no site records none."""
    shown = [_("{name}'s dose: {draw}").format(name=child.name, draw=plan.draw.describe())]
    stop = safety.do_not_give(plan.problems)
    shown += [f"! {line}" for line in (stop, plan.precision) if line]
    site: str | None = answers.ask(
        Question(
            "site",
            _("Site"),
            kind=CHOICE,
            default=suggested_site(session, child),
            choices=sites.SITES,
            before=tuple(shown),
            normalise=sites.normalise_site,
            name=sites.site_name,
        ),
        otherwise=None,
    )
    return site


def _ask_meal(child: Child, afterwards: bool, answers: Answers) -> bool | None:
    """Whether the child eats within the meal's window: a dose logged afterwards is asked
    about in the past (the meal has happened or not); a script's is not known."""
    asked = (_("Will {name} eat within 20 minutes of this dose?") if not afterwards
             else _("Did {name} eat within 20 minutes of this dose?"))
    meal: bool | None = answers.ask(
        Question("meal", asked.format(name=child.name),
                 default=True),
        otherwise=None,
    )
    return meal


def _given_already(afterwards: bool, answers: Answers) -> bool:
    """Whether an injection without a meal was already given (then it is recorded);
    logged afterwards, it was."""
    given: bool = afterwards or answers.ask(
        Question("already-given", _("Has the injection already been given?")), otherwise=True
    )
    return given


def _withhold_instead(answers: Answers) -> bool:
    """A dose not yet given to a child who cannot eat: the label says to withhold it."""
    withhold: bool = answers.ask(
        Question(
            "withhold",
            _("The label says to withhold a dose when the child cannot eat. Record this dose as "
              "withheld ({reason})?").format(reason=reason_words(NOT_EATING)),
            default=True,
        ),
        otherwise=True,
    )
    return withhold


def _why_without_a_meal(answers: Answers) -> str:
    """The reason, recorded, for giving a dose the child will not eat with."""
    reason = text.clean(
        answers.ask(
            Question("no-meal-reason", _("Why give it without a meal (recorded)"), kind=TEXT),
            otherwise=None,
        ),
        _("the reason"),
    )
    if not reason:
        raise InputError(_("nothing recorded: say why it is given without a meal"))
    return reason


def _amount_given(plan: Plan, dose_mg: float | None,
                  answers: Answers) -> tuple[float, list[str]]:
    """The amount recorded and what is wrong with it: the prescribed dose as drawn, or
    the amount typed, which is confirmed when it breaks a rule."""
    if dose_mg is None:
        return (plan.draw.mg if plan.draw.measurable else plan.mg), plan.problems
    problems = safety.dose_problems(dose_mg, plan.mg, plan.weight_kg, plan.tolerance_mg)
    if problems and not answers.ask(
        Question(
            "dose-right",
            # TRANSLATORS: {problems}: what is wrong with the amount typed
            _("{problems}. Was {dose} mg really given?").format(
                problems='; '.join(problems), dose=formats.decimal(dosing.format_mg(dose_mg))),
        ),
        otherwise=True,
    ):
        raise InputError(fill(_("nothing recorded: {command}"), command=act(Do.DOSE_MG)))
    return dose_mg, problems


def _confirm_findings(findings: list[safety.Finding], child: Child, slot: Slot,
                      at: datetime, answers: Answers) -> None:
    """A time that looks wrong (late, soon after the last dose) is confirmed by a person;
    answered no, nothing is recorded and the way to give the right time is said."""
    local = formats.clock(at.astimezone(zone_of(child)))
    for f in findings:
        if f.action != safety.CONFIRM:
            continue
        hint = (
            fill(_("If it was given on time and is only logged now, answer no and {command}."),
                 command=act(Do.AT, at=slot.label))
            if f.rule == "late"
            else fill(_("If it was given at another time, answer no and {command}."),
                      command=act(Do.AT))
        )
        if not answers.ask(
            Question(
                f"confirm-{f.rule}",
                # TRANSLATORS: {finding}: what looks wrong ("given 2 h after the previous")
                _("This injection was {finding}. Was it really given at {time}?").format(
                    finding=f.text, time=local),
                before=(hint,),
            ),
            otherwise=True,
        ):
            raise InputError(fill(_("nothing recorded: {command}"), command=act(Do.AT)))


@dataclass
class _VialUsed:
    """The vial a dose was drawn from (None: not tracked or none open), the dose's
    volume, what is flagged on the entry and what is said with it."""

    id: int | None
    ml: float
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _vial_used(session: Session, child: Child, plan: Plan, mg: float, *, at: datetime,
               now: datetime, by: str, answers: Answers) -> _VialUsed:
    """The open vial the dose came from; a dose larger than what it holds asks whether a
    new one was opened (then recorded as opened), else the shortfall is flagged."""
    from tracker.domain import vials as vial_rules
    from tracker.services.record import supply

    ml = dosing.volume_ml(mg, plan.prescription.concentration_mg_per_ml)
    vial = supply.vial_at(session, child, at)
    if vial is None:
        used = _VialUsed(None, ml)
        if supply.tracks_vials(session, child):
            when = local_text(at, child, "%Y-%m-%d %H:%M")
            used.warnings.append(fill(
                _("no vial was open at {when}: record the one opened then: {command}"),
                when=local_words(at, child), command=act(Do.VIAL_OPEN, at=when)))
        return used
    used = _VialUsed(vial.id, ml)
    state = supply.vial_state(session, child, vial, ml)
    if state.remaining_ml + 1e-9 < ml:  # more than the vial held: asked, not assumed
        opened = answers.ask(Question(
            "new-vial",
            _("The open vial ({vial}) holds about {left} mL, less than this dose ({dose} "
              "mL). Was a new vial opened for it?").format(
                vial=f"V{vial.id}", left=formats.decimal(dosing.format_ml(state.remaining_ml)),
                dose=formats.decimal(dosing.format_ml(ml))), default=True),
            otherwise=False)
        if opened:
            lot = answers.ask(Question("new-vial-lot", _("Its lot, as printed on the vial (Enter "
                                                         "if you do not have it)"), kind=TEXT,
                                       default=""), otherwise="")
            vial, said = supply.open_vial(session, child, at=at, now=now, by=by,
                                          lot=str(lot or "").strip() or None)
            used.id = vial.id
            used.warnings += [_("recorded {vial} as opened then; {said}").format(
                vial=f"V{vial.id}", said=line) for line in said[:1]]
        else:
            used.flags.append(vial_rules.shortfall(state.remaining_ml, ml) or "")
    past = vial_rules.past_use(vial.opened_at, vial.expires_on, at, zone_of(child))
    if past:
        used.flags.append(past)
    used.warnings += supply.vial_warnings(session, child, vial, ml, at)
    used.flags = [f for f in used.flags if f]
    return used


def _tell_given(session: Session, child: Child, outcome: Outcome, entry: Dose, *,
                meal_unknown: bool, at: datetime, now: datetime) -> None:
    """What is said after a dose is recorded: its headline and judgement, a time far from
    its slot's, a site not recorded, and the next dose."""
    slot, plan = outcome.slot, outcome.plan
    assert slot is not None and plan is not None
    outcome.headline = headlines.dose(entry, child, slot, plan)
    if meal_unknown and abs(now - at) < safety.MEAL_WINDOW:
        outcome.info.append(_("Make sure the child eats within 20 minutes of the injection."))
    outcome.judged(judged.of(session, child, f"D{entry.id}", at))
    if at < slot.at - schedule.DUE_BEFORE:
        early = -schedule.minutes_late(at, slot)
        outcome.warnings.append(
            _("this is {early} before its time ({time}): check it was meant for that dose").format(
                early=schedule.format_span(early), time=slot.name)
        )
    if at >= plan.closes(slot):
        outcome.info.append(fill(
            _("logged {late} after its time ({time}). If it was given on time, correct "
              "it: {command}.").format(
                late=schedule.format_span(schedule.minutes_late(at, slot)),
                time=slot.name, command="{command}"),
            command=act(Do.EDIT_TIME, ref=f"D{entry.id}")) + " " + _(NEXT_NORMAL))
    if entry.site is None:
        outcome.info.append(_("site not recorded; next time try {site}").format(
                                site=site_words(suggested_site(session, child))))
    outcome.next = next_dose(session, child, now)


def next_dose(session: Session, child: Child, now: datetime) -> str:
    """"Next dose: 19:30 today; suggested site left-thigh.", said after every dose given,
    on every front ("" when no dose is coming)."""
    from itertools import pairwise

    plan = plan_at(session, child, now)
    slots = sorted(schedule.slots_around(now, plan.times, plan.zone, range(-1, 3)))
    for slot, following in pairwise(slots):
        entry = slot_entry(session, child, slot)
        if entry is None and slot.at < started(child):
            continue  # before the treatment started: neither due nor missed
        closes = schedule.closes_at(slot, following)
        state = schedule.status_of(slot, closes, entry.status if entry else None, now)
        if state in (schedule.SlotStatus.DUE, schedule.SlotStatus.UPCOMING):
            # TRANSLATORS: {when}: "19:30 today", "07:30 tomorrow"
            return _("Next dose: {when}; suggested site {site}.").format(
                        when=headlines.when(slot.at, plan.zone, now),
                        site=site_words(suggested_site(session, child)))
    return ""





def _second_injection(existing: Dose, child: Child, slot: Slot, at: datetime,
                      answers: Answers) -> str:
    """A second injection in a slot that has its dose: a fact to record when a person
    says it happened (what to do now follows at once), refused to a script and to a tap
    on a reminder, which may be the same Given pressed twice."""
    taken = _("{dose} was already {taken}").format(
                dose=_slot_name(slot), taken=describe_taken(existing, child))
    if answers.one_tap or not answers.can_ask:
        raise Refused(fill(_("{taken}. A second dose is not given; to record one anyway "
                             "{command}"), taken=taken, command=act(Do.FORCE)))
    never = _("{taken}. A second dose is never given on purpose; if one was, record it: what "
              "to do now is shown next.").format(taken=taken)
    if not answers.ask(Question(
            "second-injection",
            _("Was a second injection really given at {time}?").format(
                time=formats.clock(at.astimezone(zone_of(child)))),
            default=False,
            before=(never[:1].upper() + never[1:],)),
            otherwise=False):
        raise InputError(_("nothing recorded: {taken}").format(taken=taken))
    return SECOND


def _refuse_tap(plan: Plan, slot: Slot, closes: datetime, at: datetime) -> None:
    """A tap on a reminder after its dose closed records nothing: the reminder may have
    stayed on screen since a dose given on time, so the tap's time is not believed."""
    if at >= closes:
        raise Refused(safety.time_passed(slot.name, formats.clock(closes.astimezone(plan.zone))))


def plan_and_slot(session: Session, child: Child, at: datetime) -> tuple[Plan, Slot]:
    """The slot an injection at `at` belongs to, and the prescription in force at that
    slot: a change from 07:30 applies to the 07:30 dose even when it is given at 07:28,
    everywhere the dose is shown or exported. A slot before the treatment start is
    refused, with the one command that moves the start."""
    plan = plan_at(session, child, at)
    slot = schedule.nearest_slot(at, plan.times, plan.zone)
    in_force = plan_at(session, child, slot.at)
    if in_force.prescription.id != plan.prescription.id:
        # the change may move the dose times too: the slot is found again in its times
        slot = schedule.nearest_slot(at, in_force.times, in_force.zone)
        in_force = plan_at(session, child, slot.at)
    if slot.at < started(child):
        raise before_start(child, slot.at)
    return in_force, slot


def _open_slot(session: Session, child: Child, plan: Plan, now: datetime,
               answers: Answers) -> Slot:
    """The slot a 'skip' without --at means: the one open now (from an hour before its
    time until its window closes). With none open, a person is asked which dose; a
    script is told the slots it could mean. Never, silently, a dose twelve hours ahead."""
    around = sorted(schedule.slots_around(now, plan.times, plan.zone, range(-1, 2)))
    candidates = []
    for slot in around:
        closes = plan.closes(slot)
        if slot.at < started(child) or closes <= now - timedelta(hours=12):
            continue
        if slot_entry(session, child, slot) is not None:
            continue
        if slot.at - schedule.DUE_BEFORE <= now < closes:
            return slot
        if slot.at > now + timedelta(hours=24) or closes <= now:
            continue
        candidates.append(slot)
    if not candidates:
        raise InputError(_("no dose is open now and none is coming in the next day: name the "
                           "withheld one with its time"))
    names = {_slot_when(s, plan, now): s for s in candidates}
    chosen = answers.ask(
        Question("slot", _("No dose is due now. Which dose is withheld?"), kind=CHOICE,
                 default=next(iter(names)), choices=tuple(names)),
        otherwise=None,
    )
    if chosen is None:
        first = next(iter(names.values()))
        raise InputError(fill(
            # TRANSLATORS: {doses}: the doses it could be ("the 07:30 dose today, ...")
            _("no dose is due now, so nothing was withheld: name the dose with its time "
              "({doses}): {command}"), doses=', '.join(names), command=act(Do.AT, at=first.label)))
    return names[chosen]


def _slot_when(slot: Slot, plan: Plan, now: datetime) -> str:
    """The 08:00 dose tomorrow: a slot named as a person would."""
    today = now.astimezone(plan.zone).date()
    days = (slot.day - today).days
    if days == 0:
        said = _("the {time} dose today")
    elif days == 1:
        said = _("the {time} dose tomorrow")
    elif days == -1:
        said = _("the {time} dose yesterday")
    else:
        # TRANSLATORS: {day}: "Sat 05 Dec"
        said = _("the {time} dose {day}")
    return said.format(time=slot.name, day=formats.day_short(slot.day))


def skip(
    session: Session,
    child: Child,
    *,
    reason: str | None,
    now: datetime,
    by: str,
    slot_at: datetime | None = None,
    note: str | None = None,
    answers: Answers = NO_ONE,
) -> Outcome:
    """Record a withheld dose. A slot can be withheld ahead of time (up to a day), but
    only when it is named: without a time, only the dose open now. Without a reason, a
    person is asked why; a script is told to say it."""
    if reason is None:
        reason = answers.ask(
            Question("reason", _("Why is the dose withheld"), kind=TEXT),
            otherwise=InputError(Line(act(Do.REASON))))
    reason_text = text.clean(reason, _("the reason"))
    if reason_text is None:
        raise InputError(Line(act(Do.REASON)))
    reason_text = reason_key(reason_text)  # "ne mange pas" is the reason "not eating"
    note = text.clean(note, _("the note"))
    by = text.clean_name(by, _("the caregiver's name"))
    plan = plan_at(session, child, min(slot_at or now, now))
    if slot_at is None:
        slot = _open_slot(session, child, plan, now, answers)
    else:
        slot = schedule.nearest_slot(slot_at, plan.times, plan.zone, range(-1, 2))
        if slot.at > now + timedelta(hours=24):
            raise InputError(_("that slot is more than a day ahead: withhold it nearer the time"))
    if slot.at < started(child):
        raise before_start(child, slot.at, withheld=True)
    plan = plan_at(session, child, slot.at)  # the prescription in force at that slot
    existing = slot_entry(session, child, slot)
    if existing is not None:
        raise Refused(fill(
            # TRANSLATORS: {undo} and {edit} are the commands (or buttons) that correct it
            _("{dose} was already {taken}; if that is wrong, correct it first ({undo} or "
              "{edit})"), dose=_slot_name(slot), taken=describe_taken(existing, child),
            undo=act(Do.UNDO, ref=f"D{existing.id}"), edit=act(Do.EDIT, ref=f"D{existing.id}")))
    if answers.one_tap:
        _refuse_tap(plan, slot, plan.closes(slot), now)
    entry = Dose(
        child_id=child.id,
        slot_date=slot.day,
        slot_time=slot.label,
        scheduled_at=slot.at,
        status="withheld",
        reason=reason_text,
        given_by=by,
        note=note,
        prescription_id=plan.prescription.id,
        created_at=now,
        created_by=by,
    )
    _insert(session, entry, child, slot)
    outcome = Outcome(entry=entry, slot=slot, plan=plan)
    outcome.headline = headlines.dose(entry, child, slot, plan)
    outcome.info.append(_(safety.NO_MAKE_UP))
    return outcome


def add_glucose(
    session: Session,
    child: Child,
    *,
    value: float,
    at: datetime,
    now: datetime,
    by: str,
    unit: str | None = None,
    before_meal: bool | None = None,
    note: str | None = None,
    answers: Answers = NO_ONE,
) -> Outcome:
    """A reading in the unit typed with it, else the meter's (tracker.services.views.meter).
    When that unit is only a default (none typed, no meter set) and the number means a
    low in one unit and not in the other, the person is asked which, and otherwise told
    how to correct it."""
    from tracker.services.views.meter import meter_unit

    refuse_future(at, now, _("the time of the reading"))
    meter = meter_unit(child, unit)
    unit = meter.unit
    other = None if meter.known else glucose.other_reading(value, unit)
    if other is not None:
        shown = {u: glucose.format_value(glucose.to_mgdl(value, u), u) for u in (unit, other)}
        words = {u: _("a low reading") if glucose.level(glucose.to_mgdl(value, u))
                 else _("not low") for u in (unit, other)}
        unit = answers.ask(
            Question(
                "glucose-unit",
                _("Which unit does the meter show"),
                kind=CHOICE,
                choices=(unit, other),
                default=unit,
                before=(
                    # TRANSLATORS: "5.5 could be 5.5 mmol/L (not low) or 5.5 mg/dL (a low
                    # reading), and no meter unit is set."
                    _("{value} could be {reading} ({low}) or {other_reading} ({other_low}), "
                      "and no meter unit is set.").format(
                        value=formats.decimal(f"{value:g}"), reading=shown[unit],
                        low=words[unit], other_reading=shown[other], other_low=words[other]),
                ),
                normalise=glucose.normalise_unit,
            ),
            otherwise=unit,
        )
    mgdl = glucose.to_mgdl(value, unit)
    entry = Glucose(
        child_id=child.id,
        measured_at=at,
        mg_dl=mgdl,
        unit=unit,
        before_meal=before_meal,
        note=text.clean(note, _("the note")),
        created_at=now,
        created_by=text.clean_name(by, _("the caregiver's name")),
    )
    session.add(entry)
    session.flush()
    outcome = Outcome(entry=entry)
    outcome.headline = headlines.reading(entry, child)
    outcome.judged(judged.of(session, child, f"G{entry.id}", at))
    if other is not None and not answers.can_ask:
        outcome.warnings.append(fill(
            # TRANSLATORS: {undo}, {again} and {meter} are commands (or buttons)
            _("read as {unit}, the default: if the meter shows {other}, undo this ({undo}) and "
              "log it again {again}; {meter}"), unit=unit, other=other,
            undo=act(Do.UNDO, ref=f"G{entry.id}"), again=act(Do.UNIT, unit=other),
            meter=act(Do.SET_METER, unit=other)))
    return outcome


def add_symptom(
    session: Session,
    child: Child,
    *,
    kind: str,
    at: datetime,
    now: datetime,
    by: str,
    severity: str | None = None,
    glucose_value: float | None = None,
    glucose_unit: str | None = None,
    note: str | None = None,
    answers: Answers = NO_ONE,
) -> Outcome:
    """A symptom, with the reading taken with it read as add_glucose reads one (asked
    about, or said how to correct, when its unit is only a default)."""
    refuse_future(at, now, _("the time of the symptom"))
    kind = symptoms.normalise_kind(kind)
    severity = symptoms.normalise_severity(severity) if severity else None
    note = text.clean(note, _("the note"))
    reading = None
    if glucose_value is not None:
        g = add_glucose(
            session,
            child,
            value=glucose_value,
            unit=glucose_unit,
            at=at,
            now=now,
            by=by,
            note=_("taken with a {kind} symptom").format(kind=kind_words(kind)),
            answers=answers,
        )
        reading = g.entry
    last = last_given(session, child, before=at)
    linked = last if last and last.given_at and at - last.given_at <= symptoms.LINK_WINDOW else None
    entry = Symptom(
        child_id=child.id,
        kind=kind,
        severity=severity,
        occurred_at=at,
        dose_id=linked.id if linked else None,
        glucose_id=reading.id if reading is not None else None,
        note=note,
        created_at=now,
        created_by=text.clean_name(by, _("the caregiver's name")),
    )
    session.add(entry)
    session.flush()
    outcome = Outcome(entry=entry)
    outcome.headline = headlines.symptom(entry, child)
    if glucose_value is not None:
        outcome.warnings += g.warnings  # the unit it was read in, if only a default
    outcome.judged(judged.of(session, child, f"S{entry.id}", at))
    if linked is not None and linked.given_at is not None:
        minutes = round((at - linked.given_at).total_seconds() / 60)
        outcome.info.append(
            _("linked to the dose given {span} earlier ({ref})").format(
                span=schedule.format_span(minutes), ref=f"D{linked.id}")
        )
    return outcome


def recent_given(session: Session, child: Child, now: datetime) -> list[Dose]:
    """The doses given in the hours a mistake is still said (TOO_MUCH_WINDOW), newest
    first: the first of them is also the last dose given."""
    return list(session.scalars(_given_between(), {
        "child_id": child.id, "start": now - TOO_MUCH_WINDOW, "end": now}))


@cache
def _given_between() -> Select[Dose]:
    return (select(Dose)
            .where(Dose.child_id == bindparam("child_id"), Dose.voided_at.is_(None),
                   Dose.status == "given", Dose.given_at > bindparam("start"),
                   Dose.given_at <= bindparam("end"))
            .order_by(Dose.given_at.desc()))
