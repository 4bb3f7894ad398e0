"""A form records once, whatever the network does.

Each form of the household page carries a one-time id. It is claimed inside the same
transaction as what the form records, so the entry and its claim are committed together
or not at all: a second post of the same form (a retry on a slow network, a re-tap while
the server waits, a form shown again after "the log is busy") finds the claim and gets
the first post's result back, recording nothing. A form that failed claimed nothing and
can simply be sent again.

Two posts of one form at the same moment: on SQLite the second waits for the first's
write lock and then finds its claim; on PostgreSQL its insert waits on the primary key
until the first commits, then fails, and the claim is read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from tracker.db.models import FormSubmission

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.services.record.outcome import Told

KEPT = timedelta(days=30)  # long past any retry; then the claims are let go


class Result(NamedTuple):
    """What a form recorded, as the page said it (a Told, whole, in the page's words),
    kept to be said again to a second post of the form: a headline, then notes in order."""

    headline: str
    notes: list[str]
    level: str = ""  # the judgement's level: a form sent twice is shown as urgent again

    @classmethod
    def of(cls, told: Told, words: Callable[[object], str]) -> Result:
        """A Told whole, each sentence in a front's `words` (its actions as its controls)."""
        return cls(words(told.headline), [words(a.text) for a in told.said()], told.level)

    def dumps(self) -> str:
        return json.dumps({"headline": self.headline, "notes": self.notes,
                           "level": self.level})

    @classmethod
    def loads(cls, text: str) -> Result:
        data = json.loads(text or "{}")
        return cls(str(data.get("headline", "")), [str(n) for n in data.get("notes", [])],
                   str(data.get("level", "")))


def claim(session: Session, once: str, *, device_id: int, action: str,
          now: datetime) -> Result | None:
    """Claim the form `once` in this transaction: None the first time, else the result
    the first post recorded (nothing more is to be recorded)."""
    found = session.get(FormSubmission, once)
    if found is not None:
        return Result.loads(found.result)
    try:
        with session.begin_nested():
            session.add(FormSubmission(id=once, device_id=device_id, action=action,
                                       created_at=now, result=""))
            session.flush()
    except IntegrityError:  # another post of it committed meanwhile (PostgreSQL)
        found = session.get(FormSubmission, once, populate_existing=True)
        return Result.loads(found.result if found is not None else "")
    session.execute(delete(FormSubmission).where(FormSubmission.created_at < now - KEPT))
    return None


def settle(session: Session, once: str, result: Result) -> None:
    """Keep what the form recorded with its claim, for a second post to be told."""
    found = session.get(FormSubmission, once)
    if found is not None:
        found.result = result.dumps()
