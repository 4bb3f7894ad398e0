"""The reminder service and the household page under a hostile network and a stuck log
(issue 21), in figures, each against a baseline measured in the same run.

    python bench/hostile.py [--rounds 3]

1. Lateness of a dose reminder when eight contacts that never answer (and one that
   drips a header line every 2 s) are due at the same moment, for another child:
   `tracker remind run` starts with both due, and the time from its start ("watching")
   to the dose reminder being sent is compared with the same service on the same log
   without contacts. Target: < 2 s later than the baseline.
2. How long SIGTERM takes to end `tracker remind run` while a contact drips and another
   program holds the log's write lock, and `tracker web` while the lock is held and a
   form waits on it; the baseline is each stopped idle. Target: < 5 s.
3. Today on the page while another program holds the log's write lock, against Today
   unlocked and the same server's style sheet (the floor).

Everything runs as separate processes on temporary files, on tracker's test clock.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from hostile_servers import Hostile

PY = sys.executable
TRACKER = str(Path(PY).with_name("tracker"))
SETUP_NOW = "2026-11-24T09:00:00+01:00"
INIT = ["init", "--birth-date", "2018-05-01", "--weight", "20", "--dose-mg-per-kg", "0.04",
        "--timezone", "Europe/Paris", "--since", "2026-11-20"]
HOLD = ("import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"INSERT INTO service_state VALUES ('held', 'x', '2026-01-01 00:00:00')\")\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n")


def tracker(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([TRACKER, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args)} failed: {done.stderr}")


def read_until(proc: subprocess.Popen[bytes], text: str, timeout: float = 120) -> float:
    """Read the process's stderr until `text`; the moment it was read."""
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise SystemExit(f"no {text!r}: {seen.decode(errors='replace')}")
        ready, _, _ = select.select([proc.stderr], [], [], min(left, 0.2))
        if ready:
            seen += os.read(proc.stderr.fileno(), 65536)
    return time.monotonic()


def stopped(proc: subprocess.Popen[bytes]) -> float:
    asked = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return time.monotonic() - asked


def hold(db: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([PY, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(30)


def a_log(tmp: Path, name: str, contacts: list[str]) -> tuple[dict[str, str], Path]:
    """Ada, whose 19:30 dose is not logged, and Zoe, whose dose is at 20:00; `contacts`
    are told about Ada at 20:00 (30 minutes after her dose)."""
    folder = tmp / name
    folder.mkdir()
    db = folder / "t.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_CONFIG=str(folder / "s.json"), TRACKER_CAREGIVER="bench",
               TRACKER_DB=str(db), TRACKER_FAKE_NOW=SETUP_NOW)
    tracker(env, *INIT, "--child", "Ada")
    tracker(env, *INIT, "--child", "Zoe", "--times", "08:00,20:00")
    for n, url in enumerate(contacts):
        tracker(env, "remind", "contact", "add", f"C{n}", url, "--after", "30")
    env.pop("TRACKER_FAKE_NOW")
    return env, db


def reminder_lateness(env: dict[str, str]) -> float:
    """From the service's start to Zoe's dose reminder sent, both due at once."""
    proc = subprocess.Popen([TRACKER, "remind", "run"],
                            env={**env, "TRACKER_CLOCK_START": "2026-11-24T20:00:01+01:00"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        began = read_until(proc, "watching")
        sent = read_until(proc, "sent: Zoe: Increlex dose due (20:00)")
    finally:
        stopped(proc)
    return sent - began


def service_stop(env: dict[str, str], db: Path, drip: Hostile | None) -> float:
    proc = subprocess.Popen([TRACKER, "remind", "run"],
                            env={**env, "TRACKER_CLOCK_START": "2026-11-24T20:00:03+01:00"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    holder = None
    try:
        read_until(proc, "watching")
        if drip is not None:
            deadline = time.monotonic() + 30
            while not drip.open and time.monotonic() < deadline:
                time.sleep(0.05)
            holder = hold(db)
            proc.send_signal(signal.SIGHUP)  # a check now, which waits for the lock
        time.sleep(0.5)
        return stopped(proc)
    finally:
        if holder is not None:
            release(holder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Page:
    """`tracker web` with a paired phone."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**env, "TRACKER_FAKE_NOW": "2026-11-24T19:31:00+01:00"}
        self.proc = subprocess.Popen([TRACKER, "web", "--port", str(self.port)], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        link = subprocess.run([TRACKER, "web", "pair", "--name", f"phone {self.port}", "--port",
                               str(self.port)], env=self.env, capture_output=True, text=True,
                              check=True).stdout.splitlines()[0]
        self.base = link.split("/pair/")[0]  # the page's address, its private part in it
        self.phone = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        deadline = time.monotonic() + 30
        while True:
            try:
                self.phone.open(urllib.request.Request(link, method="POST", data=b"")).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def timed(self, path: str, n: int) -> tuple[float, float]:
        times = []
        for _ in range(n):
            start = time.perf_counter()
            with self.phone.open(self.url(path)) as r:
                r.read()
            times.append(time.perf_counter() - start)
        times.sort()
        return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]

    def post_in_background(self) -> threading.Thread:
        """A form posted now, which will wait on the log."""
        import re

        with self.phone.open(self.url("/log")) as r:
            token = re.search(r'action="[^"]*/do/symptom">\s*<input type="hidden" name="csrf" '
                              r'value="([^"]+)"', r.read().decode())
        assert token is not None
        data = urllib.parse.urlencode({"csrf": token.group(1), "child": "1",
                                       "kind": "headache"}).encode()

        def post() -> None:
            with contextlib.suppress(OSError):  # answered or not: only the stop is timed
                self.phone.open(urllib.request.Request(self.url("/do/symptom"), data=data),
                                timeout=60).read()

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    silent = [Hostile(drip=False) for _ in range(8)]
    drip = Hostile(drip=True)
    urls = [s.url(f"hook-{n}") for n, s in enumerate(silent)]
    urls.append(drip.url("drip"))
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        lateness: dict[str, list[float]] = {"baseline": [], "contacts": []}
        stops: dict[str, list[float]] = {"service idle": [], "service hostile": [],
                                         "page idle": [], "page locked": []}
        for r in range(args.rounds):
            env, _ = a_log(tmp, f"base{r}", [])
            lateness["baseline"].append(reminder_lateness(env))
            env, db = a_log(tmp, f"hostile{r}", urls)
            lateness["contacts"].append(reminder_lateness(env))
            env, db = a_log(tmp, f"stop-idle{r}", [])
            stops["service idle"].append(service_stop(env, db, None))
            env, db = a_log(tmp, f"stop-hostile{r}", [urls[-1]])
            stops["service hostile"].append(service_stop(env, db, drip))
            env, db = a_log(tmp, f"page{r}", [])
            page = Page(env)
            stops["page idle"].append(stopped(page.proc))
            page = Page(env)
            holder = hold(db)
            try:
                page.post_in_background()
                time.sleep(0.5)
                stops["page locked"].append(stopped(page.proc))
            finally:
                release(holder)
        env, db = a_log(tmp, "latency", [])
        page = Page(env)
        try:
            n = args.requests
            floor = page.timed("/static/style.css", n)
            today = page.timed("/", n)
            holder = hold(db)
            try:
                locked = page.timed("/", n)
                floor_locked = page.timed("/static/style.css", n)
            finally:
                release(holder)
        finally:
            stopped(page.proc)
    for server in [*silent, drip]:
        server.close()

    def med(values: list[float]) -> float:
        return statistics.median(values)

    base, hostile = med(lateness["baseline"]), med(lateness["contacts"])
    print(f"tracker remind and tracker web under a hostile network ({args.rounds} rounds, "
          "medians)")
    print(f"  dose reminder, from the service's start to sent: {base:.2f} s with no contact, "
          f"{hostile:.2f} s with 8 silent contacts and a dripping one due at once "
          f"(+{hostile - base:.2f} s, {hostile / base:.1f}x; target < +2 s)")
    print(f"  SIGTERM to exit, reminder service: {med(stops['service idle']):.2f} s idle, "
          f"{med(stops['service hostile']):.2f} s while a contact drips and the log is "
          "locked (target < 5 s)")
    print(f"  SIGTERM to exit, household page: {med(stops['page idle']):.2f} s idle, "
          f"{med(stops['page locked']):.2f} s while the log is locked and a form waits on it "
          "(target < 5 s)")
    print(f"  Today, {args.requests} requests (median / 95th percentile): "
          f"{today[0] * 1000:.1f} / {today[1] * 1000:.1f} ms unlocked, "
          f"{locked[0] * 1000:.1f} / {locked[1] * 1000:.1f} ms while another program holds "
          f"the write lock ({locked[0] / today[0]:.1f}x); the style sheet "
          f"{floor[0] * 1000:.1f} / {floor[1] * 1000:.1f} ms, "
          f"{floor_locked[0] * 1000:.1f} / {floor_locked[1] * 1000:.1f} ms locked")


if __name__ == "__main__":
    main()
