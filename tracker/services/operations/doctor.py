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

from tracker import i18n, places
from tracker.db import migrate
from tracker.domain.reminders import CANNOT_SHOW
from tracker.i18n import N_, _, ngettext
from tracker.services.operations.reminder_standing import DOCTOR, RUN, Standing

WAL_LARGE = 64 * 1024 * 1024
BACKUP_OLD = timedelta(days=7)


# Only the command line reaches this module (tests/test_actions.py checks it): its advice
# names the commands to type, as the command line's own words.
# RESTORE and BACKUP are sentences (N_, _() where said); FIX is a command, typed as it is
# TRANSLATORS: "tracker restore FILE" is a command, typed as it is
RESTORE = N_("restore a backup: tracker restore FILE")
FIX = "tracker doctor --fix"
# TRANSLATORS: "tracker backup" is a command, typed as it is
BACKUP = N_("run 'tracker backup'")


class Check(NamedTuple):
    ok: bool
    what: str
    advice: str = ""


def _fix(by_hand: str) -> str:
    """Advice for what is the user's own to put right: tracker does it, or by hand."""
    # TRANSLATORS: {by_hand}: a command that puts it right ("chmod 600 ..."); {command}:
    # tracker's own ("tracker doctor --fix")
    return _("{by_hand}, or let tracker do it: {command}").format(by_hand=by_hand, command=FIX)


def place_checks(db: Path, found: list[places.Problem]) -> list[Check]:
    """Whose the log's folder and files are, and who else may read or write them
    (`found`, tracker.places): another user's file is named with its owner and what to
    do; what is the user's own to put right (a mode) is offered to be fixed."""
    out: list[Check] = []
    for p in found:
        if p.issue != places.LOOSE:
            out.append(Check(False, p.sentence(), _("or let tracker do it: {command}").format(
                command=FIX) if p.fixable else ""))
    refused = {p.path for p in found if p.issue != places.LOOSE}
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists() and path not in refused:
            mode = stat.S_IMODE(path.stat().st_mode)
            private, writable = mode & 0o077 == 0, os.access(path, os.W_OK)
            out.append(
                Check(
                    private and writable,
                    # TRANSLATORS: {mode} is a file's permissions in octal ("600")
                    (_("{name} is mode {mode}") if writable
                     else _("{name} is mode {mode}: read-only, so every write to the log "
                            "fails")).format(name=path.name, mode=f"{mode:o}"),
                    "" if private and writable else _fix(f"chmod 600 {path}"),
                )
            )
    if db.parent.is_dir() and db.parent not in refused:
        folder_mode = stat.S_IMODE(db.parent.stat().st_mode)
        out.append(
            Check(
                folder_mode & 0o077 == 0,
                _("folder {folder} is mode {mode}").format(
                    folder=db.parent, mode=f"{folder_mode:o}"),
                "" if folder_mode & 0o077 == 0 else _fix(f"chmod 700 {db.parent}"),
            )
        )
    shown = {db, Path(f"{db}-wal"), Path(f"{db}-shm"), db.parent}
    for p in found:
        if p.issue == places.LOOSE and p.path not in shown:
            out.append(Check(False, p.sentence(), _("or let tracker do it: {command}").format(
                command=FIX)))
    return out


def schema_checks(db: Path, revision: str) -> list[Check]:
    """Every schema object in the log that tracker did not make (a trigger that rewrites
    what is written, a view, an index, a table), and tracker's tables defined otherwise."""
    try:
        foreign = migrate.foreign_objects(db)
        altered = migrate.altered_tables(db) if revision == migrate.HEAD_REVISION else []
    except sqlite3.DatabaseError:  # said by the integrity check
        return []
    if not foreign and not altered:
        return [Check(True, _("every table and index in the log is tracker's own"))]
    # TRANSLATORS: {name} is a table or an index of the database
    words = "; ".join([*(_("{name} (not made by tracker)").format(name=o) for o in foreign),
                       *(_("{name} (not as tracker defines it)").format(name=o) for o in altered)])
    return [Check(False, _("the log holds what tracker did not make: {found}").format(found=words),
                  _("tracker can make the log's tables again from its own definitions, keeping "
                    "every entry: {command}").format(command=FIX))]


def unsafe(db: Path) -> bool:
    """Whether the log's place is one that others could write (nothing is opened there)."""
    return any(p.issue != places.LOOSE and p.role in places.DATA
               for p in places.scan(db, full=True))


def check_sqlite(db: Path) -> list[Check]:
    """Every check of a SQLite log itself (the reminders are reminder_checks)."""
    where = place_checks(db, places.scan(db, full=True))
    if unsafe(db):
        # a place others can write: opening the log there could read what they put in
        # its journal, or leave files of ours for them; that comes first
        return [*where, Check(False, _("the log itself is checked once its place is yours alone"))]
    out: list[Check] = []
    if not db.exists():
        return [*where, Check(False, _("no log at {path}").format(path=db),
                              _("run 'tracker init' first"))]
    try:
        revision = migrate.sqlite_revision(db)
    except Exception as exc:  # a damaged file raises our StorageError with the reason
        return [*where, Check(False, str(exc), _(RESTORE))]
    if revision == migrate.HEAD_REVISION:
        problems = migrate.schema_problems(db)
        if problems:
            return [
                *where,
                Check(
                    False,
                    # TRANSLATORS: {problems}: what is wrong with the tables
                    _("schema {revision} is claimed, but the tables are not tracker's: "
                      "{problems}").format(revision=revision, problems="; ".join(problems[:3])),
                    _("this is not a tracker log: tracker restore FILE"),
                ),
            ]
        out.append(Check(True, _("schema {revision} is current").format(revision=revision)))
    elif revision in migrate.KNOWN_REVISIONS:
        out.append(Check(True, _("schema {revision} will be upgraded on next use").format(
                                   revision=revision)))
    else:
        out.append(
            Check(
                False,
                _("schema {revision} is unknown to this tracker").format(revision=revision),
                _("install the newer tracker that wrote it"),
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
            _("integrity check passed") if result == ("ok",)
            else _("integrity check failed: {error}").format(error=result[0]),
            "" if result == ("ok",) else _(RESTORE),
        )
    )
    if revision in migrate.KNOWN_REVISIONS:
        out += schema_checks(db, revision)
    out += where
    wal = Path(f"{db}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    out.append(
        Check(
            size < WAL_LARGE,
            _("write-ahead log {size} KB").format(size=size // 1024),
            ""
            if size < WAL_LARGE
            else _("close other tracker processes; it shrinks when the last one exits"),
        )
    )
    backups = sorted((db.parent / "backups").glob("*.db"), key=lambda p: p.stat().st_mtime)
    if not backups:
        out.append(Check(False, _("no backup yet"), _(BACKUP)))
    else:
        # a file's time is the real clock's, so its age is measured on the real clock
        age = time.time() - backups[-1].stat().st_mtime
        out.append(
            Check(
                age < BACKUP_OLD.total_seconds(),
                (_("last backup today ({name})").format(name=backups[-1].name)
                 if round(age / 86400) == 0 and i18n.language() != i18n.ENGLISH
                 else ngettext("last backup {days} day ago ({name})",
                               "last backup {days} days ago ({name})",
                               round(age / 86400)).format(
                     days=f"{age / 86400:.0f}", name=backups[-1].name)),
                "" if age < BACKUP_OLD.total_seconds() else _(BACKUP),
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
                _("a reminder service is running (pid {pid}) but has not checked this "
                  "log lately: it may be watching a file that was replaced or deleted").format(
                    pid=service_pid),
                _("stop it and start it again (Ctrl-C, then {command}; or log out and in)").format(
                    command=RUN),
            )
        )
    else:
        advice = "; ".join(f"{s.command}: {s.what}" for s in standing.steps
                           if s.command != DOCTOR)
        detail = f" [{standing.detail}]" if standing.detail else ""
        out.append(Check(False, standing.sentence + detail, advice))
    if notifications is None:
        out.append(Check(True, _("desktop notifications can be shown")))
    else:
        out.append(
            Check(
                False,
                f"{_(CANNOT_SHOW)} [{notifications}]",
                _("reminders are still printed by the reminder service ({command}) and recorded "
                  "(tracker remind log); log in to the desktop to see them there").format(
                    command=RUN),
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
        return [Check(False, _("the database server: {error}").format(
                                 error=known or type(exc).__name__),
                      _("check the server and the URL (tracker config)"))]
    out = [Check(True, _("the database server answers ({host})").format(host=parsed.host)
                 if parsed.host else _("the database server answers (local socket)"))]
    if revision == migrate.HEAD_REVISION:
        out.append(Check(True, _("schema {revision} is current").format(revision=revision)))
    elif revision in migrate.KNOWN_REVISIONS or revision == migrate.NEW:
        out.append(Check(True, _("schema {revision} will be brought up to date on next "
                                 "use").format(revision=revision)))
    else:
        out.append(Check(False, _("schema {revision} is unknown to this tracker").format(
                                    revision=revision),
                         _("install the newer tracker that wrote it")))
    dump = (f"pg_dump --format=custom --host={parsed.host or 'localhost'} "
            f"--username={parsed.username or 'USER'} --file=tracker.dump {parsed.database}")
    out.append(Check(True, _("backups: tracker's own backup copies SQLite logs; a server's "
                             "database is backed up with its own tool"), dump))
    return out


def sqlite_all(db: Path, lock: Path, now: datetime, notifications: str | None) -> list[Check]:
    """Every check of a SQLite log and its reminders, read-only and without migrating
    (the doctor changes nothing); `notifications` is why the desktop cannot show one."""
    from tracker.services.operations.reminder_standing import look
    from tracker.services.operations.service_lock import service_pid

    checks = check_sqlite(db)
    if db.exists() and not unsafe(db):
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
    from tracker.services.record.contacts import masked

    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as c:
            rows = c.execute("SELECT name, after_minutes, url FROM contact ORDER BY name"
                             ).fetchall()
    except sqlite3.Error:  # an older log without contacts, or a damaged one (said above)
        return []
    return [Check(True, _("contact {name}: told {after} min after a dose time if it is not "
                          "logged ({address})").format(name=name, after=after, address=masked(url)))
            for name, after, url in rows]


def fix(db: Path, now: datetime) -> list[str]:
    """Put right what is the user's own to put right, and say what was done.

    Modes are made owner-only (folders 700, files 600; a journal file left read-only is
    made writable again); a lock file or the page's secret that is not tracker's own (a
    link, another user's file) is removed: they hold nothing, and tracker makes new ones;
    a log that holds what tracker did not make gets its tables again from tracker's own
    definitions, every entry kept and the log as it was kept aside. Another user's log,
    journal file or folder is not touched: the checks say whose it is and what to do.
    """
    done: list[str] = []
    for p in places.scan(db, full=True):
        if not p.fixable:
            continue
        try:
            if p.issue in (places.LOOSE, places.OTHERS_WRITE):
                mode = 0o700 if p.role in (places.FOLDER, places.BACKUPS) else 0o600
                os.chmod(p.path, mode)
                done.append(_("{path} is now yours alone (mode {mode})").format(
                                path=p.path, mode=f"{mode:o}"))
            else:
                os.unlink(p.path)
                done.append(_("removed {path}, which was not tracker's own file (tracker makes a "
                              "new one)").format(
                                path=p.path))
        except OSError as exc:
            done.append(_("{path} could not be changed: {error}").format(
                            path=p.path, error=exc.strerror or exc))
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if (stat.S_ISREG(st.st_mode) and st.st_uid == places.me()
                and not os.access(path, os.W_OK)):
            os.chmod(path, 0o600)
            done.append(_("{path} is writable again (mode 600)").format(path=path))
    if unsafe(db):
        return done  # the log is not opened in a place others can write
    done += _rebuild_if_foreign(db, now)
    return done


def _rebuild_if_foreign(db: Path, now: datetime) -> list[str]:
    try:
        revision = migrate.sqlite_revision(db)
        if revision != migrate.HEAD_REVISION:
            return []
        foreign = migrate.foreign_objects(db)
        altered = migrate.altered_tables(db)
    except Exception:  # a damaged or missing log: said by the checks
        return []
    if not foreign and not altered:
        return []
    from tracker.services.operations.backups import rebuild

    kept = rebuild(db, now)
    said = _("the log's tables were made again from tracker's own definitions, every entry kept")
    if foreign:
        said += _("; left out: {names}").format(names=", ".join(foreign))
    if altered:
        said += _("; made as tracker defines them: {names}").format(names=", ".join(altered))
    return [said + " " + _("(the log as it was is kept as {path})").format(path=kept)]
