"""tracker as separate processes: start-up imports, racing writers, a real terminal, install."""

from __future__ import annotations

import json
import os
import select
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
    def test_init_asks_for_what_is_missing_in_a_terminal(self, tmp_path):
        """A real pseudo-terminal: tracker prompts, we answer like a parent."""
        import pty

        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "init", "--timezone", "Europe/Paris"],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env={**os.environ, **NOW},
            close_fds=True,
        )
        os.close(follower)
        seen = b""

        def expect(text: str) -> None:
            nonlocal seen
            deadline = time.monotonic() + 30
            while text.encode() not in seen:
                assert time.monotonic() < deadline, f"no prompt {text!r}; screen: {seen!r}"
                ready, _, _ = select.select([leader], [], [], 1)
                if ready:
                    try:
                        seen += os.read(leader, 4096)
                    except OSError:
                        break

        for prompt, answer in [
            ("name", "Mia"),
            ("birth", "2018-05-01"),
            ("Weight", "20"),
            ("mg/kg", "0.04"),
            ("Dose times", ""),
            ("Sex, for the growth charts", "girl"),
        ]:
            expect(prompt)
            seen = b""
            os.write(leader, answer.encode() + b"\r")
        expect("Set up Mia")
        assert proc.wait(timeout=30) == 0
        os.close(leader)
        status = json.loads(run_tracker("status", "--json", env=NOW).stdout)
        assert status["dose"]["mg"] == 0.8 and status["timezone"] == "Europe/Paris"
        listed = run_tracker("child", env=NOW).stdout
        assert "female, growth reference UK-WHO" in listed  # a Paris clinic: UK-WHO

    def test_give_asks_in_a_terminal_and_holds_no_lock_while_it_waits(self):
        """A parent at a real terminal: the dose is shown first, the meal question leads to
        "already given?", and while a question waits another caregiver can still write."""
        import pexpect

        assert run_tracker(*MIA, env=NOW).returncode == 0
        child = pexpect.spawn(
            sys.executable, ["-m", "tracker", "give"], env={**os.environ, **NOW},
            encoding="utf-8", timeout=30,
        )
        child.expect("Mia's dose: 0.80 mg = 0.08 mL = 8 units")
        child.expect("Site")
        child.sendline("left thigh")
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
        child.expect("No meal with this dose")
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
    from tracker.services import status

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
