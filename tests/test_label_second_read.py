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
    assert "A second injection for the same dose (a double dose): give a meal or snack now" in said
    assert "check blood sugar now if you have a meter, again in an hour" in said
    assert "call the child's doctor now and say a double dose was given" in said
    status = json.loads(mia.ok("status", "--json").out)["warnings"]
    assert status[0].startswith("Mia's 08:10 injection (D2) was a second injection for the "
                                "same dose (a double dose): watch for signs of low blood sugar")
    engine = make_engine(database_target().url)
    done = ReminderService(engine, [Recorder()]).tick(
        datetime.fromisoformat("2026-11-24T19:30:05+01:00"))
    engine.dispose()
    (due,) = [o for o, _ in done if "dose due" in o.title]
    assert due.body.startswith("Mia's 08:10 injection (D2) was a second injection")
    assert "the next dose stays the normal dose" in due.body
