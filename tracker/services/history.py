"""The log read back: doses, symptoms, glucose, measurements and prescriptions together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.models import (
    Child,
    Dose,
    Entry,
    Glucose,
    Measurement,
    Prescription,
    Revision,
    StockChange,
    Symptom,
    Vial,
)
from tracker.domain import dosing, glucose, schedule
from tracker.domain.text import isolate as text_isolate
from tracker.services.plan import zone_of

PREFIX: dict[type[Entry], str] = {
    Dose: "D",
    Symptom: "S",
    Glucose: "G",
    Measurement: "M",
    Prescription: "P",
    Vial: "V",
    StockChange: "K",
}


def ref(entry: Entry) -> str:
    return f"{PREFIX[type(entry)]}{entry.id}"


@dataclass
class Item:
    ref: str
    kind: str
    when: datetime
    summary: str
    voided: bool
    edited: bool
    fields: dict[str, Any]

    def to_json(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "id": self.ref or None,  # a missed slot has no entry
            "kind": self.kind,
            "at": self.when.astimezone(zone).isoformat(),
            "summary": self.summary,
            "voided": self.voided,
            "edited": self.edited,
            **self.fields,
        }


def _iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    return at.astimezone(zone).isoformat() if at else None


def _clock_note(dose: Dose, zone: ZoneInfo) -> str:
    """The clocks' note on a dose's slot the night they changed ("" on other days, and
    after a trip, when the slot was placed in another zone)."""
    at = time.fromisoformat(dose.slot_time)
    if schedule.localize(dose.slot_date, at, zone) != dose.scheduled_at:
        return ""
    return schedule.clock_note(schedule.clock_change(dose.slot_date, at, zone))


def describe(entry: Entry, zone: ZoneInfo) -> tuple[str, datetime, str, dict[str, Any]]:
    """(kind, when, one-line summary, fields for JSON) of any entry."""
    if isinstance(entry, Dose):
        slot, note = f"{entry.slot_time} slot", _clock_note(entry, zone)
        if entry.status == "withheld":
            return (
                "withheld",
                entry.scheduled_at,
                f"withheld {slot}{f' ({note})' if note else ''}: "
                f"{text_isolate(entry.reason or '')}",
                {
                    "slot": _iso(entry.scheduled_at, zone),
                    "reason": entry.reason,
                    "given_by": entry.given_by,
                },
            )
        assert entry.given_at is not None and entry.dose_mg is not None
        late = round((entry.given_at - entry.scheduled_at).total_seconds() / 60)
        amount = f"{dosing.format_mg(entry.dose_mg)} mg"
        text = (f"given {amount} ({slot}, {late:+d} min{f'; {note}' if note else ''}) "
                f"{entry.site or 'site not recorded'}")
        text += f" by {entry.given_by}" if entry.given_by else ""
        if entry.extra:
            text += f" [extra dose: {text_isolate(entry.force_reason or '')}]"
        elif entry.force_reason:
            text += f" [reason: {text_isolate(entry.force_reason)}]"
        if entry.flags:
            text += f" FLAGGED: {'; '.join(entry.flags.splitlines())}"
        return (
            "dose",
            entry.given_at,
            text,
            {
                "slot": _iso(entry.scheduled_at, zone),
                "given_at": _iso(entry.given_at, zone),
                "minutes_late": late,
                "dose_mg": entry.dose_mg,
                "dose_ml": entry.volume_ml,
                "syringe_units": _units(entry.volume_ml),
                "site": entry.site,
                "given_by": entry.given_by,
                "meal": entry.meal,
                "extra": entry.extra,
                "force_reason": entry.force_reason,
                "flags": _lines(entry.flags),
            },
        )
    if isinstance(entry, Symptom):
        text = entry.kind + (f" ({entry.severity})" if entry.severity else "")
        text += f", after D{entry.dose_id}" if entry.dose_id else ""
        return (
            "symptom",
            entry.occurred_at,
            text,
            {
                "symptom": entry.kind,
                "severity": entry.severity,
                "dose": f"D{entry.dose_id}" if entry.dose_id else None,
                "glucose": f"G{entry.glucose_id}" if entry.glucose_id else None,
            },
        )
    if isinstance(entry, Glucose):
        text = f"blood sugar {glucose.format_value(entry.mg_dl, entry.unit)}"
        text += " before a meal" if entry.before_meal else ""
        text += f" ({glucose.word(entry.mg_dl)})"
        return (
            "glucose",
            entry.measured_at,
            text,
            {
                "mg_dl": round(entry.mg_dl, 1),
                "value": round(glucose.from_mgdl(entry.mg_dl, entry.unit), 2),
                "unit": entry.unit,
                "before_meal": entry.before_meal,
                "low": glucose.level(entry.mg_dl),
                "word": glucose.word(entry.mg_dl),
            },
        )
    if isinstance(entry, Measurement):
        parts = []
        if entry.weight_kg is not None:
            parts.append(f"weight {entry.weight_kg:g} kg")
        if entry.height_cm is not None:
            parts.append(f"height {entry.height_cm:g} cm")
        when = schedule.localize(entry.measured_on, time(0), zone)
        return (
            "measurement",
            when,
            ", ".join(parts),
            {
                "on": entry.measured_on.isoformat(),
                "weight_kg": entry.weight_kg,
                "height_cm": entry.height_cm,
            },
        )
    if isinstance(entry, Vial):
        parts = [f"lot {entry.lot}"] if entry.lot else []
        if entry.expires_on:
            parts.append(f"expires {entry.expires_on}")
        summary = "opened a vial" + (f" ({', '.join(parts)})" if parts else "")
        if entry.discard_reason and entry.closed_at is not None:
            summary += (f"; discarded {entry.closed_at.astimezone(zone):%d %b %H:%M} "
                        f"({text_isolate(entry.discard_reason)})")
        elif entry.closed_at is not None:
            from tracker.domain.vials import discard_at, ended

            why = ended(None, entry.closed_at, discard_at(entry.opened_at, entry.expires_on,
                                                          zone))
            summary += f"; {why} {entry.closed_at.astimezone(zone):%d %b %H:%M}"
        return (
            "vial",
            entry.opened_at,
            summary,
            {
                "lot": entry.lot,
                "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
                "volume_ml": entry.volume_ml,
                "closed_at": _iso(entry.closed_at, zone),
                "discard_reason": entry.discard_reason,
            },
        )
    if isinstance(entry, StockChange):
        if entry.set_to is not None:
            summary = f"counted {entry.set_to} unopened vials"
        elif entry.change < 0:
            summary = "took a vial from the stock"
        else:
            summary = f"added {entry.change} vials to the stock"
        return ("stock", entry.at, summary, {"change": entry.change, "set_to": entry.set_to})
    assert isinstance(entry, Prescription)
    dose = (
        f"{entry.dose_mg_per_kg:g} mg/kg"
        if entry.dose_mg_per_kg is not None
        else f"{dosing.format_mg(entry.dose_mg or 0)} mg"
    )
    text = f"prescription {dose} at {entry.times}"
    if entry.dose_mg_per_kg is not None and entry.weight_kg is not None:
        text += f" (for {entry.weight_kg:g} kg)"
    if entry.force_reason:
        text += f" [reason: {entry.force_reason}]"
    if entry.flags:
        text += f" FLAGGED: {'; '.join(entry.flags.splitlines())}"
    return (
        "prescription",
        entry.starts_at,
        text,
        {
            "dose_mg_per_kg": entry.dose_mg_per_kg,
            "dose_mg": entry.dose_mg,
            "prescribed_for_kg": entry.weight_kg,
            "times": entry.times,
            "concentration_mg_per_ml": entry.concentration_mg_per_ml,
            "force_reason": entry.force_reason,
            "flags": _lines(entry.flags),
        },
    )


def _units(ml: float | None) -> float | None:
    """U-100 syringe units of a volume, as drawn (8.5, not 8.4999999)."""
    return None if ml is None else round(ml * 100, 2)


def _lines(text: str | None) -> list[str]:
    return text.splitlines() if text else []


DEFAULT_DAYS = 30


def default_start(last: date) -> date:
    """The first day shown when none is asked for: the last 30 days up to `last`, or
    the beginning of the calendar for a period that ends near it (--to 0001-01-01)."""
    return last - timedelta(days=min(DEFAULT_DAYS - 1, (last - date.min).days))


def shown_start(child: Child, start: date | None, items: list[Item]) -> date | None:
    """The first day of a period as said to a person: no earlier than the treatment
    start (nothing counts before it) when the period asked began before it, unless an
    entry shown (a measurement, a symptom) is older."""
    if start is None:
        return None
    from tracker.services.treatment import start_day

    zone = zone_of(child)
    first = min([start_day(child), *(i.when.astimezone(zone).date() for i in items)])
    return max(start, first)


def history(
    session: Session,
    child: Child,
    *,
    start: date | None,
    end: date | None,
    include_void: bool = False,
    now: datetime | None = None,
) -> list[Item]:
    """Entries from `start` to `end` (inclusive local dates), newest first.

    Given `now`, every slot whose window closed with nothing logged is a line too
    ("missed, nothing logged"): a count or a red cell alone hides which dose it was.
    """
    zone = zone_of(child)
    lo = schedule.day_bounds(start, start, zone)[0] if start else None
    hi = schedule.day_bounds(end, end, zone)[1] if end else None
    columns = (
        (Dose, Dose.scheduled_at),
        (Symptom, Symptom.occurred_at),
        (Glucose, Glucose.measured_at),
        (Prescription, Prescription.starts_at),
        (Vial, Vial.opened_at),
        (StockChange, StockChange.at),
    )
    entries: list[Entry] = []
    for model, column in columns:
        q = select(model).where(model.child_id == child.id)
        if lo is not None:
            q = q.where(column >= lo - timedelta(hours=12))
        if hi is not None:
            q = q.where(column < hi + timedelta(hours=12))
        entries += session.scalars(q)
    q = select(Measurement).where(Measurement.child_id == child.id)
    if start:
        q = q.where(Measurement.measured_on >= start)
    if end:
        q = q.where(Measurement.measured_on <= end)
    entries += session.scalars(q)
    edited = _edited_refs(session)
    items = []
    for e in entries:
        if e.voided_at is not None and not include_void:
            continue
        kind, when, summary, fields = describe(e, zone)
        if (lo and when < lo) or (hi and when >= hi):
            continue
        fields.update(note=e.note, created_by=e.created_by)
        items.append(
            Item(
                ref=ref(e),
                kind=kind,
                when=when,
                summary=summary,
                voided=e.voided_at is not None,
                edited=ref(e) in edited,
                fields=fields,
            )
        )
    _judged(session, child, items)
    if now is not None:
        items += missed(session, child, start, end, now)
    items.sort(key=lambda i: (i.when, i.ref), reverse=True)
    return items


def _judged(session: Session, child: Child, items: list[Item]) -> None:
    """Each entry with its judgement (tracker.services.judged), as it was said when it
    was logged and as status, the report and the spreadsheet say it."""
    from tracker.services import judged

    live = [i for i in items if not i.voided]
    if not live:
        return
    found = judged.period(session, child, min(i.when for i in live) - timedelta(days=1),
                          max(i.when for i in live) + timedelta(days=1))
    for item in live:
        j = found.get(item.ref)
        if j is None or not j.tag:
            continue
        item.summary += f" [{j.tag}: {j.what}]"
        item.fields["judgement"] = {"level": j.level, "what": j.what, "steps": list(j.steps)}


def missed(
    session: Session, child: Child, start: date | None, end: date | None, now: datetime
) -> list[Item]:
    """The slots from `start` to `end` whose window closed with nothing logged."""
    from tracker.exports.rows import walk
    from tracker.services.treatment import start_day

    zone = zone_of(child)
    today = now.astimezone(zone).date()
    lo = max(start or date.min, start_day(child))
    hi = min(end or today, today)
    if lo > hi:
        return []
    items = []
    for _ts, iso, status, _, day, label in walk(session, child, lo, hi, now, columns=()):
        if status != "missed":
            continue
        at = datetime.fromisoformat(iso)
        name = schedule.slot_name(date.fromisoformat(day), time.fromisoformat(label), zone)
        items.append(
            Item(
                ref="",
                kind="missed",
                when=at,
                summary=f"missed {name} slot, nothing logged",
                voided=False,
                edited=False,
                fields={"slot": iso, "note": None, "created_by": None},
            )
        )
    return items


def _edited_refs(session: Session) -> set[str]:
    prefix = {m.__tablename__: p for m, p in PREFIX.items()}
    # corrected: edited (an undo or its reversal is said as such, not as a correction)
    rows = session.execute(select(Revision.entity, Revision.entity_id)
                           .where(Revision.action == "edit").distinct())
    return {f"{prefix[entity]}{entity_id}" for entity, entity_id in rows if entity in prefix}


PAGE = 40  # entries a page of the history shows at least (whole days)
WINDOW = 31  # days read at a time, newest first, until a page is full


def newest_page(session: Session, child: Child, start: date, end: date, undone: bool,
                now: datetime) -> tuple[list[Item], date | None]:
    """The newest entries of a period, a page at a time: windows of days read newest
    first until the page is full (whole days, so a day is never split between pages).
    Returns the entries and the last day of the next page, None when none is left."""
    items: list[Item] = []
    hi = end
    while hi >= start and len(items) < PAGE:
        lo = max(start, hi - timedelta(days=WINDOW - 1))
        items += history(session, child, start=lo, end=hi, include_void=undone, now=now)
        hi = lo - timedelta(days=1)
    return items, (hi if hi >= start else None)
