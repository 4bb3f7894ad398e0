"""The household page's names for what a message asks: its own buttons, fields and pages.

The page cannot override a rule (a second dose, a dose above the label): that stays on
the computer that keeps the log, where the reason is typed and recorded; the page says so
in words. Everything else is named as the button or page that does it.
"""

from __future__ import annotations

from tracker.domain.actions import PLAIN, Action, Do, Line, said

CONTROLS: dict[Do, str] = {
    **PLAIN,
    Do.FORCE: "needs the doctor's reason, recorded on the computer that keeps the log (this "
              "page does not record overrides)",
    Do.AT: "log it in Log, with the time it was given",
    Do.DOSE_MG: "log the amount given under \"Another amount was given\"",
    Do.REASON: "choose why it is withheld",
    Do.UNDO: "tap Undo beside {ref} in History",
    Do.EDIT_TIME: "open {ref} in History and correct its time",
    Do.EDIT_DAY: "open {ref} in History and correct its day to {day}",
    Do.VIAL_OPEN: "tap \"A new vial is open now\" in Medicine",
    Do.VIAL_STOCK: "count them in Medicine (Record the vials)",
    Do.SKIP: "withhold it: tap Withheld and choose why",
    Do.HISTORY: "open History",
    Do.RESTORE_ENTRY: "tap Restore beside {ref} in History (undone entries)",
    Do.GIVE: "log it with Given on Today",
    Do.EDIT: "open {ref} in History and correct it",
    Do.SYRINGE: "the syringe is set on the computer that keeps the log",
    Do.UNIT: "in {unit} (ask whoever set tracker up to set the meter's unit to {unit})",
    Do.SET_METER: "the meter's unit is set on the computer that keeps the log",
}


def control(action: Action) -> str:
    return CONTROLS[action.do].format(**action.args)


def text(message: object) -> str:
    """A message (a Line, an error, plain words) as the page says it."""
    return said(message, control)


def shown(value: object) -> object:
    """Every value a template prints: a sentence with actions says them in this page's
    controls (the templates' `finalize`), anything else as it is."""
    return text(value) if isinstance(value, Line) else value
