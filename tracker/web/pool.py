"""The log's work off the event loop, with a wait that ends.

Every page's database work runs in one of a few daemon threads, never on the event
loop: a log that waits (another program holding SQLite's write lock, a PostgreSQL server
that stopped answering) holds up that request only, never the style sheet or another
phone. A request waits `DB_WAIT` seconds, then is answered in words.

Reads and writes have threads of their own. A write may wait seconds for another
program's write lock; forty posts at such a moment would otherwise take every thread,
and a phone's Today (a read, which never waits for a writer) would wait behind them.

A write that is given up must never commit afterwards (the page would have said
"nothing was recorded" about a dose that then appears): each piece of work carries a
guard that the transaction passes just before COMMIT; the request gives up only while
the work has not reached it. Work already committing is waited for a little longer,
and if even that runs out the page says it cannot tell (a second post of the same form
is harmless: see tracker.services.record.submissions).

The threads are daemons, so a stop never waits for a thread stuck on a silent server.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, TypeVar

from tracker.db.logfile import LogReplaced
from tracker.db.session import transaction
from tracker.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

T = TypeVar("T")
DB_WAIT = 5.0  # seconds a page waits on the log before it says so
READERS = 6  # threads for reads: Today, History, the stamp every open page asks for
WRITERS = 3  # threads for writes, which wait on one lock anyway


class LogWaits(Exception):
    """The log did not answer in time. `recorded` is False when nothing was written,
    None when the write was committing and its outcome is unknown."""

    def __init__(self, recorded: bool | None) -> None:
        super().__init__(_("the log did not answer in time"))
        self.recorded = recorded


class GaveUp(Exception):
    """Raised inside the work when its request gave up before it could commit."""


class Guard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"

    def may_commit(self) -> None:
        """Called just before COMMIT: from here the request waits for the outcome."""
        with self._lock:
            if self._state == "abandoned":
                raise GaveUp
            self._state = "committing"

    def give_up(self) -> bool:
        """The request stops waiting: True when the work can no longer commit."""
        with self._lock:
            if self._state == "running":
                self._state = "abandoned"
                return True
            return False

    @property
    def abandoned(self) -> bool:
        return self._state == "abandoned"


class Pool:
    """A few daemon threads that do the log's work for the pages: reads and writes apart."""

    def __init__(self, engine: Engine, wait: float = DB_WAIT) -> None:
        self.engine = engine
        self.wait = wait
        self._reads: queue.Queue[Callable[[], None]] = queue.Queue()
        self._writes: queue.Queue[Callable[[], None]] = queue.Queue()
        for jobs, count, name in ((self._reads, READERS, "read"),
                                  (self._writes, WRITERS, "write")):
            for n in range(count):
                threading.Thread(target=self._work, args=(jobs,), name=f"log-{name}-{n}",
                                 daemon=True).start()

    @staticmethod
    def _work(jobs: queue.Queue[Callable[[], None]]) -> None:
        while True:
            jobs.get()()

    async def run(self, fn: Callable[[Session], T], *, write: bool) -> T:
        """`fn(session)` in one short transaction, in a thread; LogWaits after the wait."""

        guard = Guard()
        done: Future[T] = Future()

        def job() -> None:
            if guard.abandoned or not done.set_running_or_notify_cancel():
                return  # its request stopped waiting before a thread was free
            for last in (False, True):
                try:
                    with transaction(self.engine, write=write, before_commit=guard.may_commit
                                     ) as session:
                        result = fn(session)
                except LogReplaced as exc:  # rolled back: once more, on the new file
                    if last:
                        done.set_exception(exc)
                        return
                    continue
                except BaseException as exc:  # handed to the request, which says it
                    done.set_exception(exc)
                    return
                done.set_result(result)
                return

        # the job runs in the page's context: the language it is spoken in (i18n.speaking)
        context = contextvars.copy_context()
        (self._writes if write else self._reads).put(lambda: context.run(job))
        waiting = asyncio.wrap_future(done)
        # an outcome nobody waits for any more (GaveUp, a late error) is not a warning
        waiting.add_done_callback(lambda f: f.cancelled() or f.exception())
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), self.wait)
        except TimeoutError:
            if guard.give_up():
                done.cancel()
                raise LogWaits(recorded=False) from None
        try:  # it is committing: its outcome is worth a little more patience
            return await asyncio.wait_for(asyncio.shield(waiting), self.wait)
        except TimeoutError:
            raise LogWaits(recorded=None) from None
