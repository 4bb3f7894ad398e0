"""CSV and JSON exports, read back with real parsers."""

from __future__ import annotations

import csv
import io
import json
import stat

from conftest import MIA


def week(t, clock):
    """Four days of life: given, withheld, missed, late, a forced extra, a symptom."""
    clock.set("2026-11-20T06:00:00+01:00")
    t.ok(*MIA[:-2], "--since", "2026-11-20")
    clock.set("2026-11-20T07:50:00+01:00")
    t.ok("give", "--site", "left-thigh", "--note", '=HYPERLINK("http://x","click")')
    clock.set("2026-11-20T19:40:00+01:00")
    t.ok("skip", "--reason", "-not eating")
    clock.set("2026-11-21T07:20:00+01:00")
    t.ok("give", "--site", "right-thigh", "--by", "@Sam")
    clock.set("2026-11-21T09:00:00+01:00")
    t.ok("symptom", "headache", "--note", "+after breakfast")
    clock.set("2026-11-22T08:00:00+01:00")
    t.ok("give", "--site", "left-abdomen", "--at", "07:35")
    t.ok("give", "--site", "right-abdomen", "--force", "--reason", "leaked")
    clock.set("2026-11-22T10:00:00+01:00")


def test_csv_rows_per_slot_with_offsets(tracker, clock):
    week(tracker, clock)
    out = tracker.ok("export", "--from", "2026-11-20").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["scheduled"], r["status"]) for r in rows] == [
        ("2026-11-20T07:30:00+01:00", "given"),
        ("2026-11-20T19:30:00+01:00", "withheld"),
        ("2026-11-21T07:30:00+01:00", "given"),
        ("2026-11-21T19:30:00+01:00", "missed"),
        ("2026-11-22T07:30:00+01:00", "given"),
        ("2026-11-22T07:30:00+01:00", "given"),  # the forced extra dose, listed too
    ]  # the 19:30 slot of the 22nd is still ahead: not listed
    assert rows[0]["minutes_late"] == "20" and rows[2]["minutes_late"] == "-10"
    assert rows[0]["dose_mg"] == "0.8" and rows[0]["dose_ml"] == "0.08"
    assert rows[1]["reason"] == "'-not eating"


def test_csv_has_no_formula_cells(tracker, clock):
    week(tracker, clock)
    for what in ("doses", "symptoms"):
        out = tracker.ok("export", "--what", what, "--from", "2026-11-20").out
        for row in csv.reader(io.StringIO(out)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), cell
                assert not (cell.startswith("-") and not cell.lstrip("-").isdigit()), cell
    out = tracker.ok("export", "--from", "2026-11-20").out
    assert "'=HYPERLINK" in out and "'@Sam" in out


def test_json_is_the_same_content(tracker, clock):
    week(tracker, clock)
    data = json.loads(tracker.ok("export", "--format", "json", "--from", "2026-11-20").out)
    assert data["child"] == "Mia" and data["timezone"] == "Europe/Paris"
    assert data["from"] == "2026-11-20" and data["to"] == "2026-11-22"
    statuses = [d["status"] for d in data["doses"]]
    assert statuses[:4] == ["given", "withheld", "given", "missed"]
    assert data["doses"][0]["note"] == '=HYPERLINK("http://x","click")'  # JSON keeps it as is
    symptoms = json.loads(tracker.ok("export", "--what", "symptoms", "--format", "json",
                                     "--from", "2026-11-20").out)["symptoms"]
    assert symptoms == [{"occurred_at": "2026-11-21T09:00:00+01:00", "symptom": "headache",
                         "severity": None, "dose_entry": "D3", "minutes_after_dose": 100,
                         "judgement": "next visit: headache", "note": "+after breakfast",
                         "entry": "S1"}]


def test_files_are_private_atomic_and_not_overwritten(tracker, clock, tmp_path):
    week(tracker, clock)
    target = tmp_path / "out" / "doses.csv"
    tracker.fails("export", "-o", str(target), code=2)  # no such folder
    target.parent.mkdir()
    r = tracker.ok("export", "--from", "2026-11-20", "-o", str(target))
    assert f"Wrote 5 dose slots and 1 extra injection to {target}" in r.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_bytes()
    tracker.fails("export", "-o", str(target), code=2)
    assert target.read_bytes() == before
    tracker.ok("export", "--from", "2026-11-21", "-o", str(target), "--force")
    assert target.read_bytes() != before
    assert [p.name for p in target.parent.iterdir()] == ["doses.csv"]  # no temp files left


def test_dates_are_inclusive_and_read_in_the_childs_zone(tracker, clock):
    week(tracker, clock)
    out = tracker.ok("export", "--from", "2026-11-21", "--to", "2026-11-21").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["scheduled"][:16] for r in rows] == ["2026-11-21T07:30", "2026-11-21T19:30"]
    tracker.fails("export", "--from", "2026-11-22", "--to", "2026-11-21", code=2)


def test_export_across_a_dst_change_keeps_local_times(tracker, clock):
    clock.set("2026-10-24T06:00:00+02:00")
    tracker.ok(*MIA[:-2], "--since", "2026-10-24")
    clock.set("2026-10-26T12:00:00+01:00")
    out = tracker.ok("export", "--from", "2026-10-24", "--to", "2026-10-26").out
    scheduled = [r["scheduled"] for r in csv.DictReader(io.StringIO(out))]
    assert scheduled == ["2026-10-24T07:30:00+02:00", "2026-10-24T19:30:00+02:00",
                         "2026-10-25T07:30:00+01:00", "2026-10-25T19:30:00+01:00",
                         "2026-10-26T07:30:00+01:00"]


def test_long_exports_show_progress_on_a_terminal_only(tmp_path):
    """A real pseudo-terminal for stderr: a bar while a two-year export runs; none when piped."""
    import os
    import pty
    import select
    import subprocess
    import sys

    from conftest import run_tracker

    env = {"TRACKER_DB": str(tmp_path / "log.db"),
           "TRACKER_FAKE_NOW": "2024-11-01T06:00:00+01:00"}
    assert run_tracker(*MIA[:-1], "2024-11-01", env=env).returncode == 0
    env["TRACKER_FAKE_NOW"] = "2026-11-24T10:00:00+01:00"  # two years on, nothing logged
    export = ["export", "--from", "2024-11-01"]
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *export, "-o", str(tmp_path / "a.csv")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower,
        env={**os.environ, **env})
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        assert ready, f"no output; screen: {screen!r}"
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the export is over
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=60) == 0
    assert b"Exporting" in screen and b"100%" in screen, screen
    piped = run_tracker(*export, "-o", str(tmp_path / "b.csv"), env=env)
    assert piped.returncode == 0 and "Exporting" not in piped.stderr
    slots = 2 * 753 + 1  # 2024-11-01 to 2026-11-23, and this morning's (due)
    assert piped.stderr.strip() == f"Wrote {slots:,} dose slots to {tmp_path / 'b.csv'}"
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_force_never_replaces_the_log_or_a_backup(tracker, clock):
    """`-o` pointed at the log by a slip of the finger: refused, even with --force."""
    week(tracker, clock)
    tracker.ok("backup", "-o", str(tracker.db.parent / "copy.db"))
    for target in (tracker.db, tracker.db.parent / "copy.db", f"{tracker.db}-wal"):
        for fmt in ("csv", "ics"):
            r = tracker.fails("export", "--format", fmt, "-o", str(target), "--force", code=2)
            assert "is a database" in r.err
    r = tracker.fails("report", "-o", str(tracker.db), "--force", code=2)
    assert tracker.ok("status").code == 0


def test_a_csv_file_opens_in_any_script_and_says_what_was_drawn(tracker, clock, tmp_path):
    clock.set("2026-11-24T08:00:00+01:00")
    tracker.ok("init", "--child", "מיה 李", "--birth-date", "2018-05-01", "--weight", "21.5",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris")
    tracker.ok("vial", "open", "--lot", "AB123")
    tracker.ok("give", "--site", "left-thigh", "--by", "جدة")
    out = tmp_path / "doses.csv"
    tracker.ok("export", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    given = next(r for r in rows if r["status"] == "given")
    assert given["given_by"] == "جدة"
    assert (given["dose_mg"], given["dose_ml"], given["syringe_units"]) == ("0.85", "0.085",
                                                                           "8.5")
    assert given["prescribed_mg"] == "0.86" and given["vial_lot"] == "AB123"
    piped = tracker.ok("export").out
    assert not piped.startswith("\ufeff")  # standard output stays plain for programs


def test_glucose_and_growth_exports(tracker, clock):
    week(tracker, clock)
    tracker.ok("glucose", "3.4", "--unit", "mmol/L", "--before-meal", "--note", "=1+1")
    tracker.ok("measure", "--height", "118.5", "--note", "clinic")
    g = list(csv.DictReader(io.StringIO(tracker.ok("export", "--what", "glucose").out)))
    assert g == [{"measured_at": "2026-11-22T10:00:00+01:00", "value": "3.4", "unit": "mmol/L",
                  "mg_dl": "61.2", "before_meal": "True", "level": "low",
                  # the forced extra dose at 08:00 is still acting: a low after it
                  "judgement": "the doctor now: a low blood sugar (3.4 mmol/L) after too "
                               "much medicine",
                  "note": "'=1+1", "entry": "G1"}]
    m = list(csv.DictReader(io.StringIO(tracker.ok("export", "--what", "growth").out)))
    assert m[-1] == {"measured_on": "2026-11-22", "weight_kg": "", "height_cm": "118.5",
                     "note": "clinic", "entry": "M2"}
    data = json.loads(tracker.ok("export", "--what", "growth", "--format", "json").out)
    assert data["growth"][0]["weight_kg"] == 20.0


def test_history_and_exports_share_one_vocabulary(tracker, clock):
    week(tracker, clock)
    entry = next(e for e in json.loads(tracker.ok("history", "--json").out)["entries"]
                 if e["kind"] == "dose")
    exported = json.loads(tracker.ok("export", "--format", "json", "--from",
                                     "2026-11-20").out)["doses"][0]
    for field in ("dose_mg", "dose_ml", "syringe_units", "site", "given_by"):
        assert field in entry and field in exported, field


def test_an_excel_workbook_opens_as_it_is(tracker, clock, tmp_path):
    """Read back with openpyxl (an independent reader): dates are dates, numbers numbers,
    booleans booleans, a name in any script intact, and text that looks like a formula is
    text."""
    from datetime import datetime

    import openpyxl

    week(tracker, clock)
    tracker.ok("measure", "--height", "118.5", "--note", "נועה measured 王小明")
    target = tmp_path / "mia.xlsx"
    done = tracker.ok("export", "--format", "xlsx", "--from", "2026-11-20", "-o", str(target))
    assert done.err.strip() == f"Wrote 5 dose slots and 1 extra injection to {target}"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    book = openpyxl.load_workbook(target)
    sheet = book["doses"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["scheduled", "status", "given_at", "minutes_late", "dose_mg"]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert first["scheduled"] == datetime(2026, 11, 20, 7, 30)  # a date-time, local
    assert first["given_at"] == datetime(2026, 11, 20, 7, 50)
    assert first["minutes_late"] == 20 and first["dose_mg"] == 0.8
    assert first["note"] == '=HYPERLINK("http://x","click")'  # text, never a formula
    assert sheet.cell(row=2, column=header.index("note") + 1).data_type == "s"
    about = {r[0].value: r[1].value for r in book["about"].iter_rows()}
    assert about["timezone"] == "Europe/Paris" and about["child"] == "Mia"
    growth = tmp_path / "growth.xlsx"
    tracker.ok("export", "--format", "xlsx", "--what", "growth", "--from", "2026-11-20",
               "-o", str(growth))
    rows = list(openpyxl.load_workbook(growth)["growth"].iter_rows(values_only=True))
    assert rows[-1][0] == datetime(2026, 11, 22) and rows[-1][2] == 118.5
    assert rows[-1][3] == "נועה measured 王小明"
    refused = tracker.fails("export", "--format", "xlsx", code=2)
    assert "an Excel file needs a name: add -o FILE.xlsx" in refused.err
