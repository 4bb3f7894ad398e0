"""What the reminder service costs while it waits, and how late it fires.

    python bench/daemon_footprint.py [--seconds 180]

Starts `tracker remind run` on a temporary log whose running clock reaches a dose time
10 s after start, then measures:
  - idle resident memory (VmRSS) of the service,
  - CPU time used while idle, scaled to 10 minutes,
  - how late the reminder fired compared with its scheduled instant,
and the same memory and CPU for a baseline measured in the same run: a bare APScheduler
BackgroundScheduler with one idle job. Targets (issue 4): under 60 MB resident, under
0.5 s CPU per 10 idle minutes, reminders within 2 s.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

PY = sys.executable
TICKS = os.sysconf("SC_CLK_TCK")
BASELINE = """
import time
from apscheduler.schedulers.background import BackgroundScheduler
s = BackgroundScheduler(); s.add_job(lambda: None, "interval", seconds=60); s.start()
time.sleep(100000)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def idle_cost(pids: list[int], seconds: float) -> list[tuple[float, float]]:
    """(resident MB, CPU seconds per 10 minutes) of each process over the same idle window."""
    start = [cpu_seconds(pid) for pid in pids]
    time.sleep(seconds)
    return [(rss_mb(pid), (cpu_seconds(pid) - s) * 600 / seconds)
            for pid, s in zip(pids, start, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180, help="idle time measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_DB=str(db), TRACKER_CONFIG=str(Path(tmp) / "s.json"),
                   TRACKER_CAREGIVER="bench", DBUS_SESSION_BUS_ADDRESS="")
        subprocess.run([PY, "-m", "tracker", "init", "--child", "Mia", "--birth-date",
                        "2018-05-01", "--weight", "20", "--dose-mg", "0.8", "--timezone",
                        "Europe/Paris"], env={**env, "TRACKER_FAKE_NOW":
                                              "2026-11-24T09:00:00+01:00"},
                       check=True, capture_output=True)
        service = subprocess.Popen(
            [PY, "-m", "tracker", "remind", "run"],
            env={**env, "TRACKER_CLOCK_START": "2026-11-24T19:29:50+01:00"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        baseline = subprocess.Popen([PY, "-c", BASELINE])
        try:
            time.sleep(20)  # start-up, and the 19:30 reminder 10 s in
            settle = min(30.0, args.seconds / 4)
            time.sleep(settle)
            (service_rss, service_cpu), (base_rss, base_cpu) = idle_cost(
                [service.pid, baseline.pid], args.seconds)
        finally:
            service.terminate()
            baseline.terminate()
            service.wait(30)
            baseline.wait(30)
        conn = sqlite3.connect(db)
        row = conn.execute("SELECT r.slot_at, a.at FROM reminder r JOIN notification_attempt a "
                           "ON a.reminder_id = r.id WHERE r.kind = 'due' ORDER BY a.id "
                           "LIMIT 1").fetchone()
        conn.close()
    late = None
    if row:
        late = (datetime.fromisoformat(row[1]) - datetime.fromisoformat(row[0])).total_seconds()
    print(f"tracker remind run, idle for {args.seconds:.0f} s (after the 19:30 reminder)")
    print(f"  resident memory      {service_rss:6.1f} MB   (target < 60 MB;  "
          f"baseline {base_rss:.1f} MB, ratio {service_rss / base_rss:.2f}x)")
    print(f"  CPU per 10 idle min  {service_cpu:6.2f} s    (target < 0.5 s; "
          f"baseline {base_cpu:.2f} s)")
    print(f"  reminder lateness    {'none fired' if late is None else f'{late:6.2f} s'}"
          "    (target < 2 s)")


if __name__ == "__main__":
    main()
