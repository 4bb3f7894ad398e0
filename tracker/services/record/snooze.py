"""Quieting the follow-up reminders for a while: one rule for every front.

A notification's Snooze button and `tracker remind snooze` do the same thing, with the
same default and the same limits, and say the same sentence. Dose-time reminders still
come: only the "not logged yet" follow-ups wait.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tracker.errors import InputError
from tracker.i18n import _, ngettext

if TYPE_CHECKING:  # the bounds are read by `tracker remind --help`: no SQLAlchemy for it
    from sqlalchemy.orm import Session

MINUTES = 15  # the default: long enough to give the dose, short enough not to forget it
LONGEST = 240  # four hours: past that, a follow-up is no longer about this dose


def snooze(session: Session, now: datetime, minutes: int = MINUTES) -> str:
    """Quiet the follow-ups for `minutes`; what was done, in one sentence."""
    if not 1 <= minutes <= LONGEST:
        raise InputError(_("{minutes} minutes: quiet the follow-ups for 1 to {most} "
                           "minutes").format(minutes=minutes, most=LONGEST))
    from tracker.db.state import set_state

    until = now + timedelta(minutes=minutes)
    set_state(session, "snooze_until", until.isoformat(), now)
    return ngettext("Follow-ups quiet for {minutes} minute; dose-time reminders still come.",
                    "Follow-ups quiet for {minutes} minutes; dose-time reminders still come.",
                    minutes).format(minutes=minutes)
