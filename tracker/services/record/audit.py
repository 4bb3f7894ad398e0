"""The audit trail: every correction keeps the values it replaced, with who, when and why.

Below the use cases that correct things (undo, restore, edit, a treatment start moved
earlier), so each of them writes the trail the same way and none needs another.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.db.models import Entry, Prescription, Revision

# a column's value as the audit trail keeps it (JSON): dates and times as ISO text
Stored = str | int | float | bool | None


def snapshot(entry: Entry) -> dict[str, Stored]:
    out: dict[str, Stored] = {}
    for column in entry.__table__.columns:
        value = getattr(entry, column.key)
        out[column.key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def record(
    session: Session,
    entry: Entry,
    old: dict[str, Stored],
    action: str,
    now: datetime,
    by: str,
    reason: str | None,
) -> None:
    session.add(
        Revision(
            entity=entry.__tablename__,
            entity_id=entry.id,
            action=action,
            changed_at=now,
            changed_by=by,
            reason=reason,
            old_values=json.dumps(old, ensure_ascii=False, sort_keys=True),
        )
    )


def move_start(session: Session, prescription: Prescription, starts_at: datetime, *,
               now: datetime, by: str, reason: str) -> None:
    """A prescription that was in force earlier than recorded (the treatment started
    earlier): its old start kept in the audit trail, as for any correction."""
    old = snapshot(prescription)
    prescription.starts_at = starts_at
    record(session, prescription, old, "edit", now, by, reason)
    session.flush()


