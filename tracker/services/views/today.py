"""Today, for every child at once: what the household page's first screen shows.

Each child's next dose, how much to draw, what must stop it, the meal rule, the suggested
site and today's and yesterday's slots, with the warnings: the status use case for every
child, in the words every front uses (its dose lines are the briefing's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from tracker.domain.sites import SITES
from tracker.domain.urgency import EMERGENCY
from tracker.errors import NotFound
from tracker.i18n import _
from tracker.services.views import plan, status
from tracker.services.views.briefing import of_report


@dataclass
class Row:
    when: str  # "today 07:30"
    status: str
    detail: str


@dataclass
class ChildToday:
    id: int
    name: str
    error: str | None = None  # why nothing else can be said (no prescription then)
    next: str | None = None  # "19:30 today"
    draw: str = ""
    precision: str | None = None  # a syringe too coarse for this dose, said beside it
    stop: str | None = None
    hold: list[str] = field(default_factory=list)
    ask_first: str | None = None
    meal: str = ""
    site: str = ""
    sites: tuple[str, ...] = SITES
    slots: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what still stands and calls for the doctor (today or sooner), most urgent first:
    # (level, its heading with what happened and the first step), said above the dose
    first: list[tuple[str, str]] = field(default_factory=list)
    # every judgement that still stands, whole: (level, heading and what, steps, why)
    judged: list[Judged] = field(default_factory=list)

    @property
    def told(self) -> int:
        """How many things the warnings below say (a judgement is one, with its steps)."""
        return len(self.judged) + len(self.warnings)


class Judged(NamedTuple):
    level: str
    said: str  # its heading and what happened
    steps: tuple[str, ...]
    why: str


def _when(time: str, days: int) -> str:
    """"19:30 today", "07:30 tomorrow": the next dose."""
    return (_("{time} today") if days == 0 else _("{time} tomorrow")).format(time=time)


def _slot_day(time: str, days: int) -> str:
    """"today 07:30", "yesterday 19:30": a row of the slots shown."""
    # TRANSLATORS: a row of the day's doses: "today 07:30"
    return (_("today {time}") if days == 0 else _("yesterday {time}")).format(time=time)


def today(session: Session, now: datetime) -> list[ChildToday]:
    out = []
    for child in plan.all_children(session):
        try:
            report = status.status(session, child, now, last=False)
        except NotFound as exc:  # no prescription then: the child is listed with why
            out.append(ChildToday(child.id, child.name, error=exc.args[0]))
            continue
        zone = report.plan.zone
        day = now.astimezone(zone).date()
        nxt = report.next
        dose = of_report(report)
        out.append(ChildToday(
            child.id, child.name,
            next=_when(nxt.slot.name, (nxt.slot.day - day).days) if nxt else None,
            draw=dose.draw,
            precision=dose.precision,
            stop=dose.stop,
            hold=report.hold,
            ask_first=dose.ask_first,
            meal=dose.meal,
            site=dose.site,
            slots=[Row(_slot_day(v.slot.name, (v.slot.day - day).days),
                       v.status.value, v.detail(zone))
                   for v in report.slots if (day - v.slot.day).days in (0, 1)],
            warnings=[w for w in report.warnings if w != report.plan.precision
                      and w not in report.judged_lines],
            # one, above the dose (a hold is already its ask-first line there, unless it
            # is an emergency, which looks like one)
            first=[(j.level, j.brief()) for j in report.judgements
                   if j.needs_doctor and (not j.hold or j.level == EMERGENCY)][:1],
            judged=[Judged(j.level, f"{j.heading}: {j.what}.", j.steps, j.why)
                    for j in report.judgements],
        ))
    return out
