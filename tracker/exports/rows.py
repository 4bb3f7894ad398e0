"""The log as rows, one per dose slot, streamed month by month so memory stays flat.

A row is either an entry (given or withheld) or a scheduled slot with no entry: missed
once its window has closed (and tracking had begun), or not yet due. Slots come from the
prescription in effect on each day; entries logged against other times still appear.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import false, select, true
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Prescription, Symptom
from tracker.domain import schedule

CHUNK_DAYS = 31


class SlotRow(NamedTuple):
    scheduled: datetime
    status: str  # given, withheld, missed, or due (its window is still open)
    entry: DoseRow | None


def _prescriptions(session: Session, child: Child) -> list[Prescription]:
    return list(
        session.scalars(
            select(Prescription)
            .where(Prescription.child_id == child.id, Prescription.voided_at.is_(None))
            .order_by(Prescription.starts_at, Prescription.id)
        )
    )


@lru_cache(maxsize=64)
def _parse(times: str) -> tuple[time, ...]:
    return schedule.parse_times(times)


def _times_on(day: date, zone: ZoneInfo, prescriptions: list[Prescription]) -> tuple[time, ...]:
    noon = schedule.localize(day, time(12), zone)
    current = [p for p in prescriptions if p.starts_at <= noon]
    return _parse(current[-1].times) if current else ()


class DoseRow(Protocol):
    """What exports read of a dose: an ORM object or a plain row with the same names."""

    id: int
    status: str
    scheduled_at: datetime
    given_at: datetime | None
    dose_mg: float | None
    volume_ml: float | None
    site: str | None
    given_by: str | None
    reason: str | None
    note: str | None
    extra: bool


# Plain rows, not ORM objects: an export reads each dose once and never changes it.
_COLUMNS = (
    Dose.id,
    Dose.status,
    Dose.scheduled_at,
    Dose.given_at,
    Dose.dose_mg,
    Dose.volume_ml,
    Dose.site,
    Dose.given_by,
    Dose.reason,
    Dose.note,
    Dose.extra,
    Dose.slot_date,
    Dose.slot_time,
)


def slot_rows(
    session: Session, child: Child, start: date, end: date, now: datetime
) -> Iterator[SlotRow]:
    """Every slot from `start` to `end` (local dates, inclusive), oldest first."""
    zone = schedule.zone_named(child.timezone)
    prescriptions = _prescriptions(session, child)
    day = start
    while day <= end:
        last = min(end, day + timedelta(days=CHUNK_DAYS - 1))
        lo, hi = schedule.day_bounds(day, last, zone)
        entries: dict[tuple[date, str], Any] = {
            (d.slot_date, d.slot_time): d
            for d in session.execute(
                select(*_COLUMNS).where(
                    Dose.child_id == child.id,
                    Dose.voided_at.is_(None),
                    Dose.extra == false(),
                    Dose.slot_date >= day,
                    Dose.slot_date <= last,
                )
            )
        }
        extras = list(
            session.execute(
                select(*_COLUMNS).where(
                    Dose.child_id == child.id,
                    Dose.voided_at.is_(None),
                    Dose.extra == true(),
                    Dose.scheduled_at >= lo,
                    Dose.scheduled_at < hi,
                )
            )
        )
        rows: list[SlotRow] = []
        d = day
        while d <= last:
            times = _times_on(d, zone, prescriptions)
            for slot in schedule.slots_on(d, times, zone):
                entry = entries.pop((slot.day, slot.label), None)
                if entry is None and slot.at < child.created_at:
                    continue  # before tracking began: unknown, not missed
                rows.append(_row(slot, entry, times, zone, now))
            d += timedelta(days=1)
        rows += [SlotRow(e.scheduled_at, e.status, e) for e in list(entries.values()) + extras]
        rows.sort(key=lambda r: (r.scheduled, r.entry.id if r.entry else 0))
        yield from (r for r in rows if r.scheduled <= now or r.entry is not None)
        session.expunge_all()  # keep memory flat on long exports
        day = last + timedelta(days=1)


def _row(
    slot: schedule.Slot,
    entry: DoseRow | None,
    times: tuple[time, ...],
    zone: ZoneInfo,
    now: datetime,
) -> SlotRow:
    if entry is not None:
        return SlotRow(slot.at, entry.status, entry)
    closes = schedule.closes_at(slot, schedule.next_slot_after(slot, times, zone))
    return SlotRow(slot.at, "missed" if now >= closes else "due", None)


def symptoms(session: Session, child: Child, start: date, end: date) -> Iterator[Symptom]:
    lo, hi = schedule.day_bounds(start, end, schedule.zone_named(child.timezone))
    yield from session.scalars(
        select(Symptom)
        .where(
            Symptom.child_id == child.id,
            Symptom.voided_at.is_(None),
            Symptom.occurred_at >= lo,
            Symptom.occurred_at < hi,
        )
        .order_by(Symptom.occurred_at, Symptom.id)
        .execution_options(yield_per=500)
    )


def glucose_checks(session: Session, child: Child, start: date, end: date) -> list[Glucose]:
    lo, hi = schedule.day_bounds(start, end, schedule.zone_named(child.timezone))
    return list(
        session.scalars(
            select(Glucose)
            .where(
                Glucose.child_id == child.id,
                Glucose.voided_at.is_(None),
                Glucose.measured_at >= lo,
                Glucose.measured_at < hi,
            )
            .order_by(Glucose.measured_at, Glucose.id)
        )
    )


def given_times(session: Session, dose_ids: list[int]) -> dict[int, datetime]:
    """When each of these doses was given: to time symptoms after their dose."""
    if not dose_ids:
        return {}
    rows = session.execute(select(Dose.id, Dose.given_at).where(Dose.id.in_(dose_ids)))
    return {i: at for i, at in rows if at is not None}
