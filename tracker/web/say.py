"""The household page's names for what a message asks: its own buttons, fields and pages.

The page cannot override a rule (a second dose, a dose above the label): that stays on
the computer that keeps the log, where the reason is typed and recorded; the page says so
in words. Everything else is named as the button or page that does it.
"""

from __future__ import annotations

from tracker.domain.actions import PLAIN, Action, Do, Line, said
from tracker.i18n import N_, _
from tracker.services.views import words

# TRANSLATORS: what the household page tells a person to do, named by its own buttons
# and pages (Log, History, Medicine, Today, Given, Withheld, Undo, Restore): keep those
# names as the page's buttons are translated.
CONTROLS: dict[Do, str] = {
    **PLAIN,
    Do.FORCE: N_("needs the doctor's reason, recorded on the computer that keeps the log "
                 "(this page does not record overrides)"),
    Do.AT: N_("log it in Log, with the time it was given"),
    Do.DOSE_MG: N_("log the amount given under \"Another amount was given\""),
    Do.REASON: N_("choose why it is withheld"),
    Do.UNDO: N_("tap Undo beside {ref} in History"),
    Do.EDIT_TIME: N_("open {ref} in History and correct its time"),
    Do.EDIT_DAY: N_("open {ref} in History and correct its day to {day}"),
    Do.VIAL_OPEN: N_("tap \"A new vial is open now\" in Medicine"),
    Do.VIAL_STOCK: N_("count them in Medicine (Record the vials)"),
    Do.SKIP: N_("withhold it: tap Withheld and choose why"),
    Do.HISTORY: N_("open History"),
    Do.RESTORE_ENTRY: N_("tap Restore beside {ref} in History (undone entries)"),
    Do.GIVE: N_("log it with Given on Today"),
    Do.EDIT: N_("open {ref} in History and correct it"),
    Do.SYRINGE: N_("the syringe is set on the computer that keeps the log"),
    # TRANSLATORS: {unit} is a blood-sugar unit, mg/dL or mmol/L
    Do.UNIT: N_("in {unit} (ask whoever set tracker up to set the meter's unit to {unit})"),
    Do.SET_METER: N_("the meter's unit is set on the computer that keeps the log"),
}

# The values the page's forms post (a site, a side effect, how bad, why a dose is
# withheld), shown in the reader's words: the value posted stays the code the log keeps,
# and English shows the code itself, as the command line takes it.
# TRANSLATORS: the injection sites (the child's own left and right), the side effects a
# parent can log, how bad they are, and why a dose is withheld: translate as plain words
# ("left-thigh" is the left thigh), without the hyphens.
NAMES: frozenset[str] = frozenset({
    N_("left-upper-arm"), N_("right-upper-arm"), N_("left-thigh"), N_("right-thigh"),
    N_("left-abdomen"), N_("right-abdomen"), N_("left-buttock"), N_("right-buttock"),
    N_("headache"), N_("dizziness"), N_("vomiting"), N_("low-blood-sugar"),
    N_("injection-site"), N_("vision-change"), N_("limp-or-joint-pain"), N_("snoring"),
    N_("ear-pain"), N_("rash-or-swelling"), N_("nausea"), N_("seizure-or-unresponsive"),
    N_("new-lump"), N_("back-curve"), N_("other"),
    N_("mild"), N_("moderate"), N_("severe"),
    N_("not eating"), N_("ill"), N_("no medicine"),
})


def name(value: object) -> str:
    """A value a form posts, in the reader's words (the value itself stays the code)."""
    text = str(value)
    return _(text) if text in NAMES else text


def control(action: Action) -> str:
    return _(CONTROLS[action.do]).format(**action.args)


def text(message: object) -> str:
    """A message (a Line, an error, plain words) as the page says it."""
    return said(message, control)


def shown(value: object) -> object:
    """Every value a template prints: a sentence with actions says them in this page's
    controls (the templates' `finalize`), anything else as it is."""
    return text(value) if isinstance(value, Line) else value


def status(value: str) -> str:
    """A scheduled dose's state as the Today page lists it."""
    return words.slot_status(value)
