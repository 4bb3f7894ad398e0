"""How long a caregiver's phone waits for the household page, as ratios to the same
server's floor in the same run.

    python bench/web_latency.py [--requests 200]

Starts `tracker web` on a log holding 10 years of twice-daily history up to today (the log
of bench/cli_latency.py, on the real clock) and measures the median and 95th percentile of
a paired device's requests, through the address the page printed (its private part
included), and the server's resident memory once idle, for
  - Today (`/`), the page opened at every dose,
  - `/changes`, the stamp each open page asks for every 3 seconds,
  - History (`/history`: the last 30 days, and `?from=` 10 years back),
against the floor: the same server sending its small style sheet (`/static/style.css`),
which costs the HTTP round trip and nothing of tracker. Targets: Today's 95th percentile
within 3x the floor's and `/changes` within 3x of the floor, so that many open phones
cost the computer next to nothing (issues 17 and 21); History a page at a time, its
first page of a 10-year period under 50 ms (issue 21). Every answer timed is checked to be
the page itself: status 200, and Today and History show the child's name.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cli_latency import PY, TRACKER, YEARS, ZONE, fill, init


def timed(opener: urllib.request.OpenerDirector, url: str, n: int,
          shows: str = "") -> tuple[float, float]:
    """Median and 95th percentile, in seconds, of answers that are the page itself."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        with opener.open(url) as r:
            body = r.read()
            status = r.status
        times.append(time.perf_counter() - start)
        if status != 200 or shows.encode() not in body:
            raise SystemExit(f"{url} answered {status} without {shows!r}: not the page timed")
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_CONFIG=str(Path(tmp) / "s.json"), TRACKER_CAREGIVER="bench",
                   TRACKER_DB=str(db))
        end = datetime.now(ZONE)  # the current date: the page runs on the real clock
        start = (end - timedelta(days=365 * YEARS)).date()
        init(db, start, env)
        slots = fill(db, start, end.date())
        printed = Path(tmp) / "web.out"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([TRACKER, "web", "--port", str(port)], env=env,
                                  stdout=printed.open("w"), stderr=subprocess.STDOUT)
        try:
            link = subprocess.run([TRACKER, "web", "pair", "--name", "bench phone", "--port",
                                   str(port)], env=env, capture_output=True, text=True,
                                  check=True).stdout.splitlines()[0]
            phone = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            deadline = time.monotonic() + 30
            while True:
                try:
                    phone.open(urllib.request.Request(link, method="POST", data=b"")).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            # the address the page printed: what a parent opens
            found = re.search(r"The household page: (\S+)/ ", printed.read_text())
            if found is None or not link.startswith(f"{found.group(1)}/pair/"):
                raise SystemExit(f"no page address printed: {printed.read_text()!r}")
            base = found.group(1)
            n = args.requests
            floor = timed(phone, f"{base}/static/style.css", n, "body")
            today = timed(phone, f"{base}/", n, "Mia")
            changes = timed(phone, f"{base}/changes", n, "stamp")
            history = timed(phone, f"{base}/history", n, "Mia")
            everything = timed(phone, f"{base}/history?from={start.isoformat()}",
                               max(3, n // 20), "Mia")
            time.sleep(2)
            memory = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(30)
    print(f"tracker web, {args.requests} requests each, {slots} dose slots in the log "
          "(median / 95th percentile)")

    def line(name: str, t: tuple[float, float], target: str = "") -> None:
        print(f"  {name:<26} {t[0] * 1000:7.1f} / {t[1] * 1000:7.1f} ms   "
              f"({t[0] / floor[0]:.1f}x / {t[1] / floor[1]:.1f}x the floor){target}")

    line("floor: the style sheet", floor)
    line("Today", today, "; target 95th percentile < 3x the floor's")
    line("/changes (every 3 s)", changes, "; target < 3x")
    line("History, 30 days", history)
    line("History, 10 years (page 1)", everything, "; target < 50 ms")
    print(f"  server resident memory     {memory:7.1f} MB idle")
    _ = PY


if __name__ == "__main__":
    main()
