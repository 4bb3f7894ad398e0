"""Backup and restore: checked copies, refusals that change nothing, nothing lost."""

from __future__ import annotations

import sqlite3
import stat

from conftest import MIA


def test_backup_is_checked_private_and_restorable(mia, clock, tmp_path):
    mia.ok("give", "--site", "left-thigh", "--at", "07:40")  # still in the WAL
    target = tmp_path / "copy.db"
    r = mia.ok("backup", "-o", str(target))
    assert "checked: 1 child" in r.out and "1 dose" in r.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    mia.fails("backup", "-o", str(target), code=2)  # never over an existing file
    clock.advance(hours=1)
    mia.ok("symptom", "headache")  # after the backup
    r = mia.ok("restore", str(target))
    assert "previous log was kept as" in r.out
    kept = r.out.split("kept as ")[1].strip()
    assert mia.rows("SELECT count(*) FROM symptom") == [(0,)]
    assert mia.rows("SELECT count(*) FROM dose") == [(1,)]
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT count(*) FROM symptom").fetchone() == (1,)  # nothing lost
    conn.close()
    mia.ok("glucose", "90")  # the restored log takes new entries
    assert mia.rows("SELECT count(*) FROM glucose") == [(1,)]


def test_default_backup_goes_beside_the_log(mia):
    r = mia.ok("backup")
    path = r.out.split("Backed up to ")[1].split(" (")[0]
    assert "/log/backups/" in path


def test_restore_refuses_bad_files_and_changes_nothing(mia, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 50)
    r = mia.fails("restore", str(junk), code=5)
    assert "damaged or not a tracker log" in r.err and "not restored" in r.err
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    mia.fails("restore", str(other), code=2)
    mia.fails("restore", str(tmp_path / "missing.db"), code=2)
    newer = tmp_path / "newer.db"
    mia.ok("backup", "-o", str(newer))
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    r = mia.fails("restore", str(newer), code=5)
    assert "newer tracker" in r.err


def test_restore_into_an_empty_place(tracker, tmp_path):
    tracker.ok(*MIA)
    copy = tmp_path / "c.db"
    tracker.ok("backup", "-o", str(copy))
    other = tmp_path / "fresh" / "log.db"
    r = tracker.ok("--db", str(other), "restore", str(copy))
    assert "kept" not in r.out
    assert "Mia" in tracker.ok("--db", str(other), "status").out


def test_doctor_reports_and_advises(mia, clock, tmp_path):
    r = mia("doctor")
    assert r.code == 1
    from tracker.db.migrate import HEAD_REVISION

    assert "ok  integrity check passed" in r.out
    assert f"schema {HEAD_REVISION} is current" in r.out
    assert "last backup 0 days ago" in r.out  # the first command of the day made one
    assert "!!  Reminders are NOT on: " in r.out
    for daily in (mia.db.parent / "backups").glob("*.db"):
        daily.unlink()
    r = mia("doctor")
    assert "!!  no backup yet" in r.out and "-> run 'tracker backup'" in r.out
    mia.db.chmod(0o644)
    r = mia("doctor")
    assert "tracker.db is mode 644" in r.out and "chmod 600" in r.out


def test_doctor_on_a_damaged_log_says_restore(tracker):
    tracker.db.parent.mkdir(parents=True)
    tracker.db.write_bytes(b"garbage" * 200)
    r = tracker("doctor")
    assert r.code == 1 and "restore a backup" in r.out and "Traceback" not in r.err
    assert tracker.db.read_bytes() == b"garbage" * 200


def test_rolling_daily_backup(mia, clock):
    folder = mia.db.parent / "backups"
    mia.ok("config", "keep_backups", "3")
    for day in range(25, 31):
        clock.set(f"2026-11-{day}T08:00:00+01:00")
        mia.ok("status")
        mia.ok("status")  # the second command of the day adds nothing
    dailies = sorted(p.name for p in folder.glob("tracker-daily-*.db"))
    assert dailies == ["tracker-daily-2026-11-28.db", "tracker-daily-2026-11-29.db",
                       "tracker-daily-2026-11-30.db"]
    conn = sqlite3.connect(folder / dailies[-1])
    assert conn.execute("SELECT count(*) FROM child").fetchone() == (1,)
    conn.close()


def test_the_reminder_service_makes_the_daily_backup_when_the_day_turns(mia):
    """A service left running for days still keeps the rolling backup (real process)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = mia.db.parent / "backups"
    env = {**os.environ, "TZ": "UTC", "TRACKER_CLOCK_START": "2026-11-24T23:59:57+00:00"}
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "remind", "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (folder / "tracker-daily-2026-11-24.db").exists():  # made at start
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
            time.sleep(0.1)
        time.sleep(4)  # past midnight on the service's clock
        proc.send_signal(signal.SIGHUP)  # a check now, not at the next minute's poll
        while not (folder / "tracker-daily-2026-11-25.db").exists():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    conn = sqlite3.connect(folder / "tracker-daily-2026-11-25.db")
    assert conn.execute("SELECT name FROM child").fetchall() == [("Mia",)]
    conn.close()


def test_unreadable_settings_still_get_a_daily_backup_and_a_refusal_stays_one_line(
        mia, clock, isolated):
    """Settings overwritten by mistake: the backup is made anyway (default count) and the
    note comes after a command that worked, never on top of a refusal's one line."""
    (isolated / "settings.json").write_bytes(b"\x89PNG not json")
    clock.set("2026-11-25T08:00:00+01:00")
    r = mia.fails("give", "--site", "nowhere", code=2)  # the first command of the day
    assert r.err.count("\n") == 1
    assert (mia.db.parent / "backups" / "tracker-daily-2026-11-25.db").exists()
    r = mia.ok("status")
    assert "tracker: note: cannot read the settings file" in r.err
    assert "keeping the last 14" in r.err


def test_the_daily_backup_sweeps_what_interrupted_backups_left(mia, clock):
    import os
    import time

    folder = mia.db.parent / "backups"
    old = [folder / f".tracker-daily-2026-11-01.db.tmp{end}" for end in ("", "-wal", "-shm")]
    fresh = folder / ".tracker-20261124T080000Z-backup.db.tmp"  # perhaps being written now
    for path in [*old, fresh]:
        path.write_bytes(b"left over")
    for path in old:
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    clock.set("2026-11-25T08:00:00+01:00")
    mia.ok("status")
    assert not any(p.exists() for p in old) and fresh.exists()
    assert not list(folder.glob("*-wal")) and not list(folder.glob("*-shm"))
