"""The label's dose rules end to end: where a dose is shown, when it is given, and what the
clinic reads afterwards. Each test fails on the behaviour before issue 11.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import MIA

from tracker.config import database_target
from tracker.db import migrate


def init(tracker, *extra, weight="20", dose=("--dose-mg-per-kg", "0.04")):
    base = list(MIA)
    i = base.index("--weight")
    base[i + 1] = weight
    j = base.index("--dose-mg-per-kg")
    base[j : j + 2] = list(dose)
    return tracker.ok(*base, *extra)


def status(tracker):
    return json.loads(tracker.ok("status", "--json").out)


class TestTheDoseShownBeforeTheInjection:
    def test_a_dose_above_the_ceiling_says_do_not_give_wherever_it_is_shown(self, tracker):
        # a fixed 2.4 mg was 0.12 mg/kg at 20 kg; at 19 kg it is above the ceiling
        init(tracker, dose=("--dose-mg", "2.4"))
        r = tracker.ok("measure", "--weight", "19")
        said = ("Do not give this dose: 2.40 mg is 0.126 mg/kg at 19 kg, above the label's "
                "ceiling of 0.12 mg/kg per injection. Call the child's doctor.")
        assert said in r.text
        s = status(tracker)
        assert s["dose"]["problems"] == [
            "2.40 mg is 0.126 mg/kg at 19 kg, above the label's ceiling of 0.12 mg/kg per "
            "injection"
        ]
        text = tracker.ok("status").text
        # said next to the dose, before "Today:"
        assert text.index(said) < text.index("Today:")
        assert text.count("not give") == 1  # said once
        assert said in tracker.ok("info", "dosing").text
        assert said in tracker.ok("prescribe").text

    def test_rounding_says_both_amounts_and_the_log_records_what_was_drawn(self, tracker):
        init(tracker, weight="21.5")  # 0.04 x 21.5 = 0.86 mg = 8.6 units
        s = status(tracker)
        assert s["dose"]["draw"] == "prescribed 0.86 mg: draw 8.5 units = 0.085 mL = 0.85 mg"
        assert "0.86 mg =" not in tracker.ok("status").text
        tracker.ok("give", "--site", "left-thigh")
        assert tracker.rows("SELECT dose_mg, round(volume_ml, 4) FROM dose") == [(0.85, 0.085)]

    def test_the_familys_syringe_decides_the_marks(self, tracker):
        r = init(tracker, "--syringe", "0.3ml", weight="21.5")
        assert "prescribed 0.86 mg: draw 9 units = 0.09 mL = 0.90 mg" in r.text
        r = tracker.ok("child", "Mia", "--syringe", "0.3 mL half")
        assert "0.3 mL syringe with half-unit marks: prescribed 0.86 mg: draw 8.5 units" in r.text
        assert tracker.rows("SELECT syringe FROM child") == [("0.3ml-half",)]
        assert "0.3 mL syringe with half-unit marks" in tracker.ok("child").out

    def test_init_picks_the_smallest_syringe_and_says_so(self, tracker):
        r = init(tracker)
        assert "syringe: 0.3 mL syringe with half-unit marks" in r.text
        tracker.ok("init", "--child", "Leo", "--birth-date", "2015-01-01", "--weight", "40",
                   "--dose-mg-per-kg", "0.08")  # 3.2 mg = 32 units
        assert tracker.rows("SELECT name, syringe FROM child ORDER BY id") == [
            ("Mia", "0.3ml-half"), ("Leo", "0.5ml")]

    def test_a_syringe_that_cannot_hold_the_dose_is_refused(self, tracker):
        init(tracker, weight="40", dose=("--dose-mg-per-kg", "0.08"))  # 32 units
        r = tracker.fails("child", "Mia", "--syringe", "0.3ml-half", code=4)
        assert "32 units do not fit in a 0.3 mL syringe" in r.err
        r = tracker.fails("prescribe", "--dose-mg", "6", code=4)  # 60 units in a 0.5 mL one
        assert "above the label's ceiling" in r.err
        assert "do not fit" not in r.err  # the syringe is no reason to call the doctor
        r = tracker.ok("prescribe", "--dose-mg", "6", "--force", "--reason", "Dr K, trial")
        assert ("60 units do not fit in a 0.5 mL syringe with 1-unit marks (it holds 50): "
                "change the syringe to a 1 mL syringe with 1-unit marks (tracker child Mia "
                "--syringe 1ml)") in r.text

    def test_only_the_increlex_strength(self, tracker):
        r = tracker.fails(*MIA, "--concentration", "5", code=4)
        assert "Increlex is made only as 10 mg/mL" in r.err and "--force --reason" in r.err
        tracker.ok(*MIA, "--concentration", "5", "--force", "--reason", "pharmacy diluted it")
        assert tracker.rows("SELECT concentration_mg_per_ml, force_reason, flags FROM "
                            "prescription") == [
            (5.0, "pharmacy diluted it",
             "Increlex is made only as 10 mg/mL; 5 mg/mL is not an Increlex vial")]


class TestPrescriptions:
    def test_twice_a_day_at_least_eight_hours_apart(self, mia):
        r = mia.fails("prescribe", "--times", "07:00,14:00", code=4)
        assert "at least 8 h apart" in r.err
        r = mia.fails("prescribe", "--times", "07:00,13:00,19:00", code=4)
        assert "twice a day" in r.err
        r = mia.fails("prescribe", "--times", "07:00,16:00", code=4)  # 9 h: confirmed
        assert "9 h apart; about 12 hours is usual" in r.err
        r = mia("prescribe", "--times", "07:00,16:00", input="n\n")
        assert r.code == 4 and "not recorded" in r.err
        r = mia("prescribe", "--times", "07:00,16:00", input="y\n")
        assert r.code == 0, r.err
        assert mia.rows("SELECT times, flags FROM prescription ORDER BY id DESC LIMIT 1") == [
            ("07:00,16:00", "the doses are 9 h apart; about 12 hours is usual")]

    def test_titration_is_warned_and_recorded_with_the_prescription(self, mia, clock):
        clock.advance(days=4)  # a week after the start of treatment (20 Nov)
        r = mia.ok("prescribe", "--dose-mg-per-kg", "0.08")
        assert "same day" not in r.out  # a step of 0.04 after the first, tolerated week
        clock.advance(days=3)
        r = mia.ok("prescribe", "--dose-mg-per-kg", "0.12")
        assert ("Call the child's doctor the same day, as soon as you can: the last increase "
                "was 3 d 0 h ago") in r.text
        clock.advance(days=7)
        mia.ok("glucose", "60")
        mia.ok("prescribe", "--dose-mg-per-kg", "0.1", "--note", "lower after a low")
        clock.advance(hours=1)
        r = mia.ok("prescribe", "--dose-mg-per-kg", "0.12")
        assert "low blood sugar was logged in the last 7 days" in r.text
        flags = [f for (f,) in mia.rows("SELECT flags FROM prescription ORDER BY id")]
        assert flags[0] is None and flags[1] is None and flags[3] is None
        assert "last increase was 3 d 0 h ago" in flags[2]
        assert "low blood sugar" in flags[4]
        listing = mia.ok("prescribe").text
        assert "FLAGGED: the last increase was 3 d 0 h ago" in listing

    def test_a_start_above_the_range_and_a_big_step_are_warned(self, tracker, clock):
        r = init(tracker, dose=("--dose-mg-per-kg", "0.1"))
        assert ("Call the child's doctor the same day, as soon as you can: a start at 0.1 "
                "mg/kg is above the label's starting range") in r.text
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.04")
        assert "same day" not in r.text  # going down is never warned
        clock.advance(days=8)
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.1")
        assert ("Call the child's doctor the same day, as soon as you can: a step of 0.06 "
                "mg/kg (from 0.04 to 0.1) is more than") in r.text


class TestAWeightIsNotAPrescription:
    def test_the_typo_check_also_compares_with_the_prescription_weight(self, mia, clock):
        mia.ok("measure", "--weight", "23")  # 15% from 20: fine
        clock.advance(days=30)
        r = mia.fails("measure", "--weight", "26", code=4)  # 13% from 23, 30% from 20
        assert "the weight the dose was prescribed for (20 kg)" in r.err
        r = mia("measure", "--weight", "26", input="y\nn\n")
        assert r.code == 0, r.err
        assert "the dose stays 0.80 mg" in r.text
        assert status(mia)["dose"]["mg"] == 0.8

    def test_confirming_the_doctors_dose_in_measure(self, mia):
        r = mia("measure", "--weight", "22", input="y\n")
        assert "Has the doctor said the dose should follow it?" in r.out
        assert "0.80 mg -> 0.88 mg" in r.text
        assert mia.rows("SELECT dose_mg_per_kg, weight_kg FROM prescription ORDER BY id") == [
            (0.04, 20.0), (0.04, 22.0)]

    def test_a_fixed_dose_is_rechecked_at_each_weight(self, tracker):
        init(tracker, dose=("--dose-mg", "2.2"))
        assert status(tracker)["dose"]["problems"] == []
        tracker.ok("measure", "--weight", "18")
        assert "above the label's ceiling" in status(tracker)["dose"]["problems"][0]


class TestGivingWhenTheChildWillNotEat:
    def test_already_given_is_recorded_as_given_with_what_to_do_now(self, mia):
        r = mia("give", input="left-thigh\nn\ny\n")
        assert r.code == 0, r.err
        out = r.text
        # the dose to draw is shown before the site is asked
        assert out.index("Mia's dose: 0.80 mg = 0.08 mL = 8 units") < out.index("Site")
        assert "Has the injection already been given?" in out
        assert ("Mention it at the next visit: the 07:30 dose given without food. 1. Give a "
                "meal or snack now") in out
        assert mia.rows("SELECT status, meal, flags FROM dose") == [
            ("given", 0, "given without a meal or snack within 20 minutes")]

    def test_not_given_yet_is_offered_to_be_withheld(self, mia):
        r = mia("give", input="left thigh\nn\nn\ny\n")  # "left thigh" with a space is fine
        assert r.code == 0, r.err
        assert "withheld (not eating)" in r.text
        assert mia.rows("SELECT status, reason FROM dose") == [("withheld", "not eating")]

    def test_giving_without_food_anyway_needs_a_reason(self, mia):
        r = mia("give", input="left-thigh\nn\nn\nn\nthe doctor said so today\n")
        assert r.code == 0, r.err
        assert mia.rows("SELECT status, force_reason, flags FROM dose") == [
            ("given", "the doctor said so today",
             "given without a meal or snack within 20 minutes")]

    def test_a_dose_logged_afterwards_is_asked_about_in_the_past(self, mia, clock):
        clock.set("2026-11-24T19:49:00+01:00")  # 19 minutes after: the meal may still come
        assert "Will Mia eat within 20 minutes" in mia("give", "--at", "19:30",
                                                        input="left-thigh\ny\n").text
        mia.ok("undo", "D1")
        clock.set("2026-11-24T19:50:00+01:00")  # 20 minutes after: it came or it did not
        r = mia("give", "--at", "19:30", input="left-thigh\ny\n")
        assert "Did Mia eat within 20 minutes of this dose?" in r.text and "Will" not in r.text
        assert mia.rows("SELECT meal FROM dose WHERE voided_at IS NULL") == [(1,)]
        # no meal, logged afterwards: it was given (not offered to be withheld), and flagged
        mia.ok("undo", "D2")
        r = mia("give", "--at", "19:30", input="left-thigh\nn\n")
        assert r.code == 0, r.err
        assert "Has the injection already been given?" not in r.text
        assert mia.rows("SELECT status, meal, flags FROM dose WHERE voided_at IS NULL") == [
            ("given", 0, "given without a meal or snack within 20 minutes")]

    def test_a_bad_site_is_asked_again_and_nothing_is_lost(self, mia):
        r = mia("give", input="elbow\nright-buttock\ny\n")
        assert r.code == 0, r.err
        assert "unknown site 'elbow'" in r.out
        assert mia.rows("SELECT site, meal FROM dose") == [("right-buttock", 1)]


class TestLateAndTooSoon:
    def test_a_late_make_up_is_recorded_flagged_with_how_to_correct_it(self, mia, clock):
        clock.set("2026-11-24T23:45:00+01:00")  # the 19:30 slot closed at 23:30
        r = mia.ok("give", "--site", "left-thigh", "--meal")
        assert "If it was given on time, correct it: tracker edit D1 --at HH:MM" in r.text
        assert ("Mention it at the next visit: the 19:30 dose given late. 1. Make sure the "
                "child eats within 20 minutes of it.") in r.text
        assert "high-risk activities (cycling, swimming, climbing) for 2 to 3 hours" in r.text
        (flags,) = mia.rows("SELECT flags FROM dose")[0]
        assert flags == "given 15 min after its slot closed (a late make-up)"

    def test_a_late_dose_is_confirmed_in_a_terminal(self, mia, clock):
        clock.set("2026-11-24T23:45:00+01:00")
        r = mia("give", "--site", "left-thigh", "--meal", input="n\n")
        assert r.code == 2 and "nothing recorded" in r.err
        assert "answer no and log it with --at (e.g. --at 19:30)" in r.text
        assert mia.rows("SELECT count(*) FROM dose") == [(0,)]
        r = mia("give", "--site", "left-thigh", "--meal", input="y\n")
        assert r.code == 0 and mia.rows("SELECT count(*) FROM dose") == [(1,)]

    def test_less_than_six_hours_after_the_last_injection(self, mia, clock):
        mia.ok("give", "--site", "left-thigh", "--at", "08:00", "--meal")
        clock.set("2026-11-24T13:31:00+01:00")  # nearer 19:30 than 07:30, 5.5 h after
        r = mia.ok("give", "--site", "right-thigh", "--meal")
        assert ("Call the child's doctor now: the 19:30 dose given close after the one "
                "before. ! 1. Give a meal or snack now") in r.text
        assert "Call the child's doctor now and say what was given, and when." in r.text
        assert mia.rows("SELECT flags FROM dose ORDER BY id")[1] == (
            "given only 5 h 31 min after the previous injection",)


class TestStatusStatesTheRules:
    def test_the_late_window_is_stated_with_its_condition(self, mia, clock):
        clock.set("2026-11-24T21:00:00+01:00")
        mia.ok("give", "--site", "left-thigh", "--at", "07:35", "--meal")
        text = mia.ok("status").text
        assert ("the 19:30 dose is 1 h 30 min late. If Mia can eat now, it can still be given "
                "with food until 23:30; after that it is missed and not made up") in text
        assert "If Mia is asleep or cannot eat, withhold it" in text
        assert "give it now" not in text
        mia.ok("symptom", "headache")
        mia.ok("symptom", "vision-change")
        text = mia.ok("status").text
        assert "can still be given" not in text
        assert "is not to be given until the doctor says so" in text

    def test_a_missed_dose_note_ends_once_the_next_dose_is_logged(self, mia, clock):
        clock.set("2026-11-25T06:30:00+01:00")
        assert any("19:30 dose 2026-11-24 was missed" in w for w in status(mia)["warnings"])
        clock.set("2026-11-25T07:40:00+01:00")
        mia.ok("give", "--site", "left-thigh", "--meal")
        assert not any("was missed" in w for w in status(mia)["warnings"])

    def test_most_urgent_first(self, mia, clock):
        mia.ok("glucose", "65")
        mia.ok("symptom", "limp")
        mia.ok("symptom", "snoring")
        advice = status(mia)["advice"]
        levels = [a["level"] for a in advice]
        assert levels == sorted(levels, key=["emergency", "doctor", "watch"].index)


class TestTheClinicSeesTheOverrides:
    def test_history_csv_fhir_and_report_carry_flags_and_reasons(self, mia, clock, tmp_path):
        mia.ok("give", "--dose-mg", "1.2", "--site", "left-thigh", "--at", "07:35")
        clock.advance(hours=11)
        mia.ok("give", "--site", "left-thigh", "--no-meal")
        history = json.loads(mia.ok("history", "--json").out)["entries"]
        doses = {e["id"]: e for e in history if e["kind"] == "dose"}
        assert doses["D1"]["flags"] == ["1.20 mg is more than the prescribed 0.80 mg"]
        assert "FLAGGED: 1.20 mg is more than the prescribed" in mia.ok("history").text
        out = tmp_path / "doses.csv"
        mia.ok("export", "--from", "2026-11-24", "--to", "2026-11-24", "-o", str(out))
        rows = {r["entry"]: r for r in csv.DictReader(out.open())}
        assert rows["D1"]["flags"] == "1.20 mg is more than the prescribed 0.80 mg"
        assert rows["D2"]["flags"] == "given without a meal or snack within 20 minutes"
        fhir = tmp_path / "f.json"
        mia.ok("export", "--format", "fhir", "--from", "2026-11-24", "-o", str(fhir))
        notes = [n["text"] for e in json.loads(fhir.read_text())["entry"]
                 for n in e["resource"].get("note", [])
                 if e["resource"]["resourceType"] == "MedicationAdministration"]
        assert "flagged: 1.20 mg is more than the prescribed 0.80 mg" in notes

    def test_the_override_reason_reaches_the_csv(self, mia, tmp_path):
        mia.ok("give", "--site", "left-thigh", "--at", "07:35")
        mia.ok("give", "--site", "right-thigh", "--force", "--reason", "leaked out")
        out = tmp_path / "doses.csv"
        mia.ok("export", "--from", "2026-11-24", "--to", "2026-11-24", "-o", str(out))
        reasons = [r["override_reason"] for r in csv.DictReader(out.open())]
        assert "leaked out" in reasons


def test_upgrading_keeps_every_dose_as_it_was_shown(tmp_path, tracker):
    """Migration 0004 gives each mg/kg prescription the weight its mg were shown at."""
    path = tmp_path / "log" / "tracker.db"
    path.parent.mkdir()
    migrate.run_alembic(database_target(str(path)).url, "upgrade", "0003")
    conn = sqlite3.connect(path)
    conn.executescript(
        "INSERT INTO child (id, name, birth_date, timezone, created_at) VALUES "
        "(1, 'Mia', '2018-05-01', 'Europe/Paris', '2026-11-01 08:00:00');"
        "INSERT INTO measurement (id, child_id, measured_on, weight_kg, created_at) VALUES "
        "(1, 1, '2026-11-01', 20, '2026-11-01 08:00:00'),"
        "(2, 1, '2026-11-10', 21, '2026-11-10 08:00:00'),"
        "(3, 1, '2026-11-20', 22, '2026-11-20 08:00:00');"
        "INSERT INTO prescription (id, child_id, starts_at, dose_mg_per_kg, times, "
        "concentration_mg_per_ml, created_at) VALUES "
        "(1, 1, '2026-10-31 23:00:00', 0.04, '07:30,19:30', 10, '2026-11-01 08:00:00'),"
        "(2, 1, '2026-11-14 23:00:00', 0.08, '07:30,19:30', 10, '2026-11-15 08:00:00');"
    )
    conn.commit()
    conn.close()
    migrate.prepare(database_target(str(path)))
    assert sqlite3.connect(path).execute(
        "SELECT id, weight_kg FROM prescription ORDER BY id").fetchall() == [(1, 21.0), (2, 22.0)]
    s = json.loads(tracker.ok("--db", str(path), "status", "--json").out)
    assert s["dose"]["prescribed_mg"] == pytest.approx(1.76)  # 0.08 x 22, as before


def test_reminders_say_do_not_give_and_ask_the_doctor_first(mia, clock):
    from datetime import UTC, datetime

    from tracker.db.session import make_engine
    from tracker.reminders.channels import Result
    from tracker.reminders.service import ReminderService

    class Recorder:
        name = "fake"

        def __init__(self):
            self.sent = []

        def send(self, title, body, actions=()):
            self.sent.append((title, body))
            return Result(self.name, True, None)

    mia.ok("prescribe", "--dose-mg", "2.6", "--force", "--reason", "Dr Roy's trial dose")
    mia.ok("symptom", "headache")
    mia.ok("symptom", "vomiting")
    engine = make_engine(database_target().url)
    channel = Recorder()
    try:
        ReminderService(engine, [channel]).tick(
            datetime.fromisoformat("2026-11-24T19:30:05+01:00").astimezone(UTC)
        )
    finally:
        engine.dispose()
    ((_title, body),) = channel.sent
    assert body.startswith("Do not give this dose: 2.60 mg is 0.130 mg/kg at 20 kg, above the "
                           "label's ceiling of 0.12 mg/kg per injection. Call the child's "
                           "doctor.")
    assert "Ask the child's doctor before giving this dose: headache with vomiting" in body
    assert body.index("Ask the child's doctor") < body.index("site ")
    assert Path(database_target().path or "").exists()
