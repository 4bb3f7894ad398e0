"""The reminder service's tick on a real log with a hand-moved clock and a fake channel."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tracker.config import database_target
from tracker.db import migrate
from tracker.db.session import make_engine
from tracker.reminders.channels import Result
from tracker.reminders.service import ReminderService


class Recorder:
    name = "fake-desktop"

    def __init__(self, ok: bool = True) -> None:
        self.ok = ok
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str, actions=()) -> Result:
        self.sent.append((title, body))
        return Result(self.name, self.ok, None if self.ok else "no daemon")


class Broken:
    name = "broken"

    def send(self, title: str, body: str, actions=()) -> Result:
        raise RuntimeError("the notification library exploded")


@pytest.fixture
def service(mia):
    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    channel = Recorder()
    svc = ReminderService(engine, [channel])
    svc.channel = channel  # type: ignore[attr-defined]
    yield svc
    engine.dispose()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_due_reminder_says_who_how_much_where_and_the_meal_rule(service):
    done = service.tick(at("2026-11-24T19:30:05+01:00"))
    assert len(done) == 1
    title, body = service.channel.sent[0]
    assert title == "Mia: Increlex dose due (19:30)"
    assert "0.80 mg = 0.08 mL = 8 units" in body and "site left-upper-arm" in body
    assert "20 minutes of a meal or snack" in body and "withhold" in body
    assert service.tick(at("2026-11-24T19:31:00+01:00")) == []  # once


def test_logged_dose_silences_follow_ups(service, mia, clock):
    service.tick(at("2026-11-24T19:30:05+01:00"))
    clock.set("2026-11-24T19:40:00+01:00")
    mia.ok("give", "--site", "left-thigh")
    assert service.tick(at("2026-11-24T20:05:00+01:00")) == []
    assert service.tick(at("2026-11-24T23:35:00+01:00")) == []


def test_follow_up_then_missed_says_not_to_double(service, mia, clock):
    service.tick(at("2026-11-24T19:30:05+01:00"))
    done = service.tick(at("2026-11-24T20:00:10+01:00"))
    assert "not logged yet" in done[0][0].title
    service.tick(at("2026-11-24T20:30:10+01:00"))
    done = service.tick(at("2026-11-24T23:30:10+01:00"))
    assert "was missed" in done[0][0].title
    body = done[0][0].body
    assert ("Nothing was logged for it. A missed or withheld dose is not made up: give the "
            "normal dose at the next time, never a double one. The next one is at 07:30.") in body
    # the command it names works as typed: the 19:30 dose, given late, is logged
    assert body.endswith("If it was given, log it with its time (tracker give --at 19:30).")
    clock.set("2026-11-24T23:31:00+01:00")
    logged = mia.ok(*body.rsplit("(tracker ", 1)[1].rstrip(").").split()).text
    assert logged.startswith("Logged D1: Mia, 0.80 mg") and "(19:30 slot, +0 min)" in logged


class Screen:
    """A desktop that keeps one notification per dose (channels.Threaded)."""

    name = "screen"

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}  # thread -> title on screen
        self.other: list[str] = []

    def send(self, title, body, actions=(), *, thread=None) -> Result:
        if thread is None:
            self.other.append(title)
        else:
            self.shown[thread] = title  # a later reminder of a dose takes its place
        return Result(self.name, True)

    def withdraw(self, thread) -> None:
        self.shown.pop(thread, None)


def test_one_reminder_per_dose_stays_on_screen_until_the_dose_is_logged(mia, clock):
    target = database_target()
    engine = make_engine(target.url)
    screen = Screen()
    svc = ReminderService(engine, [screen])
    try:
        svc.tick(at("2026-11-24T19:30:05+01:00"))
        assert screen.shown == {"1/2026-11-24/19:30": "Mia: Increlex dose due (19:30)"}
        svc.tick(at("2026-11-24T20:00:10+01:00"))  # the follow-up takes the due's place
        assert screen.shown == {"1/2026-11-24/19:30": "Mia: the 19:30 dose is not logged yet"}
        clock.set("2026-11-24T20:03:00+01:00")
        mia.ok("give", "--site", "left-thigh", "--by", "Sam")  # at the other computer
        assert svc.tick(at("2026-11-24T20:04:00+01:00")) == []
        assert screen.shown == {}  # its buttons would only be refused now
        # the next dose has its own
        svc.tick(at("2026-11-25T07:30:05+01:00"))
        assert list(screen.shown) == ["1/2026-11-25/07:30"]
        assert svc.on_screen == {"1/2026-11-25/07:30": at("2026-11-25T07:30:00+01:00")}
        # a dose nobody logged: its missed notice stays until dismissed, and is
        # forgotten after two days
        svc.tick(at("2026-11-25T11:30:05+01:00"))
        assert screen.shown == {"1/2026-11-25/07:30": "Mia: the 07:30 dose was missed"}
        svc.tick(at("2026-11-27T07:31:00+01:00"))
        assert "1/2026-11-25/07:30" not in svc.on_screen
    finally:
        engine.dispose()


def test_every_attempt_is_recorded_and_a_broken_channel_does_not_stop_the_others(mia):
    target = database_target()
    engine = make_engine(target.url)
    good = Recorder()
    svc = ReminderService(engine, [Broken(), Recorder(ok=False), good])
    svc.tick(at("2026-11-24T19:30:05+01:00"))
    engine.dispose()
    rows = mia.rows("SELECT channel, ok, error, detail FROM notification_attempt ORDER BY id")
    assert rows == [
        ("broken", 0, "the broken channel failed",
         "RuntimeError: the notification library exploded"),
        ("fake-desktop", 0, "no daemon", None), ("fake-desktop", 1, None, None),
    ]
    assert len(good.sent) == 1


def test_two_services_on_one_log_send_once(mia):
    target = database_target()
    engines = [make_engine(target.url) for _ in range(2)]
    channels = [Recorder(), Recorder()]
    services = [ReminderService(e, [c]) for e, c in zip(engines, channels, strict=True)]
    now = at("2026-11-24T19:30:05+01:00")
    threads = [threading.Thread(target=s.tick, args=(now,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(channels[0].sent) + len(channels[1].sent) == 1
    for e in engines:
        e.dispose()


def test_slept_through_it_one_reminder_on_wake(service):
    done = service.tick(at("2026-11-24T20:50:00+01:00"))  # due and follow-ups passed
    assert [d[0].title for d in done] == ["Mia: the 19:30 dose is not logged yet"]


def test_travel_moves_the_schedule(service, mia):
    mia.ok("child", "Mia", "--timezone", "America/New_York")
    assert service.tick(at("2026-11-24T19:30:05+01:00")) == []  # 13:30 in New York
    done = service.tick(at("2026-11-24T19:30:05-05:00"))
    assert done and "(19:30)" in done[0][0].title


def test_schedule_change_takes_effect_without_restart(service, mia, clock):
    clock.set("2026-11-24T12:00:00+01:00")
    mia.ok("prescribe", "--times", "08:00,20:00")
    assert service.tick(at("2026-11-24T19:30:05+01:00")) == []
    done = service.tick(at("2026-11-24T20:00:05+01:00"))
    assert "(20:00)" in done[0][0].title


def test_daily_supply_check(service, mia, clock):
    mia.ok("vial", "open", "--at", "2026-10-20 08:00")  # past its 30 days
    done = service.tick(at("2026-11-24T19:30:05+01:00"))  # the day's first dose time
    titles = [d[0].title for d in done]
    assert "Mia: Increlex supply" in titles
    supply = next(d[0] for d in done if d[0].title == "Mia: Increlex supply")
    assert "discarded" in supply.body
    again = service.tick(at("2026-11-24T20:00:05+01:00"))
    assert again and all(d[0].title != "Mia: Increlex supply" for d in again)
    tomorrow = service.tick(at("2026-11-25T07:30:05+01:00"))
    assert "Mia: Increlex supply" in [d[0].title for d in tomorrow]


def test_next_wakeup_is_recorded(service, mia):
    service.tick(at("2026-11-24T19:00:00+01:00"))
    rows = dict(mia.rows("SELECT name, value FROM service_state"))
    assert rows["next"] == "2026-11-24T18:30:00+00:00"
    assert rows["heartbeat"].startswith("2026-11-24T18:00")


def test_before_the_first_dose_nothing(service, mia):
    # the injections start with tonight's dose: the morning is not a missed dose
    mia.ok("child", "Mia", "--since", "2026-11-24 12:00")
    assert service.tick(at("2026-11-24T10:00:00+01:00")) == []
    assert service.tick(at("2026-11-24T12:30:00+01:00")) == []


def test_a_morning_dose_nobody_logged_since_the_treatment_start_is_followed_up(service):
    done = service.tick(at("2026-11-24T10:00:00+01:00"))
    assert [o.title for o, _ in done] == ["Mia: the 07:30 dose is not logged yet"]


def test_snooze_status_and_log_commands(service, mia, clock):
    r = mia.ok("remind", "status")
    assert r.out.startswith("Reminders are NOT on: ")
    clock.set("2026-11-24T19:30:05+01:00")
    service.tick(clock.now())
    r = mia.ok("remind", "status")
    assert r.out.startswith("Reminders are on: the reminder service is running (last check")
    assert "last reminder:" in r.out and "Mia: Increlex dose due (19:30)" in r.out
    assert "next reminder:" in r.out
    said = mia.ok("remind", "snooze", "45").out
    assert said == "Follow-ups quiet for 45 minutes; dose-time reminders still come.\n"
    assert service.tick(at("2026-11-24T20:00:10+01:00")) == []  # follow-up quieted
    done = service.tick(at("2026-11-24T20:16:00+01:00"))
    assert [d[0].title for d in done] == ["Mia: the 19:30 dose is not logged yet"]
    log = mia.ok("remind", "log").out
    assert log.count("fake-desktop") == 2
    clock.set("2026-11-24T22:00:00+01:00")
    stopped = mia.ok("remind", "status").out  # a service that stopped checking: not on
    assert stopped.startswith("Reminders are NOT on: ")


def test_cli_and_service_write_at_the_same_time_without_locking_errors(service, mia):
    import os
    import subprocess
    import sys

    stop = threading.Event()
    errors: list[BaseException] = []

    def ticking():
        t = at("2026-11-24T19:30:00+01:00")
        try:
            while not stop.is_set():
                service.tick(t)
                t += timedelta(seconds=20)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=ticking)
    thread.start()
    env = {**os.environ, "TRACKER_FAKE_NOW": "2026-11-24T23:00:00+01:00"}
    procs = [subprocess.Popen([sys.executable, "-m", "tracker", *args], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for args in [("symptom", "headache", "--at", f"2{i}:00") for i in range(3)]
             + [("glucose", "90", "--at", f"22:{i}0") for i in range(3)]]
    results = [(p.wait(timeout=60), p.communicate()[1]) for p in procs]
    stop.set()
    thread.join(timeout=30)
    assert errors == []
    assert [code for code, _ in results] == [0] * 6, results
    assert not any("locked" in err for _, err in results)


def test_a_heads_up_before_the_dose_when_asked_for_and_not_for_a_logged_slot(mia, clock):
    mia.ok("config", "heads_up_minutes", "15")
    assert "1 to 120" in mia.fails("config", "heads_up_minutes", "soon", code=2).err
    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    channel = Recorder()
    svc = ReminderService(engine, [channel])  # the setting is read at every tick
    from tracker.db.session import transaction

    with transaction(engine, write=False) as session:
        assert svc.next_wakeup(session, at("2026-11-24T12:00:00+01:00")) == at(
            "2026-11-24T19:15:00+01:00")
    assert svc.tick(at("2026-11-24T19:14:00+01:00")) == []
    svc.tick(at("2026-11-24T19:15:05+01:00"))
    assert channel.sent[-1] == (
        "Mia's dose in 15 minutes (19:30)",
        "0.80 mg = 0.08 mL = 8 units, site left-upper-arm. Within 20 minutes of a meal or "
        "snack; if Mia cannot eat, withhold it and log why.",
    )
    svc.tick(at("2026-11-24T19:30:05+01:00"))
    assert channel.sent[-1][0] == "Mia: Increlex dose due (19:30)"
    # the morning dose logged early: no heads-up for it
    clock.set("2026-11-25T07:05:00+01:00")
    mia.ok("give", "--site", "left-thigh")
    before = len(channel.sent)
    svc.tick(at("2026-11-25T07:15:05+01:00"))
    assert len(channel.sent) == before
    mia.ok("config", "heads_up_minutes", "--unset")
    svc.tick(at("2026-11-25T19:15:05+01:00"))
    assert len(channel.sent) == before  # off again: nothing before the dose time
    engine.dispose()


def test_buttons_go_on_dose_reminders_only_given_first_and_never_on_the_missed_notice(mia):
    class WithButtons(Recorder):
        def send(self, title, body, actions=()):
            self.labels = [*getattr(self, "labels", []), (title, [a.label for a in actions])]
            return super().send(title, body, actions)

    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    channel = WithButtons()
    svc = ReminderService(engine, [channel])
    for moment in ("2026-11-24T19:30:05", "2026-11-24T20:00:05", "2026-11-24T23:30:05"):
        svc.tick(at(moment + "+01:00"))
    engine.dispose()
    assert channel.labels == [
        ("Mia: Increlex dose due (19:30)",
         ["Given · left-upper-arm", "Withheld", "Snooze 15 min"]),
        ("Mia: the 19:30 dose is not logged yet",
         ["Given · left-upper-arm", "Withheld", "Snooze 15 min"]),
        ("Mia: the 19:30 dose was missed", []),
    ]


def test_a_press_is_carried_out_or_refused_in_words(mia):
    from tracker.services.record import reminder_answers as ra

    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    slot = at("2026-11-24T19:30:00+01:00")

    def press(action, now):
        return ra.press(engine, action, child_id=1, slot_at=slot, site="left-thigh",
                        now=at(now), by="Anna")

    late = press(ra.GIVEN, "2026-11-24T23:31:00+01:00")
    assert not late.ok and late.text == ("the 19:30 dose's time has passed (it closed at "
                                         "23:30): it is missed, not made up. If it was given, "
                                         "log it with the time it was given.")
    withheld = press(ra.WITHHELD, "2026-11-24T19:35:00+01:00")
    assert withheld.ok and withheld.entry == "D1"
    assert withheld.text == ("Recorded D1: Mia's 19:30 dose of 2026-11-24 withheld (not eating), "
                             "by Anna.")
    assert withheld.notes == ("A missed or withheld dose is not made up: give the normal dose "
                              "at the next time, never a double one.",)
    again = press(ra.GIVEN, "2026-11-24T19:36:00+01:00")
    assert not again.ok and again.text.startswith(
        "the 19:30 dose of 2026-11-24 was already withheld")
    assert ra.undo(engine, "D1", pressed_at=at("2026-11-24T19:35:00+01:00"),
                   now=at("2026-11-24T19:46:00+01:00"), by="Anna").text == (
        "too late to undo here: undo D1 in the history")
    undone = ra.undo(engine, "D1", pressed_at=at("2026-11-24T19:35:00+01:00"),
                     now=at("2026-11-24T19:44:00+01:00"), by="Anna")
    assert undone.ok
    given = press(ra.GIVEN, "2026-11-24T19:45:00+01:00")
    assert given.ok and given.text == ("Logged D2: Mia, 0.80 mg = 0.08 mL = 8 units at "
                                       "2026-11-24 19:45 in left-thigh, by Anna (19:30 slot, "
                                       "+15 min).")
    snooze = press(ra.SNOOZE, "2026-11-24T19:46:00+01:00")
    assert snooze.ok and snooze.text == ("Follow-ups quiet for 15 minutes; dose-time reminders "
                                         "still come.")
    engine.dispose()
    assert mia.rows("SELECT value FROM service_state WHERE name = 'snooze_until'") == [
        ("2026-11-24T19:01:00+00:00",)]  # 20:01 in Paris
    rows = mia.rows("SELECT status, site, meal, given_by FROM dose WHERE voided_at IS NULL")
    assert rows == [("given", "left-thigh", 1, "Anna")]


def test_remind_run_only_reads_its_options_and_starts_the_assembled_service():
    """The reminder service is put together in reminders/ (assemble.run), so another
    front could start it; the command line's 'remind run' only reads its options."""
    import inspect

    from tracker.cli.remind_cmds import run_cmd
    from tracker.reminders import assemble

    body = inspect.getsource(run_cmd.callback).split('"""')[-1]  # after its help
    assert len(body.strip().splitlines()) <= 20, body
    assert "assemble.run(" in body
    assert inspect.signature(assemble.run).parameters.keys() >= {"host", "follow_up", "say"}
