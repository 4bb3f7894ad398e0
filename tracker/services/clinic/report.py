"""The clinic report: which period it covers, its full log, and writing it.

The command line only names the file and prints the result; the period's rules (since
the last report, never before the treatment log) and the log's words live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from sqlalchemy.orm import Session

from tracker.db.models import Child
from tracker.domain.timeparse import parse_date, parse_period
from tracker.i18n import _, formats
from tracker.services.clinic import summary
from tracker.services.views import history
from tracker.services.views.plan import zone_of

if TYPE_CHECKING:
    from tracker.exports.pdf import LogLine

DEFAULT_DAYS = 90


class Period(NamedTuple):
    start: date
    end: date
    note: str | None  # why the start differs from what was asked, if it does


def _state_key(child_id: int) -> str:
    """Where the last report's last day is kept."""
    return f"last_report/{child_id}"


def period(
    session: Session, child: Child, from_text: str | None, to_text: str | None, now: datetime
) -> Period:
    """--from/--to, by default from the day after the last report (or 90 days) to today;
    never before the first day of the treatment log (weeks of nothing say nothing)."""
    from tracker.db.state import get_state

    today = now.astimezone(zone_of(child)).date()
    last = get_state(session, _state_key(child.id))

    def since_last_report(end: date) -> date:
        if last and date.fromisoformat(last) < end:
            return date.fromisoformat(last) + timedelta(days=1)
        return end - timedelta(days=DEFAULT_DAYS - 1)

    notes = []
    # days not lived yet: nothing in them
    if to_text and parse_date(to_text, today, zone_of(child)) > today:
        to_text = today.isoformat()
        # TRANSLATORS: the report's period is cut at today: "to 2026-11-24, today"
        notes.append(_("to {day}, today").format(day=formats.day(today)))
    start, end = parse_period(from_text, to_text, today, end=today, start=since_last_report,
                              zone=zone_of(child))
    begun = summary.treatment_start(session, child)
    if begun is not None and start < begun <= end:
        start = begun
        notes.append(_("from {day}, the first day of the treatment log").format(
            day=formats.day(begun)))
    return Period(start, end, "; ".join(notes) or None)


def file_name(child: Child, period: Period) -> str:
    """The report's file name when none is chosen: NAME-report-LASTDAY.pdf."""
    return f"{child.name}-report-{period.end.isoformat()}.pdf"


@dataclass(frozen=True)
class Written:
    """A report written, and where the next one starts, to be remembered after it."""

    missing: list[str]  # the scripts no font on this computer could print
    child_id: int
    end: date
    now: datetime

    def remember(self, session: Session) -> None:
        """The next report starts the day after this one's end: in a short write
        transaction of its own, once the file is written (writing takes seconds, and
        must not hold the log's write lock)."""
        from tracker.db.state import set_state

        set_state(session, _state_key(self.child_id), self.end.isoformat(), self.now)


def log_lines(
    session: Session, child: Child, start: date, end: date, now: datetime
) -> list[LogLine]:
    """Every entry and every missed slot of the period, newest first, in words."""
    from tracker.exports.pdf import LogLine
    from tracker.exports.pdf_text import Piece

    zone = zone_of(child)
    lines = []
    for item in history.history(session, child, start=start, end=end, now=now):
        local = item.when.astimezone(zone)
        stamp = (formats.day(local) if item.kind == "measurement"
                 # TRANSLATORS: a day and a time of day: "2026-11-24 08:05"
                 else _("{day} {time}").format(day=formats.day(local), time=formats.clock(local)))
        text = [Piece(item.summary)]
        if item.note:
            # TRANSLATORS: between an entry and the note written with it
            text += [Piece(" " + _("- note:") + " "), Piece(item.note, user=True)]
        lines.append(LogLine(stamp, item.ref, text))
    return lines


def write(session: Session, child: Child, period: Period, now: datetime,
          out: BinaryIO) -> Written:
    """Write the PDF of `period`; then the caller remembers it (Written.remember) in a
    write transaction of its own."""
    from tracker.exports import pdf

    data = summary.summarise(session, child, period.start, period.end, now)
    missing = pdf.render(data, log_lines(session, child, period.start, period.end, now), out)
    return Written(missing, child.id, period.end, now)
