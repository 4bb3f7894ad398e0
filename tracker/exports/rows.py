"""The log as rows, one per dose slot, streamed so memory stays flat however long the log.

A row is either an entry (given or withheld) or a scheduled slot with no entry: missed
once its window has closed (and tracking had begun), or not yet due. Slots come from the
prescription in effect on each day; entries logged against other times still appear.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Row, SQLColumnExpression, String, cast, select, type_coerce
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Measurement, Prescription, Symptom
from tracker.db.types import epoch_seconds
from tracker.domain import schedule

NOON = time(12)
# How far an entry's instant can sit from the instant its local date and time have in the
# child's current zone (UTC offsets span 26 hours), with room to spare.
MARGIN = timedelta(days=2)
MISSED_AFTER_S = schedule.MISSED_AFTER.total_seconds()
_NEVER = 2**62  # past any instant: nothing more to read


class SlotRow(NamedTuple):
    scheduled: datetime
    status: str  # given, withheld, missed, or due (its window is still open)
    entry: DoseRow | None
    day: str  # the slot's identity: its local date (ISO) and prescribed time ("02:15"),
    label: str  # the same missed and once given, even on a night the clocks skip it


def _periods(session: Session, child: Child, zone: ZoneInfo) -> list[tuple[date, tuple[time, ...]]]:
    """(first local day, dose times) of each prescription, oldest first.

    A prescription rules a day when it had started by that day's local noon; of two
    starting the same day, the later one wins.
    """
    periods = []
    for starts_at, times in session.execute(
        select(Prescription.starts_at, Prescription.times)
        .where(Prescription.child_id == child.id, Prescription.voided_at.is_(None))
        .order_by(Prescription.starts_at, Prescription.id)
    ):
        first = starts_at.astimezone(zone).date()
        if schedule.localize(first, NOON, zone) < starts_at:
            first += timedelta(days=1)
        periods.append((first, schedule.parse_times(times)))
    return periods


_EPOCH_DAY = date(1970, 1, 1).toordinal()
_DAY_END = time(23, 59, 59)


def _schedule(
    periods: list[tuple[date, tuple[time, ...]]], zone: ZoneInfo, start: date, end: date
) -> Iterator[tuple[str, time, str, int, str, tuple[time, ...]]]:
    """Each slot in order: (local date as ISO text, the time, "HH:MM", epoch seconds,
    the local ISO date-time with its offset, that day's times).

    This runs once per slot of the period, so a day whose UTC offset holds from midnight
    to midnight (all but a couple a year) is done in integers and string joins; a day
    with a change goes through schedule.localize, whose gap and fold rule it follows.
    """
    labels = {t: t.strftime("%H:%M") for _, times in periods for t in times}
    seconds = {t: t.hour * 3600 + t.minute * 60 for t in labels}
    offsets: dict[timedelta, str] = {}
    times: tuple[time, ...] = ()
    i, day, one = 0, start, timedelta(days=1)
    while day <= end:
        while i < len(periods) and periods[i][0] <= day:
            times = periods[i][1]
            i += 1
        if times:
            text = day.isoformat()
            offset = zone.utcoffset(datetime.combine(day, time(0)))
            if offset == zone.utcoffset(datetime.combine(day, _DAY_END)) and offset is not None:
                if offset not in offsets:
                    offsets[offset] = _offset_text(offset)
                midnight = (day.toordinal() - _EPOCH_DAY) * 86400 - int(offset.total_seconds())
                suffix = ":00" + offsets[offset]
                for t in times:
                    label = labels[t]
                    yield text, t, label, midnight + seconds[t], f"{text}T{label}{suffix}", times
            else:
                for t in times:
                    at = schedule.localize(day, t, zone)
                    local = at.astimezone(zone).isoformat()
                    yield text, t, labels[t], int(at.timestamp()), local, times
        day += one


def _offset_text(offset: timedelta) -> str:
    """The offset as isoformat writes it: "+01:00" (with seconds for the odd historical one)."""
    return datetime(2000, 1, 1, tzinfo=timezone(offset)).isoformat()[19:]


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
    force_reason: str | None
    flags: str | None
    prescription_id: int | None
    vial_id: int | None
    day: str  # the slot's local date, ISO
    slot_time: str  # the slot's local time, HH:MM


# Plain rows, not ORM objects: an export reads each dose once and never changes it.
ENTRY_DETAILS = (
    Dose.dose_mg,
    Dose.volume_ml,
    Dose.site,
    Dose.given_by,
    Dose.reason,
    Dose.note,
    Dose.force_reason,  # why a label rule was overridden: the clinic must see it
    Dose.flags,  # which label rules this dose broke
    Dose.prescription_id,  # the amounts it was prescribed at
    Dose.vial_id,  # the vial (and so the lot) it was drawn from
)
DOSE_COLUMNS = (Dose.id, Dose.scheduled_at, Dose.given_at, *ENTRY_DETAILS)


# A row of walk's query, read by position (0 ts, 1 status, 2 extra, 3 day, 4 slot_time,
# then the caller's columns): a name look-up per field costs as much as the rest of the loop.
EntryRow = Row[*tuple[Any, ...]]  # its columns, of their own types, grow with `columns`


def walk(
    session: Session,
    child: Child,
    start: date,
    end: date,
    now: datetime,
    columns: Sequence[SQLColumnExpression[object]] = DOSE_COLUMNS,
) -> Iterator[tuple[int, str, str, EntryRow | None, str, str]]:
    """(epoch seconds, local ISO date-time, status, entry or None, slot date, slot time)
    for every slot from `start` to `end` (local dates, inclusive), oldest first; entries
    carry `columns`. The slot's date and prescribed time are its identity (an extra
    dose's are those of the slot it was extra to).

    One streamed query, merged with the schedule as it is walked: a query per month cost
    more than the rows themselves on long exports, and instants travel as integers
    because a million datetime objects cost more than the rest of the export. An entry
    keeps its own scheduled instant. A slot is covered by the live entry carrying its
    local date and time, which after a trip may sit up to a day from the instant the
    current zone gives it, so the labels of entries within MARGIN either side of each
    slot are kept at hand.
    """
    zone = schedule.zone_named(child.timezone)
    lo_at, hi_at = schedule.day_bounds(start, end, zone)
    lo, hi, margin = int(lo_at.timestamp()), int(hi_at.timestamp()), int(MARGIN.total_seconds())
    first, last = start.isoformat(), end.isoformat()
    now_ts, tracked_from = now.timestamp(), child.counts_from.timestamp()
    source = _entries(session, child, lo_at, hi_at, columns)
    ahead: deque[EntryRow] = deque()  # read, not yet emitted, in (scheduled_at, id) order
    labels: dict[tuple[str, str], int] = {}  # (day, time) of entries read -> instant
    local: dict[int, str] = {}  # recent slots' local times, for the entries at them
    read_to = lo - margin
    slots = 0

    def text(ts: int) -> str:
        return local.get(ts) or datetime.fromtimestamp(ts, zone).isoformat()

    periods = _periods(session, child, zone)
    walk_from, walk_to = _walked(periods, start, end, now, zone)
    for day, t, label, at, iso, times in _schedule(periods, zone, walk_from, walk_to):
        slots += 1
        if slots % 1024 == 0:  # forget what is long past: memory stays flat
            labels = {k: v for k, v in labels.items() if v >= at - margin}
            local.clear()
        local[at] = iso
        while read_to <= at + margin:
            e = next(source, None)
            if e is None:
                read_to = _NEVER
                break
            read_to = e[0]
            if e[2]:
                if lo <= read_to < hi:
                    ahead.append(e)
                continue
            labels[e[3], e[4]] = read_to
            if first <= e[3] <= last:
                ahead.append(e)
        while ahead and ahead[0][0] < at:
            e = ahead.popleft()
            yield e[0], text(e[0]), e[1], e, e[3], e[4]
        if (day, label) in labels or at < tracked_from or at > now_ts:
            continue  # covered; before the treatment started (not missed); still ahead
        status = ("missed" if now_ts >= at + MISSED_AFTER_S  # no window is longer
                  else _unlogged(schedule.Slot(_utc(at), date.fromisoformat(day), t), times,
                                 zone, now))
        yield at, iso, status, None, day, label
    # an extra dose counts by its instant, an entry by its slot's day
    ahead.extend(e for e in source if (lo <= e[0] < hi if e[2] else first <= e[3] <= last))
    for e in ahead:
        yield e[0], text(e[0]), e[1], e, e[3], e[4]


def _entries(session: Session, child: Child, lo_at: datetime, hi_at: datetime,
             columns: Sequence[SQLColumnExpression[object]]) -> Iterator[EntryRow]:
    """The child's live dose entries scheduled within MARGIN of [lo_at, hi_at), streamed
    in (scheduled_at, id) order."""
    query = (
        select(
            epoch_seconds(Dose.scheduled_at).label("ts"),
            Dose.status,
            type_coerce(Dose.extra, Integer).label("extra"),  # 0/1: no bool conversion
            cast(Dose.slot_date, String).label("day"),  # ISO text, compared as text
            Dose.slot_time,
            *columns,
        )
        .where(
            Dose.child_id == child.id,
            Dose.voided_at.is_(None),
            Dose.scheduled_at >= lo_at - MARGIN,
            Dose.scheduled_at < hi_at + MARGIN,
        )
        .order_by(Dose.scheduled_at, Dose.id)
        .execution_options(stream_results=True, yield_per=2000)
    )
    return iter(session.connection().execute(query))


def _walked(periods: list[tuple[date, tuple[time, ...]]], start: date, end: date,
            now: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The days whose slots are walked: slots before the first prescription or after
    today are never yielded."""
    walk_from = max(start, periods[0][0]) if periods else start
    walk_to = min(end, now.astimezone(zone).date() + timedelta(days=1))
    return walk_from, walk_to


def _utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _unlogged(slot: schedule.Slot, times: tuple[time, ...], zone: ZoneInfo, now: datetime) -> str:
    """A slot with no entry: missed once its window has closed, else still due."""
    closes = schedule.closes_at(slot, schedule.next_slot_after(slot, times, zone))
    return "missed" if now >= closes else "due"


def slot_rows(
    session: Session, child: Child, start: date, end: date, now: datetime
) -> Iterator[SlotRow]:
    """Every slot from `start` to `end` (local dates, inclusive), oldest first."""
    for ts, _, status, entry, day, label in walk(session, child, start, end, now):
        yield SlotRow(_utc(ts), status, entry, day, label)


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


def measurements(session: Session, child: Child, start: date, end: date) -> list[Measurement]:
    return list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.child_id == child.id,
                Measurement.voided_at.is_(None),
                Measurement.measured_on >= start,
                Measurement.measured_on <= end,
            )
            .order_by(Measurement.measured_on, Measurement.id)
        )
    )
