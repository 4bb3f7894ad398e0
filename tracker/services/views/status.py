"""What a parent wants at a glance: the next dose, today's slots, and what needs attention.

Only a bounded window of the log is read (yesterday to tomorrow, plus one indexed look-up
per site), so status stays as fast on ten years of history as on an empty log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose
from tracker.domain import guidance, safety, schedule
from tracker.domain.guidance import Advice
from tracker.domain.judgement import Judgement
from tracker.domain.schedule import Slot, SlotStatus
from tracker.i18n import _, formats
from tracker.services.record.log import last_given, recent_given, suggested_site
from tracker.services.views.plan import Plan, plan_at, plan_for_slot
from tracker.services.views.treatment import started
from tracker.services.views.words import reason_words, site_words

if TYPE_CHECKING:
    from sqlalchemy import Select


class SlotView(NamedTuple):
    slot: Slot
    status: SlotStatus
    closes: datetime
    entry: Dose | None
    extras: tuple[Dose, ...] = ()  # injections recorded on top of the slot's dose
    # with no entry: the last dose logged for the slot and then undone (said first: a slip
    # of the thumb must not lead to a second injection)
    undone: Dose | None = None

    def detail(self, zone: ZoneInfo) -> str:
        """What was done for this slot, to follow its status word on every front; a second
        injection is said beside the first, so a double dose is never hidden behind it."""
        said = ""
        entry = self.entry
        if entry is not None and entry.status == "given" and entry.given_at is not None:
            said = " " + _given(entry, zone)
        elif entry is not None:
            reason = reason_words(entry.reason or "")
            if entry.given_by:
                # TRANSLATORS: after a dose's status word: why it was withheld, and who did
                said = _(": {reason}, by {name} ({ref})").format(
                    reason=reason, name=entry.given_by, ref=f"D{entry.id}")
            else:
                said = _(": {reason} ({ref})").format(reason=reason, ref=f"D{entry.id}")
        for extra in self.extras:
            said += _("; and again {given}: a second injection for this dose").format(
                        given=_given(extra, zone))
        return said


def _given(entry: Dose, zone: ZoneInfo) -> str:
    at = formats.clock(entry.given_at.astimezone(zone)) if entry.given_at else ""
    ref, by, site = f"D{entry.id}", entry.given_by, entry.site
    if by and site:
        # TRANSLATORS: a dose given: "at 07:32 by Eli, left-thigh (D4)"
        return _("at {time} by {name}, {site} ({ref})").format(
            time=at, name=by, site=site_words(site), ref=ref)
    if by:
        return _("at {time} by {name} ({ref})").format(time=at, name=by, ref=ref)
    if site:
        return _("at {time}, {site} ({ref})").format(time=at, site=site_words(site), ref=ref)
    return _("at {time} ({ref})").format(time=at, ref=ref)


class StatusReport:
    def __init__(
        self,
        child: Child,
        plan: Plan,
        now: datetime,
        slots: list[SlotView],
        next: SlotView | None,
        site: str,
        last: Dose | None,
    ) -> None:
        self.child = child
        self.plan = plan
        self.now = now
        self.slots = slots
        self.next = next
        self.site = site
        self.last = last
        self.advice: list[Advice] = []
        self.hold: list[str] = []  # ask the doctor before the next dose, because of these
        self.judgements: list[Judgement] = []  # what still stands, most urgent first
        self.judged_lines: set[str] = set()  # the lines of the advice they are said in

    @property
    def problems(self) -> list[str]:
        """What is wrong with the dose shown: said next to it, before the injection."""
        return self.plan.problems

    @property
    def warnings(self) -> list[str]:
        """Everything that needs attention, most urgent first."""
        return [a.text for a in guidance.most_urgent_first(self.advice)]

    @property
    def today(self) -> list[SlotView]:
        day = self.now.astimezone(self.plan.zone).date()
        return [v for v in self.slots if v.slot.day == day]

    def to_json(self) -> dict[str, object]:  # written whole as JSON (`status --json`)
        zone = self.plan.zone

        def local(at: datetime | None) -> str | None:
            return at.astimezone(zone).isoformat() if at else None

        draw = self.plan.draw
        rx = self.plan.prescription
        return {
            "child": self.child.name,
            "timezone": zone.key,
            "treatment_start": local(started(self.child)),
            "now": local(self.now),
            "dose": {
                "mg": round(draw.mg, 3),
                "ml": draw.ml,
                "units": draw.units,
                "prescribed_mg": round(self.plan.mg, 3),
                "draw": draw.describe(),
                "syringe": draw.syringe.key,
                "mg_per_kg": rx.dose_mg_per_kg,
                "weight_kg": self.plan.weight_kg,
                "prescribed_for_kg": self.plan.basis_weight_kg,
                "times": list(map(str, self.plan.times)),
                "problems": self.problems,
                "ask_doctor_first": self.hold,
            },
            "next": None
            if self.next is None
            else {
                "slot": local(self.next.slot.at),
                "status": self.next.status.value,
                "site": self.site,
                "closes": local(self.next.closes),
            },
            "today": [
                {
                    "slot": local(v.slot.at),
                    "time": v.slot.label,
                    "clock": v.slot.clock or None,
                    "status": v.status.value,
                    "given_at": local(v.entry.given_at) if v.entry else None,
                    "entry": f"D{v.entry.id}" if v.entry else None,
                    "also_given": [{"entry": f"D{x.id}", "given_at": local(x.given_at)}
                                   for x in v.extras],
                    "reason": v.entry.reason if v.entry else None,
                    "flags": v.entry.flags.splitlines() if v.entry and v.entry.flags else [],
                }
                for v in self.today
            ],
            "last_dose": None
            if self.last is None
            else {
                "entry": f"D{self.last.id}",
                "given_at": local(self.last.given_at),
                "site": self.last.site,
                "mg": self.last.dose_mg,
            },
            "warnings": self.warnings,
            "standing": [{"entry": j.ref, "level": j.level, "what": j.what,
                          "steps": list(j.steps)} for j in self.judgements],
            "advice": [
                {"level": a.level, "text": a.text} for a in guidance.most_urgent_first(self.advice)
            ],
        }


@cache
def _doses_between() -> Select[Dose]:
    """Built once: every status, Today and reminder runs it. Undone doses too: a slot
    whose dose was undone says so, from the same look-up."""
    return (select(Dose)
            .where(Dose.child_id == bindparam("child_id"),
                   Dose.scheduled_at >= bindparam("start"),
                   Dose.scheduled_at <= bindparam("end"))
            .order_by(Dose.given_at, Dose.id))


def slot_views(session: Session, child: Child, plan: Plan, now: datetime) -> list[SlotView]:
    slots = sorted(schedule.slots_around(now, plan.times, plan.zone, range(-1, 3)))
    entries: dict[tuple[date, str], Dose] = {}  # by slot: (local day, dose time)
    extras: dict[tuple[date, str], list[Dose]] = {}
    undone: dict[tuple[date, str], Dose] = {}
    for d in session.scalars(_doses_between(), {
            "child_id": child.id, "start": slots[0].at - timedelta(hours=1),
            "end": slots[-1].at + timedelta(hours=1)}):
        key = (d.slot_date, d.slot_time)
        if d.voided_at is not None:
            last = undone.get(key)
            if d.status == "given" and (last is None or last.voided_at is None
                                        or d.voided_at > last.voided_at):
                undone[key] = d
        elif d.extra:
            extras.setdefault(key, []).append(d)
        else:
            entries[key] = d
    views = []
    for slot, following in pairwise(slots):
        key = (slot.day, slot.label)
        entry = entries.get(key)
        if entry is None and slot.at < started(child):
            continue  # before the treatment started: neither due nor missed
        closes = schedule.closes_at(slot, following)
        status = schedule.status_of(slot, closes, entry.status if entry else None, now)
        views.append(SlotView(slot=slot, status=status, closes=closes, entry=entry,
                              extras=tuple(extras.get(key, ())),
                              undone=undone.get(key) if entry is None else None))
    return views


def next_dose(session: Session, child: Child, now: datetime) -> tuple[SlotView | None, str]:
    """Just the next open slot and the site to use: what `give` prints after logging."""
    plan = plan_at(session, child, now)
    upcoming = [
        v
        for v in slot_views(session, child, plan, now)
        if v.status in (SlotStatus.DUE, SlotStatus.UPCOMING)
    ]
    return (upcoming[0] if upcoming else None), suggested_site(session, child)


def status(session: Session, child: Child, now: datetime, *,
           last: bool = True) -> StatusReport:
    """Everything the status of a child says; without `last`, not the last dose given
    (the household page's Today does not show it, and every look-up counts there)."""
    plan = plan_at(session, child, now)
    views = slot_views(session, child, plan, now)
    upcoming = [v for v in views if v.status in (SlotStatus.DUE, SlotStatus.UPCOMING)]
    if upcoming and upcoming[0].slot.at > now:
        # the dose shown is the one of the prescription in force at that slot: a change
        # from 07:30 is what is drawn for the 07:30 dose, even when looked at at 07:20
        plan = plan_for_slot(plan, upcoming[0].slot.at, now, session)
    given = recent_given(session, child, now)  # newest first: the last dose given is first
    report = StatusReport(
        child=child,
        plan=plan,
        now=now,
        slots=views,
        next=upcoming[0] if upcoming else None,
        site=suggested_site(session, child),
        last=given[0] if given else (last_given(session, child, before=now) if last
                                     else None),
    )
    from tracker.services.record.supply import SupplyReport

    report.advice += [
        Advice(guidance.DOCTOR, w) for w in SupplyReport(session, child, now, plan).warnings()
    ]
    from tracker.services.views import judged

    report.judgements = judged.standing(session, child, now)
    for found in report.judgements:
        said = guidance.of_judgement(found)
        report.advice += said
        report.judged_lines.update(a.text for a in said)
    report.hold = judged.hold_reasons(report.judgements)
    blocked = bool(report.hold or report.problems)
    report.advice += missed_and_late(views, report.next, plan, child, now, blocked=blocked)
    note = plan.weight_note()
    if note:
        report.advice.append(Advice(guidance.WATCH, note))
    from tracker.services.record.corrections import undone_line

    if plan.precision:  # said where the dose is shown, before it is drawn
        report.advice.insert(0, Advice(guidance.DOCTOR, plan.precision))

    for view in views:  # before any dose that can still be given: an undo in its slot
        if view.status is SlotStatus.DUE and view.undone is not None:
            undone = undone_line(session, child, view.slot.label, view.undone)
            if undone:
                report.advice.insert(0, Advice(guidance.DOCTOR, undone))
    return report


def missed_and_late(
    views: list[SlotView],
    nxt: SlotView | None,
    plan: Plan,
    child: Child,
    now: datetime,
    *,
    blocked: bool = False,
) -> list[Advice]:
    """A missed dose (until a later one is logged), and the late window of the one due.

    The late window is stated as a rule with its condition, never as "give it now": the
    child may be asleep or unable to eat.
    """
    out = []
    for v in views:
        if v.status is not SlotStatus.MISSED or v.slot.at <= now - timedelta(hours=24):
            continue
        if any(w.slot.at > v.slot.at and w.entry is not None for w in views):
            continue  # a later dose was logged: the rule was followed, nothing to say
        if v.slot.day == now.astimezone(plan.zone).date():
            missed = _("the {time} dose today was missed.").format(time=v.slot.name)
        else:
            # TRANSLATORS: {day} is a date: "the 07:30 dose 2026-12-04 was missed."
            missed = _("the {time} dose {day} was missed.").format(
                time=v.slot.name, day=formats.day(v.slot.day))
        out.append(Advice(guidance.WATCH, missed + " " + _(safety.NO_MAKE_UP)))
    if nxt and nxt.status is SlotStatus.DUE and now > nxt.slot.at + schedule.LATE_AFTER:
        late = schedule.minutes_late(now, nxt.slot)
        out.append(
            Advice(
                guidance.DOCTOR,
                safety.late_window(
                    child.name,
                    nxt.slot.name,
                    schedule.format_span(late),
                    formats.clock(nxt.closes.astimezone(plan.zone)),
                    blocked=blocked,
                ),
            )
        )
    return out
