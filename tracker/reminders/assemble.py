"""The reminder service put together and run: one per log (its lock), its own engine, the
channels, the runner, the household page beside it when asked, and what it says as it
starts and stops. `tracker remind run` only reads its options and calls `run`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from tracker.db.migrate import check_replacement
from tracker.db.session import make_engine, transaction
from tracker.domain.reminders import CANNOT_SHOW
from tracker.errors import StorageError
from tracker.i18n import _
from tracker.reminders.buttons import ButtonDesktop
from tracker.reminders.channels import Channel, Desktop, Terminal, notification_service_error
from tracker.reminders.runner import Runner, acquire_lock, refuse_second_service
from tracker.reminders.service import ReminderService
from tracker.services.operations.autostart import ENV_KEYS, load_env_file
from tracker.services.operations.service_lock import lock_path
from tracker.services.views import plan as plans

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.config import Target
    from tracker.reminders.runner import Runner

SERVICE_BUSY_MS = 3000  # a write waits 3 s for another writer, not 15 (see the tick)


class Host(Protocol):
    """What the front that starts the service lends it: where the log is, the clock, and
    the checks every command makes before opening the log."""

    clock: Callable[[], datetime]

    def target(self) -> Target: ...

    def check_place(self) -> None: ...

    def engine(self) -> Engine: ...

    def daily_backup(self, db: Path) -> list[str]: ...


def use_env_file(path: Path) -> None:
    """Read where the log is from the owner-only file `remind install` wrote: the file
    decides, whatever else is set."""

    settings = load_env_file(path)
    for key in ENV_KEYS:
        os.environ.pop(key, None)
    os.environ.update(settings)


def run(host: Host, *, follow_up: timedelta, verbose: bool, say: Callable[[str], None],
        web: Callable[[], object] | None = None) -> None:
    """Run the service in the foreground until a stop. `say` writes one line to the
    service's log; `web` starts the household page in a thread, when asked."""

    path = lock_path(host.target())
    host.check_place()  # nothing is made beside a log others could reach
    lock = acquire_lock(path)
    try:
        host.engine()  # create or upgrade the log first, as every command does
        runner = _runner(host, follow_up, verbose, say)
        for sig in (signal.SIGTERM, signal.SIGINT):
            # a stop asked while the page starts (systemd stopping it at once) is kept for
            # the runner, which then stops at its first look, cleanly, instead of dying
            signal.signal(sig, lambda *_unused: runner.stop.set())
        if web is not None:
            web()
        _say_starting(host, runner, verbose, say)
        runner.run()
        _stopped(runner, lock, say)
    finally:
        lock.close()


def _runner(host: Host, follow_up: timedelta, verbose: bool,
            say: Callable[[str], None]) -> Runner:
    """The service with its own engine and channels, once no other serves this log."""

    target = host.target()
    db = target.path
    # with buttons where desktop-notifier can run, else the plain desktop channel
    desktop: Channel = ButtonDesktop.start() or Desktop()
    # its own engine; a file put in place of the log is followed by it (tracker.db.logfile)
    service = ReminderService(
        make_engine(target.url, busy_ms=SERVICE_BUSY_MS, said=say, check=check_replacement),
        [desktop, Terminal(clock=host.clock)],
        follow_up=follow_up,
        path=db,
        clock=host.clock,
    )
    refuse_second_service(service.engine, host.clock())

    def daily() -> None:  # a service says its notes at once, in its log
        for note in host.daily_backup(db) if db is not None else []:
            say(_("note: {note}").format(note=note))

    return Runner(service, host.clock, daily=daily, path=db, verbose=verbose)


def _say_starting(host: Host, runner: Runner, verbose: bool,
                  say: Callable[[str], None]) -> None:
    """What the service's log says as it starts: nothing to remind yet, what it watches,
    and a desktop that cannot show notifications (said once, not at the first reminder)."""

    with transaction(host.engine(), write=False) as session:
        if not plans.all_children(session):
            say(_("no child is set up in this log yet, so there is nothing to remind: set one up "
                  "with 'tracker init' (it is noticed within a minute)"))
    say(_("watching {describe} (Ctrl-C to stop)").format(describe=host.target().describe()))
    problem = notification_service_error()
    if problem is not None:
        runner.unreachable["desktop"] = _(CANNOT_SHOW)
        # TRANSLATORS: {cannot_show} is a whole sentence: this computer cannot show notifications
        say(_("{cannot_show}: reminders are printed in this window and recorded (tracker remind "
              "log); 'tracker doctor' says why").format(
                cannot_show=_(CANNOT_SHOW)) + (f" [{problem}]" if verbose else ""))


def _stopped(runner: Runner, lock: IO[str], say: Callable[[str], None]) -> None:
    """After the runner stopped: a check still waiting on the log ends the process at
    once; a log that failed for good is said as an error."""
    if runner.stuck:
        # A check still waits on a log that does not answer (a server that stopped
        # answering mid-query): a stop must not wait for it, and Python would join that
        # thread at exit. Everything acknowledged is already committed.
        say(_("stopped (a check was still waiting for the log)"))
        sys.stderr.flush()
        lock.close()
        os._exit(0)
    runner.service.engine.dispose()
    if runner.exit_reason:

        raise StorageError(runner.exit_reason)
    # TRANSLATORS: the reminder service has stopped (its last line)
    say(_("stopped"))
