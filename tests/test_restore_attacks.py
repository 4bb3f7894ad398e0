"""A restore never reopens a door (issue 29, finding 3), tried with real processes.

1. A phone revoked after a backup was made stays out once the backup is restored (the
   running page answers "This device is not paired", 401); a phone paired after the
   backup keeps working; the backup's pending pairing link does not come back.
2. A backup that lets in a device this log never paired (a file from another computer,
   or one made by someone who paired their own phone there): the device is kept out and
   named, and let in only when the parent says so: `--let-in NAME` in a script, or a
   question in a terminal, asked before anything is written.
3. A backup carrying its own schema objects (a trigger that clears `revoked_at`, one
   that rewrites every new dose to 8 mg, a view, an index, a table), restored over a log
   and into an empty place: none of it comes in, a dose given afterwards is what the
   command said, a revocation holds.
4. The same objects planted in the log itself: `tracker doctor` names each one and exits
   non-zero; a good restore takes them away, and so does `tracker doctor --fix`, every
   entry kept.
"""

# ruff: noqa: F811 (the fixture `served`, imported from test_web_hostile, is used by name)
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import MIA, run_tracker
from test_web import pair
from test_web_hostile import (
    SERVER_NOW,
    Phone,
    rows,
    served,  # noqa: F401 (fixture: a page and a paired phone)
)

MORNING = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
EVENING = {"TRACKER_FAKE_NOW": "2026-11-24T19:31:00+01:00"}


def counted(figures: dict[str, int], n: int = 1) -> None:
    key = "restore attacks tried, none got through"
    figures[key] = figures.get(key, 0) + n


def forget(db: Path, token_hash: str) -> None:
    """Take a device out of the log as if this log had never paired it (the backup then
    knows a device this log does not: a file from elsewhere)."""
    conn = sqlite3.connect(db)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM device WHERE token_hash = ?",
                                          (token_hash,))]
        for device_id in ids:
            conn.execute("DELETE FROM form_submission WHERE device_id = ?", (device_id,))
            conn.execute("DELETE FROM device WHERE id = ?", (device_id,))
        conn.commit()
    finally:
        conn.close()


def token_hash(db: Path, name: str) -> str:
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT token_hash FROM device WHERE name = ? "
                             "AND revoked_at IS NULL", (name,)).fetchall()
    finally:
        conn.close()
    assert len(found) == 1, found
    return str(found[0][0])


def test_a_phone_revoked_after_the_backup_stays_out_after_the_restore(
        served, isolated, tmp_path, figures):
    port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    assert phone.get("/")[0] == 200
    pending = pair(port, "Tablet")  # a link not opened yet when the backup is made
    backup = tmp_path / "b.db"
    assert run_tracker("backup", "-o", str(backup), env=SERVER_NOW).returncode == 0

    tablet = Phone(port, pending)  # opened after the backup: used, in this log
    later = Phone(port, pair(port, "Sam's phone"))  # paired after the backup
    assert tablet.get("/")[0] == 200 and later.get("/")[0] == 200
    revoked = run_tracker("web", "revoke", "Eli's phone", env=SERVER_NOW)
    assert revoked.returncode == 0, revoked.stderr
    assert phone.get("/")[0] == 401

    restored = run_tracker("restore", str(backup), env=SERVER_NOW)
    assert restored.returncode == 0, restored.stderr
    assert "Not let in" not in restored.stdout  # every device of the backup is known here

    status, page = phone.get("/")
    assert status == 401 and "This device is not paired" in page, page
    assert later.get("/")[0] == 200 and tablet.get("/")[0] == 200
    # the backup's pending link (used here since) does not come back usable
    stranger = Phone(port, "")
    status, _ = stranger.post(pending.split(f":{port}", 1)[1], {})
    assert stranger.get("/")[0] == 401
    listed = run_tracker("web", "devices", env=SERVER_NOW)
    assert "Sam's phone" in listed.stdout and "Tablet" in listed.stdout
    assert "Eli's phone" not in listed.stdout
    assert rows(db, "SELECT count(*) FROM device WHERE revoked_at IS NULL") == [(2,)]
    counted(figures, 2)


def test_a_device_only_the_backup_knows_stays_out_unless_the_parent_lets_it_in(
        served, isolated, tmp_path, figures):
    port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    backup = tmp_path / "elsewhere.db"
    assert run_tracker("backup", "-o", str(backup), env=SERVER_NOW).returncode == 0
    theirs = token_hash(db, "Eli's phone")
    forget(db, theirs)
    assert phone.get("/")[0] == 401

    restored = run_tracker("restore", str(backup), env=SERVER_NOW)
    assert restored.returncode == 0, restored.stderr
    assert "Not let in: \"Eli's phone\": the backup knew them, this log never paired them" \
        in restored.stdout
    advice = restored.stdout.split("pair it again: ")[1].strip()
    assert advice == 'tracker web pair --name "Eli\'s phone"'
    status, page = phone.get("/")
    assert status == 401 and "This device is not paired" in page
    assert rows(db, "SELECT revoked_at IS NOT NULL FROM device WHERE token_hash = "
                    f"'{theirs}'") == [(1,)]
    # as the restore said: pairing it again lets it in (a new link, a new cookie)
    again = Phone(port, pair(port, "Eli's phone"))
    assert again.get("/")[0] == 200

    # a script that says so lets it in
    forget(db, theirs)
    unknown = run_tracker("restore", str(backup), "--let-in", "Mallory's phone",
                          env=SERVER_NOW)
    assert unknown.returncode == 2, unknown.stderr
    assert "the backup has no device called \"Mallory's phone\" that this log never " \
           "paired" in unknown.stderr
    assert phone.get("/")[0] == 401
    let_in = run_tracker("restore", str(backup), "--let-in", "Eli's phone", env=SERVER_NOW)
    assert let_in.returncode == 0, let_in.stderr
    # another phone of that name is paired now: the one let in gets its own name
    assert "Let in, as you said: Eli's phone (2)." in let_in.stdout
    assert phone.get("/")[0] == 200 and again.get("/")[0] == 200
    counted(figures, 2)


def _paired(tracker, clock, name: str) -> str:
    """A device paired in process (its link opened): its token's hash."""
    from tracker.cli.app import App
    from tracker.services.record import devices

    app = App(clock=clock.now, interactive=False)
    try:
        with app.session(write=True) as session:
            code = devices.new_pairing(session, name=name, caregiver="Eli", now=clock.now())
        with app.session(write=True) as session:
            paired = devices.pair(session, code, clock.now())
            assert paired is not None
            return hashlib.sha256(paired[0].encode()).hexdigest()
    finally:
        app.close()


def test_in_a_terminal_the_parent_is_asked_before_anything_is_written(mia, clock, tmp_path,
                                                                        figures):
    theirs = _paired(mia, clock, "Eli's phone")
    backup = tmp_path / "b.db"
    mia.ok("backup", "-o", str(backup))
    forget(mia.db, theirs)
    before = mia.dump()
    kept = set((mia.db.parent / "backups").glob("*before-restore*"))

    # the terminal closes at the question: nothing was written, not even the copy aside
    r = mia("restore", str(backup), input="")
    assert r.code == 1 and r.err == "tracker: stopped, nothing changed\n"
    assert mia.dump() == before
    assert set((mia.db.parent / "backups").glob("*before-restore*")) == kept

    r = mia("restore", str(backup), input="n\n")
    assert r.code == 0 and "The backup lets in \"Eli's phone\" (used by Eli, paired " \
        "2026-11-24 08:00 UTC), which this log never paired. Let it in? [y/N]: n" in r.out
    assert "Not let in: \"Eli's phone\"" in r.out
    assert mia.rows("SELECT revoked_at IS NOT NULL FROM device") == [(1,)]

    forget(mia.db, theirs)
    r = mia("restore", str(backup), input="y\n")
    assert r.code == 0 and "Let in, as you said: Eli's phone." in r.out, r.out
    assert mia.rows("SELECT name, revoked_at FROM device") == [("Eli's phone", None)]
    counted(figures, 2)


PLANTED = (
    ("trigger keep_paired on device",
     "CREATE TRIGGER keep_paired AFTER UPDATE OF revoked_at ON device "
     "BEGIN UPDATE device SET revoked_at = NULL WHERE id = NEW.id; END"),
    ("trigger eight_mg on dose",
     "CREATE TRIGGER eight_mg AFTER INSERT ON dose "
     "BEGIN UPDATE dose SET dose_mg = 8.0 WHERE id = NEW.id; END"),
    ("view doses_seen", "CREATE VIEW doses_seen AS SELECT * FROM dose"),
    ("index ix_planted on dose", "CREATE INDEX ix_planted ON dose (note)"),
    ("table planted", "CREATE TABLE planted (what TEXT)"),
)


def plant(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        for _, sql in PLANTED:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def schema(db: Path) -> set[tuple[str, str]]:
    return {(str(t), str(n)) for t, n in rows(db, "SELECT type, name FROM sqlite_master")}


def a_phone(db: Path, name: str) -> None:
    """A paired phone, as opening its link leaves it in the log."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO device (name, caregiver, token_hash, created_at) VALUES "
                     "(?, 'Sam', ?, '2026-11-24 18:00:00.000000')",
                     (name, hashlib.sha256(name.encode()).hexdigest()))
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("into", ["over the log", "into an empty place"])
def test_a_backup_with_its_own_triggers_views_indexes_and_tables_brings_none(
        into, isolated, tmp_path, figures):
    assert run_tracker(*MIA, env=MORNING).returncode == 0
    good = tmp_path / "good.db"
    assert run_tracker("backup", "-o", str(good), env=MORNING).returncode == 0
    hostile = tmp_path / "hostile.db"
    shutil.copy(good, hostile)
    plant(hostile)
    db = isolated / "log" / "tracker.db"
    env = dict(EVENING)
    if into == "into an empty place":
        db = tmp_path / "fresh" / "tracker.db"
        env["TRACKER_DB"] = str(db)

    restored = run_tracker("restore", str(hostile), env=env)
    assert restored.returncode == 0, restored.stderr
    # the command says 0.80 mg: the log says 0.80 mg
    given = run_tracker("give", "--site", "left-thigh", env=env)
    assert given.returncode == 0 and "0.80 mg" in given.stdout, given.stderr
    assert rows(db, "SELECT dose_mg FROM dose") == [(0.8,)]
    # a phone revoked stays revoked
    a_phone(db, "Sam's phone")
    assert run_tracker("web", "revoke", "Sam's phone", env=env).returncode == 0
    assert rows(db, "SELECT revoked_at IS NOT NULL FROM device") == [(1,)]
    # nothing of the file's own schema is there, and the restore said what it left out
    planted = {(kind, words.split()[1]) for words, _ in PLANTED for kind in [words.split()[0]]}
    assert schema(db) & planted == set(), schema(db) & planted
    left_out = restored.stdout.split("Left out of the backup, as tracker did not make them: "
                                     )[1]
    for words in ("trigger keep_paired", "trigger eight_mg", "view doses_seen",
                  "index ix_planted", "table planted"):
        assert words in left_out, left_out
    doctor = run_tracker("doctor", env=env)
    assert "ok  every table and index in the log is tracker's own" in doctor.stdout
    counted(figures, len(PLANTED))


def test_objects_planted_in_the_log_are_named_by_doctor_and_gone_after_a_good_restore(
        isolated, tmp_path, figures):
    db = isolated / "log" / "tracker.db"
    assert run_tracker(*MIA, env=MORNING).returncode == 0
    good = tmp_path / "good.db"
    assert run_tracker("backup", "-o", str(good), env=MORNING).returncode == 0
    plant(db)
    doctor = run_tracker("doctor", env=MORNING)
    assert doctor.returncode != 0
    named = next(line for line in doctor.stdout.splitlines()
                 if line.startswith("!!  the log holds what tracker did not make: "))
    for words, _ in PLANTED:
        assert f"{words} (not made by tracker)" in named, named
    assert "tracker doctor --fix" in doctor.stdout

    restored = run_tracker("restore", str(good), env=EVENING)
    assert restored.returncode == 0, restored.stderr
    assert {o for o in schema(db) if o[1] in {w.split()[1] for w, _ in PLANTED}} == set()
    doctor = run_tracker("doctor", env=EVENING)
    assert "ok  every table and index in the log is tracker's own" in doctor.stdout
    assert "not made by tracker" not in doctor.stdout
    counted(figures, len(PLANTED))


def test_doctor_fix_makes_the_tables_again_keeping_every_entry(isolated, figures):
    db = isolated / "log" / "tracker.db"
    assert run_tracker(*MIA, env=MORNING).returncode == 0
    assert run_tracker("give", "--site", "left-thigh", "--at", "07:35", env=MORNING
                       ).returncode == 0
    plant(db)
    conn = sqlite3.connect(db)  # one of tracker's own tables defined otherwise
    conn.execute("ALTER TABLE pairing ADD COLUMN planted TEXT DEFAULT 'x'")
    conn.commit()
    conn.close()
    doctor = run_tracker("doctor", env=MORNING)
    assert "table pairing (not as tracker defines it)" in doctor.stdout
    before = rows(db, "SELECT * FROM dose")

    fixed = run_tracker("doctor", "--fix", env=MORNING)
    assert "fix: the log's tables were made again from tracker's own definitions, every " \
           "entry kept; left out: trigger keep_paired on device" in fixed.stdout, fixed.stdout
    assert "ok  every table and index in the log is tracker's own" in fixed.stdout
    assert rows(db, "SELECT * FROM dose") == before
    assert "planted" not in {c[1] for c in rows(db, "PRAGMA table_info(pairing)")}
    given = run_tracker("give", "--site", "right-thigh", env=EVENING)
    assert given.returncode == 0, given.stderr
    assert rows(db, "SELECT dose_mg FROM dose ORDER BY id") == [(0.8,), (0.8,)]
    counted(figures, len(PLANTED) + 1)


def test_an_older_backup_with_a_trigger_is_restored_without_it(tracker, tmp_path):
    """A backup of an older schema is given tracker's schema of its own revision first,
    then brought up to this version: its triggers meet neither step."""
    from tracker.db import migrate

    old = tmp_path / "old.db"
    migrate.run_alembic(f"sqlite:///{old}", "upgrade", "0008")
    conn = sqlite3.connect(old)
    conn.execute("CREATE TRIGGER no_children BEFORE INSERT ON child "
                 "BEGIN SELECT RAISE(ABORT, 'planted'); END")
    conn.commit()
    conn.close()
    tracker.ok(*MIA)
    r = tracker.ok("restore", str(old))
    assert "trigger no_children" in r.out
    assert migrate.foreign_objects(tracker.db) == []
    assert migrate.sqlite_revision(tracker.db) == migrate.HEAD_REVISION
    tracker.ok(*MIA)  # the trigger would refuse a child


def test_what_tracker_makes_is_what_its_migrations_make(tmp_path):
    """The doctor's list of tracker's own tables and indexes (from the models) is exactly
    what the migrations make, and a log they made is its own in every definition."""
    from tracker.db import migrate

    log = tmp_path / "made.db"
    migrate.run_alembic(f"sqlite:///{log}", "upgrade", "head")
    made = {o for o in schema(log) if not migrate.INTERNAL.fullmatch(o[1])}
    assert made == migrate.made_by_tracker()
    assert migrate.foreign_objects(log) == [] and migrate.altered_tables(log) == []


def test_a_log_holding_a_trigger_is_refused_until_the_doctor_makes_it_again(isolated, figures):
    """A trigger planted in the log itself (by a sync tool, or an older restore) rewrites
    every dose given: no command reads or writes through it; the line says what to do."""
    db = isolated / "log" / "tracker.db"
    assert run_tracker(*MIA, env=MORNING).returncode == 0
    plant(db)
    before = rows(db, "SELECT count(*) FROM dose")
    for args in (("give", "--site", "left-thigh"), ("status",)):
        r = run_tracker(*args, env=EVENING)
        assert r.returncode == 5 and "Traceback" not in r.stderr, r.stderr
        assert r.stderr == (
            f"tracker: the log {db} holds a trigger tracker did not make (keep_paired on "
            "device, eight_mg on dose): it could change what tracker writes, so nothing was "
            "read or written; tracker can make the log's tables again from its own "
            "definitions, keeping every entry: tracker doctor --fix\n")
    assert rows(db, "SELECT count(*) FROM dose") == before
    fixed = run_tracker("doctor", "--fix", env=EVENING)
    assert "fix: the log's tables were made again" in fixed.stdout, fixed.stdout
    given = run_tracker("give", "--site", "left-thigh", env=EVENING)
    assert given.returncode == 0, given.stderr
    assert rows(db, "SELECT dose_mg FROM dose") == [(0.8,)]
    counted(figures, 2)


def test_a_vanished_log_put_back_keeps_the_phones_its_own_backups_knew(mia, clock, tmp_path,
                                                                      figures):
    """The log is gone; its backups/ (tracker's own copies, the user's alone) still say
    which phones it paired: those keep working; one only the restored file knows stays
    out."""
    eli = _paired(mia, clock, "Eli's phone")
    _paired(mia, clock, "Sam's phone")
    outside = tmp_path / "outside.db"
    mia.ok("backup", "-o", str(outside))  # both phones let in
    a_phone(outside, "Mallory's phone")
    mia.ok("web", "revoke", "Sam's phone")
    mia.ok("backup")  # a copy of this log, in its own backups/: Sam's phone revoked
    for suffix in ("", "-wal", "-shm"):
        Path(f"{mia.db}{suffix}").unlink(missing_ok=True)
    r = mia.ok("restore", str(outside))
    assert "Not let in: \"Mallory's phone\": the backup knew them, no log here paired them" \
        in r.out, r.out
    assert mia.rows("SELECT name, revoked_at IS NULL FROM device ORDER BY name") == [
        ("Eli's phone", 1), ("Mallory's phone", 0), ("Sam's phone", 0)]
    assert mia.rows("SELECT token_hash FROM device WHERE revoked_at IS NULL") == [(eli,)]
    counted(figures)


def test_a_backup_whose_rows_break_trackers_own_rules_is_refused_and_changes_nothing(
        mia, tmp_path):
    """Its own schema let it hold two live doses in one slot (its unique index dropped):
    tracker's tables refuse them, so the file is refused, and the log is as it was."""
    mia.ok("give", "--site", "left-thigh", "--at", "07:35")
    bad = tmp_path / "two-doses.db"
    mia.ok("backup", "-o", str(bad))
    conn = sqlite3.connect(bad)
    conn.execute("DROP INDEX uq_dose_live_slot")
    conn.execute("INSERT INTO dose (slot_date, slot_time, scheduled_at, status, given_at, "
                 "dose_mg, extra, child_id, created_at) SELECT slot_date, slot_time, "
                 "scheduled_at, status, given_at, 8.0, 0, child_id, created_at FROM dose")
    conn.commit()
    conn.close()
    r = mia.fails("restore", str(bad), code=5)
    assert r.err.startswith(f"tracker: {bad} holds entries that do not fit tracker's tables (")
    assert r.err.rstrip().endswith("not restored")
    assert mia.rows("SELECT dose_mg FROM dose") == [(0.8,)]
