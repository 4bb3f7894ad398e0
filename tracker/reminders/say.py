"""The notifications' names for what a message asks: a reminder's and a contact's words.

A reminder shows on the computer that keeps the log (a desktop notification, or the
reminder service's window), where the command line is: it has its own buttons (Given,
Withheld) for the dose in front of it, and names logging a dose the command line's way,
`tracker give`, for a dose given at another time or a server that shows no buttons.
Everything else it says in plain words (tracker.domain.actions.PLAIN).

A contact's message goes to another caregiver's phone, which has no command line (and the
person may never have seen one): it names the household page, and the reminder's own
Given button on the computer that keeps the log, never a command.

The one place in tracker/reminders that writes a command (tests/test_actions.py scans the
rest); each must work when typed as written (tests/test_suggested_commands.py).
"""

from __future__ import annotations

from tracker.domain.actions import PLAIN, Action, Do, said
from tracker.i18n import N_, _

GIVE, SKIP = "tracker give", "tracker skip"  # commands: typed as written, in every language
ON_COMPUTER: dict[Do, str] = {**PLAIN, Do.GIVE: GIVE}
# a notification server that shows no buttons: what the buttons do, as commands
WITHOUT_BUTTONS: dict[Do, str] = {**ON_COMPUTER, Do.SKIP: SKIP}
ON_PHONE: dict[Do, str] = {
    **PLAIN,
    # TRANSLATORS: "Given" is the reminder's button (msgctxt "button")
    Do.GIVE: N_("log it on the household page, or at the computer that keeps the log (Given "
                "on its reminder)"),
}


def _named(names: dict[Do, str], action: Action) -> str:
    if action.do is Do.GIVE and action.args.get("at") and names is not ON_PHONE:
        at = action.args["at"]
        return f"tracker give --at {repr(at) if ' ' in at else at}"
    template = names[action.do]
    if template not in (GIVE, SKIP):  # a sentence (PLAIN's, the phone's): the reader's words
        template = _(template)
    return template.format(**action.args)


def notice(message: object) -> str:
    """A reminder's words, as the notification on the computer that keeps the log shows."""
    return said(message, lambda a: _named(ON_COMPUTER, a))


def without_buttons(message: object) -> str:
    """A reminder's words where the notification server shows no buttons."""
    return said(message, lambda a: _named(WITHOUT_BUTTONS, a))


def phone(message: object) -> str:
    """A contact's message, as the other caregiver's phone shows it."""
    return said(message, lambda a: _named(ON_PHONE, a))
