"""A stamp of the log that changes whenever anyone writes to it.

Every entry table only grows (an undo or an edit adds a Revision row rather than deleting
anything), so the highest id of each is enough: the household page compares stamps every
few seconds and shows another caregiver's entry without a reload.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from tracker.db.models import (
    Dose,
    Glucose,
    Measurement,
    Prescription,
    Revision,
    StockChange,
    Symptom,
    Vial,
)
from tracker.db.session import columns

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

TABLES = (Dose, Symptom, Glucose, Measurement, Prescription, Vial, StockChange, Revision)


@cache
def _statement() -> Select[tuple[int, ...]]:
    """Built once: every open page asks for the stamp every 3 s, and building the
    statement costs more than running it."""
    return select(*[select(func.coalesce(func.max(t.id), 0)).scalar_subquery()
                    for t in TABLES])


def stamp(session: Session) -> str:
    """One short read: the highest id of each table that records what happened."""
    row = columns(session, _statement()).one()
    return "-".join(str(v) for v in row)
