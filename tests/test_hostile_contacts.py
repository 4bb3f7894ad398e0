"""Contacts under a hostile network (issue 21): a phone service that answers `200 OK` and
then one header line every 2 s (a drip, which Apprise's per-read timeouts never trip), and
one that accepts the connection and never says a word. Neither may delay a dose reminder,
keep `remind contact test` waiting past its limit, or keep the service from stopping.

Real servers on 127.0.0.1 in threads, the real service in process on the test's clock,
and `tracker remind run` as a real process for the stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import MIA, run_tracker
from hostile_servers import Hostile as HostileServer
from test_service_faults import Recorder, finish, hold_the_lock, wait_for

from tracker.config import database_target
from tracker.db import migrate
from tracker.db.session import make_engine, transaction
from tracker.reminders.service import ReminderService
from tracker.services.delivery.contact_send import SEND_LIMIT, masked

SECRET = "s3cret-t0pic-7f3k"


class Hostile(HostileServer):
    def url(self, path: str = "hook") -> str:
        return super().url(f"{path}-{SECRET}")


@pytest.fixture
def drip():
    server = Hostile(drip=True)
    yield server
    server.close()


@pytest.fixture
def silent():
    server = Hostile(drip=False)
    yield server
    server.close()


def senders() -> list[int]:
    """The contact senders (child processes) alive on this machine."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"tracker.services.delivery.contact_send" in cmdline:
            found.append(int(pid))
    return found


def test_contact_test_against_a_dripping_server_ends_within_its_limit_and_says_so(mia, drip):
    mia.ok("remind", "contact", "add", "Drip", drip.url())
    started = time.monotonic()
    # a separate process with a bound of its own: a hang fails the test instead of holding it
    done = run_tracker("remind", "contact", "test", "Drip", "--verbose", timeout=60)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"Not sent to Drip: the contact did not answer within {SEND_LIMIT:g} seconds." in (
        done.stdout)
    assert SECRET not in done.stdout + done.stderr
    assert took < SEND_LIMIT + 20  # the limit and a child's start, not the drip's forever
    assert senders() == []  # the sender was ended, not left dripping
    log = mia.ok("remind", "log", "--verbose").out
    assert "contact   FAILED (the contact did not answer within" in log
    assert SECRET not in log


def test_silent_contacts_never_delay_another_childs_dose_reminder(mia, silent, drip):
    """Eight silent contacts and a dripping one are due for Mia at the very tick when Leo's
    dose is due: Leo's reminder goes out in that tick, before any contact is told, and the
    contacts are told from the outbox meanwhile."""
    leo = list(MIA)
    leo[leo.index("Mia")] = "Leo"
    mia.ok(*leo, "--times", "08:00,20:00")
    for n in range(8):
        mia.ok("remind", "contact", "add", f"Quiet{n}", silent.url(f"q{n}"), "--after", "30")
    mia.ok("remind", "contact", "add", "Drip", drip.url(), "--after", "30")
    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    desktop = Recorder()
    service = ReminderService(engine, [desktop])
    try:
        done = service.tick(datetime.fromisoformat("2026-11-24T20:00:05+01:00"))
        assert "Leo: Increlex dose due (20:00)" in [o.title for o, _ in done]
        assert "Leo: Increlex dose due (20:00)" in [title for title, _ in desktop.sent]
        assert not service.outbox.wait(0), "the contacts were told inside the tick"
        # a tick meanwhile sends nothing twice: the contacts being told are not planned again
        service.tick(datetime.fromisoformat("2026-11-24T20:01:00+01:00"))
        service.stop()  # as a SIGTERM does: every sender ended at once
        assert service.outbox.wait(10)
    finally:
        service.stop()
        engine.dispose()
    deadline = time.monotonic() + 5
    while senders() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert senders() == []
    # cut off by the stop, not failed: their claims are given back, and the service
    # started next tells them (while their moment lasts)
    assert mia.rows("SELECT key FROM reminder WHERE kind = 'contact'") == []
    assert mia.rows("SELECT * FROM notification_attempt WHERE channel = 'contact'") == []
    again = ReminderService(make_engine(target.url), [Recorder()])
    with transaction(again.engine, write=False) as session:
        planned = again.plan(session, datetime.fromisoformat("2026-11-24T20:02:00+01:00"))
    again.engine.dispose()
    assert sorted(p.to_name or "" for p in planned if p.kind == "contact") == sorted(
        ["Drip", *(f"Quiet{n}" for n in range(8))])


def test_a_stop_ends_the_service_within_seconds_while_a_contact_drips_and_the_log_is_locked(
        isolated, drip):
    assert run_tracker(*MIA, env={"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                       ).returncode == 0
    assert run_tracker("remind", "contact", "add", "Drip", drip.url(), "--after", "30"
                       ).returncode == 0
    log = isolated / "log" / "tracker.db"
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "remind", "run"],
                            env={**os.environ, "TRACKER_CLOCK_START": "2026-11-24T20:00:03+01:00"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: list[bytes] = []
    holder = None
    try:
        wait_for(proc, "watching", seen)
        deadline = time.monotonic() + 30
        while not drip.open:  # the contact is being told, and drips
            assert time.monotonic() < deadline, b"".join(seen).decode()
            time.sleep(0.05)
        holder = hold_the_lock(log)
        proc.send_signal(signal.SIGHUP)  # a check now, which waits for the lock
        time.sleep(0.5)
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code, err = finish(proc, seen)
        took = time.monotonic() - asked
    finally:
        if proc.poll() is None:
            proc.kill()
        if holder is not None and holder.stdin is not None:
            holder.stdin.close()
            holder.wait(timeout=30)
    assert code == 0, err
    assert "stopped" in err and "Traceback" not in err
    assert took < 8, f"stopping took {took:.1f} s"  # the figure itself: bench/hostile.py
    assert senders() == []
    assert SECRET not in err


def test_contact_addresses_are_masked_where_the_path_or_topic_is_the_secret(mia):
    cases = {
        f"ntfy://ntfy.sh/mia-doses-{SECRET}": "ntfy://ntfy.sh/mia-…",
        f"ntfy://mia-doses-{SECRET}": "ntfys://mia-…",
        f"json://127.0.0.1:9/path/{SECRET}": "json://127.0.0.1:9/path/s3cr…",
        f"xml://example.org/{SECRET}": "xml://example.org/s3cr…",
        f"json://sam:{SECRET}@example.org/hook": "json://sam:****@example.org/hook",
    }
    for url, shown in cases.items():
        assert masked(url) == shown
    for n, url in enumerate(cases):
        mia.ok("remind", "contact", "add", f"C{n}", url)
    for args in (("remind", "contact", "list"), ("remind", "status"), ("doctor",)):
        out = mia(*args)
        assert SECRET not in out.out + out.err, args
    listed = mia.ok("remind", "contact", "list").out
    assert "ntfy://ntfy.sh/mia-…" in listed and "json://127.0.0.1:9/path/s3cr…" in listed
