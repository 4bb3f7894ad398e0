"""The label, second read (issue 23): doses as clinics write them, what to do after a
mistake, vials that went wrong, and the drug information section by section.

Each case at its edge, and the words a parent reads checked as they are printed.
"""

from __future__ import annotations

import json

from conftest import MIA


def test_a_dose_in_micrograms_is_read_back_in_mg_and_confirmed(tracker, clock):
    args = list(MIA)
    i = args.index("--dose-mg-per-kg")
    args[i:i + 2] = ["--dose", "40 µg/kg"]
    tracker.ok(*args)
    status = json.loads(tracker.ok("status", "--json").out)
    assert status["dose"]["mg"] == 0.8 and status["dose"]["mg_per_kg"] == 0.04
    asked = tracker("prescribe", "--dose", "60 mcg/kg", input="y\n")
    assert "60 µg/kg is 0.060 mg/kg = 1.20 mg at 20 kg. Right?" in asked.out
    assert asked.code == 0, asked.err
    no = tracker("prescribe", "--dose", "80 micrograms/kg", input="n\n")
    assert no.code == 4 and "80 µg/kg is 0.080 mg/kg = 1.60 mg at 20 kg" in no.err
    assert tracker.rows("SELECT dose_mg_per_kg FROM prescription ORDER BY id") == [
        (0.04,), (0.06,)]
    iu = tracker.fails("prescribe", "--dose", "8 IU", code=2)
    assert "not dosed in international units" in iu.err


def test_after_a_double_dose_the_entry_the_reminder_and_the_status_say_what_to_do(mia, clock):
    from datetime import datetime

    from test_reminder_service import Recorder

    from tracker.config import database_target
    from tracker.db.session import make_engine
    from tracker.reminders.service import ReminderService

    clock.set("2026-11-24T08:10:00+01:00")
    mia.ok("give", "--at", "07:35", "--site", "left-thigh", "--meal")
    second = mia.ok("give", "--site", "right-thigh", "--meal", "--force", "--reason",
                    "Sam did not see it was given")
    said = second.text
    assert ("Call the child's doctor now: a second injection for the 07:30 dose. ! 1. Give a "
            "meal or snack now") in said
    assert "Check blood sugar now if you have a meter, again in an hour" in said
    assert "Call the child's doctor now and say what was given, and when." in said
    status = json.loads(mia.ok("status", "--json").out)["warnings"]
    assert status[0] == "Call the child's doctor now: a second injection for the 07:30 dose."
    assert "watch for signs of low blood sugar" in " ".join(status).lower()
    today = mia.ok("status").text  # the slot says both injections, not just the first
    assert ("07:30 given at 07:35 by Anna, left-thigh (D1); and again at 08:10 by Anna, "
            "right-thigh (D2): a "
            "second injection for this dose") in today
    (slot, _) = json.loads(mia.ok("status", "--json").out)["today"]
    assert slot["entry"] == "D1" and slot["also_given"] == [
        {"entry": "D2", "given_at": "2026-11-24T08:10:00+01:00"}]
    engine = make_engine(database_target().url)
    done = ReminderService(engine, [Recorder()]).tick(
        datetime.fromisoformat("2026-11-24T19:30:05+01:00"))
    engine.dispose()
    (due,) = [o for o, _ in done if "dose due" in o.title]
    assert due.body.startswith("Call the child's doctor now: a second injection for the 07:30 "
                               "dose. First: give a meal or snack now")
    assert "The next dose stays the normal dose" in due.body


def test_a_dose_from_a_vial_on_its_discard_day_and_a_minute_after(mia, clock):
    mia.ok("child", "Mia", "--since", "2026-10-01")
    clock.set("2026-10-25T07:30:00+01:00")  # opened 30 days before 24 Nov 07:30 (the
    mia.ok("vial", "open")                   # calendar's days, across the DST change)
    clock.set("2026-11-24T07:29:00+01:00")  # a minute before its discard day
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.set("2026-11-24T19:31:00+01:00")  # past it
    late = mia.ok("give", "--site", "right-thigh", "--meal")
    assert "had to be discarded" in late.text
    flags = [f for (f,) in mia.rows("SELECT flags FROM dose ORDER BY id")]
    assert flags[0] is None
    assert flags[1] == ("drawn from a vial past its discard day, 30 days after opening "
                        "(Tue 24 Nov 2026 07:30)")


def test_a_dose_from_an_expired_vial_is_flagged_as_expired(mia, clock):
    clock.set("2026-11-20T08:00:00+01:00")
    mia.ok("vial", "open", "--expires", "2026-11-22")
    clock.set("2026-11-23T08:00:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal", "--at", "07:35")
    assert mia.rows("SELECT flags FROM dose") == [
        ("drawn from a vial past its expiry date (22 Nov 2026)",)]


def test_a_draw_bigger_than_what_is_left_asks_whether_a_new_vial_was_opened(mia, clock):
    import sqlite3

    clock.set("2026-11-20T07:30:00+01:00")
    mia.ok("vial", "stock", "2")
    mia.ok("vial", "open", "--lot", "OLD1")
    db = sqlite3.connect(mia.db)
    db.execute("UPDATE vial SET volume_ml = 0.1")  # a nearly empty vial, for the test
    db.commit()
    db.close()
    clock.set("2026-11-20T07:40:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")  # 0.08 of 0.10 mL
    clock.set("2026-11-20T19:40:00+01:00")
    asked = mia("give", "--site", "right-thigh", "--meal", input="y\nNEW2\n")
    assert "The open vial (V1) holds about 0.02 mL, less than this dose (0.08 mL). Was a " \
           "new vial opened for it?" in asked.out
    assert asked.code == 0, asked.err
    assert mia.rows("SELECT lot FROM vial ORDER BY id") == [("OLD1",), ("NEW2",)]
    assert mia.rows("SELECT vial_id, flags FROM dose ORDER BY id") == [(1, None), (2, None)]
    assert "Unopened vials: 0" in mia.ok("vial", "status").out  # taken from the stock
    # without a terminal nothing is assumed: the shortfall is recorded, flagged
    db = sqlite3.connect(mia.db)
    db.execute("UPDATE vial SET volume_ml = 0.1 WHERE id = 2")
    db.commit()
    db.close()
    clock.set("2026-11-21T07:40:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    assert mia.rows("SELECT flags FROM dose ORDER BY id")[-1] == (
        "drawn 0.08 mL from a vial that held about 0.02 mL: the dose may have been short",)


def test_a_vial_that_went_wrong_is_discarded_with_why_and_what_to_do(mia, clock):
    mia.ok("vial", "stock", "3")
    mia.ok("vial", "open", "--lot", "AB123")
    out = mia.ok("vial", "discard", "--reason", "left out of the fridge overnight").text
    assert out.startswith("Recorded: V1, lot AB123 discarded (left out of the fridge overnight)"
                          "; open a new vial before the next dose (run 'tracker vial open').")
    assert "not used again unless the pharmacist or clinic says it may be" in out
    assert "No vial is recorded as open" in mia.ok("vial", "status").out
    frozen = mia.ok("vial", "discard", "--reason", "frozen", "--unopened").text
    assert "an unopened vial discarded (frozen); 1 unopened left" in frozen
    assert "not used, even once thawed" in frozen
    shown = mia.ok("history", "--all").text
    assert "discarded" in shown and "left out of the fridge overnight" in shown
    assert "no vial is recorded as open then" in mia.fails(
        "vial", "discard", "--reason", "dropped", code=2).err


def test_a_coarse_syringe_is_named_where_the_dose_is_shown_and_the_fix_works(tracker, clock):
    setup = tracker.ok("init", "--child", "Noa", "--birth-date", "2023-01-10", "--weight",
                       "4.8", "--dose-mg-per-kg", "0.12", "--timezone", "Europe/Paris",
                       "--syringe", "1ml-2", "--force", "--reason",
                       "first dose as the clinic wrote it").text
    # said where the dose is first shown: the setup's summary
    assert ("too coarse for this dose: 4 units is 31% less than the prescribed 0.58 mg: use "
            "a 0.3 mL syringe with half-unit marks (tracker child Noa --syringe 0.3ml-half)"
            ) in setup
    said = " ".join(json.loads(tracker.ok("status", "--json").out)["warnings"])
    assert ("the 1 mL syringe with 2-unit marks is too coarse for this dose: 4 units is 31% "
            "less than the prescribed 0.58 mg") in said
    fix = "tracker child Noa --syringe 0.3ml-half"
    assert fix in said
    tracker.ok(*fix.split()[1:])
    status = json.loads(tracker.ok("status", "--json").out)
    assert not any("too coarse" in w for w in status["warnings"])
    assert status["dose"]["units"] == 5.5  # 0.55 mg: the nearest half mark under the ceiling
    back = tracker.ok("child", "Noa", "--syringe", "1ml-2").text  # the new draw is shown here
    assert "draw 4 units" in back and "too coarse for this dose: 4 units is 31% less" in back


def test_an_increase_after_a_week_that_was_not_well_tolerated_is_asked_or_warned(mia, clock):
    clock.set("2026-11-27T10:00:00+01:00")
    mia.ok("skip", "--at", "2026-11-25 19:30", "--reason", "ill, fever")
    mia.ok("skip", "--at", "2026-11-26 07:30", "--reason", "still asleep")  # not illness
    mia.ok("symptom", "vomiting", "--at", "2026-11-26 12:00")
    asked = mia("prescribe", "--dose-mg-per-kg", "0.06", input="n\n")
    assert asked.code == 4 and "ask the child's doctor before raising the dose" in asked.err
    assert ("The last 7 days were not well tolerated (vomiting on Thu 26 Nov; a dose withheld "
            "(ill, fever) on Wed 25 Nov): the label raises the dose only if it was well "
            "tolerated for at least one week. Is this increase the doctor's decision?"
            ) in " ".join(asked.out.split())
    assert "still asleep" not in asked.out
    assert mia.rows("SELECT count(*) FROM prescription") == [(1,)]
    warned = mia.ok("prescribe", "--dose-mg-per-kg", "0.06")  # a script: warned, recorded
    assert "not well tolerated" in warned.text
    record = mia.ok("prescribe").text  # the titration record keeps it
    assert "not well tolerated" in record
    # a week later, nothing to say
    clock.set("2026-12-05T10:00:00+01:00")
    calm = mia.ok("prescribe", "--dose-mg-per-kg", "0.08")
    assert "not well tolerated" not in calm.text


def test_a_high_after_a_low_is_called_high_never_back_in_range(mia, clock):
    mia.ok("config", "glucose_unit", "mmol/L")
    clock.set("2026-11-24T10:00:00+01:00")
    mia.ok("glucose", "3.2")
    clock.set("2026-11-24T10:20:00+01:00")
    high = mia.ok("glucose", "14.0").text
    assert ("Call the child's doctor the same day, as soon as you can: 14.0 mmol/L (very "
            "high), up from the low of 3.2 mmol/L. ! 1. Give no more sugar.") in high
    assert "in range" not in high
    clock.set("2026-11-24T10:40:00+01:00")
    assert "6.0 mmol/L (in range), up from the low of 3.2 mmol/L" in mia.ok("glucose",
                                                                          "6.0").text


def test_a_scripted_setup_takes_the_meter_unit_usual_in_the_zone(tracker, clock):
    args = list(MIA)
    args[args.index("Europe/Paris")] = "Europe/London"
    tracker.ok(*args)
    assert tracker.ok("config", "glucose_unit").out.strip() == "mmol/L"
    said = tracker.ok("glucose", "5.5").out  # not refused
    assert "Recorded G1: Mia, 5.5 mmol/L (in range)." in said
