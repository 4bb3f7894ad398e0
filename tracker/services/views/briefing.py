"""What is said beside a dose before it is drawn: one briefing, on every front.

The status report, the household page's Today and every reminder take their dose lines
from here: which dose, how much to draw, where, what must stop it, what to ask the doctor
first, the most urgent judgement that still stands, a dose of the slot that was undone,
the syringe's precision and the meal rule. A front only lays the briefing out (a terminal
line, a paragraph on the page, a notification's body), so they cannot say it differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from tracker.domain import reminders as planner
from tracker.domain import schedule
from tracker.domain.actions import Line
from tracker.domain.safety import ask_first, do_not_give, meal_rule
from tracker.domain.urgency import NEXT_NORMAL
from tracker.i18n import _, formats
from tracker.services.record.contacts import all_contacts
from tracker.services.record.corrections import undone_note
from tracker.services.record.log import suggested_site
from tracker.services.record.supply import SupplyReport
from tracker.services.views import judged
from tracker.services.views import plan as plans
from tracker.services.views.status import slot_views

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from tracker.db.models import Child, Contact
    from tracker.domain.judgement import Judgement
    from tracker.domain.schedule import Slot
    from tracker.services.views.status import StatusReport

__all__ = ["Briefing", "ContactNews", "all_contacts", "children", "contacts", "doses",
           "of_report", "slots", "standing_line", "supply"]


@dataclass(frozen=True)
class Briefing:
    """Everything said beside one dose, before the injection."""

    child: str
    draw: str  # "0.86 mg = 0.086 mL = 8.6 units (U-100 0.3 mL)"
    site: str  # the site to use: what a Given button records
    label: str = ""  # the dose's time, "19:30"
    next_label: str | None = None  # the dose time after it
    stop: str | None = None  # do not give this dose: its limits, then call the doctor
    ask_first: str | None = None  # ask the doctor first: a symptom logged
    standing: str | None = None  # the most urgent judgement that stands, for the doctor
    undone: str | None = None  # this slot's dose was logged and then undone
    precision: str | None = None  # a syringe too coarse for this dose

    @property
    def can_give(self) -> bool:
        """False when the dose must not be given (no Given button then)."""
        return self.stop is None

    @property
    def meal(self) -> Line:
        """The meal rule, one sentence beside every dose shown."""
        return meal_rule(self.child)

    @property
    def checks(self) -> list[str]:
        """What is wrong with the dose itself: said next to it, in red."""
        return [line for line in (self.stop, self.ask_first) if line]

    @property
    def first(self) -> list[str]:
        """What a notification says before the amount, most pressing first: a recent
        undo (and the syringe's precision), what stops the dose, then what stands."""
        note = Line("; ").join(filter(None, (self.undone, self.precision)))
        return [line for line in (note and note + ".", *self.checks, self.standing) if line]


def of_report(report: StatusReport) -> Briefing:
    """The briefing of the dose a status report shows (status, Today)."""
    nxt = report.next
    return Briefing(report.child.name, report.plan.draw.describe(), report.site,
                    label=nxt.slot.name if nxt else "",
                    stop=do_not_give(report.problems), ask_first=ask_first(report.hold),
                    precision=report.plan.precision)


def standing_line(standing: Iterable[Judgement]) -> str | None:
    """The most urgent judgement that still stands and calls for the doctor, as a
    reminder's first words (a prescription's limits are its do-not-give line)."""
    return next((j.brief() + (" " + _(NEXT_NORMAL) if _(NEXT_NORMAL) in j.steps else "")
                 for j in standing if j.needs_doctor and "prescription" not in j.keys), None)


def children(session: Session) -> list[Child]:
    return plans.all_children(session)


def slots(session: Session, child: Child, now: datetime
          ) -> tuple[plans.Plan, list[planner.SlotInfo]]:
    """The child's plan now, and the slots around now as the planner reads them (NotFound
    when the child has no prescription yet)."""
    plan = plans.plan_at(session, child, now)
    views = slot_views(session, child, plan, now)
    return plan, [planner.SlotInfo(v.slot, v.closes, v.entry is not None) for v in views]


def doses(session: Session, child: Child, plan: plans.Plan, due: list[Slot],
          now: datetime) -> list[Briefing]:
    """The briefing of each dose a reminder is due for, with the same checks as status
    and give: the site, a hold, a recent undo, a dose not to give. Each dose is the one
    of the prescription in force at its slot (a heads-up before a change's first dose
    says the new dose)."""
    if not due:
        return []
    site = suggested_site(session, child)
    standing = judged.standing(session, child, now)
    hold = ask_first(judged.hold_reasons(standing))
    said = standing_line(j for j in standing if not j.hold)  # a hold is its ask-first line
    out = []
    for slot in due:
        in_force = plan if slot.at <= now else plans.plan_at(session, child, slot.at)
        out.append(Briefing(
            child.name, in_force.draw.describe(), site, label=slot.name,
            next_label=schedule.next_slot_after(slot, plan.times, plan.zone).name,
            stop=do_not_give(in_force.problems), ask_first=hold, standing=said,
            undone=undone_note(session, child, slot.day, slot.label),
            precision=in_force.precision))
    return out


class ContactNews(NamedTuple):
    """What a contact's phone is told: a dose nobody logged, and until when it can be
    given."""

    child: str
    label: str
    after: int  # minutes after the dose time
    closes: str  # "23:30"
    standing: str | None  # the most urgent judgement that stands, said first


def contacts(session: Session, child: Child, plan: plans.Plan,
             told: list[tuple[planner.SlotInfo, Contact]], now: datetime) -> list[ContactNews]:
    """What each contact due to be told about a dose hears (what stands is read once, and
    only when someone is told)."""
    if not told:
        return []
    standing = standing_line(judged.standing(session, child, now))
    return [ContactNews(child.name, info.slot.name, who.after_minutes,
                        formats.clock(info.closes.astimezone(plan.zone)), standing)
            for info, who in told]


def supply(session: Session, child: Child, now: datetime) -> list[str]:
    """The vial's discard day and the stock, when something needs saying."""
    return SupplyReport(session, child, now).warnings()
