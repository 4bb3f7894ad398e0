"""How what is said after an entry is ordered and marked, on every front.

The judgement of the entry (tracker.domain.judgement: its level of the urgency table and
its steps) comes first, as one block: its heading with what happened, then the steps in
order. Then the warnings that are not about the child (a vial, a site, a time), then what
to watch, then plain notes. Each front marks the levels its own way; none drops or
reorders a part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tracker.domain import urgency
from tracker.domain.judgement import Judgement
from tracker.i18n import _

EMERGENCY = "emergency"
DOCTOR = "doctor"
WATCH = "watch"
LEVELS = (EMERGENCY, DOCTOR, WATCH)  # most urgent first


class Advice(NamedTuple):
    level: str
    text: str


def most_urgent_first(items: Iterable[Advice]) -> list[Advice]:
    """Each advice once, emergency first, then doctor, then watch (stable within a level)."""
    unique = list(dict.fromkeys(items))
    return sorted(unique, key=lambda item: LEVELS.index(item.level))


NOTE = "note"  # what was said after the entry that asks nothing: plain information
WARNING = "warning"  # a warning that is not advice about the child (a vial, a site, a time)


def in_order(info: Iterable[str] = (), warnings: Iterable[str] = (),
             advice: Iterable[Advice] = ()) -> list[Advice]:
    """Everything said after an entry, in the one order every front shows it: emergency
    advice, then what calls for the doctor, then the other warnings, then what to watch,
    then notes. Each front marks the levels its own way; none drops or reorders a part."""
    ordered = most_urgent_first(advice)
    return [*(a for a in ordered if a.level != WATCH),
            *(Advice(WARNING, w) for w in dict.fromkeys(warnings)),
            *(a for a in ordered if a.level == WATCH),
            *(Advice(NOTE, i) for i in dict.fromkeys(info))]


_RENDER = {urgency.EMERGENCY: EMERGENCY, urgency.DOCTOR_NOW: DOCTOR, urgency.TODAY: DOCTOR,
           urgency.SOON: DOCTOR, urgency.VISIT: WATCH, urgency.ROUTINE: NOTE}


def of_judgement(found: Judgement) -> list[Advice]:
    """A judgement as the lines every front shows: its heading with what happened, then
    its steps numbered in order, all at its level so that nothing is put between them."""
    level = _RENDER[found.level]
    steps = [Advice(level, f"{i}. {step}" if len(found.steps) > 1 else step)
             for i, step in enumerate(found.steps, 1)]
    if found.level == urgency.ROUTINE:
        return steps
    why = found.why
    # TRANSLATORS: {heading} whom to call and when; {what} what happened
    return [Advice(level, _("{heading}: {what}.").format(heading=found.heading,
                                                         what=found.what)), *steps,
            *([Advice(level, _("Why: {why}.").format(why=why))] if why else [])]
