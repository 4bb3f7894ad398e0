"""`tracker remind`: the reminder service and what it did."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, pass_app


@click.group()
def remind() -> None:
    """Desktop reminders for every dose, with follow-ups and a record.

    \b
    tracker remind run        run the reminder service here (Ctrl-C stops it)
    tracker remind install    start it at every login
    tracker remind test       send a notification now and say how it went
    tracker remind status     is it running, when did it last fire, what is next
    tracker remind log        every notification attempt
    tracker remind snooze 20  quiet the follow-ups for 20 minutes
    """


def _lock_path(app: App) -> object:
    from pathlib import Path

    target = app.target()
    if target.path is not None:
        return target.path.with_name(target.path.name + ".remind.lock")
    import hashlib

    from tracker.config import data_dir

    digest = hashlib.sha256(target.url.encode()).hexdigest()[:16]
    return Path(data_dir()) / f"remind-{digest}.lock"


@remind.command("run")
@click.option(
    "--follow-up",
    type=click.IntRange(5, 240),
    default=30,
    show_default=True,
    metavar="MINUTES",
    help="Remind again this long after a dose time, then once more.",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Read where the log is from this owner-only file (written by 'remind install').",
)
@pass_app
def run_cmd(app: App, follow_up: int, env_file: Path | None) -> None:
    """Run the reminder service in the foreground.

    It notifies at each dose time, follows up when a dose is not logged, says when a dose
    was missed, and checks the vial once a day. Every attempt is recorded. Changes made
    with tracker while it runs take effect within a minute (or at once: kill -HUP).
    """
    import os
    from datetime import timedelta

    from tracker.db.session import make_engine
    from tracker.reminders.channels import Desktop, Terminal
    from tracker.reminders.runner import Runner, acquire_lock, refuse_second_service
    from tracker.reminders.service import ReminderService

    if env_file is not None:
        from tracker.reminders.autostart import ENV_KEYS, load_env_file

        settings = load_env_file(env_file)
        for key in ENV_KEYS:  # the file decides where the log is, whatever else is set
            os.environ.pop(key, None)
        os.environ.update(settings)
    lock_path = _lock_path(app)
    assert isinstance(lock_path, Path)
    lock = acquire_lock(lock_path)
    try:
        app.engine()  # create or upgrade the log first, as every command does
        target = app.target()
        db = target.path

        def open_service() -> ReminderService:
            # its own engine: a write waits 3 s for another writer, not 15 (see tick)
            return ReminderService(
                make_engine(target.url, busy_ms=SERVICE_BUSY_MS),
                [Desktop(), Terminal()],
                follow_up=timedelta(minutes=follow_up),
                path=db,
            )

        service = open_service()
        refuse_second_service(service.engine, app.now())
        from tracker.services import plan as plans

        with app.session(write=False) as session:
            if not plans.all_children(session):
                click.echo(
                    "tracker remind: no child is set up in this log yet, so there is nothing "
                    "to remind: set one up with 'tracker init' (it is noticed within a minute)",
                    err=True,
                )

        def daily() -> None:  # a service says its notes at once, in its log
            for note in app.daily_backup(db) if db is not None else []:
                click.echo(f"tracker remind: note: {note}", err=True)

        runner = Runner(service, app.clock, daily=daily, reopen=open_service, path=db)
        click.echo(f"tracker remind: watching {target.describe()} (Ctrl-C to stop)", err=True)
        runner.run()
        runner.service.engine.dispose()
        if runner.exit_reason:
            from tracker.errors import StorageError

            raise StorageError(runner.exit_reason)
        click.echo("tracker remind: stopped", err=True)
    finally:
        lock.close()


SERVICE_BUSY_MS = 3000


@remind.command("test")
@pass_app
def test_cmd(app: App) -> None:
    """Send a notification now and say through which channel it went, or why none did."""
    from tracker.reminders.channels import Desktop, Terminal, deliver
    from tracker.reminders.service import record

    title, body = "tracker: test reminder", "If you can read this, dose reminders will reach you."
    results = deliver([Desktop(), Terminal()], title, body)
    record(app.engine(), None, title, results, app.now())
    for r in results:
        click.echo(f"{r.channel}: {'sent' if r.ok else 'FAILED: ' + str(r.error)}")
    if not results[0].ok:
        click.echo(
            "Desktop notifications do not work here; the service will still print "
            "reminders in its terminal and record them (tracker remind log)."
        )


@remind.command("snooze")
@click.argument("minutes", type=click.IntRange(1, 240), default=30, required=False)
@pass_app
def snooze_cmd(app: App, minutes: int) -> None:
    """Quiet the follow-up reminders for MINUTES (default 30)."""
    from datetime import timedelta

    from tracker.reminders.service import set_state

    now = app.now()
    until = now + timedelta(minutes=minutes)
    with app.session(write=True) as session:
        set_state(session, "snooze_until", until.isoformat(), now)
    click.echo(
        f"Follow-ups quiet until {until.astimezone():%H:%M}; dose-time reminders still come."
    )


@remind.command("log")
@click.option(
    "-n",
    "limit",
    type=click.IntRange(1, 10000),
    default=20,
    show_default=True,
    help="How many attempts to show.",
)
@pass_app
def log_cmd(app: App, limit: int) -> None:
    """Every notification attempt, newest first: when, which channel, and how it went."""
    from sqlalchemy import select

    from tracker.db.models import NotificationAttempt

    with app.session(write=False) as session:
        rows = session.scalars(
            select(NotificationAttempt)
            .order_by(NotificationAttempt.at.desc(), NotificationAttempt.id.desc())
            .limit(limit)
        ).all()
        if not rows:
            click.echo("No notification has been attempted yet.")
        for row in rows:
            state = "ok" if row.ok else f"FAILED ({row.error})"
            click.echo(
                f"{row.at.astimezone():%Y-%m-%d %H:%M %Z}  {row.channel:<9} {state}  {row.title}"
            )


@remind.command("status")
@pass_app
def status_cmd(app: App) -> None:
    """Is the service running, when did it last fire, and what is next."""
    import json
    from datetime import datetime

    from tracker.reminders.service import get_state

    now = app.now()
    with app.session(write=False) as session:
        beat = get_state(session, "heartbeat")
        nxt = get_state(session, "next")
        last = get_state(session, "last_fired")
    if beat and abs((now - datetime.fromisoformat(beat)).total_seconds()) < 150:
        click.echo(f"running (last check {datetime.fromisoformat(beat).astimezone():%H:%M:%S %Z})")
    else:
        when = (
            f"last seen {datetime.fromisoformat(beat).astimezone():%Y-%m-%d %H:%M %Z}"
            if beat
            else "never ran on this log"
        )
        click.echo(
            f"not running ({when}): start it with 'tracker remind run' or 'tracker remind install'"
        )
    if last:
        fired = json.loads(last)
        fired_at = datetime.fromisoformat(fired["at"]).astimezone()
        click.echo(f"last reminder: {fired_at:%Y-%m-%d %H:%M %Z} {fired['title']}")
    if nxt:
        click.echo(f"next reminder: {datetime.fromisoformat(nxt).astimezone():%Y-%m-%d %H:%M %Z}")


def _env_file() -> object:
    from tracker.config import config_path

    return config_path().parent / "remind.env.json"


def _autostart(app: App) -> object:
    from pathlib import Path

    from tracker.reminders import autostart

    env_file = _env_file()
    assert isinstance(env_file, Path)
    platform, home, python = autostart.current()
    return autostart.plan(platform, home, python, env_file)


@remind.command("install")
@click.option("--no-start", is_flag=True, help="Write the file only; do not start it now.")
@pass_app
def install_cmd(app: App, no_start: bool) -> None:
    """Start the reminder service at every login (systemd, launchd or Startup folder)."""

    from tracker.reminders.autostart import Autostart, run_all

    plan = _autostart(app)
    assert isinstance(plan, Autostart)
    from tracker import files
    from tracker.reminders.autostart import write_env_file

    target = app.target()
    env = (
        {"TRACKER_DB": str(target.path)}
        if target.path is not None
        else {"TRACKER_DATABASE_URL": target.url}
    )
    env_file = _env_file()
    assert isinstance(env_file, Path)
    write_env_file(env_file, env)  # the secrets, owner-only; the service file names it
    click.echo(f"Wrote {env_file} (readable by you only: it says where the log is)")
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(plan.path, plan.content, force=True, newline="")
    click.echo(f"Wrote {plan.path}")
    problems = [] if no_start else run_all(plan.start)
    for problem in problems:
        click.echo(f"  ! {problem}")
    if not no_start and not problems and plan.start:
        click.echo("Started; it will start again at every login.")
    click.echo(f"Check it with: {plan.check}")


@remind.command("uninstall")
@pass_app
def uninstall_cmd(app: App) -> None:
    """Stop starting the reminder service at login, and remove its file."""
    from tracker.reminders.autostart import Autostart, run_all

    plan = _autostart(app)
    assert isinstance(plan, Autostart)
    if not plan.path.exists():
        click.echo(f"Nothing to remove: {plan.path} does not exist.")
        return
    for problem in run_all(plan.stop):
        click.echo(f"  ! {problem}")
    plan.path.unlink()
    click.echo(f"Removed {plan.path}")
    env_file = _env_file()
    assert isinstance(env_file, Path)
    if env_file.exists():
        env_file.unlink()
        click.echo(f"Removed {env_file}")
