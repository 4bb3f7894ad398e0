"""One outcome, every front (issue 24): the page in process, and the same situations on
the command line, the household page and a notification's buttons.

The page is driven with Starlette's TestClient against a real SQLite log under tmp_path,
so it is tested on any laptop; the chromium tests stay for what needs a browser. Each
situation is produced on each front and the parts a parent reads are compared: the same
headline, the same warnings and advice in the same order, and where a front has to name
an action, its own control (a flag on the command line, a button on the page), never
another front's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Clock, Tracker

from tracker.db.session import make_engine, transaction
from tracker.web.app import create_app
from tracker.web.base import HOST_NAME


class _Flags:
    """A command-line flag or `tracker <command>` in a text (tests/test_actions.py)."""

    @staticmethod
    def search(text: str) -> list[str]:
        from test_actions import front_words

        return front_words(text)


FLAG = _Flags()


class Household:
    """A paired phone on the household page, in process, on the test's clock."""

    def __init__(self, tracker: Tracker, clock: Clock) -> None:
        from starlette.testclient import TestClient

        from tracker.services.record import devices

        self.engine = make_engine(f"sqlite:///{tracker.db}")
        with transaction(self.engine, write=True) as session:
            code = devices.new_pairing(session, name="Eli's phone", caregiver="Eli",
                                       now=clock.now())
        app = create_app(self.engine, clock.now, hosts=[HOST_NAME], secret=b"k" * 32,
                         log=tracker.db, wait=5.0)
        self.root = app.state.web.root  # the page's private path (tracker.web.address)
        self.client = TestClient(app, base_url=f"http://{HOST_NAME}{self.root}")
        paired = self.client.post(f"/pair/{code}", follow_redirects=False)
        assert paired.status_code == 303, paired.text

    def token(self, page: str, action: str) -> str:
        found = re.search(rf'action="{self.root}/do/{action}"[^>]*>\s*'
                          r'<input type="hidden" name="csrf" value="([^"]+)"', page)
        assert found, f"no {action} form on the page"
        return found.group(1)

    def post(self, action: str, page: str = "/", *, answer: str = "yes", **fields: Any) -> Any:
        """Send a form as the page would (its token from the page it is on), answering
        each question the page asks with `answer`; the questions asked are kept."""
        token = self.token(self.client.get(page).text, action)
        response = self.client.post(f"/do/{action}", data={"csrf": token, **fields})
        self.asked: list[str] = []
        while 'id="question"' in response.text:
            text = response.text
            question = re.search(r'id="question">(.*?)</h1>', text)
            assert question is not None and len(self.asked) < 10, self.asked
            self.asked.append(html.unescape(question.group(1)))
            data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text))
            key = re.search(r'<button type="submit" class="big" name="q_([^"]+)" value="yes"',
                            text)
            assert key, "only yes/no questions are answered here"
            data = {k: html.unescape(v) for k, v in data.items()}
            data[f"q_{key.group(1)}"] = answer
            response = self.client.post(f"/do/{action}", data=data)
        return response

    @staticmethod
    def said(response: Any) -> tuple[str | None, str | None]:
        """(what was recorded, why nothing was) as the page shows them after a post."""
        text = response.text
        done = re.search(r'id="done">(.*?)</div>', text, re.S)
        refused = re.search(r'id="said">Not recorded: (.*?)</p>', text, re.S)
        said = None
        if done:  # the headline, then each note, as one text
            said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", done.group(1))).split())
        return (said, html.unescape(refused.group(1)) if refused else None)


@pytest.fixture
def household(mia: Tracker, clock: Clock) -> Iterator[Household]:
    page = Household(mia, clock)
    yield page
    page.engine.dispose()


def press(tracker: Tracker, clock: Clock, action: str) -> Any:
    """A notification's button, pressed for the dose due now."""
    from tracker.services.record import reminder_answers as ra

    engine = make_engine(f"sqlite:///{tracker.db}")
    try:
        return ra.press(engine, action, child_id=1, slot_at=clock.now(), site="left-thigh",
                        now=clock.now(), by="Eli")
    finally:
        engine.dispose()


def at(clock: Clock, iso: str) -> None:
    clock.set(iso)


# --- the page, in process: every route answers in words ---------------------------------

def test_every_page_answers_a_paired_phone(household: Household) -> None:
    for path in ("/", "/log", "/history", "/medicine", "/charts", "/report", "/about",
                 "/about/dosing", "/entry/P1", "/changes", "/manifest.webmanifest"):
        response = household.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    # the one sentence every front ends with, from the one place it is written
    page = html.unescape(household.client.get("/").text)
    assert "<footer><p>tracker is a log, not medical advice: the child's doctor decides the " \
           "dose.</p></footer>" in page


def test_an_unpaired_phone_gets_no_data(household: Household, mia: Tracker) -> None:
    from starlette.testclient import TestClient

    stranger = TestClient(household.client.app, base_url=f"http://{HOST_NAME}{household.root}")
    response = stranger.get("/history")
    assert response.status_code == 401 and "Mia" not in response.text


def test_a_bad_form_field_is_said_in_words_and_records_nothing(household: Household,
                                                               mia: Tracker) -> None:
    """A refused form goes back to its page, which says why once (post, redirect, get)."""
    before = mia.dump()
    token = household.token(household.client.get("/").text, "give")
    response = household.client.post("/do/give", data={"csrf": token, "child": "two"})
    assert response.status_code == 200
    assert household.said(response) == (None, "choose a child")
    assert mia.dump() == before
    # a field the page never sends (an amount in words) is refused the same way
    token = household.token(household.client.get("/").text, "give")
    response = household.client.post("/do/give", data={"csrf": token, "child": "1",
                                                       "dose_mg": "lots"})
    assert household.said(response)[1] is not None and mia.dump() == before


def test_an_unknown_entry_is_said_not_crashed(household: Household) -> None:
    response = household.client.get("/entry/D999")
    assert response.status_code in (400, 404) and "D999" in response.text


def test_a_locked_log_says_so_and_keeps_the_form(household: Household, mia: Tracker,
                                                 clock: Clock) -> None:
    import sqlite3

    at(clock, "2026-11-24T19:31:00+01:00")
    token = household.token(household.client.get("/").text, "give")
    holder = sqlite3.connect(mia.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = household.client.post(
            "/do/give", data={"csrf": token, "child": "1", "site": "left-thigh"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert "busy" in response.text and "Nothing was recorded" in response.text
    assert 'value="left-thigh"' in response.text  # the form is kept for Try again
    assert mia.rows("SELECT count(*) FROM dose") == [(0,)]


# --- the same situation on every front ---------------------------------------------------

def test_a_second_dose_is_refused_alike_each_front_naming_its_own_control(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T19:31:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    clock.advance(minutes=2)
    same = ("the 19:30 dose of 2026-11-24 was already given by Anna at 2026-11-24 19:31 "
            "(entry D1). A second dose is not given; to record one anyway")
    cli = mia.fails("give", "--site", "right-thigh", "--meal", code=4).err
    assert same in cli and "add --force --reason TEXT" in cli
    # the page asks the person (a second injection that happened is recorded, issue 30);
    # answered no, nothing is recorded and the page says why in the same words
    _, page = household.said(household.post("give", child="1", site="right-thigh",
                                            answer="no"))
    assert household.asked == ["Was a second injection really given at 19:33?"]
    assert page is not None and page.startswith(
        "nothing recorded: the 19:30 dose of 2026-11-24 was already given by Anna at "
        "2026-11-24 19:31 (entry D1)")
    assert not FLAG.search(page), page  # the phone never hears a flag
    button = press(mia, clock, "Given")  # one tap: perhaps the same Given twice
    assert not button.ok and button.text.startswith(same)  # the same words on all three
    assert button.text.endswith("to record one anyway needs the doctor's reason, recorded on "
                                "the computer that keeps the log")
    assert not FLAG.search(button.text)
    assert mia.rows("SELECT count(*) FROM dose") == [(1,)]


def test_a_late_dose_says_the_same_parts_in_the_same_order_on_every_front(
        household: Household, mia: Tracker, clock: Clock) -> None:
    """Given 4 h 30 min after its time: the late flag, its correction and the no-make-up
    rule reach the phone too (the page used to drop the notes)."""
    at(clock, "2026-11-24T12:00:00+01:00")  # the 07:30 dose, after its window
    done, refused = household.said(household.post("give", child="1", site="left-thigh"))
    assert refused is None
    assert done is not None and done.startswith(
        "Logged D1: Mia, 0.80 mg = 0.08 mL = 8 units at 2026-11-24 12:00 in left-thigh, by "
        "Eli (07:30 slot, +270 min). Flagged for the clinic.")
    page_note = "If it was given on time, correct it: open D1 in History and correct its time"
    assert page_note in done and not FLAG.search(done)
    # the command line: the same headline and the same note, its action as a command
    mia.ok("undo", "D1")
    cli = mia.ok("give", "--site", "left-thigh", "--meal", "--by", "Eli").text
    assert cli.startswith("Logged D2: Mia, 0.80 mg = 0.08 mL = 8 units at 2026-11-24 12:00 in "
                          "left-thigh, by Eli (07:30 slot, +270 min). Flagged for the clinic.")
    assert "If it was given on time, correct it: tracker edit D2 --at HH:MM" in cli
    # in the same order: what the page said after the headline, the terminal says too
    def parts(text: str) -> list[str]:
        return [p for p in ("late", "correct it", "Next dose") if p in text]

    assert parts(done)[:2] == parts(cli)[:2] == ["late", "correct it"]


def test_a_withheld_dose_says_no_make_up_on_the_page_and_the_command_line(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T19:31:00+01:00")
    done, _ = household.said(household.post("withhold", child="1", reason="ill"))
    assert done is not None and done.startswith(
        "Recorded D1: Mia's 19:30 dose of 2026-11-24 withheld (ill), by Eli.")
    assert "A missed or withheld dose is not made up" in done
    cli = mia.ok("skip", "--at", "07:30", "--reason", "ill").text
    assert cli.startswith("Recorded D2: Mia's 07:30 dose of 2026-11-24 withheld (ill), by Anna.")
    assert "A missed or withheld dose is not made up" in cli


def test_a_button_press_says_the_headline_and_the_outcome_in_full(mia: Tracker,
                                                                   clock: Clock) -> None:
    at(clock, "2026-11-24T19:45:00+01:00")
    answer = press(mia, clock, "Given")
    assert answer.ok and answer.text == (
        "Logged D1: Mia, 0.80 mg = 0.08 mL = 8 units at 2026-11-24 19:45 in left-thigh, by "
        "Eli (19:30 slot, +15 min).")
    shown = mia.ok("show", "D1").text
    assert "0.80 mg" in shown and "left-thigh" in shown


def test_a_tap_is_refused_by_the_use_case_where_a_person_would_be_asked(
        household: Household, mia: Tracker, clock: Clock) -> None:
    """One tap cannot answer a question: the rule in `give` refuses it, not the button."""
    # a dose that must not be given, found after the reminder went out: the tap's person
    # never saw it; the page showed it before Given and records what was really given
    at(clock, "2026-11-24T19:00:00+01:00")
    mia.ok("measure", "--weight", "19", "--force", "--reason", "weighed twice")
    mia.ok("prescribe", "--dose-mg", "2.4", "--force", "--reason", "doctor's letter")
    at(clock, "2026-11-24T19:31:00+01:00")
    stop = ("Do not give this dose: 2.40 mg is 0.126 mg/kg at 19 kg, above the label's "
            "ceiling of 0.12 mg/kg per injection. Call the child's doctor.")
    button = press(mia, clock, "Given")
    assert not button.ok and button.text == stop
    assert mia.rows("SELECT count(*) FROM dose") == [(0,)]
    withheld = press(mia, clock, "Withheld")  # withholding it is what the rule asks
    assert withheld.ok and withheld.entry == "D1"


def test_a_tap_after_its_dose_closed_records_nothing_a_minute_before_it_does(
        household: Household, mia: Tracker, clock: Clock) -> None:
    from tracker.services.record import reminder_answers as ra

    engine = make_engine(f"sqlite:///{mia.db}")
    try:
        said = ("the 19:30 dose's time has passed (it closed at 23:30): it is missed, not made "
                "up. If it was given, log it with the time it was given.")
        # the 19:30 reminder, still on screen on the minute the dose closes, and after
        for when in ("2026-11-24T23:30:00+01:00", "2026-11-24T23:31:00+01:00"):
            at(clock, when)
            slot = clock.now().replace(hour=19, minute=30, second=0)
            for action in (ra.GIVEN, ra.WITHHELD):
                answer = ra.press(engine, action, child_id=1, slot_at=slot, site="left-thigh",
                                  now=clock.now(), by="Eli")
                assert not answer.ok and answer.text == said, when
        at(clock, "2026-11-24T23:29:00+01:00")  # a minute before it closes: recorded
        answer = ra.press(engine, ra.GIVEN, child_id=1, slot_at=slot, site="left-thigh",
                          now=clock.now(), by="Eli")
        assert answer.ok and "(19:30 slot, +239 min)" in answer.text
    finally:
        engine.dispose()


def test_an_undo_says_the_same_on_the_page_and_the_command_line(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T19:31:00+01:00")
    mia.ok("glucose", "92")
    done, _ = household.said(household.post("undo", page="/history", entry="G1", child="1",
                                            q_undo="yes", k_undo="yesno"))
    assert done is not None and done.startswith("Undone G1 (")
    assert "it stays in the history, marked undone" in done
    assert "a mistake? tap Restore beside G1 in History" in done
    cli = mia.ok("restore-entry", "G1").text
    assert cli.startswith("Restored G1 (") and "it counts again" in cli
    again = mia.ok("undo", "G1").text
    assert "a mistake? tracker restore-entry G1" in again


def test_today_says_do_not_give_once(household: Household, mia: Tracker) -> None:
    mia.ok("measure", "--weight", "19", "--force", "--reason", "weighed twice")
    mia.ok("prescribe", "--dose-mg", "2.4", "--force", "--reason", "doctor's letter")
    page = household.client.get("/").text
    assert page.count("Do not give this dose") == 1
    assert "Call the child&#39;s doctor." in page or "Call the child's doctor." in page


def test_snooze_is_one_rule_with_one_default_on_the_command_line_and_the_button(
        mia: Tracker, clock: Clock) -> None:
    typed = mia.ok("remind", "snooze").out.strip()
    button = press(mia, clock, "Snooze")
    assert button.ok and button.text == typed == (
        "Follow-ups quiet for 15 minutes; dose-time reminders still come.")
    assert mia.rows("SELECT value FROM service_state WHERE name = 'snooze_until'") == [
        ("2026-11-24T08:15:00+00:00",)]
    assert "1 to 240" in mia.fails("remind", "snooze", "241", code=2).err


def test_the_other_caregivers_phone_is_told_in_its_own_controls() -> None:
    """A contact's message is read on a phone: the page first, then the reminder's button
    on the computer; never a command, which a phone cannot run (issue 32)."""
    from tracker.reminders.messages import compose_contact

    title, body = compose_contact("Mia", "19:30", 30, "23:30")
    assert title == "Mia: the 19:30 Increlex dose is not logged yet"
    assert ("log it on the household page, or at the computer that keeps the log (Given on "
            "its reminder).") in body
    assert "tracker " not in body
    assert "if Mia cannot eat, withhold it and log why" in body  # no command for a phone
    assert not re.search(r"(?<![\w-])--[a-z]", body), body


def test_a_setting_is_checked_where_it_is_kept(mia: Tracker) -> None:
    """config.set_setting checks every value, so no front can keep a bad one."""
    from tracker import config
    from tracker.errors import InputError

    assert config.set_setting("heads_up_minutes", " 015 ")[1] == "15"
    assert config.set_setting("glucose_unit", "mmol")[1] == "mmol/L"
    assert config.set_setting("keep_backups", "30")[1] == "30"
    assert config.set_setting("caregiver", "  Sam ")[1] == "Sam"
    for key, value in (("heads_up_minutes", "121"), ("heads_up_minutes", "soon"),
                       ("keep_backups", "0"), ("glucose_unit", "ounces"), ("caregiver", " "),
                       ("colour", "blue")):
        with pytest.raises(InputError):
            config.set_setting(key, value)
    assert config.load_settings() == {"heads_up_minutes": "15", "glucose_unit": "mmol/L",
                                      "keep_backups": "30", "caregiver": "Sam"}
    assert "1 to 365" in mia.fails("config", "keep_backups", "0", code=2).err


def test_the_caregiver_is_read_from_a_device_name_as_people_write_it() -> None:
    from tracker.services.record.devices import caregiver_of

    assert caregiver_of("Eli's phone", "Anna") == "Eli"
    assert caregiver_of("Eli\u2019s phone", "Anna") == "Eli"  # a phone's apostrophe
    assert caregiver_of("kitchen tablet", "Anna") == "Anna"
    assert caregiver_of("'s phone", "Anna") == "Anna"


def test_the_service_is_on_only_once_its_heartbeat_is_fresh(clock: Clock) -> None:
    """`remind install` waits for the service's first look at the log, not for the
    service manager's word (a service flow, out of the command line)."""
    from datetime import timedelta

    from tracker.services.operations.reminder_standing import comes_up

    beats = iter([None, None, clock.now() - timedelta(seconds=5)])
    assert comes_up(lambda: next(beats), clock.now, within=5, every=0.01)
    stale = clock.now() - timedelta(hours=1)
    assert not comes_up(lambda: stale, clock.now, within=0.05, every=0.01)


def test_a_vial_opened_and_counted_read_alike_on_the_page_and_the_command_line(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T09:00:00+01:00")
    page, _ = household.said(household.post("stock", page="/medicine", child="1", count="3",
                                            how="set"))
    assert page == "Recorded K1: 3 unopened vials."
    page, _ = household.said(household.post("vial", page="/medicine", child="1"))
    assert page is not None and page.startswith(
        "Recorded V1: Mia's vial opened 2026-11-24 09:00; discard it on Thu 24 Dec 2026 09:00.")
    assert "2 unopened vials left" in page
    assert mia.ok("vial", "stock", "4").out.startswith("Recorded K3: 4 unopened vials.")
    cli = mia.ok("vial", "open").out
    assert cli.startswith("Recorded V2: Mia's vial opened 2026-11-24 09:00; discard it on "
                          "Thu 24 Dec 2026 09:00.")


def test_a_report_from_the_page_sets_where_the_next_one_starts_as_the_command_line_does(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-26T10:00:00+01:00")
    response = household.client.get("/download/report.pdf?child=1")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert mia.rows("SELECT value FROM service_state WHERE name = 'last_report/1'") == [
        ("2026-11-26",)]
    at(clock, "2026-12-10T10:00:00+01:00")
    out = mia.ok("report", "-o", str(mia.db.parent / "next.pdf")).out
    assert "(2026-11-27 to 2026-12-10)" in out  # the day after the page's report


def test_a_correction_reads_alike_on_the_page_and_the_command_line(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T08:00:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    page, refused = household.said(household.post(
        "edit", page="/entry/D1", child="1", entry="D1", site="thigh right", at="", note="",
        why="the other leg"))
    assert refused is None and page is not None
    assert page.startswith("Corrected D1: given 0.80 mg") and "right-thigh" in page
    cli = mia.ok("edit", "D1", "--at", "07:55", "--why", "the clock").out
    assert cli.startswith("Corrected D1: given 0.80 mg") and "right-thigh" in cli
    assert mia.rows("SELECT site, given_at FROM dose") == [
        ("right-thigh", "2026-11-24 06:55:00.000000")]


def test_an_entry_in_full_says_the_same_lines_on_the_page_and_the_command_line(
        household: Household, mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T08:00:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal", "--note", "cried a bit")
    mia.ok("edit", "D1", "--site", "right-thigh", "--why", "the other leg")
    cli = mia.ok("show", "D1").out
    page = html.unescape(re.sub(r"<[^>]+>", " ", household.client.get("/entry/D1").text))
    page = " ".join(page.split())
    for line in cli.splitlines()[1:]:
        said = " ".join(line.replace(" -> ", " → ").split())
        if said.startswith("written"):
            said = "W" + said[1:]
        elif said.startswith("note:"):
            said = "Note:" + said[5:]
        assert said in page, (said, page[:2000])
    assert cli.count("cried a bit") == 1 and page.count("cried a bit") == 1


def test_today_says_each_rule_in_the_pages_own_controls(household: Household,
                                                        mia: Tracker) -> None:
    """Any sentence with an action, wherever a template prints it, names the page's
    control (the templates' finalize), never a command."""
    mia.ok("child", "Mia", "--syringe", "1ml-2")  # 8 units on 2-unit marks: exact, no note
    mia.ok("prescribe", "--dose-mg", "0.3")  # 3 units: too coarse on 2-unit marks
    page = html.unescape(household.client.get("/").text)
    assert "if Mia cannot eat, withhold it: tap Withheld and choose why." in page
    assert page.count("too coarse for this dose") == 1  # beside the dose, said once
    assert page.index("too coarse") < page.index('id="given-1"')  # before Given
    assert "the syringe is set on the computer that keeps the log" in page
    assert not FLAG.search(re.sub(r"<script.*?</script>", "", page, flags=re.S))


def test_the_history_is_paged_by_whole_days_newest_first(mia: Tracker, clock: Clock) -> None:
    """The page's History reads windows of days until a page is full (a service flow)."""
    from datetime import date, timedelta

    from tracker.services.views import history, plan

    for n in range(90):  # a reading a day from 1 August: three pages' worth
        day = date(2026, 8, 1) + timedelta(days=n)
        mia.ok("glucose", "92", "--at", f"{day.isoformat()} 08:00")
    engine = make_engine(f"sqlite:///{mia.db}")
    try:
        with transaction(engine, write=False) as session:
            child = plan.child_by_id(session, 1)
            start, end = date(2026, 8, 1), date(2026, 11, 24)
            first, more = history.newest_page(session, child, start, end, False, clock.now())
            assert len(first) >= history.PAGE and more is not None
            rest, none = history.newest_page(session, child, start, more, False, clock.now())
            assert rest and none is None
            whole = history.history(session, child, start=start, end=end, now=clock.now())
    finally:
        engine.dispose()
    assert [i.ref for i in first + rest] == [i.ref for i in whole]  # nothing lost or twice
    days = {i.when.date() for i in first} & {i.when.date() for i in rest}
    assert not days  # a day is never split between pages


# --- one outcome (issue 32): the same write tells the same on every front -----------------

def test_a_given_dose_tells_the_same_warning_and_next_dose_on_every_front(
        household: Household, mia: Tracker, clock: Clock) -> None:
    """The same injection (the same site as the last one) logged on the command line, the
    page and a notification's Given: the same headline, the same warning, and the next
    dose with its site, in the same order (the page and the button used to drop "Next
    dose")."""
    from tracker.reminders.presses import told

    at(clock, "2026-11-24T19:31:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    at(clock, "2026-11-25T07:35:00+01:00")
    warning = ("left-thigh was also the site of the last injection: rotate sites to avoid "
               "lumps under the skin")
    nxt = "Next dose: 19:30 today; suggested site"
    said = {}
    said["cli"] = mia.ok("give", "--site", "left-thigh", "--meal", "--by", "Eli").text
    mia.ok("undo", "D2")
    page, refused = household.said(household.post("give", child="1", site="left-thigh"))
    assert refused is None and page is not None
    said["page"] = page
    mia.ok("undo", "D3")
    answer = press(mia, clock, "Given")
    assert answer.ok
    said["notification"] = told(answer)
    for front, text in said.items():
        assert re.sub(r"D\d+", "D#", text).startswith(
            "Logged D#: Mia, 0.80 mg = 0.08 mL = 8 units at 2026-11-25 07:35 in left-thigh, "
            "by Eli (07:30 slot, +5 min)."), (front, text)
        assert warning in text and nxt in text, (front, text)
        assert text.index(warning) < text.index(nxt), (front, text)


def test_an_undo_is_asked_first_in_a_terminal_and_tells_the_same_on_every_front(
        household: Household, mia: Tracker, clock: Clock) -> None:
    """The confirmation is the use case's question: the terminal asks it as the page
    does (a script and the notification's Undo, which said so already, are not asked);
    the outcome is the same whole, with the way back, on all three."""
    from tracker.reminders.presses import told
    from tracker.services.record import reminder_answers as ra

    at(clock, "2026-11-24T19:31:00+01:00")
    mia.ok("give", "--site", "left-thigh", "--meal")
    kept = mia("undo", "D1", input="n\n")
    assert "Undo D1 (" in kept.out and "can be restored" in kept.out
    assert kept.code != 0 and "nothing was undone: D1 stays as it was" in kept.err
    assert mia.rows("SELECT voided_at IS NULL FROM dose") == [(1,)]
    cli = mia("undo", "D1", input="y\n")
    assert cli.code == 0 and "Undone D1 (" in cli.out
    assert "a mistake? tracker restore-entry D1" in " ".join(cli.out.split())
    mia.ok("restore-entry", "D1")
    page, _ = household.said(household.post("undo", page="/history", entry="D1", child="1"))
    assert household.asked and household.asked[0].startswith("Undo D1 (")
    assert page is not None and page.startswith("Undone D1 (")
    assert "a mistake? tap Restore beside D1 in History" in page
    mia.ok("restore-entry", "D1")
    engine = make_engine(f"sqlite:///{mia.db}")
    try:
        answer = ra.undo(engine, "D1", pressed_at=clock.now(), now=clock.now(), by="Eli")
    finally:
        engine.dispose()
    assert answer.ok and answer.told is not None
    shown = told(answer)
    assert shown.startswith("Undone D1 (") and "a mistake?" in shown


def test_the_withheld_reasons_are_one_list_for_the_page_and_the_button() -> None:
    from tracker.services.record import log
    from tracker.services.record import reminder_answers as ra
    from tracker.web import base

    assert base.REASONS is log.WITHHELD_REASONS
    assert ra.WITHHELD_REASON in log.WITHHELD_REASONS


def test_a_skip_without_a_reason_is_asked_by_the_use_case(mia: Tracker, clock: Clock) -> None:
    at(clock, "2026-11-24T19:31:00+01:00")
    asked = mia("skip", input="ill\n")
    assert asked.code == 0 and "Why is the dose withheld" in asked.out
    assert "withheld (ill)" in asked.out
    refused = mia.fails("skip", "--at", "07:30", code=2)
    assert "--reason" in refused.err
