"""`tracker backup` and `tracker restore`: nothing lost, ever."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.app import App, pass_app
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.services.operations.doctor import Check


def _sqlite_path(app: App) -> Path:
    from tracker.errors import InputError

    target = app.target()
    if target.path is None:
        raise InputError(
            _("backup and restore work on a SQLite log; for a database server use its own tools "
              "(e.g. pg_dump)")
        )
    return target.path


@click.command(
    help=_(
        "Make a consistent copy of the log, and check it.\n"
        "\n"
        "Safe while the reminder service is writing. The copy is readable by you only."
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Where to write the copy (default: backups/ beside the log)."),
)
@pass_app
def backup(app: App, output: Path | None) -> None:
    from tracker.services.operations import backups

    db = _sqlite_path(app)
    app.check_place()
    dest, counts = backups.backup(db, output)
    rows = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
    click.echo(_("Backed up to {dest} (checked: {value})").format(
                   dest=dest, value=rows or 'empty log'))


@click.command(
    help=_(
        "Replace the log with a backup FILE (the current log is kept aside first).\n"
        "\n"
        "The file is checked first: a tracker log, of a schema this version knows, that passes\n"
        "SQLite's integrity check. Only its entries come back, in tracker's own tables (nothing\n"
        "else it holds: no trigger, view or other table). Who may open the household page\n"
        "stays as this log says: a device revoked here stays revoked, one paired here after the\n"
        "backup keeps working, and a device the backup knows that this log never paired is let\n"
        "in only if you say so (asked in a terminal, or --let-in NAME). Stop the reminder\n"
        "service before restoring."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--let-in", "let_in", multiple=True, metavar="NAME",
              help=_("A device the backup knows and this log never paired, let in anyway (repeat "
                     "for each; without it such devices stay out unless you say so when asked)."))
@pass_app
def restore(app: App, file: Path, let_in: tuple[str, ...]) -> None:
    from tracker.errors import InputError
    from tracker.services.operations import backups
    from tracker.services.operations.service_lock import lock_path, refuse_while_running

    db = _sqlite_path(app)
    app.check_place()
    refuse_while_running(lock_path(app.target()))
    with backups.restoring(db, file) as ready:
        strangers = {s.name: s for s in ready.strangers}
        for name in let_in:
            if name not in strangers:
                raise InputError(backups.not_a_stranger(name, ready.strangers))
        chosen = [s.token_hash for s in ready.strangers if s.name in let_in]
        never = _("this log never paired") if db.exists() else _("no log here paired")
        if app.is_interactive():  # asked before anything is written
            from tracker.cli.ask import confirm

            for stranger in ready.strangers:
                if stranger.name not in let_in and confirm(
                        _("The backup lets in {name!r} (used by {caregiver}, paired {paired} "
                          "UTC), which {never}. Let it in?").format(
                            name=stranger.name, caregiver=stranger.caregiver,
                            paired=stranger.paired[:16], never=never),
                        default=False):
                    chosen.append(stranger.token_hash)
        outcome = ready.put_back(let_in=chosen, now=app.now())
    click.echo(_("Restored {file} as the log {db}.").format(file=file, db=db))
    if outcome.kept:
        click.echo(_("  The previous log was kept as {kept}").format(kept=outcome.kept))
    if outcome.let_in:
        click.echo(_("  Let in, as you said: {join}.").format(join=', '.join(outcome.let_in)))
    if outcome.kept_out:
        names = ", ".join(repr(n) for n in outcome.kept_out)
        click.echo(_("  Not let in: {names}: the backup knew them, {never} them. To let one in, "
                     "pair it again: tracker web pair --name {_quoted}").format(
                       names=names, never=never, _quoted=_quoted(outcome.kept_out[0])))
    if outcome.left_out:
        click.echo(_("  Left out of the backup, as tracker did not make them: {join}.").format(
                       join=', '.join(outcome.left_out)))


def _quoted(name: str) -> str:
    """A name as it is typed in a shell: "Eli's phone" in double quotes, as people write
    it, unless it holds something double quotes would not keep as it is."""
    import re
    import shlex

    if re.fullmatch(r"[\w.,@+-]+", name):
        return name
    if not re.search(r'["$`\\!]', name):
        return f'"{name}"'
    return shlex.quote(name)


@click.command(
    help=_(
        "Check the log and say what to do about each problem.\n"
        "\n"
        "Integrity, schema version and anything in the log that tracker did not make, whose\n"
        "the log's files and folders are and who else may read them, the write-ahead log's\n"
        "size, the age of the last backup, and whether the reminder service runs. Exits\n"
        "non-zero when something is wrong. With --fix, first puts right what is yours to put\n"
        "right (another user's file is named, never touched)."
    ),
)
@click.option("--fix", is_flag=True,
              help=_("Put right what is yours to put right: make the log's files and folders "
                     "yours alone, remove a lock file or page secret that is not tracker's, make "
                     "the log's tables again without what tracker did not make."))
@pass_app
def doctor(app: App, fix: bool) -> None:
    from datetime import datetime

    from tracker.reminders.channels import notification_service_error
    from tracker.services.operations.doctor import check_server, reminder_checks
    from tracker.services.operations.reminder_standing import look

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
    from tracker.services.operations.doctor import fix as fix_place
    from tracker.services.operations.doctor import sqlite_all
    from tracker.services.operations.service_lock import lock_path

    db = _sqlite_path(app)
    if fix:
        for line in fix_place(db, now):
            click.echo(f"fix: {line}")
    _report(sqlite_all(db, lock_path(app.target()), now, notification_service_error()))


def _report(checks: list[Check]) -> None:
    from tracker.cli.say import text

    for check in checks:
        mark = "ok " if check.ok else "!! "
        advice = f"\n    -> {text(check.advice)}" if check.advice else ""
        click.echo(f"{mark} {check.what}{advice}")
    if not all(c.ok for c in checks):
        raise SystemExit(1)


