"""Engines and transactions.

SQLite is opened in WAL mode with a busy timeout and foreign keys on. Its driver's own
transaction handling is switched off so that we issue BEGIN ourselves: a command that
writes begins with BEGIN IMMEDIATE, which waits for another writer instead of failing
with "database is locked" halfway through a read-then-write.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVarTuple

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy import Select
    from sqlalchemy.engine import Connection, Engine, Result
    from sqlalchemy.pool import ConnectionPoolEntry, Pool

    from tracker.db.logfile import LogFile

BUSY_TIMEOUT_MS = 15_000
CONNECT_S = 10  # seconds to reach a database server
STATEMENT_MS = 60_000  # the longest statement (a 10-year export is far below)
_WRITE = "tracker_write"
Ts = TypeVarTuple("Ts")
# The file each SQLite engine's transactions are checked against (tracker.db.logfile)
_FILES: weakref.WeakKeyDictionary[Engine, LogFile] = weakref.WeakKeyDictionary()


# the driver's own connection, as SQLAlchemy's events hand it over: these run on SQLite
# engines only, whose driver is sqlite3
DriverConnection = sqlite3.Connection


class _EngineOptions(TypedDict, total=False):
    """What make_engine passes to create_engine, by the kind of database."""

    poolclass: type[Pool]
    pool_pre_ping: bool
    connect_args: dict[str, str | int]  # the PostgreSQL driver's


def _sqlite_pragmas(dbapi_connection: DriverConnection, foreign_keys: bool, busy_ms: int) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL").fetchall()
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    finally:
        cursor.close()


def empty_wal(dbapi_connection: DriverConnection, busy_ms: int = BUSY_TIMEOUT_MS) -> None:
    """After a write: the WAL's pages put in the log and the WAL emptied (TRUNCATE).

    A file moved over the log (a sync tool, a backup put back by hand) keeps the log's
    name, and so do the old file's `-wal` and `-shm`: SQLite would read pages left in
    that WAL into the new file (tried here: a copy moved over a log came back with rows it
    never had). Whoever keeps a connection open (the page, the reminder service) keeps the
    WAL from being emptied by the last close, so every write empties it itself: at rest
    the WAL holds nothing to mix. Readers still in an older snapshot are waited for a
    moment, not for a writer's whole timeout; when they hold it up, the next write (or the
    last close) empties it.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {EMPTY_WAL_WAIT_MS}")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:  # the connection's own patience back, whatever happened
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    except Exception:  # best effort: the log is written already
        pass
    finally:
        cursor.close()


EMPTY_WAL_WAIT_MS = 250


def make_engine(url: str, *, migration: bool = False, busy_ms: int = BUSY_TIMEOUT_MS,
                said: Callable[[str], None] | None = None,
                check: Callable[[Path], None] | None = None) -> Engine:
    """An engine for the log; `migration` turns foreign keys off and locks at once.

    `busy_ms` is how long a write waits for another writer: a command waits long, the
    reminder service briefly (it sends anyway, and records later).

    A SQLite log's transactions follow its file (tracker.db.logfile): a file replaced
    under the process is noticed before the next read or write, `check`ed before it is
    used (tracker.db.migrate.check_replacement), and `said` hears of it. Every write
    empties the WAL once it is committed (empty_wal).

    Migrations run in batch mode, which recreates tables: with foreign keys on, that can
    cascade into deleting child rows, so the migration connection has them off and the
    migration checks them itself afterwards.
    """
    kwargs: _EngineOptions = {}
    if migration:
        from sqlalchemy.pool import NullPool

        kwargs["poolclass"] = NullPool
    if not url.startswith("sqlite"):
        kwargs["pool_pre_ping"] = True  # a server that restarted: reconnect, not fail
        # A server that is away or stopped answering: connecting gives up in seconds, a
        # lock is waited for as long as SQLite's busy timeout, a statement at most
        # STATEMENT_MS, and a dead peer is noticed by TCP keepalives (a paused server is
        # caught by the caller's own wait: see tracker.web.pool).
        kwargs["connect_args"] = {
            "connect_timeout": CONNECT_S,
            "options": f"-c lock_timeout={int(busy_ms)} -c statement_timeout={STATEMENT_MS}",
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
            "keepalives_count": 3,
        }
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        from tracker.db.models import enable_postgresql

        enable_postgresql()
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: DriverConnection,
                        _record: ConnectionPoolEntry) -> None:
            _sqlite_pragmas(dbapi_connection, foreign_keys=not migration, busy_ms=busy_ms)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            immediate = migration or conn.get_execution_options().get(_WRITE, False)
            if immediate:
                conn.info["wrote"] = True  # its WAL is emptied when it is given back
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        @event.listens_for(engine, "checkin")
        def _on_checkin(dbapi_connection: DriverConnection | None,
                        record: ConnectionPoolEntry) -> None:
            if dbapi_connection is not None and record.info.pop("wrote", False):
                empty_wal(dbapi_connection, busy_ms)

        if not migration and engine.url.database not in (None, "", ":memory:"):
            from tracker.db.logfile import LogFile

            _FILES[engine] = LogFile(Path(str(engine.url.database)), said, check)
    return engine


@contextmanager
def transaction(
    engine: Engine, *, write: bool, before_commit: Callable[[], None] | None = None
) -> Iterator[Session]:
    """One short transaction: committed when the block ends, rolled back on any error.

    `before_commit` runs just before COMMIT (the command line uses it to hold off signals
    until it has said what was committed).
    """
    held = _FILES.get(engine)
    with (held.entered(engine) if held is not None else nullcontext()), \
            Session(engine, expire_on_commit=False) as session:
        if write:
            session.connection(execution_options={_WRITE: True})
        try:
            yield session
            if held is not None and write:
                held.still_there()
            if before_commit is not None:
                before_commit()
            session.commit()
        except BaseException:
            session.rollback()
            raise


def columns(session: Session, statement: Select[*Ts],
            params: Mapping[str, object] | None = None) -> Result[*Ts]:
    """A statement of plain columns (no entities), run on the session's connection: the
    ORM's work for entities costs more than SQLite takes to answer, on the look-ups every
    page and reminder makes. What the session holds unwritten is flushed first, as
    session.execute would, so a dose just added in this transaction is seen."""
    session.flush()
    return session.connection().execute(statement, params)
