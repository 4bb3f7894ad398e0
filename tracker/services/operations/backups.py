"""Backups and restores of a SQLite log, safe while the reminder service writes.

A backup uses SQLite's online backup API from inside one read transaction, so the copy is
one consistent moment of the log and its row counts can be checked against that same
moment. A restore checks the file first, keeps the current log aside, and puts the
backup's rows in the log under its write lock, in tracker's own schema (never the file's);
who may come in stays as this log says. It refuses while a reminder service has the log
open. Backups beside the log go in `backups/`, a folder of the user's own that nobody else
may write (tracker.places).

Only the command line reaches this module (tests/test_actions.py holds it so): what it
suggests is written as the command to type.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Collection, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from tracker import files, places
from tracker.config import ensure_private_dir
from tracker.db import migrate
from tracker.errors import DamagedFile, InputError, StorageError, explain_db_error, is_damaged
from tracker.i18n import _

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
        raise InputError(_("there is no log at {path} to back up").format(path=db))
    dest = (dest or default_path(db)).expanduser().absolute()
    if dest.parent == db.parent / "backups":  # beside the log: nobody else's folder
        places.private_folder(dest.parent)
    else:  # a place the parent named
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
                    raise StorageError(_("the backup copy failed its integrity check"))
                got = _counts(copy)
            if got != expected:
                raise StorageError(
                    _("the backup copy does not hold the same rows ({got} vs {expected})").format(
                        got=got, expected=expected)
                )
    except sqlite3.DatabaseError as exc:
        advice = explain_db_error(str(exc)) or str(exc)
        if is_damaged(str(exc)):
            raise StorageError(_("cannot back up {path}: {advice} (tracker restore FILE)").format(
                path=db, advice=advice)
                               ) from None
        raise StorageError(_("cannot back up {path}: {advice}").format(
            path=db, advice=advice)) from None
    return dest, expected


def check_restorable(path: Path) -> str:
    """The file's schema revision, after refusing anything that is not a sound tracker log."""
    if not path.is_file():
        raise InputError(_("{path} is not a file").format(path=path))
    try:
        revision = migrate.sqlite_revision(path)
    except DamagedFile as exc:  # its advice is for the log itself; this is the backup
        raise StorageError(
            _("{path} is damaged or not a tracker log ({detail}): not restored").format(
                path=path, detail=exc.detail)
        ) from None
    if revision in (migrate.NEW, migrate.FOREIGN):
        raise InputError(_("{path} is not a tracker log").format(path=path))
    if revision not in migrate.KNOWN_REVISIONS:
        raise StorageError(
            _("{path} comes from a newer tracker (schema {revision}): update tracker before "
              "restoring it; nothing was changed").format(
                path=path, revision=revision)
        )
    try:
        with closing(_read_only(path)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise StorageError(_("{path} is damaged (integrity check failed): not "
                                     "restored").format(path=path))
    except sqlite3.DatabaseError as exc:
        raise StorageError(_("{path} cannot be read ({error}): not restored").format(
                               path=path, error=exc)) from None
    return revision


def _read_only(path: Path) -> sqlite3.Connection:
    """A file that is not ours to trust: read only, and nothing in its schema (a view, a
    trigger) may call a function with side effects."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


class Stranger(NamedTuple):
    """A device the backup lets in and this log never paired."""

    name: str
    caregiver: str
    paired: str  # when it was paired, as the backup says (UTC)
    token_hash: str


class Outcome(NamedTuple):
    kept: Path | None  # the log as it was, kept aside (None: there was none)
    kept_out: list[str]  # devices the backup knew and this log never paired, left revoked
    let_in: list[str]  # such devices let in, as the parent said (their names in the log)
    left_out: list[str]  # what the file held that tracker does not make ("trigger x")


class Restore:
    """A backup made ready to be put in place: a private temporary file with tracker's own
    schema, made by tracker's migrations, holding the backup's rows; what it brings that
    this log never let in; and what it held that is not tracker's (left out)."""

    def __init__(self, db: Path, source: Path, clean: Path, left_out: list[str]) -> None:
        self.db = db
        self.source = source
        self.clean = clean
        self.left_out = left_out
        self.strangers = _strangers(db, clean)

    def put_back(self, *, let_in: Collection[str] = (), now: datetime) -> Outcome:
        """Put the backup's rows in place of the log's. `let_in`: the token hashes of the
        strangers the parent let in; every other stranger is restored revoked."""
        allowed = frozenset(let_in)
        if not self.db.exists():
            kept_out, admitted = _place_new(self.db, self.clean, allowed, now)
            return Outcome(None, kept_out, admitted, self.left_out)
        kept, kept_out, admitted = _replace(self.db, self.clean, allowed, now)
        return Outcome(kept, kept_out, admitted, self.left_out)


@contextmanager
def restoring(db: Path, source: Path) -> Iterator[Restore]:
    """A backup checked and made ready (see Restore), under the restore lock: nothing is
    written to the log yet, so a question may be asked before `put_back`.

    `put_back` works inside the log, under its write lock, rather than by swapping files:
    a caregiver whose command already had the log open would otherwise write into the file
    swapped away, and be told "Recorded" for an entry that is in neither the restored log
    nor the copy kept aside. Under the lock, the log as it is is copied aside, then its
    schema is made again from tracker's own migrations (nothing of the file's own: no
    trigger, view, index or table that tracker did not make) and filled with the backup's
    rows, in one transaction; a writer waiting meanwhile writes into the restored log once
    it is done, or is refused in one line.

    Who may come in stays as this log says: a device revoked here stays revoked, one
    paired here after the backup keeps working, the backup's pending pairing links are
    not brought back, and a device only the backup knows is restored revoked unless it is
    let in (`put_back(let_in=...)`, the parent's answer).
    """
    revision = check_restorable(source)
    ensure_private_dir(db.parent)
    places.refuse_unsafe(db)
    with _restore_lock(db):
        clean, left_out = _clean_copy(db, source, revision)
        try:
            yield Restore(db, source, clean, left_out)
        finally:
            for leftover in (clean, *(Path(f"{clean}{s}") for s in ("-wal", "-shm", "-journal"))):
                leftover.unlink(missing_ok=True)


def not_a_stranger(name: str, strangers: list[Stranger]) -> str:
    known = ", ".join(repr(s.name) for s in strangers) or "none"
    return _("the backup has no device called {name} that this log never paired (such "
             "devices: {known}): nothing was changed").format(name=repr(name), known=known)


@contextmanager
def _restore_lock(db: Path) -> Iterator[None]:
    """One restore at a time: a second one is refused rather than interleaved."""
    from tracker.locks import try_lock

    fd = places.open_own(db.with_name(db.name + ".restore.lock"), os.O_WRONLY)
    try:
        if not try_lock(fd):
            raise StorageError(_("another restore of this log is running: nothing was changed"))
        yield
    finally:
        os.close(fd)


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({_quoted(table)})")]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _clean_copy(db: Path, source: Path, revision: str) -> tuple[Path, list[str]]:
    """The backup's rows in tracker's own schema: an empty file is given the schema of the
    backup's revision by tracker's migrations, the rows of each of tracker's tables are
    copied into it (the columns tracker knows, by name), and it is brought up to this
    version. Nothing of the file's own schema is copied: what it holds that tracker does
    not make is named in the list returned."""
    fd, name = tempfile.mkstemp(prefix=f".{db.name}.restoring-", suffix=".db", dir=db.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        migrate.run_alembic(f"sqlite:///{tmp}", "upgrade", revision)
        with closing(sqlite3.connect(tmp.as_uri(), uri=True, isolation_level=None)) as conn:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("ATTACH DATABASE ? AS src", (f"{source.absolute().as_uri()}?mode=ro",))
            ours = {(t, n) for t, n in conn.execute(
                "SELECT type, name FROM main.sqlite_master")}
            theirs = conn.execute("SELECT type, name FROM src.sqlite_master").fetchall()
            problems: list[str] = []
            conn.execute("BEGIN")
            for table in sorted(n for t, n in ours if t == "table" and n != "alembic_version"):
                if ("table", table) not in theirs:
                    problems.append(_("it has no {table} table").format(table=table))
                    continue
                cols = _columns(conn, "main", table)
                missing = [c for c in cols if c not in _columns(conn, "src", table)]
                if missing:
                    problems.append(_("its {table} table lacks {columns}").format(
                                        table=table, columns=', '.join(missing)))
                    continue
                listed = ", ".join(_quoted(c) for c in cols)
                conn.execute(f"INSERT INTO main.{_quoted(table)} ({listed}) "
                             f"SELECT {listed} FROM src.{_quoted(table)}")
            if problems:
                raise StorageError(
                    _("{source} is not a tracker log ({problems}): not restored").format(
                        source=source, problems='; '.join(problems[:3])))
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE src")
        left_out = [f"{t} {n}" for t, n in theirs
                    if (t, n) not in ours and not migrate.INTERNAL.fullmatch(n)]
        if revision != migrate.HEAD_REVISION:
            try:
                migrate.run_alembic(f"sqlite:///{tmp}", "upgrade", "head")
            except Exception:  # rows our migrations cannot bring up to this version
                raise StorageError(
                    _("{source} is not a tracker log (its entries cannot be brought up to this "
                      "version): not restored").format(
                        source=source)
                ) from None
    except sqlite3.IntegrityError as exc:  # rows tracker's own constraints refuse
        tmp.unlink(missing_ok=True)
        raise StorageError(_("{source} holds entries that do not fit tracker's tables ({error}): "
                             "not restored").format(source=source, error=exc)) from None
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(_("{source} cannot be read ({error}): not restored").format(
                               source=source, error=exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, left_out


DEVICE = ("id", "name", "caregiver", "token_hash", "created_at", "last_used_at", "revoked_at")
PAIRING = ("id", "code_hash", "name", "caregiver", "created_at", "expires_at", "used_at")
# Who may come in is this log's to say, not the backup's: these tables are filled by
# _who_comes_in, the others from the backup.
ACCESS = ("device", "pairing", "form_submission")


def _rows(conn: sqlite3.Connection, schema: str, table: str,
          columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    """A table's rows, or none when the log has no such table (an older version's)."""
    listed = ", ".join(_quoted(c) for c in columns)
    try:
        return conn.execute(f"SELECT {listed} FROM {schema}.{_quoted(table)} ORDER BY 1"
                            ).fetchall()
    except sqlite3.OperationalError:  # no such table or column
        return []


def known_devices(db: Path) -> list[tuple[object, ...]]:
    """The devices this log paired, as it knows them: from the log itself; when it is gone,
    from the copies tracker made of it in its own backups/ folder (a folder of the
    user's alone, tracker.places): a device any of them knows was paired here, and one
    revoked in any of them stays revoked."""
    if db.exists():
        try:
            with closing(_read_only(db)) as conn:
                return _rows(conn, "main", "device", DEVICE)
        except sqlite3.DatabaseError:
            return []  # a damaged log knows no device
    folder = db.parent / "backups"
    try:
        places.refuse_folder(folder)
        copies = sorted(folder.glob(f"{db.stem}-*.db"), key=lambda p: p.stat().st_mtime)
    except (OSError, StorageError):
        return []
    found: dict[object, list[object]] = {}
    for copy in copies:
        try:
            if copy.is_symlink() or copy.stat().st_uid != places.me():
                continue
            with closing(_read_only(copy)) as conn:
                for row in _rows(conn, "main", "device", DEVICE):
                    seen = found.setdefault(row[3], list(row))
                    seen[6] = seen[6] or row[6]
        except (OSError, sqlite3.DatabaseError):
            continue
    ids: set[int] = set()
    devices: list[tuple[object, ...]] = []
    for device in found.values():  # one id each, as in a log
        number = int(str(device[0]))
        if number in ids:
            number = max(ids) + 1
        ids.add(number)
        devices.append((number, *device[1:]))
    return devices


def _strangers(db: Path, clean: Path) -> list[Stranger]:
    """The devices the backup lets in that this log never paired (a device is its token)."""
    known = {r[3] for r in known_devices(db)}
    with closing(_read_only(clean)) as conn:
        theirs = _rows(conn, "main", "device", DEVICE)
    return [Stranger(str(r[1]), str(r[2]), str(r[4]), str(r[3])) for r in theirs
            if r[6] is None and r[3] not in known]


def _stamp(now: datetime) -> str:
    """An instant as tracker's columns keep it (UTC, tracker.db.types.UTCDateTime)."""
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _fill(conn: sqlite3.Connection, *, devices: list[tuple[object, ...]],
          pairings: list[tuple[object, ...]], let_in: frozenset[str],
          now: datetime) -> tuple[list[str], list[str]]:
    """Inside a write transaction: the log (main) becomes tracker's own schema, taken from
    the prepared copy (attached as `clean`), with the copy's rows; `devices` and
    `pairings` are the log's own before the restore. Returns the devices kept out and
    those let in."""
    mine = conn.execute("SELECT type, name FROM main.sqlite_master").fetchall()
    order = {"trigger": 0, "view": 1, "index": 2, "table": 3}
    for kind, name in sorted(mine, key=lambda o: order.get(o[0], 4)):
        if kind in ("trigger", "view") or (kind in ("index", "table")
                                            and not name.startswith("sqlite_")):
            conn.execute(f"DROP {kind.upper()} IF EXISTS main.{_quoted(name)}")
    made = conn.execute("SELECT type, name, sql FROM clean.sqlite_master WHERE sql IS NOT NULL "
                        "ORDER BY type != 'table', rowid").fetchall()
    for _kind, _name, sql in made:
        conn.execute(sql)
    for table in (n for k, n, _unused in made if k == "table" and n not in ACCESS):
        listed = ", ".join(_quoted(c) for c in _columns(conn, "clean", table))
        conn.execute(f"INSERT INTO main.{_quoted(table)} ({listed}) "
                     f"SELECT {listed} FROM clean.{_quoted(table)}")
    return _who_comes_in(conn, devices, pairings, let_in, now)


def _who_comes_in(conn: sqlite3.Connection, devices: list[tuple[object, ...]],
                  pairings: list[tuple[object, ...]], let_in: frozenset[str],
                  now: datetime) -> tuple[list[str], list[str]]:
    """The devices as this log knows them, with the backup's added: a revocation made in
    either stays; a device paired here after the backup keeps working; one only the backup
    knows comes in only when let in. Pairing links are this log's (the backup's pending
    ones do not come back); the backup's form records follow their devices."""
    theirs = _rows(conn, "clean", "device", DEVICE)
    by_token = {r[3]: r for r in theirs}
    merged: list[list[object]] = []
    ids: dict[object, object] = {}  # the backup's device id -> its id in the restored log
    for row in devices:
        out = list(row)
        backup = by_token.get(row[3])
        if backup is not None:
            ids[backup[0]] = row[0]
            out[6] = row[6] or backup[6]
            out[5] = max((t for t in (row[5], backup[5]) if t is not None), default=None,
                         key=str)
        merged.append(out)
    known = {row[3] for row in devices}
    live = {str(row[1]) for row in merged if row[6] is None}
    next_id = max((int(str(row[0])) for row in devices), default=0) + 1
    kept_out: list[str] = []
    admitted: list[str] = []
    for row in theirs:
        if row[3] in known:
            continue
        out = list(row)
        ids[row[0]], out[0] = next_id, next_id
        next_id += 1
        if row[6] is None and row[3] in let_in:
            name, n = str(row[1]), 2
            while name in live:  # two live devices of one name: one could not be revoked
                name, n = f"{row[1]} ({n})", n + 1
            out[1] = name
            live.add(name)
            admitted.append(name)
        elif row[6] is None:
            out[6] = _stamp(now)
            kept_out.append(str(row[1]))
        merged.append(out)
    holes = ", ".join("?" * len(DEVICE))
    conn.executemany(f"INSERT INTO main.device ({', '.join(DEVICE)}) VALUES ({holes})", merged)
    conn.executemany(f"INSERT INTO main.pairing ({', '.join(PAIRING)}) VALUES "
                     f"({', '.join('?' * len(PAIRING))})", pairings)
    forms = conn.execute("SELECT id, device_id, action, created_at, result "
                         "FROM clean.form_submission").fetchall()
    conn.executemany("INSERT INTO main.form_submission (id, device_id, action, created_at, "
                     "result) VALUES (?, ?, ?, ?, ?)",
                     [(f[0], ids[f[1]], *f[2:]) for f in forms if f[1] in ids])
    return kept_out, admitted


def _replace(db: Path, clean: Path, let_in: frozenset[str], now: datetime, *,
             keep_rows: bool = False) -> tuple[Path, list[str], list[str]]:
    """Under the log's write lock: keep the log as it is aside, then fill it again from
    `clean` (with `keep_rows`, an empty schema that first takes the log's own rows)."""
    with closing(sqlite3.connect(db, timeout=15, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")  # rows arrive table by table
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("ATTACH DATABASE ? AS clean", (str(clean),))
        conn.execute("BEGIN IMMEDIATE")
        kept: Path | None = None
        try:
            # we hold the write lock: this copy is the log at its last commit, all of it
            kept = backup(db, default_path(db, "before-restore"))[0]
            if keep_rows:
                _copy_rows(conn, "main", "clean")
            devices = _rows(conn, "main", "device", DEVICE)
            pairings = _rows(conn, "main", "pairing", PAIRING)
            kept_out, admitted = _fill(conn, devices=devices, pairings=pairings,
                                       let_in=let_in, now=now)
            if conn.execute("PRAGMA main.foreign_key_check").fetchall():
                raise StorageError(_("the backup's entries do not hold together: not restored"))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        conn.execute("DETACH DATABASE clean")
        from tracker.db.session import empty_wal

        empty_wal(conn)  # as every write does: nothing left in the WAL to meet another file
    return kept, kept_out, admitted


def _copy_rows(conn: sqlite3.Connection, source: str, dest: str) -> None:
    """Every row of tracker's tables, by the columns `dest` has (alembic_version aside)."""
    tables = [r[0] for r in conn.execute(
        f"SELECT name FROM {dest}.sqlite_master WHERE type = 'table' "
        "AND name != 'alembic_version' AND substr(name, 1, 7) != 'sqlite_'")]
    for table in tables:
        listed = ", ".join(_quoted(c) for c in _columns(conn, dest, table))
        conn.execute(f"INSERT INTO {dest}.{_quoted(table)} ({listed}) "
                     f"SELECT {listed} FROM {source}.{_quoted(table)}")


def rebuild(db: Path, now: datetime) -> Path:
    """The log's tables made again from tracker's own migrations, every row kept: what
    tracker did not make (a trigger, a view, an index, a table) is left out. Under the
    restore lock and the log's write lock, as a restore; returns the copy kept aside."""
    if migrate.sqlite_revision(db) != migrate.HEAD_REVISION:
        raise StorageError(_("the log {path} is not at this version's schema yet: use it once (it "
                             "is brought up to date), then do this again").format(path=db))
    places.refuse_unsafe(db)
    with _restore_lock(db):
        fd, name = tempfile.mkstemp(prefix=f".{db.name}.rebuilding-", suffix=".db",
                                    dir=db.parent)
        os.close(fd)
        clean = Path(name)
        try:
            migrate.run_alembic(f"sqlite:///{clean}", "upgrade", "head")
            return _replace(db, clean, frozenset(), now, keep_rows=True)[0]
        except sqlite3.DatabaseError as exc:
            raise StorageError(_("the log's tables could not be made again ({error}): nothing was "
                                 "changed").format(error=exc)) from None
        finally:
            clean.unlink(missing_ok=True)


def _place_new(db: Path, clean: Path, let_in: frozenset[str],
               now: datetime) -> tuple[list[str], list[str]]:
    """No log yet: a new file, made the same way (tracker's schema, the backup's rows, the
    devices the log's own backups knew, no other device the parent did not let in), takes
    the log's name."""
    for suffix in ("-wal", "-shm"):  # an old log's journal must not meet the new file
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    devices = known_devices(db)
    with (
        files.sqlite_destination(db) as tmp,
        closing(sqlite3.connect(tmp, isolation_level=None)) as conn,
    ):
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS clean", (str(clean),))
        conn.execute("BEGIN IMMEDIATE")
        kept_out, admitted = _fill(conn, devices=devices, pairings=[], let_in=let_in,
                                   now=now)
        if conn.execute("PRAGMA main.foreign_key_check").fetchall():
            raise StorageError(_("the backup's entries do not hold together: not restored"))
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE clean")
    return kept_out, admitted


DEFAULT_KEEP = 14


def daily(db: Path, today: date, keep: int = DEFAULT_KEEP) -> Path | None:
    """Once a day, a checked backup; only the newest `keep` daily backups are kept."""
    folder = db.parent / "backups"
    dest = folder / f"{db.stem}-daily-{today.isoformat()}.db"
    if dest.exists() or not db.exists() or db.stat().st_size == 0:
        return None
    made, _unused = backup(db, dest)
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
