"""Small facts the application keeps in the log, by name: when follow-ups are quiet until,
where the household page is served, where the last report ended, when the reminder
service last looked.

They belong to the log, not to any one front: the reminder service, the command line,
the page and the report all read and write them, so they live here, below all of them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tracker.db.models import ServiceState


def get_state(session: Session, name: str) -> str | None:
    row = session.get(ServiceState, name)
    return row.value if row else None


def set_state(session: Session, name: str, value: str, now: datetime) -> None:
    row = session.get(ServiceState, name)
    if row is None:
        session.add(ServiceState(name=name, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
