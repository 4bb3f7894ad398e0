"""Acknowledged means committed (issue 12): real processes whose output goes away.

"Logged" or "Recorded" is said only after the commit, and nothing that happens to the
output afterwards (a closed pipe, `| head -1`, a full disk under `> file`, a closed terminal
or a logout) can undo the entry or leave one that was never said. Each figure is printed
in the suite's summary.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MIA, run_tracker

pytestmark = pytest.mark.robustness

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}

# Every command that writes the log, with the row it leaves (table, condition).
WRITERS: list[tuple[tuple[str, ...], str]] = [
    (("give", "--site", "left-thigh", "--meal"), "SELECT count(*) FROM dose WHERE status='given'"),
    (("skip", "--at", "19:30", "--reason", "not eating"),
     "SELECT count(*) FROM dose WHERE status='withheld'"),
    (("symptom", "headache", "--severity", "mild"), "SELECT count(*) FROM symptom"),
    (("glucose", "65"), "SELECT count(*) FROM glucose"),
    (("measure", "--height", "118"), "SELECT count(*) FROM measurement WHERE height_cm=118"),
    (("prescribe", "--times", "08:00,20:00"), "SELECT count(*) FROM prescription"),
    (("vial", "stock", "3"), "SELECT count(*) FROM stock_change"),
    (("vial", "open", "--lot", "AB1"), "SELECT count(*) FROM vial"),
    (("remind", "snooze", "20"),
     "SELECT count(*) FROM service_state WHERE name='snooze_until'"),
    (("child", "Mia", "--timezone", "Europe/Berlin"),
     "SELECT count(*) FROM child WHERE timezone='Europe/Berlin'"),
    (("init", "--child", "Leo", "--birth-date", "2019-01-01", "--weight", "18",
      "--dose-mg-per-kg", "0.04"), "SELECT count(*) FROM child WHERE name='Leo'"),
]


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def log(isolated: Path) -> Path:
    assert run_tracker(*MIA, env=NOW).returncode == 0
    return isolated / "log" / "tracker.db"


@pytest.mark.parametrize("args,sql", WRITERS, ids=[" ".join(a[:2]) for a, _ in WRITERS])
def test_a_closed_pipe_never_undoes_the_entry(log, figures, args, sql):
    """The reader is gone before tracker says anything: the write stays, exit 0."""
    before = count(log, sql)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", *args],
                            env={**os.environ, **NOW}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -c 0`
    err = proc.stderr.read() if proc.stderr else ""
    assert proc.wait(timeout=60) == 0, err
    assert err == "" or "note:" in err, err  # no traceback, no "broken pipe" failure
    assert count(log, sql) == before + 1
    figures["answers lost to a closed pipe, entries kept"] = (
        figures.get("answers lost to a closed pipe, entries kept", 0) + 1)


@pytest.mark.parametrize("head", [["head", "-1"], ["head", "-c", "10"]])
def test_head_reads_the_start_and_the_entry_is_there(log, head):
    shell = f"{sys.executable} -m tracker give --site left-thigh --meal | {' '.join(head)}"
    r = subprocess.run(["sh", "-c", shell], env={**os.environ, **NOW}, capture_output=True,
                       text=True, timeout=60, check=False)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout.startswith("Logged D1"[: len(r.stdout)]) and r.stdout
    assert count(log, "SELECT count(*) FROM dose") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_an_answer_to_a_full_disk_says_the_work_is_done(log):
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "tracker", "glucose", "90"],
                           env={**os.environ, **NOW}, stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=60, check=False)
    assert r.returncode == 0
    assert r.stderr.strip() == (
        "tracker: note: done, but the answer could not be written: No space left on device")
    assert count(log, "SELECT count(*) FROM glucose") == 1


def _said_and_signalled(env: dict[str, str], sig: int, delay: float | None) -> bool:
    """Run `tracker give`, signal it after `delay` s (None: as soon as it answers)."""
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "give", "--site", "left-thigh",
                             "--meal"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + 30
    start = time.monotonic()
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.005)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
        if not sent and ((delay is None and b"Logged" in seen)
                         or (delay is not None and time.monotonic() - start >= delay)):
            proc.send_signal(sig)
            sent = True
    proc.wait(timeout=30)
    return b"Logged" in seen


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_before_or_after_the_answer_leaves_an_entry_iff_it_was_said(
        log, tmp_path, figures, sig):
    """A closed terminal (SIGHUP) or a logout (SIGTERM) at any moment of `tracker give`: as
    "Logged" appears (the moment a parent closes the laptop), or at random moments."""
    conn = sqlite3.connect(log)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    rng = random.Random(1129 + sig)
    cases = [None] * 8 + [rng.uniform(0.05, 0.6) for _ in range(16)]
    said_count = 0
    for i, delay in enumerate(cases):
        db = tmp_path / f"run{i}" / "tracker.db"
        db.parent.mkdir(mode=0o700)
        shutil.copy(log, db)
        env = {**os.environ, **NOW, "TRACKER_DB": str(db)}
        said = _said_and_signalled(env, sig, delay)
        found = count(db, "SELECT count(*) FROM dose") == 1
        assert said == found, (delay, said, found)
        if delay is None:
            assert said, "signalled as the answer appeared: the entry must be there"
        said_count += said
    assert said_count >= 8  # every answer that appeared came with its entry
    name = f"{signal.Signals(sig).name} sent around an answer"
    figures[name] = figures.get(name, 0) + len(cases)
    figures["answers given and entries found"] = (
        figures.get("answers given and entries found", 0) + said_count)
