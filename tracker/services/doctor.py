"""`tracker doctor`: check the log and its surroundings, and say what to do about each problem."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from tracker.db import migrate
from tracker.domain.actions import Action, Do, Line, act
from tracker.services.reminder_standing import Standing

WAL_LARGE = 64 * 1024 * 1024
BACKUP_OLD = timedelta(days=7)


RESTORE = Line("restore a backup: ", act(Do.RESTORE))


class Check(NamedTuple):
    ok: bool
    what: str
    advice: str = ""


def check_sqlite(db: Path) -> list[Check]:
    """Every check of a SQLite log itself (the reminders are reminder_checks)."""
    out: list[Check] = []
    if not db.exists():
        return [Check(False, f"no log at {db}", Line(act(Do.INIT)))]
    try:
        revision = migrate.sqlite_revision(db)
    except Exception as exc:  # a damaged file raises our StorageError with the reason
        return [Check(False, str(exc), RESTORE)]
    if revision == migrate.HEAD_REVISION:
        problems = migrate.schema_problems(db)
        if problems:
            return [
                Check(
                    False,
                    f"schema {revision} is claimed, but the tables are not tracker's: "
                    + "; ".join(problems[:3]),
                    Line("this is not a tracker log: ", act(Do.RESTORE)),
                )
            ]
        out.append(Check(True, f"schema {revision} is current"))
    elif revision in migrate.KNOWN_REVISIONS:
        out.append(Check(True, f"schema {revision} will be upgraded on next use"))
    else:
        out.append(
            Check(
                False,
                f"schema {revision} is unknown to this tracker",
                "install the newer tracker that wrote it",
            )
        )
    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        result = (str(exc),)
    out.append(
        Check(
            result == ("ok",),
            "integrity check " + ("passed" if result == ("ok",) else f"failed: {result[0]}"),
            "" if result == ("ok",) else RESTORE,
        )
    )
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            private, writable = mode & 0o077 == 0, os.access(path, os.W_OK)
            out.append(
                Check(
                    private and writable,
                    f"{path.name} is mode {mode:o}" + ("" if writable else ": read-only, so "
                                                      "every write to the log fails"),
                    "" if private and writable else f"chmod 600 {path}",
                )
            )
    folder_mode = stat.S_IMODE(db.parent.stat().st_mode)
    out.append(
        Check(
            folder_mode & 0o077 == 0,
            f"folder {db.parent} is mode {folder_mode:o}",
            "" if folder_mode & 0o077 == 0 else f"chmod 700 {db.parent}",
        )
    )
    wal = Path(f"{db}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    out.append(
        Check(
            size < WAL_LARGE,
            f"write-ahead log {size // 1024} KB",
            ""
            if size < WAL_LARGE
            else "close other tracker processes; it shrinks when the last one exits",
        )
    )
    backups = sorted((db.parent / "backups").glob("*.db"), key=lambda p: p.stat().st_mtime)
    if not backups:
        out.append(Check(False, "no backup yet", Line(act(Do.BACKUP))))
    else:
        # a file's time is the real clock's, so its age is measured on the real clock
        age = time.time() - backups[-1].stat().st_mtime
        out.append(
            Check(
                age < BACKUP_OLD.total_seconds(),
                f"last backup {age / 86400:.0f} days ago ({backups[-1].name})",
                "" if age < BACKUP_OLD.total_seconds() else Line(act(Do.BACKUP)),
            )
        )
    return out


def reminder_checks(
    standing: Standing, service_pid: int | None, notifications: str | None
) -> list[Check]:
    """Whether reminders are on and can be seen, in the same words as `remind status`.

    `notifications` is why this desktop cannot show one (None: it can): the detail a
    parent was spared in the service's window is here."""
    out: list[Check] = []
    if standing.on:
        out.append(Check(True, standing.sentence))
    elif service_pid is not None:
        out.append(
            Check(
                False,
                f"a reminder service is running (pid {service_pid}) but has not checked this "
                "log lately: it may be watching a file that was replaced or deleted",
                Line("stop it and start it again (Ctrl-C, then ", act(Do.REMIND_RUN),
                     "; or log out and in)"),
            )
        )
    else:
        parts: list[str | Action] = []
        for s in (s for s in standing.steps if s.action.do is not Do.DOCTOR):
            parts += ["; "] if parts else []
            parts += [s.action, f": {s.what}"]
        advice = Line(*parts)
        detail = f" [{standing.detail}]" if standing.detail else ""
        out.append(Check(False, standing.sentence + detail, advice))
    if notifications is None:
        out.append(Check(True, "desktop notifications can be shown"))
    else:
        out.append(
            Check(
                False,
                f"this computer cannot show notifications right now [{notifications}]",
                Line("reminders are still printed by the reminder service (",
                     act(Do.REMIND_RUN), ") and recorded (", act(Do.REMIND_LOG),
                     "); log in to the desktop to see them there"),
            )
        )
    return out


def check_server(url: str) -> list[Check]:
    """A log on a database server: reachable, its schema, the service; backed up by pg_dump."""
    from sqlalchemy.engine import make_url

    from tracker.errors import translate

    parsed = make_url(url)
    try:
        revision = migrate._url_revision(url)
    except Exception as exc:  # unreachable, refused, unknown database
        known = translate(exc)
        return [Check(False, f"the database server: {known or type(exc).__name__}",
                      Line("check the server and the URL (", act(Do.CONFIG), ")"))]
    out = [Check(True, f"the database server answers ({parsed.host or 'local socket'})")]
    if revision == migrate.HEAD_REVISION:
        out.append(Check(True, f"schema {revision} is current"))
    elif revision in migrate.KNOWN_REVISIONS or revision == migrate.NEW:
        out.append(Check(True, f"schema {revision} will be brought up to date on next use"))
    else:
        out.append(Check(False, f"schema {revision} is unknown to this tracker",
                         "install the newer tracker that wrote it"))
    dump = (
        f"pg_dump --format=custom --host={parsed.host or 'localhost'} "
        f"--username={parsed.username or 'USER'} --file=tracker.dump {parsed.database}"
    )
    out.append(Check(True, "backups: tracker's own backup copies SQLite logs; a server's "
                           "database is backed up with its own tool", dump))
    return out


def sqlite_all(db: Path, lock: Path, now: datetime, notifications: str | None) -> list[Check]:
    """Every check of a SQLite log and its reminders, read-only and without migrating
    (the doctor changes nothing); `notifications` is why the desktop cannot show one."""
    from tracker.services.reminder_standing import look
    from tracker.services.service_lock import service_pid

    checks = check_sqlite(db)
    if db.exists():
        checks += reminder_checks(look(now, _heartbeat(db)), service_pid(lock), notifications)
        checks += _contact_checks(db)
    return checks


def _heartbeat(db: Path) -> datetime | None:
    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as c:
            row = c.execute("SELECT value FROM service_state WHERE name = 'heartbeat'"
                            ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None
    except (sqlite3.Error, ValueError):  # reported by the log's own checks
        return None


def _contact_checks(db: Path) -> list[Check]:
    """The contacts told of a late dose, their addresses masked."""
    from tracker.services.contacts import masked

    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as c:
            rows = c.execute("SELECT name, after_minutes, url FROM contact ORDER BY name"
                             ).fetchall()
    except sqlite3.Error:  # an older log without contacts, or a damaged one (said above)
        return []
    return [Check(True, f"contact {name}: told {after} min after a dose time if it is not "
                        f"logged ({masked(url)})") for name, after, url in rows]
