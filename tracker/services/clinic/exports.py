"""One export of the log for a period, whichever front asks for it (the command line's
`export`, the household page's downloads): the period's defaults, the header and the
records of each kind, written to a text stream."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO, cast

from tracker.i18n import _, formats, ngettext

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlalchemy.orm import Session

    from tracker.db.models import Child
    from tracker.domain.judgement import Judgement
    from tracker.exports.tabular import Record

FORMATS = ("csv", "xlsx", "json", "fhir", "ics")
BINARY = ("xlsx",)  # written as bytes, to a file
KINDS = ("doses", "symptoms", "glucose", "growth")
class Written(NamedTuple):
    """What an export wrote, counted as it was written."""

    fmt: str
    what: str
    rows: int  # records: resources for FHIR, 0 for the calendar
    extra: int = 0  # of the dose rows, extra injections: a row each, not a slot of their own

    def said(self, where: object) -> str:
        """ "Wrote 41 dose slots and 1 extra injection to FILE": as the file holds them."""
        if self.fmt == "ics":
            return _("Wrote the dose schedule to {where}").format(where=where)
        if self.fmt == "fhir":
            return ngettext("Wrote a FHIR Bundle of {n} resource to {where}",
                            "Wrote a FHIR Bundle of {n} resources to {where}",
                            self.rows).format(n=_count(self.rows), where=where)
        if self.what == "doses" and self.extra:
            # TRANSLATORS: {rows}: "41 dose slots"; {extra}: "1 extra injection"
            return _("Wrote {rows} and {extra} to {where}").format(
                        rows=rows_said("doses", self.rows - self.extra),
                        extra=ngettext("{n} extra injection", "{n} extra injections",
                                       self.extra).format(n=_count(self.extra)), where=where)
        return _("Wrote {rows} to {where}").format(rows=rows_said(self.what, self.rows),
                                                   where=where)


def _count(n: int) -> str:
    return formats.decimal(f"{n:,}")


def rows_said(what: str, n: int) -> str:
    """What n rows of an export are, for a person: "41 dose slots", "1 side effect"."""
    if what == "doses":
        said = ngettext("{n} dose slot", "{n} dose slots", n)
    elif what == "symptoms":
        said = ngettext("{n} side effect", "{n} side effects", n)
    elif what == "glucose":
        said = ngettext("{n} blood sugar check", "{n} blood sugar checks", n)
    else:
        said = ngettext("{n} measurement", "{n} measurements", n)
    return said.format(n=_count(n))


def _judged(session: Session, child: Child, start: date, end: date,
            zone: ZoneInfo) -> dict[str, Judgement]:
    """Every entry's judgement in the period (the spreadsheet's judgement column)."""
    from tracker.domain import schedule
    from tracker.services.views import judged

    lo, hi = schedule.day_bounds(start, end, zone)
    return judged.period(session, child, lo, hi - timedelta(microseconds=1))


def period(child: Child, from_text: str | None, to_text: str | None,
           now: datetime) -> tuple[date, date]:
    """The days exported: --from/--to in the child's zone, 90 days to today by default."""
    from tracker.domain.timeparse import parse_period
    from tracker.services.views import plan

    zone = plan.zone_of(child)
    today = now.astimezone(zone).date()
    return parse_period(from_text, to_text, today, end=today,
                        start=lambda end: end - timedelta(days=89), zone=zone)


class _Rows(NamedTuple):
    """What one kind of record is written as: its fields, which of them are free text
    (neutralised in a spreadsheet) and the records themselves, streamed."""

    fields: tuple[str, ...]
    text_columns: tuple[int, ...]
    records: Iterator[Record]


def write(
    session: Session,
    child: Child,
    fmt: str,
    what: str,
    start: date,
    end: date,
    now: datetime,
    out: IO[Any],  # text or bytes, by the format (BINARY)
    *,
    bom: bool,
    progress: Callable[[Iterator[Record]], Iterator[Record]] | None = None,
    tmpdir: Path | None = None,
) -> Written:
    """Write the export to `out`: how many records (resources for FHIR; 0 for ics).

    Files for programs (CSV, JSON, FHIR) are the same in every language, judgements
    included, whoever asks (the command line, the page): a clinic's import never meets a
    translated word. The workbook and the calendar are read by people: in their language.
    """
    with _language_for(fmt):
        return _write(session, child, fmt, what, start, end, now, out, bom=bom,
                      progress=progress, tmpdir=tmpdir)


MACHINE = frozenset({"csv", "json", "fhir"})


def _language_for(fmt: str) -> AbstractContextManager[object]:
    from contextlib import nullcontext

    from tracker import i18n

    return i18n.speaking(i18n.ENGLISH) if fmt in MACHINE else nullcontext()


def _write(session: Session, child: Child, fmt: str, what: str, start: date, end: date,
           now: datetime, out: IO[Any], *, bom: bool,
           progress: Callable[[Iterator[Record]], Iterator[Record]] | None = None,
           tmpdir: Path | None = None) -> Written:
    from tracker.exports import tabular
    from tracker.services.views import plan

    zone = plan.zone_of(child)
    text = cast(TextIO, out)  # every format but the binary ones writes text
    if fmt == "ics":
        from tracker.exports.ics import calendar

        out.write(calendar(child, now, plan.with_weights(session, child)).decode("utf-8"))
        return Written(fmt, what, 0)
    if fmt == "fhir":
        return Written(fmt, what, _fhir(session, child, text, start, end, now, zone))
    extras = [0]  # extra injections among the dose rows, counted as written
    found = _rows(session, child, what, start, end, now, zone, extras, progress)
    if fmt == "csv":
        return Written(fmt, what, tabular.write_csv(text, found.fields, found.text_columns,
                                                    found.records, bom=bom), extras[0])
    if fmt == "xlsx":
        return Written(fmt, what, _workbook(child, what, start, end, now, zone, out, found,
                                            tmpdir), extras[0])
    header = {"child": child.name, "timezone": zone.key, "from": start.isoformat(),
              "to": end.isoformat(), "generated": now.astimezone(zone).isoformat()}
    return Written(fmt, what, tabular.write_json(text, header, what, found.fields,
                                                 found.records), extras[0])


def _fhir(session: Session, child: Child, text: TextIO, start: date, end: date,
          now: datetime, zone: ZoneInfo) -> int:
    """The period as a FHIR Bundle, the prescription in force at its end named current:
    how many resources."""
    from tracker.domain import schedule
    from tracker.exports import fhir
    from tracker.services.views import plan

    hi = schedule.day_bounds(start, end, zone)[1]
    current = plan.plan_at(session, child, min(now, hi)).prescription.id
    return fhir.write_bundle(
        text, now, zone, fhir.entries(session, child, zone, start, end, now, current))


def _rows(session: Session, child: Child, what: str, start: date, end: date, now: datetime,
          zone: ZoneInfo, extras: list[int],
          progress: Callable[[Iterator[Record]], Iterator[Record]] | None) -> _Rows:
    """The records of one kind (doses, symptoms, glucose, growth) in the period, each
    with its judgement where it has one; extra injections counted into `extras`."""
    from tracker.exports import rows, tabular

    if what == "doses":
        records = tabular.dose_records(session, child, start, end, now, zone, extras)
        if progress is not None:
            records = progress(records)
        return _Rows(tabular.DOSE_FIELDS, tabular.DOSE_TEXT, records)
    if what == "symptoms":
        found = list(rows.symptoms(session, child, start, end))
        ids = [s.dose_id for s in found if s.dose_id is not None]
        given = rows.given_times(session, ids)
        judgements = _judged(session, child, start, end, zone)
        return _Rows(tabular.SYMPTOM_FIELDS, tabular.SYMPTOM_TEXT,
                     (tabular.symptom_record(s, zone, given, judgements) for s in found))
    if what == "glucose":
        judgements = _judged(session, child, start, end, zone)
        return _Rows(tabular.GLUCOSE_FIELDS, tabular.GLUCOSE_TEXT,
                     (tabular.glucose_record(g, zone, judgements)
                      for g in rows.glucose_checks(session, child, start, end)))
    return _Rows(tabular.GROWTH_FIELDS, tabular.GROWTH_TEXT,
                 (tabular.growth_record(m) for m in rows.measurements(session, child,
                                                                     start, end)))


def _workbook(child: Child, what: str, start: date, end: date, now: datetime,
              zone: ZoneInfo, out: IO[bytes], found: _Rows, tmpdir: Path | None) -> int:
    """The records as a workbook, with a sheet saying what they are: from the treatment
    start when the period asked began before it (nothing counts before it), unless a
    record (a measurement, a symptom) is older."""
    from tracker import __version__
    from tracker.exports.xlsx import write_workbook
    from tracker.services.views.treatment import start_day

    begun = start_day(child)
    first: list[date] = []  # the earliest record's day, seen as they are written

    def seen(records: Iterator[Record]) -> Iterator[Record]:
        earliest = "9999"
        for record in records:
            day = str(record[0])[:10] if record[0] else None  # each record's instant
            if day and day < earliest:
                earliest = day
                first[:] = [date.fromisoformat(earliest)]
            yield record

    def about() -> dict[str, str | date | datetime]:
        shown = max(start, min([begun, *first]))
        return {"child": child.name, "timezone": zone.key, "treatment start": begun,
                "from": shown, "to": end, "generated": now.astimezone(zone),
                # the values a person reads (the keys stay as they are)
                "times": _("local time in {zone}").format(zone=zone.key),
                "made by": _("tracker {version} (a family's record, not medical "
                             "advice)").format(version=__version__)}

    return write_workbook(out, what, found.fields, seen(found.records), about, tmpdir=tmpdir)
