"""Contacts are told in the background, after the tick's dose reminders went out.

A phone service that is slow, silent or dripping must never make a dose reminder late,
nor keep the service from stopping. So a tick hands each contact's message to this
outbox and goes on; a few worker threads send them at once (each send is a child
process with its own deadline, `contact_send.tell`), and a stop kills what is still
sending. The threads are daemons: nothing here can hold the process at exit.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from tracker.services.delivery.contact_send import Sends

WORKERS = 8  # contacts told at once: eight silent ones cost one deadline, not eight

Job = Callable[[Sends], None]


class Outbox:
    def __init__(self, workers: int = WORKERS) -> None:
        self.sends = Sends()
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, job: Job) -> None:
        """Run `job` in a worker; it gets the live sends to register its child with."""
        with self._idle:
            self._pending += 1
        if len(self._threads) < self._workers:
            thread = threading.Thread(target=self._work, name="contact-outbox", daemon=True)
            self._threads.append(thread)
            thread.start()
        self._jobs.put(job)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job(self.sends)
            except Exception:  # a job records its own failures; a worker must live on
                pass
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until every job handed in has finished (tests, and `remind contact test`)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """A stop: running sends are killed and queued ones start none (each job then
        learns it was not sent, at once), and the workers end."""
        self.sends.kill_all()
        for _ in self._threads:
            self._jobs.put(None)
