"""The record of every notification attempt: what the reminder service tried, and how it
went, newest first (what `remind log` shows and doctor reads)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import NotificationAttempt


def newest(session: Session, limit: int) -> list[NotificationAttempt]:
    return list(session.scalars(
        select(NotificationAttempt)
        .order_by(NotificationAttempt.at.desc(), NotificationAttempt.id.desc())
        .limit(limit)))
