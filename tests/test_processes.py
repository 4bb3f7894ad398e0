"""tracker as separate processes: start-up imports, racing writers, a real terminal, install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MIA, run_tracker

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}

PROBE = """
import sys
from tracker.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("\\nLOADED", " ".join(m for m in ("sqlalchemy", "alembic") if m in sys.modules))
sys.exit(code)
"""


def loaded(*args: str, env: dict[str, str] | None = None) -> tuple[int, set[str], str]:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )
    line = [x for x in r.stdout.splitlines() if x.startswith("LOADED")][-1]
    return r.returncode, set(line.split()[1:]), r.stdout + r.stderr


class TestStartup:
    @pytest.mark.parametrize(
        "args", [["--help"], ["give", "--help"], ["history", "--help"], ["--version"]]
    )
    def test_help_does_not_import_sqlalchemy(self, args):
        code, modules, out = loaded(*args)
        assert code == 0, out
        assert modules == set(), f"--help imported {modules}"

    def test_current_schema_does_not_import_alembic(self):
        assert run_tracker(*MIA, env=NOW).returncode == 0
        code, modules, out = loaded("status", env=NOW)
        assert code == 0, out
        assert modules == {"sqlalchemy"}


class TestRacingWriters:
    def test_two_caregivers_logging_the_same_slot_exactly_one_wins(self):
        assert run_tracker(*MIA, env=NOW).returncode == 0
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tracker", "give", "--site", site, "--by", who],
                env={**os.environ, **NOW},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for who, site in [
                ("Anna", "left-thigh"),
                ("Sam", "right-thigh"),
                ("Grandma", "left-abdomen"),
                ("Leo", "right-abdomen"),
            ]
        ]
        results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 4, 4, 4], results
        for code, _, err in results:
            if code:
                assert "already given" in err or "just logged" in err
                assert "Traceback" not in err
        status = json.loads(run_tracker("status", "--json", env=NOW).stdout)
        assert status["today"][0]["status"] == "given"
        history = json.loads(run_tracker("history", "--json", env=NOW).stdout)["entries"]
        assert len([e for e in history if e["kind"] == "dose"]) == 1


class TestTerminal:
    def test_first_run_setup_checks_each_answer_and_keeps_the_rest(self, tmp_path):
        """A parent at a real terminal, typing what people type and some mistakes: each
        answer is checked at its own prompt and asked again, nothing answered is lost."""
        import pexpect

        env = {**os.environ, **NOW, "TZ": "Etc/UTC"}
        env.pop("TRACKER_CAREGIVER", None)
        child = pexpect.spawn(sys.executable, ["-m", "tracker", "init"], env=env,
                              encoding="utf-8", timeout=30, dimensions=(40, 100))
        screen: list[str] = []

        def answer(prompt: str, text: str) -> None:
            child.expect(prompt)
            screen.append(child.before + child.after)
            child.sendline(text)

        def said(message: str) -> None:  # an answer refused: said, then asked again
            child.expect(message)
            screen.append(child.before + child.after)

        answer("Child's name", "Mia")
        answer("Date of birth", "31/31/2019")  # no such date: said, asked again
        said("is not a date that exists: check the day and month")
        answer("Date of birth", "12/06/2019")
        answer(r"12 June 2019\?", "n")  # read two ways: the other one, 6 December
        answer("Weight in kg", "heavy")
        said("is not a number: type the weight like 21.5 kg")
        answer("Weight in kg", "21,5")  # a decimal comma
        answer("Height in cm", "")  # Enter: added later
        answer("Girl or boy", "x")
        said("female or male")
        answer("Girl or boy", "girl")
        answer("Dose per injection, as the clinic wrote it", "0.13")
        said("needs its unit")
        answer("Dose per injection, as the clinic wrote it", "13 units")
        answer(r"13 units of the 10 mg/mL vial is 1.30 mg, 0.060 mg/kg at 21.5 kg. Right\?",
               "y")
        answer("Dose times, morning and evening", "")
        answer(r"Time zone: Etc/UTC \(it is 08:00 there now\)", "Atlantis")
        said("no time zone called 'Atlantis'")
        answer("Time zone", "paris")
        answer(r"Europe/Paris \(it is 09:00 there now\)\?", "y")
        answer("When did the injections start", "2026-12-24")  # not yet lived
        said("is in the future")
        answer("When did the injections start", "20/11/2026")  # two weeks ago, day first
        answer("Your name", "Anna")
        answer("Your glucose meter shows mg/dL or mmol/L", "mmol")
        child.expect("Set up Mia")
        child.expect("tracker remind install")
        screen.append(child.before)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, screen
        text = "".join(screen)
        for word in ("float", "Traceback", "Error:", "None", "exception", "D-Bus"):
            assert word not in text, word
        status = json.loads(run_tracker("status", "--json", env=NOW).stdout)
        assert status["timezone"] == "Europe/Paris" and status["dose"]["mg"] == 1.3
        assert status["treatment_start"] == "2026-11-20T00:00:00+01:00"
        listed = run_tracker("child", env=NOW).stdout
        assert "born 2019-12-06" in listed
        assert ("female, growth reference WHO (2006 under 5, 2007 from 5), from the time "
                "zone: France") in listed
        # the caregiver and the meter's unit are this computer's settings now
        given = run_tracker("give", "--site", "left thigh", env=NOW)
        assert given.returncode == 0 and "by Anna" in given.stdout, given.stderr
        low = run_tracker("glucose", "3,1", env=NOW)
        assert low.returncode == 0 and "3.1 mmol/L" in low.stdout, low.stderr

    def test_an_interrupted_setup_writes_nothing(self, tmp_path):
        import pexpect

        child = pexpect.spawn(sys.executable, ["-m", "tracker", "init"],
                              env={**os.environ, **NOW}, encoding="utf-8", timeout=30)
        for prompt, text in (("Child's name", "Mia"), ("Date of birth", "2019-06-12"),
                             ("Weight in kg", "21.5"), ("Height in cm", "118")):
            child.expect(prompt)
            child.sendline(text)
        child.expect("Girl or boy")
        child.sendintr()  # Ctrl-C
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus != 0
        # not even the log's file: the next `tracker init` starts from nothing
        assert not (tmp_path / "log" / "tracker.db").exists()
        assert "there is no log at" in run_tracker("status", env=NOW).stderr

    def test_give_asks_in_a_terminal_and_holds_no_lock_while_it_waits(self):
        """A parent at a real terminal: the dose is shown first, the meal question leads to
        "already given?", and while a question waits another caregiver can still write."""
        import pexpect

        assert run_tracker(*MIA, env=NOW).returncode == 0
        child = pexpect.spawn(
            sys.executable, ["-m", "tracker", "give"], env={**os.environ, **NOW},
            encoding="utf-8", timeout=30,
        )
        # the dose to draw comes first, then the sites numbered, the suggested one marked
        child.expect("Mia's dose: 0.80 mg = 0.08 mL = 8 units")
        child.expect(r"1  left-upper-arm  \(suggested\)")
        child.expect(r"Site \(a number or a name\) \[left-upper-arm\]")
        child.sendline("9")
        child.expect("there is no 9 in the list: type 1 to 8")
        child.sendline("Left Thight")
        child.expect("unknown site 'Left Thight'")
        child.sendline("Left Thigh")
        child.expect("eat within 20 minutes")
        # the question waits: a grandparent logs a glucose check meanwhile, without waiting
        started = time.monotonic()
        other = run_tracker("glucose", "92", env=NOW)
        assert other.returncode == 0, other.stderr
        assert time.monotonic() - started < 10  # not the 15 s busy timeout
        # ...and the reminder service sends and records the 19:30 reminder
        service = subprocess.Popen(
            [sys.executable, "-m", "tracker", "remind", "run"],
            env={**os.environ, "TRACKER_CLOCK_START": "2026-11-24T19:30:01+01:00"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while "2026-11-24/19:30/due" not in str(run_tracker("remind", "log", env=NOW).stdout
                                                     + self._keys()):
                assert time.monotonic() < deadline, "the service could not record its reminder"
                time.sleep(0.3)
        finally:
            service.terminate()
            _, service_err = service.communicate(timeout=30)
        assert "locked" not in service_err and "check failed" not in service_err, service_err
        child.sendline("n")
        child.expect("already been given")
        child.sendline("y")
        child.expect("Logged D1")
        child.expect(r"dose\s+given\s+without\s+food")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        history = json.loads(run_tracker("history", "--json", env=NOW).stdout)["entries"]
        dose = next(e for e in history if e["kind"] == "dose")
        assert dose["site"] == "left-thigh" and dose["meal"] is False
        assert dose["flags"] == ["given without a meal or snack within 20 minutes"]


    @staticmethod
    def _keys() -> str:
        import sqlite3

        from tracker.config import database_target

        path = database_target().path
        assert path is not None
        conn = sqlite3.connect(path)
        try:
            return " ".join(k for (k,) in conn.execute("SELECT key FROM reminder"))
        finally:
            conn.close()


class TestInstalled:
    def test_runs_from_any_directory_with_its_default_database(self, tmp_path, monkeypatch):
        exe = shutil.which("tracker", path=str(Path(sys.executable).parent))
        assert exe, "the tracker command is not installed next to this Python"
        monkeypatch.delenv("TRACKER_DB")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        env = {**os.environ, **NOW}
        r = subprocess.run(
            [exe, *MIA],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert r.returncode == 0, r.stderr
        default = Path(os.environ["XDG_DATA_HOME"]) / "tracker" / "tracker.db"
        assert default.is_file(), r.stdout
        assert str(default) in r.stdout
        assert list(elsewhere.iterdir()) == []

    def test_database_url(self, tmp_path):
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        r = run_tracker(*MIA, env={**NOW, "TRACKER_DATABASE_URL": url})
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "shared.db").is_file()


def test_a_bug_is_one_line_and_a_private_crash_report(tracker, monkeypatch, isolated):
    from tracker.services.views import status

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    tracker.ok(*MIA)
    monkeypatch.setattr(status, "status", broken)
    r = tracker("status")
    assert r.code == 70
    assert r.err.count("\n") == 1 and "bug in tracker" in r.err
    reports = list((isolated / "crash").glob("crash-*.txt"))
    assert len(reports) == 1 and "ZeroDivisionError" in reports[0].read_text()
    assert oct(reports[0].stat().st_mode & 0o777) == "0o600"
