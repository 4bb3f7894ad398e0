"""The reminder service under faults (issue 12): a log locked by another program, a stop
asked while a check waits, a second service, the log replaced or deleted under it.

Real processes wherever the fault is about processes; a running test clock
(TRACKER_CLOCK_START) wherever the schedule matters, never sleeps on the real clock's
dose times. What each test survived is added to the suite's figures.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import MIA, run_tracker

from tracker.config import database_target
from tracker.db.session import make_engine
from tracker.reminders.channels import Result
from tracker.reminders.service import ReminderService

pytestmark = pytest.mark.robustness

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
HOLD = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "c.execute(\"INSERT INTO service_state VALUES ('held', 'x', '2026-01-01 00:00:00')\")\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


class Recorder:
    name = "fake-desktop"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str, actions=()) -> Result:
        self.sent.append((title, body))
        return Result(self.name, True, None)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def hold_the_lock(db: Path) -> subprocess.Popen[str]:
    """Another program holding the log's write lock until told to stop."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def figure(figures: dict[str, int], name: str) -> None:
    figures[name] = figures.get(name, 0) + 1


@pytest.fixture
def log(isolated: Path) -> Path:
    assert run_tracker(*MIA, env=NOW).returncode == 0
    return isolated / "log" / "tracker.db"


def test_a_locked_log_does_not_silence_a_reminder(log, figures):
    holder = hold_the_lock(log)
    said: list[str] = []
    channel = Recorder()
    engine = make_engine(database_target().url, busy_ms=200)
    service = ReminderService(engine, [channel], path=log, say=said.append)
    try:
        done = service.tick(at("2026-11-24T19:30:05+01:00"))
        assert [o.title for o, _ in done] == ["Mia: Increlex dose due (19:30)"]
        assert len(said) == 1
        assert said[0].startswith(
            f"tracker remind: the log is locked by pid {holder.pid}: -c import sqlite3, sys")
        assert said[0].endswith(": reminders are still sent, and recorded when the log is free")
        assert service.tick(at("2026-11-24T19:31:00+01:00")) == []  # not twice
        assert len(said) == 1  # said once, not at every check
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        assert service.tick(at("2026-11-24T19:32:00+01:00")) == []
        assert said[-1] == "tracker remind: the log can be written again; reminders are recorded"
        conn = sqlite3.connect(log)
        assert conn.execute("SELECT key FROM reminder").fetchall() == [("2026-11-24/19:30/due",)]
        assert conn.execute("SELECT channel, ok FROM notification_attempt").fetchall() == [
            ("fake-desktop", 1)]
        conn.close()
        done = service.tick(at("2026-11-24T20:00:10+01:00"))
        assert [o.title for o, _ in done] == ["Mia: the 19:30 dose is not logged yet"]
        assert len(channel.sent) == 2
    finally:
        if holder.poll() is None:
            holder.kill()
        engine.dispose()
    figure(figures, "service faults survived")


def service(env: dict[str, str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "remind", "run"],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    return proc


def wait_for(proc: subprocess.Popen[bytes], text: str, seen: list[bytes],
             timeout: float = 30) -> str:
    """Read the service's stderr until `text` appears; everything read so far."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while text.encode() not in b"".join(seen):
        left = deadline - time.monotonic()
        assert left > 0, f"no {text!r} from the service: {b''.join(seen)!r}"
        ready, _, _ = select.select([proc.stderr], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(proc.stderr.fileno(), 65536)
            if not chunk:
                break
            seen.append(chunk)
    return b"".join(seen).decode()


def finish(proc: subprocess.Popen[bytes], seen: list[bytes]) -> tuple[int, str]:
    assert proc.stderr is not None
    rest = proc.stderr.read()
    proc.wait(timeout=30)
    return proc.returncode, (b"".join(seen) + rest).decode()


def test_a_stop_ends_the_service_within_seconds_while_its_check_waits(log, figures):
    holder = hold_the_lock(log)
    proc = service({"TRACKER_CLOCK_START": "2026-11-24T19:30:03+01:00"})
    seen: list[bytes] = []
    try:
        wait_for(proc, "watching", seen)
        time.sleep(0.5)  # its first check is now waiting for the lock
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code, err = finish(proc, seen)
        took = time.monotonic() - asked
    finally:
        if proc.poll() is None:
            proc.kill()
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert took < 8, f"stopping took {took:.1f} s"
    assert code == 0, err
    assert "stopped" in err and "Traceback" not in err
    figure(figures, "service faults survived")


def test_deleting_the_lock_file_does_not_let_a_second_service_start(log, figures):
    clock = {"TRACKER_CLOCK_START": "2026-11-24T10:00:00+01:00"}
    first = service(clock)
    seen: list[bytes] = []
    try:
        wait_for(first, "watching", seen)
        deadline = time.monotonic() + 30
        status_at = {"TRACKER_FAKE_NOW": "2026-11-24T10:00:05+01:00"}
        while not run_tracker("remind", "status", env=status_at).stdout.startswith(
                "Reminders are on"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        log.with_name(log.name + ".remind.lock").unlink()
        second = subprocess.run([sys.executable, "-m", "tracker", "remind", "run"],
                                env={**os.environ, **clock}, capture_output=True, text=True,
                                timeout=60)
    finally:
        first.send_signal(signal.SIGTERM)
        finish(first, seen)
    assert second.returncode == 5
    assert second.stderr.startswith("tracker: a reminder service is already running for this "
                                    f"log (pid {first.pid} on ")
    figure(figures, "service faults survived")


def test_a_replaced_log_is_read_again_and_a_dose_logged_in_it_silences_the_reminder(
        log, tmp_path, figures):
    """A sync tool puts another copy of the log in place, where the 07:30 dose was logged
    at 07:29: the service must not remind "dose due" at 07:30 from the file it had open."""
    copy = tmp_path / "other" / "tracker.db"
    copy.parent.mkdir()
    conn = sqlite3.connect(log)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    copy.write_bytes(log.read_bytes())
    r = run_tracker("give", "--site", "left-thigh", "--meal",
                    env={"TRACKER_DB": str(copy),
                         "TRACKER_FAKE_NOW": "2026-11-25T07:29:00+01:00"})
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    proc = service({"TRACKER_CLOCK_START": "2026-11-25T07:29:50+01:00"})
    seen: list[bytes] = []
    try:
        wait_for(proc, "watching", seen)
        time.sleep(1)  # its first check is done
        conn = sqlite3.connect(log)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        staged = log.with_name("incoming.db")
        staged.write_bytes(copy.read_bytes())
        os.replace(staged, log)  # as a sync tool does: write aside, rename over
        wait_for(proc, "was replaced", seen, timeout=40)
        time.sleep(2)
    finally:
        proc.send_signal(signal.SIGTERM)
        code, err = finish(proc, seen)
    assert code == 0, err
    assert "Increlex dose due (07:30)" not in err
    conn = sqlite3.connect(log)
    beat = conn.execute("SELECT value FROM service_state WHERE name='heartbeat'").fetchone()
    conn.close()
    assert beat is not None and beat[0] >= "2026-11-25T06:30"  # it writes to the new file
    figure(figures, "service faults survived")


def test_a_deleted_log_stops_the_service_with_one_line(log, figures):
    proc = service({"TRACKER_CLOCK_START": "2026-11-24T10:00:00+01:00"})
    seen: list[bytes] = []
    try:
        wait_for(proc, "watching", seen)
        time.sleep(1)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{log}{suffix}").unlink(missing_ok=True)
        proc.send_signal(signal.SIGHUP)  # check now
        code, err = finish(proc, seen)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 5
    last = err.strip().splitlines()[-1]
    assert last == (f"tracker: the log {log} is gone (deleted or moved): the reminder service "
                    "stops; put the log back (tracker restore FILE) and start it again")
    assert not log.exists()  # and it did not make a new, empty one
    figure(figures, "service faults survived")


WRITER = """
import contextlib, io, sys, time
from datetime import UTC, datetime
from tracker.cli import main
from tracker.cli.app import App

name, seconds = sys.argv[1], float(sys.argv[2])
at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
end = time.monotonic() + seconds
i = 0
while time.monotonic() < end:
    i += 1
    said = io.StringIO()
    try:
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(io.StringIO()):
            main(["glucose", "90", "--note", f"{name}-{i}"], app=App(clock=lambda: at,
                                                                    interactive=False))
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code == 0 and "Recorded" in said.getvalue():
        print(f"{name}-{i}", flush=True)
"""


def notes_in(db: Path) -> set[str]:
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT note FROM glucose WHERE note IS NOT NULL")}
    finally:
        conn.close()


def test_restores_under_writers_lose_no_confirmed_entry(log, tmp_path, figures):
    backup = tmp_path / "saved.db"
    assert run_tracker("backup", "-o", str(backup), env=NOW).returncode == 0
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{n}", "8"],
                                env={**os.environ}, stdout=subprocess.PIPE, text=True)
               for n in range(2)]
    kept: list[Path] = []
    restores = 0
    try:
        time.sleep(1)
        for _ in range(4):
            r = run_tracker("restore", str(backup), env=NOW)
            assert r.returncode == 0, r.stderr
            line = next(x for x in r.stdout.splitlines() if "previous log was kept as" in x)
            kept.append(Path(line.split("kept as ")[1].strip()))
            restores += 1
            time.sleep(1)
    finally:
        confirmed: set[str] = set()
        for w in writers:
            out, _ = w.communicate(timeout=120)
            confirmed |= set(out.split())
    assert confirmed, "the writers were never answered"
    found = notes_in(log)
    for copy in kept:
        found |= notes_in(copy)
    assert confirmed <= found, f"answered but lost: {sorted(confirmed - found)[:5]}"
    figures["restores under load"] = figures.get("restores under load", 0) + restores
    figures["entries confirmed during restores, all found"] = (
        figures.get("entries confirmed during restores, all found", 0) + len(confirmed))


def test_a_second_restore_at_once_is_refused_in_one_line(log, tmp_path):
    import fcntl

    backup = tmp_path / "saved.db"
    assert run_tracker("backup", "-o", str(backup), env=NOW).returncode == 0
    lock = os.open(log.with_name(log.name + ".restore.lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a restore is running
        r = run_tracker("restore", str(backup), env=NOW)
    finally:
        os.close(lock)
    assert r.returncode == 5
    assert r.stderr == "tracker: another restore of this log is running: nothing was changed\n"


@pytest.fixture
def own_folder(log: Path):
    """The log in a folder of its own user: as root (CI), nobody's, reachable from /tmp."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="tracker-user-"))
    folder = base / "log"
    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(log)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    moved = folder / "tracker.db"
    moved.write_bytes(log.read_bytes())
    moved.chmod(0o600)
    env = {**os.environ, **NOW, "TRACKER_DB": str(moved), "HOME": str(base),
           "TRACKER_CONFIG": str(base / "settings.json"), "TRACKER_CRASH_DIR": str(base / "c")}
    prefix: list[str] = []
    if os.geteuid() == 0:  # root writes anything: be another user, as on a shared machine
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for p in [base, *base.rglob("*")]:
            os.chown(p, 65534, 65534)
    yield moved, env, prefix
    import shutil

    shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_shm_is_named_and_reading_still_works(own_folder):
    """After the log was opened read-only once, SQLite leaves `-shm` read-only: writes
    fail, and the message and doctor must name that file, not the (writable) log."""
    log, env, prefix = own_folder

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "tracker", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    log.chmod(0o400)
    assert run("status").returncode == 0  # reading a read-only log works
    log.chmod(0o600)
    shm = Path(f"{log}-shm")
    assert shm.exists() and shm.stat().st_mode & 0o200 == 0
    r = run("glucose", "90")
    assert r.returncode == 5
    assert r.stderr == (f"tracker: {shm} is read-only (mode 400), left by an earlier "
                        f"read-only use of the log: make it writable (chmod 600 {shm}); the "
                        "log itself is fine\n")
    for args in (["status"], ["history"], ["export", "--format", "json"]):
        assert run(*args).returncode == 0, args  # reading keeps working
    done = run("doctor")
    doctor = done.stdout
    assert done.stdout, done.stderr
    assert f"!!  {shm.name} is mode 400: read-only, so every write to the log fails" in doctor
    assert f"-> chmod 600 {shm}" in doctor
    shm.chmod(0o600)
    assert run("glucose", "90").returncode == 0


def test_a_vanished_log_is_not_silently_replaced_by_an_empty_one(log):
    assert run_tracker("backup", env=NOW).returncode == 0
    for suffix in ("", "-wal", "-shm"):
        Path(f"{log}{suffix}").unlink(missing_ok=True)
    r = run_tracker("glucose", "90", env=NOW)
    assert r.returncode == 5
    assert r.stderr.startswith(f"tracker: the log {log} is missing, but it has backups: put "
                               "the newest back with 'tracker restore ")
    assert not log.exists()
    newest = r.stderr.split("tracker restore ")[1].split("'")[0]
    assert run_tracker("restore", newest, env=NOW).returncode == 0
    assert run_tracker("glucose", "90", env=NOW).returncode == 0


def test_doctor_flags_a_service_that_holds_the_lock_but_no_longer_checks_this_log(log):
    import fcntl

    lock = log.with_name(log.name + ".remind.lock")
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # as a service started on the file before it was replaced
        fh.write("pid 4242")
        fh.flush()
        r = run_tracker("doctor", env=NOW)
    assert r.returncode == 1
    assert ("!!  a reminder service is running (pid 4242) but has not checked this log "
            "lately: it may be watching a file that was replaced or deleted") in r.stdout


def test_the_installed_service_reads_its_log_from_the_owner_only_file(log, tmp_path):
    """As `remind install` sets it up: the unit names the file; the file says which log."""
    from tracker.config import database_target
    from tracker.db import migrate
    from tracker.services.operations.autostart import write_env_file

    empty = tmp_path / "other" / "empty.db"
    empty.parent.mkdir()
    assert run_tracker("--db", str(empty), "status", env=NOW).returncode == 3  # no log yet
    migrate.prepare(database_target(str(empty)))  # a log with no child in it
    assert run_tracker("--db", str(empty), "status", env=NOW).returncode == 3  # no child
    env_file = write_env_file(tmp_path / "remind.env.json", {"TRACKER_DB": str(empty)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "remind", "run", "--env-file", str(env_file)],
        env={**os.environ, "TRACKER_CLOCK_START": "2026-11-24T10:00:00+01:00"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: list[bytes] = []
    try:
        wait_for(proc, "nothing to remind", seen)
        err = wait_for(proc, "watching", seen)
    finally:
        proc.send_signal(signal.SIGTERM)
        finish(proc, seen)
    assert f"watching {empty}" in err  # the file decided, not TRACKER_DB of the environment
    env_file.chmod(0o644)
    r = subprocess.run([sys.executable, "-m", "tracker", "remind", "run", "--env-file",
                        str(env_file)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 5 and "can be read by others" in r.stderr
