"""Shared fixtures: every test gets its own log, settings and clock; none touches a real one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import settings

from tracker.cli import main
from tracker.cli.app import App
from tracker.domain import dosing, safety
from tracker.domain.dosing import SYRINGES
from tracker.errors import InputError

# Property tests explore new cases on every run on a laptop; under CI they replay the same
# derandomized cases, so that a landing is decided by the code and not by the draw.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

# A Tuesday in Paris, after breakfast.
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path tracker uses at this test's folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "log" / "tracker.db"))
    monkeypatch.setenv("TRACKER_CONFIG", str(tmp_path / "settings.json"))
    monkeypatch.setenv("TRACKER_CRASH_DIR", str(tmp_path / "crash"))
    monkeypatch.setenv("TRACKER_CAREGIVER", "Anna")
    for name in (
        "TRACKER_DATABASE_URL",
        "TRACKER_CHILD",
        "TRACKER_FAKE_NOW",
        "TRACKER_DEBUG",
        "TRACKER_LANGUAGE",
        "LC_ALL",
        "LC_MESSAGES",
    ):
        monkeypatch.delenv(name, raising=False)
    # English, whatever the machine's locale, unless a test speaks another language; a
    # command run in process sets the process's language, so each test starts afresh
    monkeypatch.setenv("LANGUAGE", "en")
    from tracker import i18n

    i18n.use("en")
    return tmp_path


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, iso: str) -> None:
        self.at = datetime.fromisoformat(iso).astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """The output with its line wrapping undone, for finding sentences in it."""
        return " ".join(self.out.split())


class Tracker:
    """Runs the real `main()` (with its error handling) in process, on the test's clock."""

    def __init__(self, clock: Clock, db: Path) -> None:
        self.clock = clock
        self.db = db

    def __call__(self, *args: str, input: str | None = None) -> Result:
        """Without `input`, as from a script; with it, as a person answering at a terminal."""
        runner = CliRunner()
        with runner.isolation(input=input) as (out, err, _):
            try:
                main(list(args), app=App(clock=self.clock.now, interactive=input is not None))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        return Result(code, out.getvalue().decode(), err.getvalue().decode())

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.code == 0, f"tracker {' '.join(args)} failed: {result.err}{result.out}"
        return result

    def fails(self, *args: str, code: int | None = None) -> Result:
        """A refused command: non-zero, one line on stderr, no traceback, nothing changed."""
        before = self.dump()
        result = self(*args)
        assert result.code != 0, f"tracker {' '.join(args)} should have failed: {result.out}"
        if code is not None:
            assert result.code == code, result.err
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("tracker: ")
        assert "Traceback" not in result.err + result.out
        assert self.dump() == before, "a refused command changed the log"
        return result

    def dump(self) -> list[str]:
        """Every row of the log (creating the empty schema on first use is not a change)."""
        if not self.db.exists():
            return []
        conn = sqlite3.connect(self.db)
        try:
            return [
                line
                for line in conn.iterdump()
                if line.startswith("INSERT") and "alembic_version" not in line
            ]
        except sqlite3.DatabaseError:  # not a database: compare the bytes instead
            return [self.db.read_bytes().hex()]
        finally:
            conn.close()

    def rows(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


@pytest.fixture
def tracker(clock: Clock, isolated: Path) -> Tracker:
    return Tracker(clock, isolated / "log" / "tracker.db")


MIA = (
    "init",
    "--child",
    "Mia",
    "--birth-date",
    "2018-05-01",
    "--weight",
    "20",
    "--dose-mg-per-kg",
    "0.04",
    "--timezone",
    "Europe/Paris",
    "--since",
    "2026-11-20",
)


@pytest.fixture
def mia(tracker: Tracker) -> Tracker:
    """A log with one child, Mia, in Paris: 0.04 mg/kg x 20 kg = 0.80 mg at 07:30 and 19:30."""
    tracker.ok(*MIA)
    return tracker


def run_tracker(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """tracker as a separate process, the way a parent runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


# What the robustness suite did, printed at the end of the run (issue 6): kills survived,
# writes checked, fuzz cases tried, environments broken. Tests add to it with `figures`.
FIGURES: dict[str, int] = {}


@pytest.fixture
def figures() -> dict[str, int]:
    return FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("robustness figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value:,}")


# --- shared by the rules' tests (test_rule_*.py) ---------------------------------------

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)  # 13:00 in Paris
NOW_DEC3 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 10:00 in Paris, the label's second read
TODAY_DEC3 = date(2026, 12, 3)

HALF = SYRINGES["0.3ml-half"]
WHOLE = SYRINGES["0.3ml"]
HALF_ML = SYRINGES["0.5ml"]
ONE_ML = SYRINGES["1ml"]
TWO = SYRINGES["1ml-2"]


def message(exc_info: pytest.ExceptionInfo[BaseException]) -> str:
    """The refusal as the command line says it (its actions named as commands)."""
    from tracker.cli.say import text

    return text(exc_info.value)


def said(exc: pytest.ExceptionInfo[InputError]) -> str:
    """The refusal as the service says it, before a front names its actions."""
    return str(exc.value)


def precision(draw: dosing.Draw, child: str) -> str | None:
    """The syringe note as the command line says it (the finer syringe's command)."""
    from tracker.cli.say import text

    note = safety.precision_note(draw, child)
    return None if note is None else text(note)


def units(mg: float, syringe: dosing.Syringe = HALF, ceiling: float | None = None,
          concentration: float = 10.0) -> float:
    return dosing.draw(mg, syringe=syringe, ceiling=ceiling, concentration=concentration).units


def local(at: datetime, zone: ZoneInfo = PARIS) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
