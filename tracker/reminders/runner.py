"""The long-running part: APScheduler drives the ticks, signals stop or wake it.

Design, from the known traps of APScheduler 3.x:
- jobs live in memory; the database is the source of truth, so nothing is lost on restart;
- a "poll" job every minute picks up changes made with the command line, and a "wake" job
  is set for the next reminder's moment; both run even if late (misfire_grace_time=None)
  and coalesce;
- the scheduler's own wait does not notice a suspend, so the main thread wakes it at
  least every 30 s (`scheduler.wakeup()`), which makes a machine that slept fire on wake;
- the wake job is placed by delay, not by date, so a shifted test clock works;
- signal handlers only set events; SIGHUP asks for an immediate tick.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tracker.db.logfile import LogGone
from tracker.db.session import transaction
from tracker.db.state import get_state
from tracker.errors import StorageError, translate
from tracker.i18n import N_, _
from tracker.locks import try_lock
from tracker.places import open_own
from tracker.reminders.channels import Result
from tracker.reminders.service import Outgoing, ReminderService

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from sqlalchemy.engine import Engine

WAKE_EVERY = 30.0
POLL_SECONDS = 60


def acquire_lock(path: Path) -> IO[str]:
    """One service per log: a second one refuses to start (one reminder, not two).

    The lock file is tracker's own: never opened through a symbolic link, created
    exclusively, and refused when it is another user's (tracker.places.open_own): its
    content is replaced by this service's pid, so a link planted there must not make that
    write land in a file the link points at."""

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # held for the service's life
    handle = os.fdopen(open_own(path, os.O_RDWR), "r+", encoding="utf-8")
    if not try_lock(handle):
        handle.seek(0)
        other = handle.read().strip() or _("another process")
        handle.close()
        raise StorageError(
            _("a reminder service is already running for this log ({other})").format(other=other)
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


HEARTBEAT_FRESH = 150.0  # seconds: a service that checked this recently is alive
STOP_WAIT = 4.0  # seconds a stop waits for a check in progress (a busy wait is 3 s)

# a channel (tracker.reminders.channels: its `name`) as the service's window names it
CHANNEL_NAMES = {
    # TRANSLATORS: where reminders are shown: the computer's desktop notifications
    "desktop": N_("desktop"),
    # TRANSLATORS: where reminders are shown: the terminal window of 'tracker remind'
    "terminal": N_("terminal"),
}


def channel_name(channel: str) -> str:
    """A channel's name in the reader's language (a channel not named here: as it is)."""
    name = CHANNEL_NAMES.get(channel)
    return _(name) if name else channel


def refuse_second_service(engine: Engine, now: datetime) -> None:
    """One service per log, also when the lock file was deleted or the log is shared.

    The running service writes who it is with its heartbeat; a fresh heartbeat of another
    live process means a second service would send every reminder twice.
    """


    with transaction(engine, write=False) as session:
        beat = get_state(session, "heartbeat")
        who = get_state(session, "service")
    if not beat or not who:
        return
    try:
        seen = datetime.fromisoformat(beat)
        other = json.loads(who)
        pid, host = int(other["pid"]), str(other["host"])
    except (ValueError, KeyError, TypeError):
        return
    if abs((now - seen).total_seconds()) > HEARTBEAT_FRESH or pid == os.getpid():
        return
    if host == socket.gethostname():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return  # it died without stopping: take over
        except PermissionError:
            pass  # alive, another user's
    raise StorageError(
        _("a reminder service is already running for this log (pid {pid} on {host}, last check "
          "{astimezone:%H:%M:%S}): one is enough").format(
            pid=pid, host=host, astimezone=seen.astimezone())
    )


class Runner:
    def __init__(
        self,
        service: ReminderService,
        clock: Callable[[], datetime],
        log: Callable[[str], None] | None = None,
        daily: Callable[[], None] | None = None,
        path: Path | None = None,
        verbose: bool = False,
    ) -> None:
        self.service = service
        self.verbose = verbose  # the technical reason of a failed channel, every time
        self.unreachable: dict[str, str] = {}  # channel -> what was said about it, once
        self.clock = clock
        self.daily = daily  # the rolling daily backup: a service may run for weeks
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.path = path  # a file replaced under it is followed by its engine
        self.stop = threading.Event()
        self.failure: str | None = None  # the last failure said (not repeated every check)
        self.exit_reason: str | None = None
        self.ticks = 0
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self.stuck = False  # a check was still running when the service stopped
        service.on_sent = self._sent
        service.stopping = self.stop.is_set

    def _say_channels(self, results: list[Result]) -> None:
        """A channel that stops working is said once, in words, and again when it works:
        a parent reading the window is not told at every reminder."""
        for r in results:
            said = self.unreachable.get(r.channel)
            if not r.ok and r.error != said:
                self.unreachable[r.channel] = r.error or _("it failed")
                self.log(
                    _("tracker remind: {error}: reminders are printed here and recorded (tracker "
                      "remind log); 'tracker doctor' says why").format(
                        error=r.error)
                )
            elif r.ok and said is not None:
                del self.unreachable[r.channel]
                self.log(_("tracker remind: the {channel} shows reminders again").format(
                             channel=channel_name(r.channel)))

    def _sent(self, item: Outgoing, results: list[Result]) -> None:
        """What went out and how, in the service's window (contacts: from the outbox)."""
        self._say_channels(results)
        # TRANSLATORS: {channel} is a channel's name: desktop, terminal
        channels = ", ".join(
            (_("{channel} ok") if r.ok else _("{channel} not shown")).format(
                channel=channel_name(r.channel))
            + (f" [{r.detail}]" if self.verbose and r.detail else "")
            for r in results
        )
        self.log(_("sent: {title} ({channels})").format(title=item.title, channels=channels))

    def tick(self) -> None:
        with self._lock:
            if self.stop.is_set():
                return  # a stop was asked: no new check, and nothing re-armed
            now = self.clock()
            nxt = None
            try:
                if self.daily is not None:
                    self.daily()
                for item, results in self.service.tick(now):
                    self._sent(item, results)

                with transaction(self.service.engine, write=False) as session:
                    nxt = self.service.next_wakeup(session, self.clock())
                if self.failure is not None:
                    self.log(_("tracker remind: checks work again"))
                    self.failure = None
            except LogGone as exc:
                self.exit_reason = _(
                    "the log {path} is gone (deleted or moved): the reminder service stops; "
                    "put the log back (tracker restore FILE) and start it again").format(
                        path=exc.path)
                self.log(_("tracker remind: {exit_reason}").format(exit_reason=self.exit_reason))
                self.stop.set()
                return
            except Exception as exc:  # the service must outlive any one failure

                text = str(translate(exc, self.path) or exc).splitlines()[0]
                if text != self.failure:  # said once, not at every check
                    self.log(_("tracker remind: a check failed and will be retried: {text}").format(
                                 text=text))
                    self.failure = text
            self.ticks += 1
            if nxt is not None and self._scheduler is not None and not self.stop.is_set():
                delay = max(0.0, (nxt - self.clock()).total_seconds())
                self._scheduler.add_job(
                    self.tick,
                    "date",
                    id="wake",
                    replace_existing=True,
                    run_date=datetime.fromtimestamp(
                        datetime.now(UTC).timestamp() + delay + 0.05, UTC
                    ),
                )

    def run(self) -> None:
        # APScheduler only once the service runs (101 ms; `remind` commands do not need it)
        from apscheduler.schedulers.background import BackgroundScheduler

        gc.enable()  # a long-running command: bring back the cycle collector
        gc.freeze()
        scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler = scheduler
        scheduler.add_job(
            self.tick, "interval", seconds=POLL_SECONDS, id="poll", next_run_time=datetime.now(UTC)
        )
        stops = [signal.SIGTERM, signal.SIGINT]
        if sys.platform != "win32":  # no SIGHUP on Windows: it checks every minute anyway
            previous = {s: signal.getsignal(s) for s in (*stops, signal.SIGHUP)}
            signal.signal(signal.SIGHUP, lambda *_unused: self._now())
        else:
            previous = {s: signal.getsignal(s) for s in stops}
        for sig in stops:
            signal.signal(sig, lambda *_unused: self.stop.set())
        scheduler.start()
        try:
            while not self.stop.wait(WAKE_EVERY):
                scheduler.wakeup()
        finally:
            # Contacts still being told are cut off (their child processes killed); a
            # check in progress finishes (its busy wait is bounded) and re-arms nothing;
            # then the scheduler stops without waiting on its lock (apscheduler#985 and the
            # shutdown(wait=True) deadlock in ../shared/pitfalls.md).
            self.service.stop()
            if self._lock.acquire(timeout=STOP_WAIT):
                self._lock.release()
            else:
                self.stuck = True  # waiting on a log that does not answer: see remind run
            scheduler.shutdown(wait=False)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _now(self) -> None:
        """SIGHUP: check now (unless stopping)."""
        if not self.stop.is_set() and self._scheduler is not None:
            self._scheduler.add_job(self.tick, id="now", replace_existing=True)
