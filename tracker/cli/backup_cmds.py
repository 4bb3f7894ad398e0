"""`tracker backup` and `tracker restore`: nothing lost, ever."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app

if TYPE_CHECKING:
    from tracker.services.doctor import Check


def _sqlite_path(app: App) -> Path:
    from tracker.errors import InputError

    target = app.target()
    if target.path is None:
        raise InputError(
            "backup and restore work on a SQLite log; for a database server use "
            "its own tools (e.g. pg_dump)"
        )
    return target.path


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the copy (default: backups/ beside the log).",
)
@pass_app
def backup(app: App, output: Path | None) -> None:
    """Make a consistent copy of the log, and check it.

    Safe while the reminder service is writing. The copy is readable by you only.
    """
    from tracker.services import backups

    dest, counts = backups.backup(_sqlite_path(app), output)
    rows = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
    click.echo(f"Backed up to {dest} (checked: {rows or 'empty log'})")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def restore(app: App, file: Path) -> None:
    """Replace the log with a backup FILE (the current log is kept aside first).

    The file is checked first: a tracker log, of a schema this version knows, that passes
    SQLite's integrity check. Stop the reminder service before restoring.
    """
    from tracker.services import backups
    from tracker.services.service_lock import lock_path, refuse_while_running

    db = _sqlite_path(app)
    refuse_while_running(lock_path(app.target()))
    kept = backups.restore(db, file)
    click.echo(f"Restored {file} as the log {db}.")
    if kept:
        click.echo(f"  The previous log was kept as {kept}")


@click.command()
@pass_app
def doctor(app: App) -> None:
    """Check the log and say what to do about each problem.

    Integrity, schema version, file modes, the write-ahead log's size, the age of the last
    backup, and whether the reminder service runs. Exits non-zero when something is wrong.
    """
    from datetime import datetime

    from tracker.reminders.channels import notification_service_error
    from tracker.services.doctor import check_server, check_sqlite, reminder_checks
    from tracker.services.reminder_standing import look

    now = app.now()
    if app.target().path is None:  # a database server: its own checks and backup tool
        checks = check_server(app.target().url)
        if all(c.ok for c in checks):
            from tracker.db.state import get_state

            with app.session(write=False) as session:
                beat = get_state(session, "heartbeat")
            standing = look(now, datetime.fromisoformat(beat) if beat else None)
            checks += reminder_checks(standing, None, notification_service_error())
        _report(checks)
        return
    db = _sqlite_path(app)
    heartbeat = None
    if db.exists():  # read-only and without migrating: the doctor changes nothing
        import sqlite3
        from contextlib import closing

        try:
            with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as c:
                row = c.execute("SELECT value FROM service_state WHERE name = 'heartbeat'"
                                ).fetchone()
            heartbeat = datetime.fromisoformat(row[0]) if row and row[0] else None
        except (sqlite3.Error, ValueError):  # reported by the checks below
            heartbeat = None
    checks = check_sqlite(db)
    if db.exists():
        from tracker.services.service_lock import lock_path, service_pid

        checks += reminder_checks(look(now, heartbeat), service_pid(lock_path(app.target())),
                                  notification_service_error())
        checks += _contact_checks(db)
    _report(checks)


def _contact_checks(db: Path) -> list[Check]:
    """The contacts told of a late dose, their addresses masked (read-only, no migration)."""
    import sqlite3
    from contextlib import closing

    from tracker.services.contacts import masked
    from tracker.services.doctor import Check

    try:
        with closing(sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)) as c:
            rows = c.execute("SELECT name, after_minutes, url FROM contact ORDER BY name"
                             ).fetchall()
    except sqlite3.Error:  # an older log without contacts, or a damaged one (said above)
        return []
    return [Check(True, f"contact {name}: told {after} min after a dose time if it is not "
                        f"logged ({masked(url)})") for name, after, url in rows]


def _report(checks: list[Check]) -> None:
    from tracker.cli.say import text

    for check in checks:
        mark = "ok " if check.ok else "!! "
        advice = f"\n    -> {text(check.advice)}" if check.advice else ""
        click.echo(f"{mark} {check.what}{advice}")
    if not all(c.ok for c in checks):
        raise SystemExit(1)


