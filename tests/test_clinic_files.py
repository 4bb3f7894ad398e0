"""The files a clinic receives, read with the readers a clinic's side uses: the FHIR R4
models (fhir.resources, as tests/test_fhir.py validates), openpyxl, the csv module and
pdftotext. Each test asserts what a clinician or an importer would check."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime

import openpyxl
from conftest import MIA
from fhir.resources.R4B.bundle import Bundle
from test_exports import week
from test_report import flat, poppler  # noqa: F401 (a fixture)

# -- FHIR --------------------------------------------------------------------------------


def _bundle(tracker, *db: str) -> dict:
    raw = json.loads(tracker.ok(*db, "export", "--format", "fhir", "--from", "2026-11-20").out)
    Bundle.model_validate(raw)
    return raw


def _patient(raw: dict) -> dict:
    return next(e for e in raw["entry"] if e["resource"]["resourceType"] == "Patient")


def test_two_households_children_are_two_patients_and_an_export_is_repeatable(
        tracker, clock, tmp_path):
    """Two families' logs, each with one child Mia set up at the same moment: two
    patients to a clinic's system. The same log exported twice: the same resources."""
    other = ("--db", str(tmp_path / "other" / "tracker.db"))
    clock.set("2026-11-20T06:00:00+01:00")
    tracker.ok(*MIA)
    tracker.ok(*other, *MIA)
    clock.set("2026-11-20T07:50:00+01:00")
    for db in ((), other):
        tracker.ok(*db, "give", "--site", "left-thigh")
        tracker.ok(*db, "symptom", "headache")
    clock.set("2026-11-22T10:00:00+01:00")
    ours, theirs = _bundle(tracker), _bundle(tracker, *other)
    assert _patient(ours)["fullUrl"] != _patient(theirs)["fullUrl"]
    assert (_patient(ours)["resource"]["identifier"]
            != _patient(theirs)["resource"]["identifier"])
    # nothing of one child's is named like the other's (the medicine itself is shared)
    urls = [{e["fullUrl"] for e in b["entry"]
             if e["resource"]["resourceType"] != "Medication" or "batch" in e["resource"]}
            for b in (ours, theirs)]
    assert urls[0].isdisjoint(urls[1])
    idents = [{e["request"]["url"] for e in b["entry"]
               if e["resource"]["resourceType"] != "Medication"} for b in (ours, theirs)]
    assert idents[0].isdisjoint(idents[1])
    assert _bundle(tracker) == ours  # the same log again: the same fullUrls and identifiers


def test_an_older_log_gets_its_child_an_identity_of_its_own_once(tracker, clock, tmp_path):
    """A log from before the child had a uid gets one on upgrade, kept from then on."""
    from tracker.config import database_target
    from tracker.db import migrate

    week(tracker, clock)
    migrate.run_alembic(database_target(str(tracker.db)).url, "downgrade", "0012")
    first = _bundle(tracker)  # upgraded on opening
    (uid,) = tracker.rows("SELECT uid FROM child")[0]
    assert re.fullmatch(r"[0-9a-f-]{36}", str(uid))
    assert _bundle(tracker) == first
    assert _patient(first)["resource"]["identifier"][0]["value"] == uid


def test_a_prescription_is_authored_when_recorded_and_in_force_over_its_period(tracker,
                                                                                clock):
    week(tracker, clock)  # set up on the 20th at 06:00, the treatment from the 20th
    clock.set("2026-11-21T12:00:00+01:00")
    tracker.ok("prescribe", "--dose-mg-per-kg", "0.05", "--from", "2026-11-22 00:00")
    clock.set("2026-11-22T10:00:00+01:00")
    raw = _bundle(tracker)
    rxs = [e["resource"] for e in raw["entry"]
           if e["resource"]["resourceType"] == "MedicationRequest"]
    assert len(rxs) == 2
    first, second = rxs
    assert first["authoredOn"] == "2026-11-20T06:00:00+01:00"  # when `init` recorded it
    assert second["authoredOn"] == "2026-11-21T12:00:00+01:00"  # recorded a day ahead
    bounds = [r["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"] for r in rxs]
    assert bounds[0] == {"start": "2026-11-20T00:00:00+01:00",
                         "end": "2026-11-22T00:00:00+01:00"}
    assert bounds[1] == {"start": "2026-11-22T00:00:00+01:00"}  # in force now: no end
    assert (first["status"], second["status"]) == ("completed", "active")


# -- the spreadsheet -----------------------------------------------------------------------


def test_the_workbooks_about_sheet_has_a_header_typed_dates_and_the_treatments_period(
        tracker, clock, tmp_path):
    week(tracker, clock)  # the treatment started 2026-11-20
    target = tmp_path / "mia.xlsx"
    tracker.ok("export", "--format", "xlsx", "-o", str(target))  # 90 days: from August
    book = openpyxl.load_workbook(target)
    about = book["about"]
    assert [c.value for c in about[1]] == ["Field", "Value"]
    values = {r[0].value: r[1] for r in about.iter_rows(min_row=2)}
    assert values["from"].is_date and values["from"].value == datetime(2026, 11, 20)
    assert values["to"].is_date and values["to"].value == datetime(2026, 11, 22)
    assert values["treatment start"].value == datetime(2026, 11, 20)
    assert values["generated"].is_date and values["generated"].value == datetime(2026, 11,
                                                                                22, 10)
    assert "yy" in values["from"].number_format
    assert "hh:mm" in values["generated"].number_format
    assert about.column_dimensions["B"].width >= 17
    for sheet in book.worksheets:  # every sheet starts with a header row of text
        assert all(isinstance(c.value, str) for c in sheet[1] if c.value is not None)
    doses = book["doses"]
    header = [c.value for c in doses[1]]
    for name in ("scheduled", "given_at"):
        letter = doses.cell(row=1, column=header.index(name) + 1).column_letter
        assert doses.column_dimensions[letter].width >= 17, name
        assert doses[f"{letter}2"].is_date


def test_a_workbook_of_measurements_starts_at_the_oldest_one_shown(tracker, clock, tmp_path):
    clock.set("2026-11-20T06:00:00+01:00")
    tracker.ok(*MIA)
    tracker.ok("measure", "--height", "117", "--on", "2026-10-01")  # before the treatment
    target = tmp_path / "growth.xlsx"
    tracker.ok("export", "--format", "xlsx", "--what", "growth", "--from", "2026-09-01",
               "-o", str(target))
    book = openpyxl.load_workbook(target)
    values = {r[0].value: r[1].value for r in book["about"].iter_rows(min_row=2)}
    assert values["from"] == datetime(2026, 10, 1)
    growth = book["growth"]
    assert growth["A2"].value == datetime(2026, 10, 1) and growth.column_dimensions["A"].width >= 12


# -- what `export` says it wrote ----------------------------------------------------------


WHAT = {"doses": "dose slot", "symptoms": "side effect", "glucose": "blood sugar check",
        "growth": "measurement"}


def test_export_says_how_many_rows_the_file_holds(tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("glucose", "3.4", "--unit", "mmol/L")
    tracker.ok("measure", "--height", "118.5")
    for what, noun in WHAT.items():
        for fmt in ("csv", "xlsx"):
            target = tmp_path / f"{what}.{fmt}"
            said = tracker.ok("export", "--what", what, "--format", fmt, "--from",
                              "2026-11-01", "-o", str(target)).err.strip()
            if fmt == "csv":
                with target.open(encoding="utf-8-sig", newline="") as f:
                    table = list(csv.reader(f))
            else:
                table = [list(r) for r in openpyxl.load_workbook(target)[what].values]
            rows = len(table) - 1
            assert rows > 0, what
            if what == "doses":  # the forced extra injection shares its slot's time
                slots = len({r[0] for r in table[1:]})
                assert rows - slots == 1
                assert said == (f"Wrote {slots} dose slots and 1 extra injection to {target}"), fmt
                continue
            plural = noun if rows == 1 else noun + "s"
            assert said == f"Wrote {rows} {plural} to {target}", (what, fmt)


# -- history -------------------------------------------------------------------------------


def test_history_says_a_period_from_the_treatment_start_and_one_missed_slot(tracker, clock):
    week(tracker, clock)  # the treatment started 2026-11-20; the 21st's 19:30 was missed
    out = tracker.ok("history", "--from", "2026-09-06").out
    first = out.splitlines()[0]
    assert first.startswith("Mia: ") and " entries and 1 missed slot from 2026-11-20 " in first
    assert "missed slots" not in first and "2026-09-06" not in first
    one = tracker.ok("history", "--from", "2026-11-22").out.splitlines()[0]
    assert one.startswith("Mia: 2 entries from 2026-11-22")


# -- the report's calendar -----------------------------------------------------------------


def test_the_reports_calendar_starts_with_the_treatments_week(poppler, tracker,  # noqa: F811
                                                              clock, tmp_path):
    week(tracker, clock)  # the treatment started Friday 20 Nov 2026
    target = tmp_path / "r.pdf"
    tracker.ok("report", "--from", "2026-09-06", "-o", str(target))
    text = flat(target)
    calendar = text[text.index("Every dose slot, month by month"):]
    month = calendar[calendar.index("November 2026"):]
    days = re.search(r"Mon Tue Wed Thu Fri Sat Sun week ((?:\d+ ?)+)", month)
    assert days is not None, month[:300]
    numbers = days.group(1).split()
    assert numbers[:5] == ["16", "17", "18", "19", "20"], numbers  # Monday of that week first
    assert "September" not in calendar and "October" not in calendar


# -- which file to open --------------------------------------------------------------------


def test_export_help_says_which_file_a_spreadsheet_opens(tracker):
    text = " ".join(tracker.ok("export", "--help").out.split())
    assert ("To open in a spreadsheet, use the Excel file (--format xlsx): LibreOffice "
            "reads a CSV file as Windows-1252 unless told otherwise. The CSV file is for "
            "programs.") in text


def test_dates_are_what_they_say(tracker, clock, tmp_path):
    """The about sheet's dates are the period of the rows below them."""
    week(tracker, clock)
    target = tmp_path / "mia.xlsx"
    tracker.ok("export", "--format", "xlsx", "--from", "2026-08-01", "-o", str(target))
    book = openpyxl.load_workbook(target)
    values = {r[0].value: r[1].value for r in book["about"].iter_rows(min_row=2)}
    scheduled = [r[0] for r in book["doses"].iter_rows(min_row=2, values_only=True)]
    assert values["from"].date() == min(scheduled).date() == date(2026, 11, 20)
