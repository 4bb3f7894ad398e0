"""The export as an Excel workbook: what a clinic opens as it is.

A CSV file depends on how it is opened: LibreOffice's default import reads ours as
Windows-1252 despite its byte-order mark (names in Hebrew or Chinese come out garbled),
and every program guesses dates and numbers its own way. A workbook has types: times
are date-times (in the child's zone, the zone named on an "about" sheet), days are
dates, numbers are numbers, yes/no are booleans, and text is text in any script. Text
is written as text, so a note that starts with "=" can never become a formula.

The workbook is for people: its header row and its "about" sheet's labels are in the
language spoken when it is written (English keeps the field names the CSV and JSON
files use); the sheets' names, the values and their types are the same in every
language.

XlsxWriter (a well-kept, pure-Python writer) builds a file in constant memory, with its
temporary files in the destination's own folder, and a download in memory: health data
never passes through a shared temporary directory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tracker.i18n import _, pgettext

if TYPE_CHECKING:
    from tracker.exports.tabular import Cell, Record

WIDTH = {"note": 40, "flags": 40, "reason": 24, "override_reason": 24, "site": 16}
INSTANT_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
# Wide enough for a whole date-time or date (a narrower column shows "########").
INSTANT_WIDTH, DAY_WIDTH = 18, 12
INSTANTS = frozenset({"scheduled", "given_at", "occurred_at", "measured_at"})
DAYS = frozenset({"measured_on"})

def headers() -> dict[str, str]:
    """The header row's words, in the language spoken now: in English the field names
    themselves (what the CSV and JSON files call the columns), for a person in any other
    language (translated as words: "given_at" is the time given)."""
    return {
        "scheduled": pgettext("spreadsheet column", "scheduled"),
        "status": pgettext("spreadsheet column", "status"),
        "given_at": pgettext("spreadsheet column", "given_at"),
        "minutes_late": pgettext("spreadsheet column", "minutes_late"),
        "dose_mg": pgettext("spreadsheet column", "dose_mg"),
        "dose_ml": pgettext("spreadsheet column", "dose_ml"),
        "syringe_units": pgettext("spreadsheet column", "syringe_units"),
        "prescribed_mg": pgettext("spreadsheet column", "prescribed_mg"),
        "site": pgettext("spreadsheet column", "site"),
        "given_by": pgettext("spreadsheet column", "given_by"),
        "reason": pgettext("spreadsheet column", "reason"),
        "note": pgettext("spreadsheet column", "note"),
        "override_reason": pgettext("spreadsheet column", "override_reason"),
        "flags": pgettext("spreadsheet column", "flags"),
        "judgement": pgettext("spreadsheet column", "judgement"),
        "vial_lot": pgettext("spreadsheet column", "vial_lot"),
        "entry": pgettext("spreadsheet column", "entry"),
        "measured_at": pgettext("spreadsheet column", "measured_at"),
        "value": pgettext("spreadsheet column", "value"),
        "unit": pgettext("spreadsheet column", "unit"),
        "mg_dl": pgettext("spreadsheet column", "mg_dl"),
        "before_meal": pgettext("spreadsheet column", "before_meal"),
        "level": pgettext("spreadsheet column", "level"),
        "measured_on": pgettext("spreadsheet column", "measured_on"),
        "weight_kg": pgettext("spreadsheet column", "weight_kg"),
        "height_cm": pgettext("spreadsheet column", "height_cm"),
        "occurred_at": pgettext("spreadsheet column", "occurred_at"),
        "symptom": pgettext("spreadsheet column", "symptom"),
        "severity": pgettext("spreadsheet column", "severity"),
        "dose_entry": pgettext("spreadsheet column", "dose_entry"),
        "minutes_after_dose": pgettext("spreadsheet column", "minutes_after_dose"),
    }


def about_labels() -> dict[str, str]:
    """The "about" sheet's labels (tracker.services.clinic.exports names them in
    English): the child, the time zone, the day treatment started, the period's first and
    last day, when the file was made, how times are written and what made it."""
    return {
        "child": pgettext("spreadsheet about", "child"),
        "timezone": pgettext("spreadsheet about", "timezone"),
        "treatment start": pgettext("spreadsheet about", "treatment start"),
        "from": pgettext("spreadsheet about", "from"),
        "to": pgettext("spreadsheet about", "to"),
        "generated": pgettext("spreadsheet about", "generated"),
        "times": pgettext("spreadsheet about", "times"),
        "made by": pgettext("spreadsheet about", "made by"),
    }


def _width(name: str) -> int:
    if name in INSTANTS:
        return max(INSTANT_WIDTH, len(name) + 2)
    if name in DAYS:
        return max(DAY_WIDTH, len(name) + 2)
    return WIDTH.get(name, max(12, len(name) + 2))


def _cell(value: Cell) -> tuple[str, Any]:
    """How a value is written: its type and the value in that type (loosely typed: the value's type
    follows the tag, which the caller dispatches on)."""
    if value is None or value == "":
        return "blank", None
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, (int, float)):
        return "number", value
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] == "T":
        try:  # an instant with the child's offset: its local time, as a date-time
            return "instant", datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            return "text", value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return "day", date.fromisoformat(value)
        except ValueError:
            return "text", value
    return "text", str(value)


def write_workbook(out: IO[bytes], sheet: str, fields: tuple[str, ...],
                   records: Iterable[Record],
                   about: Callable[[], dict[str, str | date | datetime]],
                   tmpdir: Path | None = None) -> int:
    """The records as one typed sheet, and what they are on a second (`about`, asked once
    the records are written: "Field", "Value" and a row each, dates as dates); the number
    of records written."""
    import xlsxwriter

    options: dict[str, object] = {"strings_to_formulas": False, "strings_to_urls": False,
                               "strings_to_numbers": False}
    if tmpdir is not None:  # a file: rows streamed through temporary files beside it
        options.update(constant_memory=True, tmpdir=str(tmpdir))
    else:  # a download: built in memory, no temporary file anywhere
        options["in_memory"] = True
    book = xlsxwriter.Workbook(out, options)
    bold = book.add_format({"bold": True})
    instant = book.add_format({"num_format": INSTANT_FORMAT})
    day = book.add_format({"num_format": DAY_FORMAT})
    table = book.add_worksheet(sheet)
    words = headers()
    for col, name in enumerate(fields):
        table.set_column(col, col, _width(name))
        table.write_string(0, col, words.get(name, name), bold)
    table.freeze_panes(1, 0)
    n = 0
    for n, record in enumerate(records, 1):
        for col, raw in enumerate(record):
            kind, value = _cell(raw)
            if kind == "number":
                table.write_number(n, col, value)
            elif kind == "bool":
                table.write_boolean(n, col, value)
            elif kind == "instant":
                table.write_datetime(n, col, value, instant)
            elif kind == "day":
                table.write_datetime(n, col, datetime(value.year, value.month, value.day), day)
            elif kind == "text":
                table.write_string(n, col, value)
    notes = book.add_worksheet("about")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 60)
    notes.write_string(0, 0, _("Field"), bold)
    notes.write_string(0, 1, _("Value"), bold)
    labels = about_labels()
    for row, (key, value) in enumerate(about().items(), 1):
        notes.write_string(row, 0, labels.get(key, key))
        if isinstance(value, datetime):
            notes.write_datetime(row, 1, value.replace(tzinfo=None), instant)
        elif isinstance(value, date):
            notes.write_datetime(row, 1, datetime(value.year, value.month, value.day), day)
        else:
            notes.write_string(row, 1, value)
    book.close()
    return n
