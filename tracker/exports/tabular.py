"""CSV and JSON exports: one row per dose slot (or per symptom), times in ISO 8601 with the
child's offset. CSV text cells that a spreadsheet would read as a formula are neutralised.

Files for programs: their column names, values and numbers are the same in every language
(written in English, whatever language is spoken; the spreadsheet, tracker.exports.xlsx,
is the one for people).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from tracker import i18n
from tracker.db.models import Dose, Glucose, Measurement, Symptom
from tracker.db.types import epoch_seconds
from tracker.domain.judgement import Judgement, recorded_dose
from tracker.domain.schedule import DUE_BEFORE
from tracker.exports.rows import ENTRY_DETAILS, walk
from tracker.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Child

DOSE_FIELDS: tuple[str, ...] = (
    "scheduled",
    "status",
    "given_at",
    "minutes_late",
    "dose_mg",
    "dose_ml",  # as drawn: the 0.085 mL of 8.5 units
    "syringe_units",
    "prescribed_mg",
    "site",
    "given_by",
    "reason",
    "note",
    "override_reason",
    "flags",
    "judgement",  # how urgent, and what happened: the same words as every other reader
    "vial_lot",
    "entry",
)
GLUCOSE_FIELDS: tuple[str, ...] = (
    "measured_at",
    "value",
    "unit",
    "mg_dl",
    "before_meal",
    "level",  # one word: very low, low, in range, high, very high
    "judgement",
    "note",
    "entry",
)
GROWTH_FIELDS: tuple[str, ...] = ("measured_on", "weight_kg", "height_cm", "note", "entry")
SYMPTOM_FIELDS: tuple[str, ...] = (
    "occurred_at",
    "symptom",
    "severity",
    "dose_entry",
    "minutes_after_dose",
    "judgement",
    "note",
    "entry",
)
# Columns holding free text, the only ones that could start a formula: times are ISO,
# numbers are numbers, and statuses and symptom kinds come from fixed lists.
DOSE_TEXT = tuple(
    DOSE_FIELDS.index(f)
    for f in ("site", "given_by", "reason", "note", "override_reason", "flags", "judgement",
              "vial_lot")
)
GLUCOSE_TEXT = (GLUCOSE_FIELDS.index("judgement"), GLUCOSE_FIELDS.index("note"))
GROWTH_TEXT = (GROWTH_FIELDS.index("note"),)
SYMPTOM_TEXT = tuple(SYMPTOM_FIELDS.index(f) for f in ("severity", "judgement", "note"))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(_FORMULA_START)

Cell = str | int | float | None  # one value of a record (a bool is an int)
Record = tuple[Cell, ...]  # values in the order of DOSE_FIELDS or SYMPTOM_FIELDS


def _utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def safe_cell(value: Cell) -> Cell:
    """Text that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    """Whole seconds, like the dose times (a clinic has no use for microseconds)."""
    return at.astimezone(zone).replace(microsecond=0).isoformat() if at else None


# What the dose table reads of each entry, besides its instant and status: the time given
# as an integer too, like the scheduled one.
_TABLE_COLUMNS = (Dose.id, epoch_seconds(Dose.given_at).label("given_ts"), *ENTRY_DETAILS)


def dose_records(
    session: Session, child: Child, start: date, end: date, now: datetime, zone: ZoneInfo,
    extras: list[int] | None = None,
) -> Iterator[Record]:
    """One record per slot, and one per extra injection (counted in `extras[0]` as it is
    written, so that what is said of the file is what it holds). Tuples, not dicts: a
    clinic-sized export builds a million."""
    from sqlalchemy import select

    from tracker.db.models import Prescription, Vial
    from tracker.domain.prescription import mg_of

    prescribed = {
        rx.id: round(mg_of(rx, rx.weight_kg), 4)
        for rx in session.scalars(
            select(Prescription).where(
                Prescription.child_id == child.id,
                (Prescription.dose_mg.is_not(None)) | (Prescription.weight_kg.is_not(None)),
            )
        )
    }
    lots = dict(session.execute(select(Vial.id, Vial.lot).where(Vial.child_id == child.id)).all())
    # a discarded vial as its judgement names it: "V3 (lot AB12)"
    discarded = {i: (_("{vial} (lot {lot})").format(vial=f"V{i}", lot=lot) if lot else f"V{i}",
                     why)
                 for i, lot, why in session.execute(
                     select(Vial.id, Vial.lot, Vial.discard_reason).where(
                         Vial.child_id == child.id, Vial.discard_reason.is_not(None)))}
    early = int(DUE_BEFORE.total_seconds())
    local = datetime.fromtimestamp
    empty = (None,) * (len(DOSE_FIELDS) - 2)
    # entry rows: ts, status, extra, day, slot_time, then _TABLE_COLUMNS from position 5
    for ts, scheduled, status, e, _day, _time in walk(session, child, start, end, now,
                                                      _TABLE_COLUMNS):
        if e is None:
            yield (scheduled, status, *empty)
            continue
        if e[2] and extras is not None:
            extras[0] += 1
        given = e[6] if status == "given" else None
        mg, ml = e[7], e[8]
        yield (
            scheduled,
            status,
            None if given is None else local(given, zone).isoformat(),
            None if given is None else round((given - ts) / 60),
            None if mg is None else round(mg, 4),
            None if ml is None else round(ml, 4),
            None if ml is None else round(ml * 100, 2),
            prescribed.get(e[15]) if status == "given" else None,
            *e[9:14],  # site, given by, reason, note, override reason
            None if e[14] is None else "; ".join(e[14].splitlines()),  # flags
            # judged only when something may be wrong: a million routine rows stay cheap
            recorded_dose(f"D{e[5]}", e[4], status, None if given is None else _utc(given),
                          _utc(ts), bool(e[2]), e[14], e[11], discarded.get(e[16])).flag()
            if e[14] or e[2] or e[16] in discarded or (given is not None and given < ts - early)
            else None,
            lots.get(e[16]),
            f"D{e[5]}",
        )


def glucose_record(g: Glucose, zone: ZoneInfo, found: dict[str, Judgement]) -> Record:
    from tracker.domain import glucose

    return (
        _iso(g.measured_at, zone),
        round(glucose.from_mgdl(g.mg_dl, g.unit), 2 if g.unit == "mmol/L" else 1),
        g.unit,
        round(g.mg_dl, 1),
        g.before_meal,
        glucose.word(g.mg_dl),
        _flag(found, f"G{g.id}"),
        g.note,
        f"G{g.id}",
    )


def growth_record(m: Measurement) -> Record:
    return (m.measured_on.isoformat(), m.weight_kg, m.height_cm, m.note, f"M{m.id}")


def _flag(found: dict[str, Judgement], ref: str) -> str | None:
    j = found.get(ref)
    return (j.flag() or None) if j is not None else None


def symptom_record(s: Symptom, zone: ZoneInfo, dose_times: dict[int, datetime],
                   found: dict[str, Judgement]) -> Record:
    after = None
    if s.dose_id is not None and s.dose_id in dose_times:
        after = round((s.occurred_at - dose_times[s.dose_id]).total_seconds() / 60)
    return (
        _iso(s.occurred_at, zone),
        s.kind,
        s.severity,
        f"D{s.dose_id}" if s.dose_id else None,
        after,
        _flag(found, f"S{s.id}"),
        s.note,
        f"S{s.id}",
    )


def write_csv(
    out: TextIO,
    fields: tuple[str, ...],
    text: tuple[int, ...],
    records: Iterable[Record],
    *,
    bom: bool = False,
) -> int:
    """Rows to CSV (None as an empty cell), neutralising formula-like text in `text` columns.

    `bom`: a UTF-8 byte-order mark first, which Excel needs to read a double-clicked file as
    UTF-8 (without it, Hebrew, Arabic or Chinese names come out as mojibake); LibreOffice,
    Numbers and Python's csv module (encoding="utf-8-sig") read it either way.
    """
    with i18n.speaking(i18n.ENGLISH):  # the same file in every language
        return _write_csv(out, fields, text, records, bom)


def _write_csv(out: TextIO, fields: tuple[str, ...], text: tuple[int, ...],
               records: Iterable[Record], bom: bool) -> int:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    write = writer.writerow
    # itemgetter of one index gives the value itself, of several a tuple: always a tuple
    pick = itemgetter(*text) if len(text) > 1 else (lambda r: (r[text[0]],))
    n = 0
    for record in records:
        # first characters of the text cells (None when empty), checked in one go
        if not _FORMULA_CHARS.isdisjoint([v[:1] for v in pick(record) if v]):
            record = tuple(safe_cell(v) if i in text else v for i, v in enumerate(record))
        write(record)
        n += 1
    return n


def write_json(
    out: TextIO,
    header: Mapping[str, object],  # written whole by json.dumps
    key: str,
    fields: tuple[str, ...],
    records: Iterator[Record],
) -> int:
    """A JSON object whose `key` array is streamed record by record (the same in every
    language)."""
    with i18n.speaking(i18n.ENGLISH):
        return _write_json(out, header, key, fields, records)


def _write_json(out: TextIO, header: Mapping[str, object], key: str,
                fields: tuple[str, ...], records: Iterator[Record]) -> int:
    head = json.dumps(header, ensure_ascii=False, indent=2)
    out.write(head[:-2] + f',\n  "{key}": [')
    n = 0
    for record in records:
        text = json.dumps(dict(zip(fields, record, strict=True)), ensure_ascii=False)
        out.write(("," if n else "") + "\n    " + text)
        n += 1
    out.write("\n  ]\n}\n")
    return n
