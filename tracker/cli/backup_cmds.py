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
    from tracker.services.doctor import check_server, reminder_checks
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
    from tracker.services.doctor import sqlite_all
    from tracker.services.service_lock import lock_path

    _report(sqlite_all(_sqlite_path(app), lock_path(app.target()), now,
                       notification_service_error()))


def _report(checks: list[Check]) -> None:
    from tracker.cli.say import text

    for check in checks:
        mark = "ok " if check.ok else "!! "
        advice = f"\n    -> {text(check.advice)}" if check.advice else ""
        click.echo(f"{mark} {check.what}{advice}")
    if not all(c.ok for c in checks):
        raise SystemExit(1)


