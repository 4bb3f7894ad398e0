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

import fcntl
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from tracker.errors import StorageError
from tracker.reminders.service import ReminderService

WAKE_EVERY = 30.0
POLL_SECONDS = 60


def acquire_lock(path: Path) -> IO[str]:
    """One service per log: a second one refuses to start (one reminder, not two)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the service's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "another process"
        handle.close()
        raise StorageError(
            f"a reminder service is already running for this log ({other})"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


class Runner:
    def __init__(
        self,
        service: ReminderService,
        clock: Callable[[], datetime],
        log: Callable[[str], None] | None = None,
        daily: Callable[[], None] | None = None,
    ) -> None:
        self.service = service
        self.clock = clock
        self.daily = daily  # the rolling daily backup: a service may run for weeks
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.stop = threading.Event()
        self.ticks = 0
        self._lock = threading.Lock()
        self._scheduler: Any = None

    def tick(self) -> None:
        with self._lock:
            now = self.clock()
            try:
                if self.daily is not None:
                    self.daily()
                done = self.service.tick(now)
                for item, results in done:
                    channels = ", ".join(
                        f"{r.channel} {'ok' if r.ok else 'failed: ' + str(r.error)}"
                        for r in results
                    )
                    self.log(f"sent: {item.title} ({channels})")
                from tracker.db.session import transaction

                with transaction(self.service.engine, write=False) as session:
                    nxt = self.service.next_wakeup(session, self.clock())
            except Exception as exc:  # the service must outlive any one failure
                self.log(f"tracker remind: this check failed and will be retried: {exc}")
                nxt = None
            self.ticks += 1
            if nxt is not None and self._scheduler is not None:
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
        previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        signal.signal(signal.SIGTERM, lambda *_: self.stop.set())
        signal.signal(signal.SIGINT, lambda *_: self.stop.set())
        signal.signal(
            signal.SIGHUP, lambda *_: scheduler.add_job(self.tick, id="now", replace_existing=True)
        )
        scheduler.start()
        try:
            while not self.stop.wait(WAKE_EVERY):
                scheduler.wakeup()
        finally:
            scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
