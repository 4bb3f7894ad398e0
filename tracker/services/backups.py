"""Backups and restores of a SQLite log, safe while the reminder service writes.

A backup uses SQLite's online backup API from inside one read transaction, so the copy is
one consistent moment of the log and its row counts can be checked against that same
moment. A restore checks the file first, keeps the current log aside, and swaps files
atomically; it refuses while a reminder service has the log open.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from tracker import files
from tracker.config import ensure_private_dir
from tracker.db import migrate
from tracker.domain.actions import Do, Line, act
from tracker.errors import DamagedFile, InputError, StorageError, explain_db_error

TABLES = (
    "child",
    "prescription",
    "measurement",
    "dose",
    "symptom",
    "glucose",
    "vial",
    "stock_change",
    "revision",
)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES if t in names
    }


def default_path(db: Path, label: str = "backup") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return db.parent / "backups" / f"{db.stem}-{stamp}-{label}.db"


def backup(db: Path, dest: Path | None = None) -> tuple[Path, dict[str, int]]:
    """A checked, owner-only copy of the log; returns where and how many rows of each kind.

    Written the one safe way (tracker.files): a random, private temporary name beside the
    destination, never through a symlink, never over an existing file.
    """
    if not db.exists():
        raise InputError(f"there is no log at {db} to back up")
    dest = (dest or default_path(db)).expanduser().absolute()
    ensure_private_dir(dest.parent)
    try:
        with files.sqlite_destination(dest) as tmp:
            with (
                closing(sqlite3.connect(db, timeout=15, isolation_level=None)) as src,
                closing(sqlite3.connect(tmp)) as dst,
            ):
                src.execute("BEGIN")  # one snapshot for the counts and the copy
                expected = _counts(src)
                src.backup(dst)
                src.execute("COMMIT")
                # the copy would inherit WAL mode; a backup is one self-contained file, and
                # checking it read-only must not leave -wal and -shm files beside it
                dst.execute("PRAGMA journal_mode = DELETE")
            with closing(sqlite3.connect(f"{tmp.as_uri()}?mode=ro", uri=True)) as copy:
                if copy.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    raise StorageError("the backup copy failed its integrity check")
                got = _counts(copy)
            if got != expected:
                raise StorageError(
                    f"the backup copy does not hold the same rows ({got} vs {expected})"
                )
    except sqlite3.DatabaseError as exc:
        advice = explain_db_error(str(exc)) or str(exc)
        if "damaged" in advice:
            raise StorageError(Line(f"cannot back up {db}: {advice} (", act(Do.RESTORE),
                                    ")")) from None
        raise StorageError(f"cannot back up {db}: {advice}") from None
    return dest, expected


def check_restorable(path: Path) -> str:
    """The file's schema revision, after refusing anything that is not a sound tracker log."""
    if not path.is_file():
        raise InputError(f"{path} is not a file")
    try:
        revision = migrate.sqlite_revision(path)
    except DamagedFile as exc:  # its advice is for the log itself; this is the backup
        raise StorageError(
            f"{path} is damaged or not a tracker log ({exc.detail}): not restored"
        ) from None
    if revision in (migrate.NEW, migrate.FOREIGN):
        raise InputError(f"{path} is not a tracker log")
    if revision not in migrate.KNOWN_REVISIONS:
        raise StorageError(
            f"{path} comes from a newer tracker (schema {revision}): update "
            "tracker before restoring it; nothing was changed"
        )
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise StorageError(f"{path} is damaged (integrity check failed): not restored")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path} cannot be read ({exc}): not restored") from None
    return revision


def restore(db: Path, source: Path) -> Path | None:
    """Put `source`'s entries in place of the log's; returns where the previous log was kept.

    Done inside the log, under its write lock, rather than by swapping files: a caregiver
    whose command already had the log open would otherwise write into the file swapped
    away, and be told "Recorded" for an entry that is in neither the restored log nor the
    copy kept aside. Under the lock, the copy kept aside is brought up to the last commit
    and the log's rows are replaced by the backup's in one transaction; a writer waiting
    meanwhile writes into the restored log once it is done, or is refused in one line.
    """
    check_restorable(source)
    ensure_private_dir(db.parent)
    with _restore_lock(db):
        upgraded = _upgraded_copy(db, source)
        try:
            problems = migrate.schema_problems(upgraded)
            if problems:
                raise StorageError(
                    f"{source} is not a tracker log ({'; '.join(problems[:3])}): not restored"
                )
            if not db.exists():
                _place_new(db, upgraded)
                return None
            kept = backup(db, default_path(db, "before-restore"))[0]  # a file with the schema
            _replace_rows(db, upgraded, kept)
        finally:
            upgraded.unlink(missing_ok=True)
    return kept


@contextmanager
def _restore_lock(db: Path) -> Iterator[None]:
    """One restore at a time: a second one is refused rather than interleaved."""
    from tracker.locks import try_lock

    fd = os.open(db.with_name(db.name + ".restore.lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        if not try_lock(fd):
            raise StorageError("another restore of this log is running: nothing was changed")
        yield
    finally:
        os.close(fd)


def _upgraded_copy(db: Path, source: Path) -> Path:
    """The backup in a private temporary file, brought to this version's schema."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{db.name}.restoring-", suffix=".db", dir=db.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        with (
            closing(sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        if migrate.sqlite_revision(tmp) != migrate.HEAD_REVISION:
            try:
                migrate.run_alembic(f"sqlite:///{tmp}", "upgrade", "head")
            except Exception:  # another program's tables: our migrations do not fit them
                raise StorageError(
                    f"{source} is not a tracker log (its tables cannot be brought up to "
                    "this version): not restored"
                ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _replace_rows(db: Path, source: Path, kept: Path) -> None:
    """Under one write lock: refresh the kept copy to the last commit, then put the source's
    rows in the log's tables."""
    with closing(sqlite3.connect(db, timeout=15, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")  # rows arrive table by table
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        conn.execute("ATTACH DATABASE ? AS kept", (str(kept),))
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for t in tables:
            if _columns(conn, "src", t) != _columns(conn, "main", t):
                raise StorageError(f"the backup's table {t} does not match this log: not restored")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for t in tables:
                cols = ", ".join(f'"{c}"' for c in _columns(conn, "main", t))
                conn.execute(f'DELETE FROM kept."{t}"')
                conn.execute(f'INSERT INTO kept."{t}" ({cols}) SELECT {cols} FROM main."{t}"')
                conn.execute(f'DELETE FROM main."{t}"')
                conn.execute(f'INSERT INTO main."{t}" ({cols}) SELECT {cols} FROM src."{t}"')
            if conn.execute("PRAGMA main.foreign_key_check").fetchall():
                raise StorageError("the backup's entries do not hold together: not restored")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _place_new(db: Path, source: Path) -> None:
    """No log yet: the backup becomes the log."""
    ensure_private_dir(db.parent)
    for suffix in ("-wal", "-shm"):  # an old log's journal must not meet the new file
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with (
        files.sqlite_destination(db) as tmp,
        closing(sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(tmp)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")


DEFAULT_KEEP = 14


def daily(db: Path, today: date, keep: int = DEFAULT_KEEP) -> Path | None:
    """Once a day, a checked backup; only the newest `keep` daily backups are kept."""
    folder = db.parent / "backups"
    dest = folder / f"{db.stem}-daily-{today.isoformat()}.db"
    if dest.exists() or not db.exists() or db.stat().st_size == 0:
        return None
    made, _ = backup(db, dest)
    for old in sorted(folder.glob(f"{db.stem}-daily-*.db"))[:-keep]:
        old.unlink(missing_ok=True)
    _sweep(folder, db.stem)
    return made


STALE_AFTER = 3600  # seconds: no backup in progress is this old


def _sweep(folder: Path, stem: str) -> None:
    """Remove what interrupted backups left: a temporary copy (a backup killed midway) or
    its journal files (earlier versions left -wal and -shm beside every backup)."""
    import time

    for leftover in folder.glob(f".{stem}-*.db.*tmp*"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_AFTER:
                leftover.unlink()
        except OSError:
            pass  # gone meanwhile, or not ours to remove: not worth failing a command
