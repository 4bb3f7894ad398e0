"""Every file tracker writes, written one safe way (issue 13): tried as a hostile local
user would, with symlinks, pre-created temporary files and read-only folders.

Each attack is counted in the suite's figures.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import MIA, run_tracker

pytestmark = pytest.mark.robustness

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
NOBODY = 65534


def counted(figures: dict[str, int]) -> None:
    figures["file attacks tried, none succeeded"] = (
        figures.get("file attacks tried, none succeeded", 0) + 1)


@pytest.fixture
def log(isolated: Path) -> Path:
    assert run_tracker(*MIA, env=NOW).returncode == 0
    return isolated / "log" / "tracker.db"


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A folder every user may write in, like /tmp (sticky)."""
    base = Path(tempfile.mkdtemp(prefix="tracker-shared-"))
    base.chmod(0o1777)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def is_sqlite(path: Path) -> bool:
    return path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_a_symlink_at_the_destination_is_not_followed(log, tmp_path, figures):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    victim.chmod(0o644)
    out = tmp_path / "out.db"
    out.symlink_to(victim)
    for args in (["backup", "-o", str(out)], ["export", "-o", str(out)],
                 ["report", "-o", str(out)]):
        r = run_tracker(*args, env=NOW)
        assert r.returncode == 2 and "already exists" in r.stderr, (args, r.stderr)
        counted(figures)
    assert victim.read_text() == "someone else's file" and out.is_symlink()
    # --force replaces the link itself, never what it points to
    r = run_tracker("export", "--force", "-o", str(out), env=NOW)
    assert r.returncode == 0, r.stderr
    assert not out.is_symlink() and victim.read_text() == "someone else's file"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    counted(figures)


def test_a_symlink_at_the_old_temporary_name_is_not_followed(log, tmp_path, figures):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    out = tmp_path / "out.db"
    (tmp_path / ".out.db.tmp").symlink_to(victim)
    r = run_tracker("backup", "-o", str(out), env=NOW)
    assert r.returncode == 0, r.stderr
    assert victim.read_text() == "someone else's file"
    assert is_sqlite(out) and stat.S_IMODE(out.stat().st_mode) == 0o600
    counted(figures)


def test_a_temporary_file_made_in_advance_by_another_user_gets_nothing(log, shared, figures):
    planted = shared / ".out.db.tmp"
    planted.touch()
    planted.chmod(0o666)
    os.chown(planted, NOBODY, NOBODY)
    out = shared / "out.db"
    r = run_tracker("backup", "-o", str(out), env=NOW)
    assert r.returncode == 0, r.stderr
    assert planted.stat().st_size == 0  # the other user's file holds nothing of the log
    assert is_sqlite(out)
    st = out.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o600, os.geteuid())
    counted(figures)


def test_a_settings_file_that_is_a_symlink_is_replaced_not_followed(log, isolated, figures):
    victim = isolated / "victim.json"
    victim.write_text("{}")
    settings = isolated / "settings.json"
    settings.unlink(missing_ok=True)
    settings.symlink_to(victim)
    r = run_tracker("config", "caregiver", "Sam", env=NOW)
    assert r.returncode == 0, r.stderr
    assert victim.read_text() == "{}" and not settings.is_symlink()
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    counted(figures)


def test_two_crash_reports_in_one_second_keep_two(tracker, monkeypatch, isolated):
    from tracker.services.views import status

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    tracker.ok(*MIA)
    monkeypatch.setattr(status, "status", broken)
    assert tracker("status").code == 70
    assert tracker("status").code == 70
    reports = list((isolated / "crash").glob("crash-*.txt"))
    assert len(reports) == 2
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in reports)


def test_a_read_only_folder_is_one_line_and_leaves_nothing(log, tmp_path, figures):
    """As another user (root writes anywhere), into a folder they may not write."""
    base = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    try:
        base.chmod(0o755)
        own = base / "log"
        own.mkdir(mode=0o700)
        conn = sqlite3.connect(log)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        mine = own / "tracker.db"
        mine.write_bytes(log.read_bytes())
        closed = base / "closed"
        closed.mkdir()
        closed.chmod(0o755)  # root's: nobody may write here
        prefix: list[str] = []
        if os.geteuid() == 0:
            prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            for p in [own, *own.rglob("*")]:
                os.chown(p, NOBODY, NOBODY)
        else:
            closed.chmod(0o555)
        env = {**os.environ, **NOW, "TRACKER_DB": str(mine), "HOME": str(base),
               "TRACKER_CONFIG": str(own / "settings.json")}
        for args in (["backup", "-o", str(closed / "b.db")],
                     ["export", "-o", str(closed / "e.csv")],
                     ["report", "-o", str(closed / "r.pdf")]):
            r = subprocess.run([*prefix, sys.executable, "-m", "tracker", *args], env=env,
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 5, (args, r.stderr)
            assert r.stderr.count("\n") == 1 and "cannot write in" in r.stderr, r.stderr
            counted(figures)
        assert list(closed.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def foreign(path: Path, revision: str) -> Path:
    """Another Alembic app's database: its revisions are numbered like ours."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
        f"INSERT INTO alembic_version VALUES ('{revision}');"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
        "INSERT INTO users (email) VALUES ('someone@example.org');"
    )
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("revision", ["0002", "0008"])
def test_restore_refuses_another_apps_database_that_looks_like_ours(log, tmp_path, figures,
                                                                     revision):
    before = log.read_bytes()
    other = foreign(tmp_path / f"other-{revision}.db", revision)
    r = run_tracker("restore", str(other), env=NOW)
    assert r.returncode == 5, r.stderr
    assert r.stderr.startswith(f"tracker: {other} is not a tracker log (")
    assert r.stderr.rstrip().endswith("not restored")
    assert run_tracker("status", env=NOW).returncode == 0  # the log is as it was
    conn = sqlite3.connect(log)
    assert conn.execute("SELECT name FROM child").fetchall() == [("Mia",)]
    conn.close()
    assert len(before) > 0
    counted(figures)


def test_doctor_says_a_log_with_our_version_but_other_tables_is_not_ours(tmp_path):
    from tracker.db.migrate import HEAD_REVISION

    db = foreign(tmp_path / "log.db", HEAD_REVISION)
    r = run_tracker("--db", str(db), "doctor", env=NOW)
    assert r.returncode == 1
    assert (f"!!  schema {HEAD_REVISION} is claimed, but the tables are not tracker's: it has "
            "no child table") in r.stdout
