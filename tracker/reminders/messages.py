"""The words of each reminder: who, how much, where, the meal rule, and no double doses.

What must stop an injection comes first in the body, before the amount: a dose above a
limit ("do not give this dose; call the doctor") or a symptom that needs the doctor's word
before the next dose. A notification is often read only as far as its first line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.actions import Do, Line, act, fill, plain
from tracker.domain.safety import NO_MAKE_UP, meal_rule
from tracker.domain.sites import site_name
from tracker.i18n import _, ngettext
from tracker.reminders.say import notice, phone

if TYPE_CHECKING:
    from tracker.services.views.briefing import Briefing


def compose(kind: str, dose: Briefing) -> tuple[str, str]:
    """A dose reminder's title and body, laid out from its briefing: what is wrong with
    the dose (an undo, a limit, a hold, what still stands) first, then the amount; its
    actions named as the computer that keeps the log can do them (tracker.reminders.say)."""
    child, label = dose.child, dose.label
    urgent = Line(" ").join(dose.first) + (" " if dose.first else "")
    amount = _("{draw}, site {site}. {meal}").format(  # the meal: it has its own buttons
                 draw=dose.draw, site=site_name(dose.site), meal=plain(dose.meal))
    if kind.startswith("heads-up"):
        minutes = int(kind.split(":", 1)[1]) if ":" in kind else 0
        return ngettext("{child}'s dose in {minutes} minute ({label})",
                        "{child}'s dose in {minutes} minutes ({label})", minutes).format(
                   child=child, minutes=minutes, label=label), notice(urgent + amount)
    if kind == "due":
        return (_("{child}: Increlex dose due ({label})").format(child=child, label=label),
                notice(urgent + amount))
    if kind in ("follow-up", "follow-up-2"):
        return (
            _("{child}: the {label} dose is not logged yet").format(child=child, label=label),
            notice(urgent + fill(_("If it was given, log it ({give}). Otherwise: {amount}"),
                                 give=act(Do.GIVE), amount=amount)),
        )
    if kind == "missed":
        undone = dose.first[0] + " " if dose.undone or dose.precision else ""
        if dose.next_label:
            # TRANSLATORS: {no_make_up} is a whole sentence: a missed dose is not made up
            said = fill(_("Nothing was logged for it. {no_make_up} The next one is at {next}. "
                          "If it was given, log it with its time ({give})."),
                        no_make_up=_(NO_MAKE_UP), next=dose.next_label,
                        give=act(Do.GIVE, at=label))
        else:
            said = fill(_("Nothing was logged for it. {no_make_up} If it was given, log it "
                          "with its time ({give})."),
                        no_make_up=_(NO_MAKE_UP), give=act(Do.GIVE, at=label))
        return (
            _("{child}: the {label} dose was missed").format(child=child, label=label),
            notice(undone + said),
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
        phone((standing + " " if standing else "")
              + fill(_("Nobody has logged {child}'s {label} dose, {after} minutes after its "
                       "time. If it was given, {give}. "),
                     child=child, label=label, after=after, give=act(Do.GIVE))
              + meal_rule(child)
              + _(" It can still be given with food until {closes}; after that it is "
                  "missed. ").format(closes=closes)
              + _(NO_MAKE_UP)),
    )
