"""Every error a user can meet, each with its own exit code.

Services raise these; only the command line turns them into a message. The codes
let scripts tell a refused dose (4) from a typo (2) or a broken database (5).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tracker.i18n import N_, _

if TYPE_CHECKING:
    from pathlib import Path


class TrackerError(Exception):
    """A problem the user can understand and act on: shown as one line, never a traceback."""

    exit_code = 1


class InputError(TrackerError):
    """The user typed something we cannot accept (bad date, unknown site, negative weight)."""

    exit_code = 2


class NotFound(TrackerError):
    """A child, entry or prescription that the user named does not exist."""

    exit_code = 3


class Refused(TrackerError):
    """A safety rule said no. Most can be overridden with --force and a reason."""

    exit_code = 4


class StorageError(TrackerError):
    """The database cannot be used: locked, corrupt, read-only, or from a newer version."""

    exit_code = 5


class DamagedFile(StorageError):
    """A file that SQLite cannot read as a database: damaged, or something else entirely."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


# What database drivers say (in English, compared), and what a parent should hear (N_,
# translated by explain_db_error). Recognised by message: the same words come from
# sqlite3, SQLAlchemy and the file system.
_DB_MESSAGES = (
    ("database is locked", N_("the log is busy: another tracker is writing to it; try again")),
    ("readonly database", N_("the log is read-only here: check the file's permissions")),
    ("read-only", N_("the log is read-only here: check the file's permissions")),
    (
        "unable to open database",
        N_("cannot open the log's file: check that its folder exists and is yours"),
    ),
    ("file is not a database", N_("the log's file is damaged or not a database: restore a backup")),
    ("malformed", N_("the log's file is damaged: restore a backup")),
    (
        "disk i/o error",
        N_("the disk could not be read or written (is it full?): free some space and try again"),
    ),
    ("database or disk is full", N_("the disk is full: free some space and try again")),
    ("password authentication failed", N_("the database server refused the user or password")),
    ("could not connect", N_("cannot reach the database server")),
    ("connection refused", N_("cannot reach the database server")),
    ("connection to server", N_("cannot reach the database server")),
    ("terminating connection", N_("cannot reach the database server")),
    ("server closed the connection", N_("cannot reach the database server")),
    ("connection is bad", N_("cannot reach the database server")),
)


DAMAGED = ("file is not a database", "malformed")  # SQLite's words for a damaged file


def is_damaged(text: str) -> bool:
    """Whether a database failure says the file itself is damaged (restore a backup)."""
    return any(needle in text.lower() for needle in DAMAGED)


def explain_db_error(text: str) -> str | None:
    """The advice for a database failure, or None when it is not one we recognise."""
    lowered = text.lower()
    for needle, message in _DB_MESSAGES:
        if needle in lowered:
            return _(message)
    return None


def translate(exc: BaseException, log: Path | None = None) -> TrackerError | None:
    """A TrackerError for a failure of the environment, or None for a bug.

    `log` is the log's file, to say who holds it when it is busy.
    """
    if isinstance(exc, TrackerError):
        return exc
    sa_exc = sys.modules.get("sqlalchemy.exc")
    texts = [str(exc).lower()]
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        texts.append(str(exc.orig).lower())
    elif not isinstance(exc, OSError) and type(exc).__module__ != "sqlite3":
        return None
    for t in texts:
        message = explain_db_error(t)
        if message is not None:
            if "readonly database" in t or "read-only" in t:
                message = read_only_part(log) or message
            if "database is locked" in t:
                from tracker.locks import who_writes

                holder = who_writes(log)
                if holder:
                    # TRANSLATORS: {holder} says which program holds the log (tracker remind)
                    message = _("the log is busy: {holder} is writing to it; try again").format(
                        holder=holder)
            return StorageError(message)
    if isinstance(exc, OSError):
        # the system's own words for the failure (strerror, in the system's locale)
        if exc.filename:
            return StorageError(_("{problem} ({path})").format(problem=exc.strerror or exc,
                                                               path=exc.filename))
        return StorageError(f"{exc.strerror or exc}")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        # TRANSLATORS: {problem} is the database's own message, in English
        return StorageError(_("the database failed: {problem}").format(
            problem=str(exc.orig).splitlines()[0]))
    return None


def read_only_part(log: Path | None) -> str | None:
    """Which of the log's files cannot be written, when the log itself looks writable.

    After the log was opened once while read-only, SQLite leaves `-shm` (and sometimes
    `-wal`) with the log's read-only mode: every write then fails although the log is
    0600, and "check the log's permissions" sends a parent to the wrong file.
    """
    import os
    import stat

    if log is None or not log.exists():
        return None
    for path in (log, log.with_name(log.name + "-wal"), log.with_name(log.name + "-shm")):
        try:
            if path.exists() and not os.access(path, os.W_OK):
                mode = stat.S_IMODE(path.stat().st_mode)
                if path == log:
                    # TRANSLATORS: {mode} is a file's permissions in octal (444)
                    return _("the log {path} is read-only (mode {mode}): check its "
                             "permissions").format(path=path, mode=f"{mode:o}")
                return _("{path} is read-only (mode {mode}), left by an earlier read-only use "
                         "of the log: make it writable (chmod 600 {path}); the log itself is "
                         "fine").format(path=path, mode=f"{mode:o}")
        except OSError:
            continue
    folder = log.parent
    if not os.access(folder, os.W_OK):
        return _("the log's folder {folder} is read-only: check its permissions").format(
            folder=folder)
    return None
