"""What the log keeps of reminders: each one claimed once by its unique key, each attempt
to deliver it, and a claim given back when a stop cut a message off.

The unique key decides, not the process: a restart, a DST double fire or a second
service sharing the log cannot claim a reminder twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker.db.models import NotificationAttempt, ReminderSent
from tracker.db.session import transaction

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.reminders.channels import Result
    from tracker.reminders.due import Planned


def claim(session: Session, p: Planned, fired_at: datetime) -> int | None:
    """Claim a reminder by its unique key: its id, or None when it was claimed already."""
    row = ReminderSent(
        child_id=p.child_id,
        key=p.key,
        kind=p.kind,
        slot_at=p.slot_at,
        fired_at=fired_at,
        title=p.title,
        body=p.body,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # another tick or service claimed it first
    return row.id


def claimed(session: Session, p: Planned) -> int | None:
    """The id of a reminder claimed already (by this service or another)."""
    return session.scalar(
        select(ReminderSent.id).where(
            ReminderSent.child_id == p.child_id, ReminderSent.key == p.key
        )
    )


def add_attempts(session: Session, reminder_id: int | None, title: str,
                 results: Iterable[Result], at: datetime) -> None:
    """One line of the delivery log for each channel tried."""
    for r in results:
        session.add(
            NotificationAttempt(
                reminder_id=reminder_id,
                at=at,
                channel=r.channel,
                ok=r.ok,
                error=r.error,
                detail=r.detail,
                title=title,
            )
        )


def record(
    engine: Engine, reminder_id: int | None, title: str, results: list[Result], at: datetime
) -> None:
    """The attempts, in a short write of their own."""
    with transaction(engine, write=True) as session:
        add_attempts(session, reminder_id, title, results, at)


def release(engine: Engine, reminder_id: int | None) -> None:
    """Give back the claim of a message a stop cut off (best effort: the stop does not
    wait for a busy log), so that the service started next sends it."""
    if reminder_id is None:
        return
    try:
        with transaction(engine, write=True) as session:
            row = session.get(ReminderSent, reminder_id)
            if row is not None:
                session.delete(row)
    except DBAPIError:
        pass
