"""`tracker backup` and `tracker restore`: nothing lost, ever."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, pass_app


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
    import fcntl

    from tracker.cli.remind_cmds import _lock_path
    from tracker.errors import StorageError
    from tracker.services import backups

    db = _sqlite_path(app)
    lock = _lock_path(app)
    assert isinstance(lock, Path)
    if lock.exists():
        with lock.open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StorageError(
                    "the reminder service is running on this log: stop it "
                    "first (tracker remind uninstall, or Ctrl-C)"
                ) from None
    kept = backups.restore(db, file)
    click.echo(f"Restored {file} as the log {db}.")
    if kept:
        click.echo(f"  The previous log was kept as {kept}")
