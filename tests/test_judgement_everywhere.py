"""Each event is judged once and every place shows that judgement (issue 30).

For each scenario a parent and a pharmacist met, the same level and the same first step
are read where a person reads them: the answer on the command line, status (text and
JSON), the household page in process (an emergency or a call now is an alert, never a
green "done"), the reminder, the contact's message, the history, the spreadsheet's
judgement column and the clinic report (its text, through poppler's pdftotext).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime

import pytest
from conftest import Clock, Tracker
from test_fronts import Household, household  # noqa: F401  (the page, in process)
from test_report import flat, poppler  # noqa: F401  (the report's text)

from tracker.domain import urgency

HEAD = urgency.HEADINGS


def done_box(response) -> tuple[str, str, list[str]]:
    """(class, role, lines) of the box a post leaves on the page."""
    import html

    box = re.search(r'<div class="([^"]+)" role="(\w+)" id="done">(.*?)</div>',
                    response.text, re.S)
    assert box is not None, response.text[:2000]
    lines = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
             for li in re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", box.group(3), re.S)]
    return box.group(1), box.group(2), lines


def standing(tracker: Tracker) -> list[dict]:
    return json.loads(tracker.ok("status", "--json").out)["standing"]


def history(tracker: Tracker) -> dict[str, dict]:
    items = json.loads(tracker.ok("history", "--json", "--from", "2026-11-20").out)["entries"]
    return {i["id"]: i for i in items if i.get("id")}


def report(tracker: Tracker, tmp_path) -> str:
    out = tmp_path / "report.pdf"
    tracker.ok("report", "--from", "2026-11-20", "-o", str(out))
    return flat(out)


def export(tracker: Tracker, what: str) -> list[dict[str, str]]:
    text = tracker.ok("export", "--what", what, "--from", "2026-11-20").out
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def reminder(tracker: Tracker, iso: str) -> str:
    """The body of the dose reminder the service sends at `iso`."""
    from tracker.config import database_target
    from tracker.db.session import make_engine
    from tracker.reminders.channels import Result
    from tracker.reminders.service import ReminderService

    class Recorder:
        name = "fake"

        def __init__(self):
            self.sent = []

        def send(self, title, body, actions=()):
            self.sent.append(body)
            return Result(self.name, True, None)

    engine = make_engine(database_target().url)
    channel = Recorder()
    try:
        ReminderService(engine, [channel]).tick(datetime.fromisoformat(iso).astimezone(UTC))
    finally:
        engine.dispose()
    return " ".join(channel.sent)


def test_hives_with_swelling_is_an_emergency_everywhere(mia: Tracker, clock: Clock,
                                                        household: Household,  # noqa: F811
                                                        poppler, tmp_path):  # noqa: F811
    page = household.post("symptom", "/log", child="1", kind="rash-or-swelling", severity="severe")
    cls, role, lines = done_box(page)
    assert "alarm" in cls.split() and role == "alert"  # never the green "done"
    assert lines[1] == f"{HEAD['emergency']}: a severe allergic reaction (rash or swelling)."
    assert lines[2] == "1. Call emergency services now."
    today = household.client.get("/").text  # Today: an emergency looks like one
    assert re.search(r'<p class="first alarm" role="alert">Call emergency services now: a '
                     r'severe allergic reaction', today)
    cli = mia.ok("symptom", "rash", "--severity", "severe").text
    assert f"!! {HEAD['emergency']}: a severe allergic reaction (rash or swelling)." in cli
    assert "!! 1. Call emergency services now." in cli
    status = mia.ok("status").text
    assert f"!! {HEAD['emergency']}: a severe allergic reaction" in status
    assert "Ask the child's doctor before giving this dose: a severe allergic reaction" in status
    assert [s["level"] for s in standing(mia)] == ["emergency", "emergency"]
    assert history(mia)["S1"]["judgement"]["level"] == "emergency"
    text = report(mia, tmp_path)
    assert "Needs the doctor (2)" in text
    assert "emergency now: a severe allergic reaction (rash or swelling). First: call " \
           "emergency services now" in text
    assert "[emergency now: a severe allergic reaction (rash or swelling)]" in text
    assert "the same day" not in text.split("Needs the doctor")[1].split("Growth")[0]
    (row, _) = export(mia, "symptoms")
    assert row["judgement"] == "emergency now: a severe allergic reaction (rash or swelling)"


def test_a_headache_then_vomiting_is_the_same_day_on_every_front(mia: Tracker, clock: Clock,
                                                                  poppler,  # noqa: F811
                                                                  tmp_path):
    first = mia.ok("symptom", "headache", "--at", "08:00").text
    assert f"{HEAD['visit']}: headache." in first
    clock.set("2026-11-25T09:00:00+01:00")
    cli = mia.ok("symptom", "vomiting").text
    assert f"! {HEAD['today']}: headache with vomiting." in cli
    assert "! 1. Call the child's doctor today; if the doctor cannot be reached today" in cli
    assert "2. Do not give the next dose until the child's doctor says so." in cli
    status = mia.ok("status").text
    assert "Ask the child's doctor before giving this dose: headache with vomiting" in status
    assert [(s["entry"], s["level"]) for s in standing(mia)] == [("S2", "today")]
    # the reminder of the next dose and the other caregiver's message say it first
    body = reminder(mia, "2026-11-25T19:30:05+01:00")
    assert body.startswith("Ask the child's doctor before giving this dose: headache with "
                           "vomiting was logged.")
    found = history(mia)
    assert found["S2"]["judgement"]["what"] == "headache with vomiting"
    assert found["S1"]["judgement"]["level"] == "visit"  # as it was when it was logged
    text = report(mia, tmp_path)
    assert "[the doctor today: headache with vomiting]" in text
    assert "[next visit: headache]" in text
    assert "S2 2026-11-25 09:00 the doctor today: headache with vomiting. First: call the " \
           "child's doctor today" in text


def test_a_double_dose_is_the_doctor_now_until_its_watch_ends(mia: Tracker, clock: Clock,
                                                              household: Household,  # noqa: F811
                                                              poppler, tmp_path):  # noqa: F811
    clock.set("2026-11-24T07:35:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.set("2026-11-24T07:50:00+01:00")
    # the dad on his phone: a second injection that was given is recorded, not refused
    page = household.post("give", child="1", site="right-thigh")
    assert household.asked[0] == "Was a second injection really given at 07:50?"
    cls, role, lines = done_box(page)
    assert "alarm" in cls.split() and role == "alert"
    assert lines[1] == f"{HEAD['doctor-now']}: a second injection for the 07:30 dose."
    assert lines[2] == f"1. {urgency.FOOD_NOW}"
    assert mia.rows("SELECT extra FROM dose ORDER BY id") == [(0,), (1,)]
    today = household.client.get("/").text  # Today says it above the next dose
    first = re.search(r'<p class="first alarm" role="alert">([^<]+)</p>', today)
    assert first is not None and html.unescape(first.group(1)).startswith(
        f"{HEAD['doctor-now']}: a second injection for the 07:30 dose. First: give a meal")
    assert today.index('class="first alarm"') < today.index('class="next"')
    # twenty minutes later, the other parent reads status: the same judgement, whole
    clock.set("2026-11-24T08:10:00+01:00")
    status = mia.ok("status").text
    assert f"! {HEAD['doctor-now']}: a second injection for the 07:30 dose." in status
    assert f"! 1. {urgency.FOOD_NOW}" in status
    assert [(s["entry"], s["level"]) for s in standing(mia)] == [("D2", "doctor-now")]
    # the evening reminder leads with it; after 12 hours it is no longer said
    body = reminder(mia, "2026-11-24T19:30:05+01:00")
    assert f"{HEAD['doctor-now']}: a second injection for the 07:30 dose. First: give a " \
           "meal or snack now" in body
    clock.set("2026-11-24T19:51:00+01:00")
    assert standing(mia) == []
    # info when-to-call files it under the same heading
    info = mia.ok("info", "when-to-call").text
    heading = info.index(f"{HEAD['doctor-now']}:")
    assert heading < info.index("more medicine than prescribed") < info.index(
        f"{HEAD['today']}:")
    # the clinic's files: page one leads with it; the spreadsheet's column says it
    text = report(mia, tmp_path)
    lead = text.split("Needs the doctor (1)")[1].split("Growth")[0]
    assert "D2 2026-11-24 07:50 the doctor now: a second injection for the 07:30 dose" in lead
    assert "given twice (an extra injection) (1)" in text  # not an ordinary dot
    rows = [r for r in export(mia, "doses") if r["entry"] == "D2"]
    assert rows[0]["judgement"] == "the doctor now: a second injection for the 07:30 dose"


def test_the_same_given_tapped_twice_on_a_reminder_is_still_refused(mia: Tracker,
                                                                    clock: Clock):
    from test_fronts import press

    clock.set("2026-11-24T07:35:00+01:00")
    assert press(mia, clock, "Given").ok
    again = press(mia, clock, "Given")
    assert not again.ok and "was already given" in again.text
    assert mia.rows("SELECT count(*) FROM dose") == [(1,)]
    # a script is refused too; a person at a terminal is asked and may say no
    mia.fails("give", "--site", "left-thigh", "--meal")
    no = mia("give", "--site", "left-thigh", "--meal", input="n\n")
    assert no.code != 0 and "nothing recorded" in no.err
    assert mia.rows("SELECT count(*) FROM dose") == [(1,)]


def test_a_low_on_the_phone_is_an_act_now_box_with_its_recheck(mia: Tracker, clock: Clock,
                                                               household: Household):  # noqa: F811
    mia.ok("config", "glucose_unit", "mmol/L")
    page = household.post("glucose", "/log", child="1", reading="3.1")
    cls, role, lines = done_box(page)
    assert "act" in cls.split() and "alarm" not in cls.split()
    assert role == "status"
    assert lines[1] == f"{HEAD['today']}: a low blood sugar (3.1 mmol/L)."
    assert lines[2] == f"1. {urgency.FAST_SUGAR}"
    assert f"2. {urgency.RECHECK}" in lines
    cli = mia.ok("glucose", "3.1").text
    assert f"! {HEAD['today']}: a low blood sugar (3.1 mmol/L)." in cli
    assert [s["level"] for s in standing(mia)] == ["today", "today"]
    assert history(mia)["G1"]["summary"].startswith("blood sugar 3.1 mmol/L (low)")
    (row, _) = export(mia, "glucose")
    assert (row["level"], row["judgement"]) == ("low", "the doctor today: a low blood sugar "
                                                       "(3.1 mmol/L)")


@pytest.mark.parametrize("value,level,what", [
    ("25", "today", "a very high blood sugar (25.0 mmol/L)"),
    ("12", "soon", "a high blood sugar (12.0 mmol/L)"),
    ("2.7", "doctor-now", "a very low blood sugar (2.7 mmol/L)"),
])
def test_a_reading_is_judged_on_its_own(mia: Tracker, value, level, what):
    cli = mia.ok("glucose", value, "--unit", "mmol/L").text
    assert f"{HEAD[level]}: {what}." in cli
    assert [(s["level"], s["what"]) for s in standing(mia)] == [(level, what)]


def test_vomiting_after_a_dose_says_it_counts_on_the_page_and_in_status(
        mia: Tracker, clock: Clock, household: Household):  # noqa: F811
    clock.set("2026-11-24T07:35:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.set("2026-11-24T08:35:00+01:00")
    page = household.post("symptom", "/log", child="1", kind="vomiting")
    cls, _, lines = done_box(page)
    assert "act" in cls.split()
    assert lines[1] == f"{HEAD['visit']}: vomiting 1 h 00 min after a dose (D1)."
    assert lines[2] == "1. The dose counts as given: do not give it again."
    status = mia.ok("status").text
    assert f"{HEAD['visit']}: vomiting 1 h 00 min after a dose (D1)." in status


def test_a_vial_thrown_out_as_frozen_flags_the_doses_drawn_from_it(mia: Tracker,
                                                                   clock: Clock,
                                                                   poppler,  # noqa: F811
                                                                   tmp_path):
    clock.set("2026-11-24T07:00:00+01:00")
    mia.ok("vial", "open", "--lot", "AB12")
    clock.set("2026-11-24T07:35:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.set("2026-11-24T12:00:00+01:00")
    said = mia.ok("vial", "discard", "--reason", "frozen").text
    assert ("The dose already given from it (D1) counts as given: do not give it again."
            in said)
    assert "Tell the pharmacist or the child's doctor within a few days" in said
    assert history(mia)["D1"]["judgement"]["level"] == "soon"
    (row,) = [r for r in export(mia, "doses") if r["entry"] == "D1"]
    assert row["judgement"].startswith("within days: the 07:30 dose drawn from V1 (lot AB12)")
    text = report(mia, tmp_path)
    assert "frozen 2026-11-24" in text and "finished" not in text
