"""The judgement of every entry of a period, read from the log (tracker.domain.judgement).

One function reads what each judgement needs (the entries of the period and what stood
before them: the symptoms of the days before, the low before a recheck, the dose before
a vomit, the vial a dose was drawn from and why it ended) and judges each entry once.
Every reader asks here: the answer to a write (its own entry), status and Today (what
still stands), the history, the report and the spreadsheet (the period shown). The same
entry is therefore judged the same way wherever it is read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session

from tracker.db.models import Child, Dose, Glucose, Prescription, Symptom, Vial
from tracker.db.session import columns
from tracker.domain import glucose, vials
from tracker.domain import judgement as judge
from tracker.domain.judgement import Judgement
from tracker.i18n import _
from tracker.services.views.plan import zone_of

# what is read before the period so that its first entries are judged as they were
LOOK_BACK = max(judge.COMBINATION_WINDOW, judge.TOO_MUCH_WINDOW, judge.RECHECK_WINDOW,
                judge.VOMITING_WINDOW)


ALL = "DSGVP"  # doses, symptoms, glucose readings, vials, prescriptions


# the columns judging reads of a dose and of a vial, as the rows carry them
DoseColumns = tuple[int, str, str, datetime | None, datetime, bool, str | None, str | None,
                    int | None]
VialColumns = tuple[int, str | None, str | None, datetime, datetime | None, date | None]


# Each statement is built once with bound parameters: status, Today and every reminder
# judge what stands, and building a statement costs SQLAlchemy more than SQLite takes to
# run it (as in services/views/plan.py).
@cache
def _doses() -> Select[*DoseColumns]:
    return (select(Dose.id, Dose.slot_time, Dose.status, Dose.given_at, Dose.scheduled_at,
                   Dose.extra, Dose.flags, Dose.reason, Dose.vial_id)
            .where(Dose.child_id == bindparam("child_id"), Dose.voided_at.is_(None),
                   Dose.scheduled_at >= bindparam("start"),
                   Dose.scheduled_at <= bindparam("end"))
            .order_by(Dose.scheduled_at, Dose.id))


@cache
def _symptoms() -> Select[int, str, str | None, datetime, int | None]:
    return (select(Symptom.id, Symptom.kind, Symptom.severity, Symptom.occurred_at,
                   Symptom.glucose_id)
            .where(Symptom.child_id == bindparam("child_id"), Symptom.voided_at.is_(None),
                   Symptom.occurred_at >= bindparam("start"),
                   Symptom.occurred_at <= bindparam("hi"))
            .order_by(Symptom.occurred_at, Symptom.id))


@cache
def _readings() -> Select[int, datetime, float, str]:
    return (select(Glucose.id, Glucose.measured_at, Glucose.mg_dl, Glucose.unit)
            .where(Glucose.child_id == bindparam("child_id"), Glucose.voided_at.is_(None),
                   Glucose.measured_at >= bindparam("start"),
                   Glucose.measured_at <= bindparam("hi"))
            .order_by(Glucose.measured_at, Glucose.id))


@cache
def _vials() -> Select[*VialColumns]:
    """The vials the doses were drawn from, and those that ended in the period."""
    return select(Vial.id, Vial.lot, Vial.discard_reason, Vial.opened_at, Vial.closed_at,
                  Vial.expires_on).where(
        Vial.child_id == bindparam("child_id"), Vial.voided_at.is_(None),
        Vial.id.in_(bindparam("ids", expanding=True))
        | ((Vial.closed_at >= bindparam("lo")) & (Vial.closed_at <= bindparam("hi"))))


@cache
def _from_vial() -> Select[int]:
    return (select(Dose.id)
            .where(Dose.vial_id == bindparam("vial_id"), Dose.voided_at.is_(None),
                   Dose.status == "given")
            .order_by(Dose.given_at))


@cache
def _prescriptions() -> Select[int, str | None, datetime]:
    return select(Prescription.id, Prescription.flags, Prescription.created_at).where(
        Prescription.child_id == bindparam("child_id"), Prescription.voided_at.is_(None),
        Prescription.created_at >= bindparam("lo"), Prescription.created_at <= bindparam("hi"))


class _Read(NamedTuple):
    """The rows judging reads of a period: its entries and what stood before them."""

    doses: list[Row[*DoseColumns]]
    symptoms: list[Row[int, str, str | None, datetime, int | None]]
    readings: list[Row[int, datetime, float, str]]
    closed: list[Row[*VialColumns]]  # the doses' vials and those that ended in the period


def period(session: Session, child: Child, lo: datetime, hi: datetime,
           kinds: str = ALL) -> dict[str, Judgement]:
    """Each entry of [lo, hi] (doses, symptoms, readings, vials taken out of use,
    prescriptions) by its reference ("D12"), with its judgement. `kinds`: which of
    them are wanted (a dose alone needs neither symptoms nor readings to be judged)."""
    ask = {"child_id": child.id, "start": lo - LOOK_BACK, "lo": lo, "hi": hi,
           "end": hi + timedelta(days=1)}
    read = _read(session, ask, kinds, doses_from=lo - LOOK_BACK - timedelta(days=1))
    out: dict[str, Judgement] = {}
    dose_judgements = _judge_doses(read, lo, hi, out)
    # the look-backs, as sorted instants searched by bisection: a year is judged in one
    # pass, not by comparing every entry with every other
    given_at = sorted((d.given_at, d.id) for d in read.doses
                      if d.status == "given" and d.given_at is not None)
    too_much = sorted(t for t, i in given_at if "too-much" in dose_judgements[i].keys)
    readings = _judge_readings(read, too_much, lo, hi, out)
    _judge_symptoms(read, given_at, too_much, readings, lo, hi, out)
    _judge_vials(session, read.closed, zone_of(child), lo, hi, out)
    for p in (columns(session, _prescriptions(), ask) if "P" in kinds else ()):
        out[f"P{p.id}"] = judge.prescription(f"P{p.id}", (p.flags or "").splitlines(),
                                             p.created_at)
    return out


def _read(session: Session, ask: dict[str, object], kinds: str, *,
          doses_from: datetime) -> _Read:
    """The rows `kinds` need: doses always (from a day further back), symptoms and
    readings for either of them, vials for doses or vials."""
    # plain rows, read by their column names: the ORM's entities cost more than the rows
    doses = list(columns(session, _doses(), {**ask, "start": doses_from}))
    needs_events = bool(set(kinds) & set("SG"))
    symptoms = list(columns(session, _symptoms(), ask)) if needs_events else []
    readings = list(columns(session, _readings(), ask)) if needs_events else []
    vial_ids = sorted({d.vial_id for d in doses if d.vial_id is not None})
    closed = list(columns(session, _vials(), {**ask, "ids": vial_ids})) \
        if set(kinds) & set("DV") else []
    return _Read(doses, symptoms, readings, closed)


def _counted(at: datetime | None, lo: datetime, hi: datetime) -> bool:
    """Whether an instant is in the period asked (entries before it are only looked back at)."""
    return at is not None and lo <= at <= hi


def _within(times: list[datetime], at: datetime, window: timedelta) -> bool:
    """Whether one of `times` (sorted) is at or before `at`, by at most `window`."""
    i = bisect_right(times, at)
    return i > 0 and at - times[i - 1] <= window


def _judge_doses(read: _Read, lo: datetime, hi: datetime,
                 out: dict[str, Judgement]) -> dict[int, Judgement]:
    """Every dose read judged (those in the period into `out`), by id."""
    by_vial = {v.id: v for v in read.closed}
    judged: dict[int, Judgement] = {}
    for d in read.doses:
        j = _dose(d, by_vial.get(d.vial_id) if d.vial_id else None)
        judged[d.id] = j
        if _counted(d.given_at or d.scheduled_at, lo, hi):
            out[f"D{d.id}"] = j
    return judged


def _judge_readings(read: _Read, too_much: list[datetime], lo: datetime, hi: datetime,
                    out: dict[str, Judgement]) -> dict[int, Judgement]:
    """Every reading judged with the low before it, a vomit and too much insulin
    (those in the period into `out`), by id."""
    vomits = [v.occurred_at for v in read.symptoms if v.kind == "vomiting"]
    lows = [(g.measured_at, g.id, g.mg_dl) for g in read.readings
            if g.mg_dl < glucose.LOW_MGDL]
    judged: dict[int, Judgement] = {}
    for g in read.readings:
        i = bisect_left(lows, (g.measured_at, g.id))  # the lows logged before this one
        before_low = lows[i - 1] if i else None
        low = (before_low[2] if before_low is not None
               and g.measured_at - before_low[0] <= judge.RECHECK_WINDOW else None)
        j = judge.reading(judge.ReadingFacts(
            f"G{g.id}", g.mg_dl, g.unit, g.measured_at, low,
            _within(vomits, g.measured_at, judge.VOMITING_WINDOW),
            _within(too_much, g.measured_at, judge.TOO_MUCH_WINDOW)))
        judged[g.id] = j
        if _counted(g.measured_at, lo, hi):
            out[f"G{g.id}"] = j
    return judged


def _judge_symptoms(read: _Read, given_at: list[tuple[datetime, int]],
                    too_much: list[datetime], readings: dict[int, Judgement], lo: datetime,
                    hi: datetime, out: dict[str, Judgement]) -> None:
    """Each symptom of the period judged with those before it, the last dose and its own
    reading, which then carries the symptom's judgement (one event)."""
    symptoms = read.symptoms
    recent = [judge.Recent(v.kind, v.occurred_at, v.severity) for v in symptoms]
    times = [v.occurred_at for v in symptoms]
    for k, s in enumerate(symptoms):  # in (occurred_at, id) order: those before it first
        if not _counted(s.occurred_at, lo, hi):
            continue
        first = bisect_left(times, s.occurred_at - judge.COMBINATION_WINDOW)
        i = bisect_right(given_at, (s.occurred_at, float("inf")))
        last = given_at[i - 1] if i else None
        reading = readings.get(s.glucose_id) if s.glucose_id else None
        out[f"S{s.id}"] = judge.symptom(judge.SymptomFacts(
            f"S{s.id}", s.kind, s.severity, s.occurred_at, tuple(recent[first:k]),
            s.occurred_at - last[0] if last is not None else None,
            f"D{last[1]}" if last is not None else "", reading,
            _within(too_much, s.occurred_at, judge.TOO_MUCH_WINDOW)))
        if s.glucose_id and f"G{s.glucose_id}" in out:
            out[f"G{s.glucose_id}"] = out[f"S{s.id}"]  # one event: the reading and its sign


def _judge_vials(session: Session, closed: list[Row[*VialColumns]], zone: ZoneInfo,
                 lo: datetime, hi: datetime, out: dict[str, Judgement]) -> None:
    """Each vial taken out of use in the period, with the doses drawn from it."""
    for v in closed:
        if not _counted(v.closed_at, lo, hi) or v.closed_at is None:
            continue
        from_it = tuple(f"D{i}" for i in columns(session, _from_vial(),
                                                 {"vial_id": v.id}).scalars())
        limit = vials.discard_at(v.opened_at, v.expires_on, zone)
        ended = vials.ended(v.discard_reason, v.closed_at, limit) or ""
        # a vial that ran past its day: the doses drawn after it carry their own flag
        key = vials.reason_key(v.discard_reason) if v.discard_reason else "finished"
        out[f"V{v.id}"] = judge.vial_discarded(_vial_name(v), key, ended, from_it,
                                               v.closed_at)


def _vial_name(v: Row[*VialColumns]) -> str:
    if v.lot:
        # TRANSLATORS: a vial and its lot number: "V3 (lot AB123)"
        return _("{vial} (lot {lot})").format(vial=f"V{v.id}", lot=v.lot)
    return f"V{v.id}"


def _dose(d: Row[*DoseColumns], vial: Row[*VialColumns] | None) -> Judgement:
    return judge.recorded_dose(f"D{d.id}", d.slot_time, d.status, d.given_at,
                               d.scheduled_at, d.extra, d.flags, d.reason, vial_of(vial))


def vial_of(vial: Row[*VialColumns] | None) -> tuple[str, str | None] | None:
    """A vial as a dose's judgement reads it: its name and its discard reason."""
    return None if vial is None else (_vial_name(vial), vial.discard_reason)


# what judging an entry of each kind reads: a reading looks back at symptoms and doses
NEEDS = {"D": "D", "S": "DSG", "G": "DSG", "V": "V", "P": "P"}


def of(session: Session, child: Child, ref: str, at: datetime) -> Judgement:
    """The judgement of one entry, as every reader of the period sees it."""
    return period(session, child, at, at, NEEDS[ref[:1]])[ref]


def standing(session: Session, child: Child, now: datetime) -> list[Judgement]:
    """What still stands beside the next dose (status, Today, the reminders), most urgent
    first: each judgement of the last days whose time has not run out."""
    found = period(session, child, now - judge.OPEN_WINDOW, now)
    return judge.most_urgent_first(
        [j for j in found.values() if (until := j.until()) is not None and until > now])


def hold_reasons(standing: Iterable[Judgement]) -> list[str]:
    """Why to ask the doctor before the next dose, from what stands."""
    return list(dict.fromkeys(w for j in standing for w in j.held_for))
