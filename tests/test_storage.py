"""The database layer: UTC storage, SQLite settings, file modes, migrations, the slot constraint."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import MIA, run_tracker
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.config import database_target
from tracker.db import migrate
from tracker.db.models import Child, Dose, Glucose
from tracker.db.session import make_engine, transaction


@pytest.fixture
def target(tmp_path: Path):
    t = database_target(str(tmp_path / "db" / "t.db"))
    migrate.prepare(t)
    return t


def add_child(session) -> Child:
    child = Child(
        name="Mia",
        birth_date=date(2018, 5, 1),
        timezone="Europe/Paris",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    session.add(child)
    session.flush()
    return child


class TestInstants:
    def test_offsets_are_kept_as_instants_and_sort_correctly(self, target):
        engine = make_engine(target.url)
        berlin = datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 07:00 UTC
        new_york = datetime(2026, 11, 24, 1, 30, tzinfo=ZoneInfo("America/New_York"))  # 06:30
        with transaction(engine, write=True) as s:
            child = add_child(s)
            for at in (berlin, new_york):
                s.add(
                    Glucose(
                        child_id=child.id, measured_at=at, mg_dl=90, unit="mg/dL", created_at=at
                    )
                )
        with transaction(engine, write=False) as s:
            got = s.scalars(select(Glucose.measured_at).order_by(Glucose.measured_at)).all()
        assert got == [new_york, berlin]
        assert all(g.tzinfo is UTC for g in got)
        engine.dispose()

    def test_naive_datetimes_are_refused(self, target):
        engine = make_engine(target.url)
        with pytest.raises(Exception, match="naive"), transaction(engine, write=True) as s:
            child = add_child(s)
            s.add(
                Glucose(
                    child_id=child.id,
                    measured_at=datetime(2026, 1, 1),
                    mg_dl=90,
                    unit="mg/dL",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )
            s.flush()
        engine.dispose()


class TestSQLiteSettings:
    def test_wal_busy_timeout_and_foreign_keys(self, target):
        engine = make_engine(target.url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        with pytest.raises(IntegrityError), transaction(engine, write=True) as s:
            s.add(
                Glucose(
                    child_id=999,
                    measured_at=datetime.now(UTC),
                    mg_dl=90,
                    unit="mg/dL",
                    created_at=datetime.now(UTC),
                )
            )
        engine.dispose()

    def test_one_live_entry_per_slot_is_a_database_constraint(self, target):
        """Not a check-then-write: a second row for a slot is rejected by the database."""
        engine = make_engine(target.url)
        at = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)

        def dose(child_id: int, **kw) -> Dose:
            return Dose(
                child_id=child_id,
                slot_date=date(2026, 11, 24),
                slot_time="07:30",
                scheduled_at=at,
                status="given",
                given_at=at,
                dose_mg=0.8,
                created_at=at,
                **kw,
            )

        with transaction(engine, write=True) as s:
            child_id = add_child(s).id
            s.add(dose(child_id))
        with pytest.raises(IntegrityError), transaction(engine, write=True) as s:
            s.add(dose(child_id))
        with transaction(engine, write=True) as s:  # an extra (forced) dose is allowed
            s.add(dose(child_id, extra=True, force_reason="leaked"))
        with transaction(engine, write=True) as s:  # an undone entry frees the slot
            first = s.scalars(select(Dose).order_by(Dose.id)).first()
            assert first is not None
            first.voided_at = at + timedelta(minutes=5)
            s.add(dose(child_id))
        engine.dispose()


class TestFiles:
    def test_created_owner_only_whatever_the_umask(self, tmp_path):
        folder = tmp_path / "new" / "tracker"
        old = os.umask(0o022)
        try:
            r = run_tracker(*MIA, env={"TRACKER_DB": str(folder / "t.db")})
        finally:
            os.umask(old)
        assert r.returncode == 0, r.stderr
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for name in ("t.db", "t.db-wal", "t.db-shm"):
            if (folder / name).exists():
                assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


class TestMigrations:
    def test_known_revisions_match_the_scripts(self):
        from alembic.script import ScriptDirectory

        from tracker.db.migrate import alembic_config

        scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
        revisions = [s.revision for s in reversed(list(scripts.walk_revisions()))]
        assert tuple(revisions) == migrate.KNOWN_REVISIONS
        assert scripts.get_current_head() == migrate.HEAD_REVISION

    def test_models_and_migrations_do_not_drift(self, target):
        """The equivalent of `alembic check`: autogenerate finds nothing to do."""
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        from tracker.db.models import Base

        engine = make_engine(target.url)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(ctx, Base.metadata) == []
        engine.dispose()

    def test_downgrade_and_upgrade_round_trip(self, tmp_path, tracker, clock):
        tracker.ok(*MIA)
        tracker.ok("give", "--site", "left-thigh", "--at", "07:40")
        url = database_target().url
        for rev in reversed(migrate.KNOWN_REVISIONS[:-1]):
            migrate.run_alembic(url, "downgrade", rev)
            migrate.run_alembic(url, "upgrade", "head")
        assert tracker.rows("SELECT status, site FROM dose") == [("given", "left-thigh")]
        migrate.run_alembic(url, "downgrade", "base")
        assert (
            tracker.rows("SELECT name FROM sqlite_master WHERE type='table' AND name='dose'") == []
        )
        migrate.run_alembic(url, "upgrade", "head")
        assert migrate.sqlite_revision(database_target().path) == migrate.HEAD_REVISION

    def test_newer_schema_is_refused_and_untouched(self, tracker):
        tracker.ok(*MIA)
        conn = sqlite3.connect(tracker.db)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
        before = tracker.db.read_bytes()
        r = tracker.fails("status", code=5)
        assert "newer tracker" in r.err
        tracker.fails("give", "--site", "left-thigh", code=5)
        assert tracker.db.read_bytes() == before

    def test_another_programs_database_is_refused(self, tracker):
        tracker.db.parent.mkdir(parents=True)
        conn = sqlite3.connect(tracker.db)
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()
        conn.close()
        r = tracker.fails("status", code=5)
        assert "another program" in r.err

    def test_damaged_file_is_one_line(self, tracker):
        tracker.db.parent.mkdir(parents=True)
        tracker.db.write_bytes(b"this is not sqlite at all" * 100)
        r = tracker.fails("status", code=5)
        assert "damaged" in r.err or "cannot be read" in r.err
        assert tracker.db.read_bytes() == b"this is not sqlite at all" * 100

    def test_backup_is_consistent_and_private(self, tracker, tmp_path):
        tracker.ok(*MIA)
        tracker.ok("give", "--site", "left-thigh", "--at", "07:40")  # still in the WAL
        dest = migrate.backup_sqlite(tracker.db, tmp_path / "backups", "test")
        assert stat.S_IMODE(dest.stat().st_mode) == 0o600
        conn = sqlite3.connect(dest)
        assert conn.execute("SELECT count(*) FROM dose").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()

    def test_script_location_has_the_migrations(self):
        location = Path(migrate.script_location())
        assert (location / "env.py").is_file()
        assert sorted(p.name[:4] for p in (location / "versions").glob("*.py")) == list(
            migrate.KNOWN_REVISIONS
        )


def test_db_option_chooses_the_file(tracker, tmp_path):
    other = tmp_path / "elsewhere" / "other.db"
    tracker.ok("--db", str(other), *MIA)
    assert other.is_file() and not tracker.db.exists()
    assert "Mia" in tracker.ok("--db", str(other), "status").out
    tracker.fails("status", code=3)  # the default log is still empty


OLD_DATA = [
    "INSERT INTO child (id, name, birth_date, timezone, created_at) "
    "VALUES (1, 'Mia', '2018-05-01', 'Europe/Paris', '2026-11-01 08:00:00')",
    "INSERT INTO prescription (id, child_id, starts_at, dose_mg_per_kg, dose_mg, times, "
    "concentration_mg_per_ml, created_at) VALUES (1, 1, '2026-10-31 23:00:00', 0.04, NULL, "
    "'07:30,19:30', 10.0, '2026-11-01 08:00:00')",
    "INSERT INTO measurement (id, child_id, measured_on, weight_kg, height_cm, created_at) "
    "VALUES (1, 1, '2026-11-01', 20.0, 118.0, '2026-11-01 08:00:00')",
    "INSERT INTO dose (id, child_id, slot_date, slot_time, scheduled_at, status, given_at, "
    "dose_mg, volume_ml, site, given_by, extra, prescription_id, created_at) VALUES "
    "(1, 1, '2026-11-02', '07:30', '2026-11-02 06:30:00', 'given', '2026-11-02 06:35:00', 0.8, "
    "0.08, 'left-thigh', 'Anna', 0, 1, '2026-11-02 06:36:00')",
    "INSERT INTO dose (id, child_id, slot_date, slot_time, scheduled_at, status, reason, extra, "
    "prescription_id, created_at) VALUES (2, 1, '2026-11-02', '19:30', '2026-11-02 18:30:00', "
    "'withheld', 'not eating', 0, 1, '2026-11-02 18:31:00')",
    "INSERT INTO dose (id, child_id, slot_date, slot_time, scheduled_at, status, given_at, "
    "dose_mg, volume_ml, site, extra, force_reason, voided_at, void_reason, created_at) VALUES "
    "(3, 1, '2026-11-02', '07:30', '2026-11-02 06:30:00', 'given', '2026-11-02 06:50:00', 0.8, "
    "0.08, 'right-thigh', 1, 'leaked', '2026-11-02 07:00:00', 'typo', '2026-11-02 06:51:00')",
    "INSERT INTO glucose (id, child_id, measured_at, mg_dl, unit, before_meal, created_at) "
    "VALUES (1, 1, '2026-11-02 06:00:00', 63.0, 'mmol/L', 1, '2026-11-02 06:01:00')",
    "INSERT INTO symptom (id, child_id, kind, severity, occurred_at, dose_id, glucose_id, note, "
    "created_at) VALUES (1, 1, 'dizziness', 'mild', '2026-11-02 07:30:00', 1, 1, 'שלום', "
    "'2026-11-02 07:31:00')",
    "INSERT INTO revision (id, entity, entity_id, action, changed_at, old_values) VALUES "
    "(1, 'dose', 3, 'void', '2026-11-02 07:00:00', '{}')",
]


def _rows(path: Path, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT {', '.join(c)} FROM {t} ORDER BY id").fetchall()
                for t, c in tables.items()}
    finally:
        conn.close()


@pytest.mark.parametrize("old", migrate.KNOWN_REVISIONS[:-1])
def test_upgrade_from_an_older_release_backs_up_and_keeps_every_row(tmp_path, old, tracker):
    path = tmp_path / "log" / "tracker.db"
    url = database_target(str(path)).url
    path.parent.mkdir()
    migrate.run_alembic(url, "upgrade", old)
    conn = sqlite3.connect(path)
    has_uid = any(r[1] == "uid" for r in conn.execute("PRAGMA table_info(child)"))
    for statement in OLD_DATA:
        if has_uid and statement.startswith("INSERT INTO child "):  # 0013 on: a required uid
            statement = statement.replace("created_at)", "created_at, uid)").replace(
                "08:00:00')", "08:00:00', '6f1c2b6e-0d7e-4a37-9a53-0c5f1d2e3a4b')")
        conn.execute(statement)
    conn.commit()
    tables = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in (
        "child", "prescription", "measurement", "dose", "glucose", "symptom", "revision")}
    conn.close()
    before = _rows(path, tables)

    backup = migrate.prepare(database_target(str(path)))
    assert backup is not None
    assert migrate.sqlite_revision(Path(backup)) == old
    assert stat.S_IMODE(Path(backup).stat().st_mode) == 0o600
    assert _rows(Path(backup), tables) == before
    assert migrate.sqlite_revision(path) == migrate.HEAD_REVISION
    assert _rows(path, tables) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    # the upgraded log is usable, and the slot rule still holds on it
    r = tracker("--db", str(path), "give", "--site", "left-arm", "--at", "2026-11-02 07:40")
    assert r.code == 4 and "Anna" in r.err
    migrate.run_alembic(url, "downgrade", old)
    assert _rows(path, tables) == before


def _copy_of(db: Path, dest: Path) -> Path:
    with sqlite3.connect(db) as src, sqlite3.connect(dest) as dst:
        src.backup(dst)
    return dest


def test_a_write_whose_file_is_replaced_before_its_commit_records_nothing_anywhere(target):
    """The gate of tracker.db.logfile: the file at the path changed while a write was in
    flight, so the write is rolled back, in neither file, and said in words."""
    from tracker.db.logfile import LogReplaced
    from tracker.db.state import get_state, set_state

    db = target.path
    engine = make_engine(target.url, said=lambda _line: None)
    copy = _copy_of(db, db.with_name("copy.db"))
    now = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    replaced = "was replaced by another file while this was being recorded: nothing was recorded"
    with pytest.raises(LogReplaced, match=replaced), transaction(engine, write=True) as session:
        set_state(session, "web_url", "written", now)
        os.replace(copy, db)
    with transaction(engine, write=True) as session:  # the next one is the new file's
        assert get_state(session, "web_url") is None
        set_state(session, "web_url", "again", now)
    assert sqlite3.connect(db).execute(
        "SELECT value FROM service_state WHERE name = 'web_url'").fetchall() == [("again",)]


def test_every_write_leaves_the_wal_empty_whoever_keeps_the_log_open(target):
    """The WAL holds nothing at rest: a file moved over the log never meets pages of the
    old one, even while the page and the reminder service keep connections open."""
    from tracker.db.state import set_state

    wal = Path(f"{target.path}-wal")
    holder = make_engine(target.url)  # the page, say, with a connection kept open
    with transaction(holder, write=False):
        pass
    command = make_engine(target.url)  # a command writing meanwhile
    for n, engine in enumerate((command, holder)):
        with transaction(engine, write=True) as session:
            set_state(session, "web_url", f"written {n}",
                      datetime(2026, 11, 24, 18, n, tzinfo=UTC))
        assert wal.exists() and wal.stat().st_size == 0, n
    command.dispose()
    raw = sqlite3.connect(target.path, isolation_level=None)  # a plain writer: not ours
    raw.execute("UPDATE service_state SET value = 'raw' WHERE name = 'web_url'")
    assert wal.stat().st_size > 0  # what the check above would see without the emptying
    raw.close()
    holder.dispose()


def _locks_held_on(path: Path) -> list[str]:
    st = os.stat(path)
    where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    return [line.split(":", 1)[1] for line in Path("/proc/locks").read_text().splitlines()
            if f" {os.getpid()} {where} " in line]  # without the table's line number


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux only")
def test_asking_who_holds_the_log_drops_none_of_this_processs_locks(target):
    """The page asks "who holds the log?" while its other threads read. Opening and
    closing the -shm to ask would drop every POSIX lock the process holds on it, their
    read locks among them: the answer is read from the kernel's table instead."""
    from test_service_faults import hold_the_lock

    from tracker.locks import writer_pid

    reader = sqlite3.connect(target.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM child").fetchall()  # a read lock on the -shm
    shm = Path(f"{target.path}-shm")
    held = _locks_held_on(shm)
    assert held, "the reader holds no lock to lose"
    holder = hold_the_lock(target.path)
    try:
        assert writer_pid(target.path) == holder.pid
        assert _locks_held_on(shm) == held  # nothing of this process's was dropped
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
        reader.execute("COMMIT")
        reader.close()
    assert writer_pid(target.path) is None
