"""CSV and JSON exports: one row per dose slot (or per symptom), times in ISO 8601 with the
child's offset. CSV text cells that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from tracker.db.models import Symptom
from tracker.exports.rows import SlotRow

DOSE_FIELDS: tuple[str, ...] = (
    "scheduled",
    "status",
    "given_at",
    "minutes_late",
    "dose_mg",
    "dose_ml",
    "site",
    "given_by",
    "reason",
    "note",
    "entry",
)
SYMPTOM_FIELDS: tuple[str, ...] = (
    "occurred_at",
    "symptom",
    "severity",
    "dose_entry",
    "minutes_after_dose",
    "note",
    "entry",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    return at.astimezone(zone).isoformat() if at else None


def dose_record(row: SlotRow, zone: ZoneInfo) -> dict[str, Any]:
    e = row.entry
    given = e.given_at if e is not None and e.status == "given" else None
    return {
        "scheduled": _iso(row.scheduled, zone),
        "status": row.status,
        "given_at": _iso(given, zone),
        "minutes_late": round((given - row.scheduled).total_seconds() / 60) if given else None,
        "dose_mg": round(e.dose_mg, 4) if e is not None and e.dose_mg is not None else None,
        "dose_ml": round(e.volume_ml, 4) if e is not None and e.volume_ml is not None else None,
        "site": e.site if e else None,
        "given_by": e.given_by if e else None,
        "reason": e.reason if e else None,
        "note": e.note if e else None,
        "entry": f"D{e.id}" if e else None,
    }


def symptom_record(s: Symptom, zone: ZoneInfo, dose_times: dict[int, datetime]) -> dict[str, Any]:
    after = None
    if s.dose_id is not None and s.dose_id in dose_times:
        after = round((s.occurred_at - dose_times[s.dose_id]).total_seconds() / 60)
    return {
        "occurred_at": _iso(s.occurred_at, zone),
        "symptom": s.kind,
        "severity": s.severity,
        "dose_entry": f"D{s.dose_id}" if s.dose_id else None,
        "minutes_after_dose": after,
        "note": s.note,
        "entry": f"S{s.id}",
    }


def write_csv(out: TextIO, fields: tuple[str, ...], records: Iterable[dict[str, Any]]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    n = 0
    for record in records:
        writer.writerow(["" if record[f] is None else safe_cell(record[f]) for f in fields])
        n += 1
    return n


def write_json(
    out: TextIO, header: dict[str, Any], key: str, records: Iterator[dict[str, Any]]
) -> int:
    """A JSON object whose `key` array is streamed record by record."""
    head = json.dumps(header, ensure_ascii=False, indent=2)
    out.write(head[:-2] + f',\n  "{key}": [')
    n = 0
    for record in records:
        out.write(("," if n else "") + "\n    " + json.dumps(record, ensure_ascii=False))
        n += 1
    out.write("\n  ]\n}\n")
    return n
