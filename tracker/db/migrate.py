"""Bringing a database to the schema this program knows, on first use.

The common case (schema already current) must cost almost nothing, so the revision is
read with the standard library's sqlite3 and compared with HEAD_REVISION; Alembic is
imported only when there is something to do. A database written by a newer tracker is
refused rather than written to. Before an existing file is migrated it is backed up with
SQLite's online backup API (a plain file copy can miss what is still in the WAL).
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from tracker.config import Target, ensure_private_dir
from tracker.errors import DamagedFile, StorageError, explain_db_error
from tracker.i18n import _

# Oldest first. A test checks that this matches alembic/versions exactly.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0012", "0013", "0014", "0015",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
NEW = "new"
FOREIGN = "foreign"


def script_location() -> str:
    """alembic/ in a source checkout; tracker/migrations in an installed wheel."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "migrations"
    if (installed / "env.py").is_file():
        return str(installed)
    return str(package.parent / "alembic")


def _open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=15)


def sqlite_revision(path: Path) -> str:
    """The file's schema revision, NEW for a missing or empty file, FOREIGN for another app's."""
    return _look(path)[0]


def _look(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The file's schema revision and its triggers (name, table), in one read-only
    connection: every command reads both before it opens the log."""
    if not path.exists() or path.stat().st_size == 0:
        return NEW, []
    try:
        with closing(_open_readonly(path)) as conn:
            rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master "
                                "WHERE type IN ('table', 'trigger') ORDER BY rowid").fetchall()
            tables = {name for kind, name, _unused in rows if kind == "table"}
            triggers = [(name, table) for kind, name, table in rows if kind == "trigger"]
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                return (str(row[0]) if row else NEW), triggers
            return (FOREIGN if tables else NEW), triggers
    except sqlite3.DatabaseError as exc:
        known = explain_db_error(str(exc))
        damaged = any(words in str(exc).lower() for words in ("file is not a database",
                                                               "malformed"))
        if known is not None and not damaged:  # the machine, not the file
            # TRANSLATORS: {problem} says what is wrong (the disk is full...)
            raise StorageError(_("{problem} (opening {path}); nothing was changed").format(
                problem=known, path=path)) from None
        raise DamagedFile(
            # TRANSLATORS: {problem} is SQLite's own words, in English
            _("{path} cannot be read as a tracker database ({problem}): it may be damaged; "
              "restore a backup or move it aside").format(path=path, problem=exc),
            str(exc),
        ) from None


def schema_problems(path: Path) -> list[str]:
    """How a SQLite file's tables and columns differ from this tracker's model (none: ours).

    An `alembic_version` that reads like ours proves little (any Alembic app numbers its
    revisions 0001, 0002...): a restore and `doctor` look at the tables themselves.
    """
    from tracker.db.models import Base

    problems: list[str] = []
    with closing(_open_readonly(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in Base.metadata.sorted_tables:
            if table.name not in tables:
                problems.append(_("it has no {table} table").format(table=table.name))
                continue
            columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table.name}")')}
            missing = [c.name for c in table.columns if c.name not in columns]
            if missing:
                # TRANSLATORS: {columns} are a table's column names
                problems.append(_("its {table} table lacks {columns}").format(
                    table=table.name, columns=", ".join(missing)))
    return problems


# SQLite's own objects: made by SQLite itself (a UNIQUE constraint's index, AUTOINCREMENT's
# counters, ANALYZE's statistics), never by a file's author
INTERNAL = re.compile(r"sqlite_(autoindex_.+|sequence|stat\d)")


def made_by_tracker() -> set[tuple[str, str]]:
    """(type, name) of every table and index tracker's migrations make at this version.

    No migration drops or renames one (only downgrades do), so an older log's are among
    them. Tracker makes no trigger and no view. A test checks this against a log made by
    the migrations themselves."""
    from tracker.db.models import Base

    made = {("table", "alembic_version")}
    for table in Base.metadata.tables.values():
        made.add(("table", table.name))
        made |= {("index", str(index.name)) for index in table.indexes}
    return made


def foreign_objects(path: Path) -> list[str]:
    """Every schema object of a SQLite file that tracker did not make, in words
    ("trigger keep_paired on device"): a trigger can rewrite what tracker writes, a view
    or table hold what tracker never shows, an index slow it down."""
    with closing(_open_readonly(path)) as conn:
        rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY rowid"
                            ).fetchall()
    made = made_by_tracker()
    return [f"{kind} {name}" + (f" on {table}" if kind in ("trigger", "index") else "")
            for kind, name, table in rows
            if (kind, name) not in made
            and not (kind in ("table", "index") and INTERNAL.fullmatch(name))]


def refuse_triggers(path: Path, found: list[tuple[str, str]] | None = None) -> None:
    """Refuse a log holding a trigger: tracker makes none, and one can rewrite what
    tracker writes (a dose of 0.80 mg stored as 8 mg, a revoked phone let in again). Read
    on every command that opens the log, with its revision (_look); the doctor names it
    and its fix makes the tables again, keeping every entry."""
    if found is None:
        try:
            found = _look(path)[1]
        except StorageError:  # said by whatever opens it next
            return
    if found:
        from tracker.domain.actions import Do, act, fill

        # TRANSLATORS: a trigger's name and its table's
        named = ", ".join(_("{trigger} on {table}").format(trigger=name, table=table)
                          for name, table in found)
        # TRANSLATORS: {triggers} names them; {command} how to let tracker rebuild the tables
        raise StorageError(fill(
            _("the log {path} holds a trigger tracker did not make ({triggers}): it could "
              "change what tracker writes, so nothing was read or written; tracker can make the "
              "log's tables again from its own definitions, keeping every entry: {command}"),
            path=path, triggers=named, command=act(Do.FIX)))


def altered_tables(path: Path) -> list[str]:
    """Tracker's tables and indexes in a log at this version whose definition is not
    tracker's: a column of another type, default or kind (computed), a foreign key or an
    index that differs. What SQLite shows of a definition is compared, column by name."""
    from sqlalchemy import create_engine

    from tracker.db.models import Base

    reference = create_engine("sqlite://")
    try:
        Base.metadata.create_all(reference)
        with reference.connect() as ref_conn:
            expected = _shapes(ref_conn.connection.driver_connection)  # type: ignore[arg-type]
    finally:
        reference.dispose()
    with closing(_open_readonly(path)) as conn:
        found = _shapes(conn)
    return sorted(name for name, shape in expected.items()
                  if name in found and found[name] != shape)


def _shapes(conn: sqlite3.Connection) -> dict[str, object]:
    """Each table's and index's definition as SQLite describes it, order aside."""
    shapes: dict[str, object] = {}
    objects = conn.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN "
                           "('table', 'index') AND substr(name, 1, 7) != 'sqlite_'"
                           ).fetchall()
    for kind, name, table in objects:
        if kind == "table":
            columns = sorted(tuple(r[1:]) for r in conn.execute(
                f"PRAGMA table_xinfo({_quoted(name)})"))
            keys = sorted(tuple(r[2:]) for r in conn.execute(
                f"PRAGMA foreign_key_list({_quoted(name)})"))
            shapes[f"table {name}"] = (columns, keys)
        else:
            flags = [tuple(r[2:]) for r in conn.execute(
                f"PRAGMA index_list({_quoted(table)})") if r[1] == name]
            columns = [r[2] for r in conn.execute(f"PRAGMA index_info({_quoted(name)})")]
            shapes[f"index {name}"] = (table, flags, columns)
    return shapes


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _url_revision(url: str) -> str:
    from sqlalchemy import inspect, text

    from tracker.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" in tables:
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                return str(row[0]) if row else NEW
            return FOREIGN if tables else NEW
    finally:
        engine.dispose()


def backup_sqlite(path: Path, dest_dir: Path, label: str) -> Path:
    """A consistent owner-only copy of a live SQLite file."""
    from tracker import places

    places.private_folder(dest_dir)  # beside the log: a folder nobody else may write
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = dest_dir / f"{path.stem}-{stamp}-{label}.db"
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    os.close(fd)
    with closing(_open_readonly(path)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
    return dest


def alembic_config(url: str) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def run_alembic(url: str, action: str, revision: str) -> None:
    """Upgrade or downgrade in this process, on one connection that holds the write lock."""
    from alembic import command
    from tracker.db.session import make_engine

    cfg = alembic_config(url)
    engine = make_engine(url, migration=True)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn  # type: ignore[attr-defined]
            getattr(command, action)(cfg, revision)
    finally:
        engine.dispose()


def check_replacement(path: Path) -> None:
    """A file put in place of the log under a running process (tracker.db.logfile) is
    checked as any command checks the log it opens: in a place no other user can read or
    change, a tracker log, holding nothing tracker did not make, at this version's schema
    (an older one is upgraded, with a backup first); else refused in words, and the
    process's next transaction asks again."""
    from tracker.config import sqlite_url
    from tracker.domain.actions import Do, act, fill
    from tracker.places import refuse_unsafe

    refuse_unsafe(path)
    revision = sqlite_revision(path)
    if revision in (NEW, FOREIGN):
        raise StorageError(fill(_("the log {path} was replaced by a file that is not a tracker "
                                  "log: nothing is read from it or written to it; put the log "
                                  "back ({command})"), path=path, command=act(Do.RESTORE)))
    prepare(Target(sqlite_url(path), path), create=False)


def prepare(target: Target, *, create: bool = True) -> str | None:
    """Create or upgrade the database as needed. Returns the backup made, if any.

    Without `create` (every command but `tracker init`), a database server's empty
    database is refused rather than given tracker's tables: a URL with a typo in the
    database's name must not become a second, empty log."""
    if target.path is not None:
        revision, triggers = _look(target.path)
        if revision not in (NEW, FOREIGN):
            refuse_triggers(target.path, triggers)
    else:
        revision = _url_revision(target.url)
    if revision == HEAD_REVISION:
        return None
    if revision == FOREIGN:
        # TRANSLATORS: {log} is the log's file or database URL
        raise StorageError(_("{log} holds another program's data, not a tracker log").format(
            log=target.describe()))
    if revision == NEW and not create and target.path is None:
        from tracker.errors import NotFound

        raise NotFound(
            _("{log} holds no tracker log yet: check the URL, or start a log there with "
              "'tracker init'").format(log=target.describe())
        )
    if revision != NEW and revision not in KNOWN_REVISIONS:
        raise StorageError(
            _("{log} was written by a newer tracker (schema {revision}); install the newer "
              "version to use it: nothing was changed").format(
                log=target.describe(), revision=revision)
        )
    backup = None
    if target.path is not None:
        from tracker import places

        ensure_private_dir(target.path.parent)
        places.refuse_unsafe(target.path)  # the folder may have been someone else's first
        if revision == NEW:  # a new file of the user's own, or an empty one of theirs
            os.close(places.open_own(target.path, os.O_WRONLY, role=places.LOG))
        else:
            backup = str(
                backup_sqlite(
                    target.path, target.path.parent / "backups", f"before-{HEAD_REVISION}"
                )
            )
    run_alembic(target.url, "upgrade", "head")
    return backup
