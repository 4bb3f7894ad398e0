"""The words of each reminder: who, how much, where, the meal rule, and no double doses.

What must stop an injection comes first in the body, before the amount: a dose above a
limit ("do not give this dose; call the doctor") or a symptom that needs the doctor's word
before the next dose. A notification is often read only as far as its first line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.actions import Do, Line, act, plain
from tracker.domain.safety import NO_MAKE_UP, meal_rule
from tracker.i18n import _
from tracker.reminders.say import notice, phone

if TYPE_CHECKING:
    from tracker.services.views.briefing import Briefing


def compose(kind: str, dose: Briefing) -> tuple[str, str]:
    """A dose reminder's title and body, laid out from its briefing: what is wrong with
    the dose (an undo, a limit, a hold, what still stands) first, then the amount; its
    actions named as the computer that keeps the log can do them (tracker.reminders.say)."""
    child, label = dose.child, dose.label
    urgent = Line(" ").join(dose.first) + (" " if dose.first else "")
    amount = _("{draw}, site {site}. {meal}").format(
                 draw=dose.draw, site=dose.site, meal=plain(dose.meal))  # it has its own buttons
    if kind.startswith("heads-up"):
        minutes = kind.split(":", 1)[1] if ":" in kind else ""
        return _("{child}'s dose in {minutes} minutes ({label})").format(
                   child=child, minutes=minutes, label=label), notice(urgent + amount)
    if kind == "due":
        return _("{child}: Increlex dose due ({label})").format(child=child, label=label), notice(urgent + amount)
    if kind in ("follow-up", "follow-up-2"):
        return (
            _("{child}: the {label} dose is not logged yet").format(child=child, label=label),
            notice(urgent + Line(_("If it was given, log it ("), act(Do.GIVE),
                                 _("). Otherwise: {amount}").format(amount=amount))),
        )
    if kind == "missed":
        undone = dose.first[0] + " " if dose.undone or dose.precision else ""
        nxt = _(" The next one is at {next_label}.").format(next_label=dose.next_label) if dose.next_label else ""
        return (
            _("{child}: the {label} dose was missed").format(child=child, label=label),
            notice(undone + Line(
                _("Nothing was logged for it. {NO_MAKE_UP}{nxt} If it was given, log it with its "
                  "time (").format(
                    NO_MAKE_UP=NO_MAKE_UP, nxt=nxt), act(Do.GIVE, at=label), ").")),
        )
    raise ValueError(kind)


def compose_contact(child: str, label: str, after: int, closes: str,
                    standing: str | None = None) -> tuple[str, str]:
    """For the other caregiver's phone: what is missing, and how to log it: the household
    page first (a phone has it, when the page runs), then the reminder's Given button on
    the computer that keeps the log; never a command, which a phone cannot run
    (tracker.reminders.say). `standing`: the most urgent judgement that still stands,
    said first."""

    return (
        _("{child}: the {label} Increlex dose is not logged yet").format(child=child, label=label),
        phone((standing + " " if standing else "") + Line(
            _("Nobody has logged {child}'s {label} dose, {after} minutes after its time. If it "
              "was given, ").format(
                child=child, label=label, after=after), act(Do.GIVE), ". ") + meal_rule(child)
            + _(" It can still be given with food until {closes}; after that it is missed. ").format(
                  closes=closes)
            + NO_MAKE_UP),
    )
