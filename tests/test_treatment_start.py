"""The record tells the whole truth from the first day of treatment (issue 22).

A family that starts the log two weeks into treatment says when the injections started;
every slot from then on is due, given, withheld or missed in every view and export, and
the dose of a slot is the prescription in force at the slot. Read back the way a clinic
reads it: history text and JSON, CSV, FHIR, the report's figures.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import MIA

from tracker.config import database_target
from tracker.db import migrate

LATE = ("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
        "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris")


@pytest.fixture
def backfilled(tracker, clock):
    """Set up on 3 Dec, two weeks into treatment (started 19 Nov); every dose logged
    but two: the 19:30 of 22 Nov and the 07:30 of 1 Dec."""
    clock.set("2026-12-03T10:00:00+01:00")
    tracker.ok(*LATE, "--since", "19/11/2026")
    day = 19
    for month, last in ((11, 30), (12, 3)):
        while day <= last:
            for hm in ("07:30", "19:30"):
                when = f"2026-{month:02d}-{day:02d} {hm}"
                if when in ("2026-11-22 19:30", "2026-12-01 07:30") or when > "2026-12-03 10":
                    continue
                tracker.ok("give", "--at", when, "--site", "left-thigh", "--meal")
            day += 1
        day = 1
    return tracker


def test_a_backfilled_log_says_which_slots_nobody_logged_everywhere(backfilled, clock):
    t = backfilled
    entries = json.loads(t.ok("history", "--json", "--from", "2026-11-19").out)["entries"]
    missed = sorted(e["at"] for e in entries if e["kind"] == "missed")
    assert missed == ["2026-11-22T19:30:00+01:00", "2026-12-01T07:30:00+01:00"]
    text = t.ok("history", "--from", "2026-11-19").text
    assert text.count("missed 19:30 slot, nothing logged") == 1
    assert text.count("missed 07:30 slot, nothing logged") == 1
    rows = list(csv.DictReader(io.StringIO(t.ok(
        "export", "--from", "2026-11-19", "--to", "2026-12-02").out)))
    assert len(rows) == 28  # one row per slot: 14 days of two
    assert [r["scheduled"] for r in rows if r["status"] == "missed"] == missed
    bundle = json.loads(t.ok("export", "--format", "fhir", "--from", "2026-11-19").out)
    administrations = [e["resource"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] == "MedicationAdministration"]
    # to today: 3 Dec's 07:30 given too, its 19:30 still due (left out)
    assert sum(1 for a in administrations if a["status"] == "completed") == 27
    assert sum(1 for a in administrations if a["status"] != "completed") == 2
    status = json.loads(t.ok("status", "--json").out)
    assert status["treatment_start"] == "2026-11-19T00:00:00+01:00"


def test_the_report_counts_every_slot_from_the_treatment_start(backfilled, clock):
    from tracker.db.session import make_engine, transaction
    from tracker.services.clinic.summary import summarise
    from tracker.services.views import plan

    engine = make_engine(database_target().url)
    from datetime import date

    with transaction(engine, write=False) as session:
        child = plan.find_child(session, None)
        s = summarise(session, child, date(2026, 11, 19), date(2026, 12, 2), clock.now())
    engine.dispose()
    assert (s.given, s.scheduled, s.missed) == (26, 28, 2)
    assert s.adherence == 93


def test_earlier_doses_after_a_plain_setup_are_one_command_away(tracker, clock):
    """The dead end of issue 22: the message names one command, and it works."""
    clock.set("2026-12-03T10:00:00+01:00")
    tracker.ok(*LATE)
    refused = tracker.fails("give", "--at", "2026-11-19 08:00", "--site", "left-thigh",
                            code=3)
    assert refused.err.strip().endswith(
        "if the injections started earlier, say since when: tracker child Mia --since "
        "2026-11-19")
    moved = tracker.ok("child", "Mia", "--since", "2026-11-19")
    assert "treatment start 3 Dec 2026 -> 19 Nov 2026" in moved.out
    assert "The first prescription (P1) now applies from then" in moved.out
    assert "Logged D1" in tracker.ok("give", "--at", "2026-11-19 08:00", "--site",
                                     "left-thigh", "--meal").out
    # the start cannot move past a logged dose: said, naming it
    later = tracker.fails("child", "Mia", "--since", "2026-11-25", code=2)
    assert "D1 is logged for the 07:30 dose of 2026-11-19" in later.err
    assert "Choose 2026-11-19 or earlier" in later.err
    shown = tracker.ok("show", "P1").text
    assert "the treatment started earlier" in shown  # the old start, in the audit trail


def test_the_first_dose_of_a_change_gets_the_new_dose_on_both_sides_of_the_boundary(
        mia, clock):
    clock.set("2026-11-25T07:00:00+01:00")
    mia.ok("prescribe", "--dose-mg-per-kg", "0.06", "--from", "2026-11-25 07:30")
    # looked at before the change, the 07:30 dose is already the new one
    status = json.loads(mia.ok("status", "--json").out)
    assert status["next"]["slot"] == "2026-11-25T07:30:00+01:00"
    assert status["dose"]["mg"] == 1.2
    clock.set("2026-11-25T07:30:00+01:00")
    mia.ok("give", "--at", "07:28", "--site", "left-thigh", "--meal")  # two minutes early
    assert mia.rows("SELECT dose_mg, prescription_id FROM dose") == [(1.2, 2)]
    # the slot before the change keeps the old dose, whenever it is logged
    mia.ok("give", "--at", "2026-11-24 19:35", "--site", "right-thigh", "--meal")
    assert sorted(mia.rows("SELECT slot_time, dose_mg FROM dose")) == [
        ("07:30", 1.2), ("19:30", 0.8)]
    rows = list(csv.DictReader(io.StringIO(mia.ok(
        "export", "--from", "2026-11-24", "--to", "2026-11-25").out)))
    prescribed = {r["scheduled"]: r["prescribed_mg"] for r in rows if r["status"] == "given"}
    assert prescribed == {"2026-11-24T19:30:00+01:00": "0.8",
                          "2026-11-25T07:30:00+01:00": "1.2"}


def test_a_change_between_two_slots_applies_from_the_next_slot(mia, clock):
    clock.set("2026-11-25T06:00:00+01:00")
    mia.ok("prescribe", "--dose-mg-per-kg", "0.06", "--from", "2026-11-25 10:00")
    clock.set("2026-11-25T20:00:00+01:00")
    mia.ok("give", "--at", "07:40", "--site", "left-thigh", "--meal")
    mia.ok("give", "--at", "19:30", "--site", "right-thigh", "--meal")
    assert sorted(mia.rows("SELECT slot_time, dose_mg FROM dose")) == [
        ("07:30", 0.8), ("19:30", 1.2)]


@pytest.mark.parametrize("typed", ["21/11/2026", "2026-11-21", "21 November 2026",
                                   "21 Nov 2026 00:00"])
def test_every_option_reads_dates_the_same_way(mia, clock, typed):
    mia.ok("prescribe", "--dose-mg-per-kg", "0.05", "--from", typed)
    starts = mia.rows("SELECT starts_at FROM prescription ORDER BY id")[-1][0]
    assert str(starts).startswith("2026-11-20 23:00")  # midnight in Paris, in UTC
    day = typed.split(" 00:00")[0]
    assert "M1" in mia.ok("history", "--from", day, "--to", "24/11/2026").out


def test_an_expiry_printed_as_a_month_means_its_last_day(mia):
    mia.ok("vial", "open", "--expires", "2027-03")
    mia.ok("vial", "open", "--expires", "03/2027")
    mia.ok("vial", "open", "--expires", "March 2027")
    assert mia.rows("SELECT DISTINCT expires_on FROM vial") == [("2027-03-31",)]
    assert "is not a month that exists" in mia.fails("vial", "open", "--expires",
                                                     "2027-13", code=2).err


def test_skip_without_a_time_never_withholds_a_dose_hours_ahead(mia, clock):
    clock.set("2026-11-24T13:00:00+01:00")  # after the 07:30 window, before 19:30's
    mia.ok("give", "--at", "07:35", "--site", "left-thigh", "--meal")
    refused = mia.fails("skip", "--reason", "vomiting", code=2)
    assert "no dose is due now, so nothing was withheld" in refused.err
    assert "(the 19:30 dose today, the 07:30 dose tomorrow)" in refused.err
    assert "--at 19:30" in refused.err
    asked = mia("skip", "--reason", "vomiting", input="\n")  # a person is asked which
    assert "No dose is due now. Which dose is withheld?" in asked.out
    assert "19:30 dose of 2026-11-24 withheld" in asked.out  # the one chosen (Enter)
    clock.set("2026-11-25T07:10:00+01:00")  # open now: withheld without a question
    assert "07:30 dose of 2026-11-25 withheld" in mia.ok("skip", "--reason", "ill").out


def test_an_older_log_keeps_its_meaning_when_upgraded(tracker, clock, tmp_path):
    """0010 gives older logs a treatment start: the --since day where one was given,
    else the moment of setup (as they counted before)."""
    clock.set("2026-11-24T09:00:00+01:00")
    tracker.ok(*MIA)  # --since 2026-11-20
    other = tmp_path / "plain.db"
    tracker.ok("--db", str(other), *LATE)
    for path in (tracker.db, other):
        url = database_target(str(path)).url
        migrate.run_alembic(url, "downgrade", "0009")
        migrate.run_alembic(url, "upgrade", "head")
    assert json.loads(tracker.ok("status", "--json").out)["treatment_start"] == (
        "2026-11-20T00:00:00+01:00")
    assert json.loads(tracker.ok("--db", str(other), "status", "--json").out)[
        "treatment_start"] == "2026-11-24T09:00:00+01:00"


def test_vomiting_after_a_given_dose_says_not_to_give_another_and_withholds_nothing(
        mia, clock):
    clock.set("2026-11-24T19:56:00+01:00")
    mia.ok("give", "--at", "19:35", "--site", "left-thigh", "--meal")
    said = mia.ok("symptom", "vomiting").text
    assert "vomiting 21 min after a dose (D1)" in said
    assert "The dose counts as given: do not give it again." in said
    assert "tracker skip" not in said
    assert mia.rows("SELECT count(*) FROM dose WHERE status = 'withheld'") == [(0,)]


def test_an_undo_can_be_taken_back_and_every_reminder_of_its_slot_says_it_first(mia, clock):
    from datetime import datetime

    from test_reminder_service import Recorder

    from tracker.db.session import make_engine
    from tracker.reminders.service import ReminderService

    clock.set("2026-11-24T19:31:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.set("2026-11-24T19:35:00+01:00")
    undone = mia.ok("undo", "D1")
    assert "a mistake? tracker restore-entry D1" in undone.text
    said = " ".join(json.loads(mia.ok("status", "--json").out)["warnings"])
    assert said.startswith("Mia's 19:30 dose (D1) was logged and then undone at 19:35 by "
                           "Anna: if the injection was given, do not give it again")
    engine = make_engine(database_target().url)
    service = ReminderService(engine, [Recorder()])
    done = service.tick(datetime.fromisoformat("2026-11-24T20:00:05+01:00"))
    engine.dispose()
    (follow_up,) = [o for o, _ in done if "not logged yet" in o.title]
    assert follow_up.body.startswith("Mia's 19:30 dose (D1) was logged and then undone")
    restored = mia.ok("restore-entry", "D1")
    assert restored.out.startswith("Restored D1 (given 0.80 mg")
    assert json.loads(mia.ok("status", "--json").out)["today"][1]["status"] == "given"
    trail = mia.ok("show", "D1").out
    assert "undone 2026-11-24 19:35 by Anna" in trail  # both kept, in words
    assert "restored 2026-11-24 19:35 by Anna" in trail
    # a slot logged again meanwhile: the restore is refused, naming what holds it
    mia.ok("undo", "D1")
    mia.ok("give", "--site", "right-thigh", "--meal", "--at", "19:33")
    refused = mia.fails("restore-entry", "D1", code=4)
    assert "is now logged as D2 (given by Anna)" in refused.err


def test_an_undone_entry_is_not_called_corrected(mia, clock):
    mia.ok("give", "--site", "left-thigh", "--at", "07:35", "--meal")
    mia.ok("undo", "D1")
    (entry,) = [e for e in json.loads(mia.ok("history", "--json", "--undone").out)["entries"]
                if e["id"] == "D1"]
    assert entry["voided"] and not entry["edited"]
    mia.ok("restore-entry", "D1")
    mia.ok("edit", "D1", "--site", "right-thigh")
    (entry,) = [e for e in json.loads(mia.ok("history", "--json").out)["entries"]
                if e["id"] == "D1"]
    assert entry["edited"] and not entry["voided"]
