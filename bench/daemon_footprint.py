"""What the reminder service costs while it waits, how late it fires, and how fast a
press on its notification is recorded.

    python bench/daemon_footprint.py [--seconds 180] [--no-desktop]

Starts `tracker remind run` on a temporary log whose running clock reaches a dose time
10 s after start, then measures:
  - idle resident memory (VmRSS) of the service,
  - CPU time used while idle, scaled to 10 minutes,
  - how late the reminder fired compared with its scheduled instant,
  - with a desktop (dunst on Xvfb in a private D-Bus session, when they are installed):
    the interactive channel is on (desktop-notifier's loop thread, the buttons), and the
    time from pressing Given (dunst's context menu) to the dose being in the log,
and the same memory and CPU for a baseline measured in the same run: a bare APScheduler
BackgroundScheduler with one idle job. Targets (issues 4 and 16): under 60 MB resident,
under 0.5 s CPU per 10 idle minutes, reminders within 2 s, a press recorded within 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
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


DESKTOP = ("dbus-run-session", "Xvfb", "dunst", "dunstctl")


def start_desktop(tmp: Path) -> list[subprocess.Popen[bytes]]:
    """Xvfb and a dunst whose context menu presses the first Given button."""
    display_file = tmp / "display"
    with display_file.open("w") as fh:
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(fh.fileno()), "-screen", "0",
                                 "640x480x24"], pass_fds=(fh.fileno(),),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not display_file.read_text().strip():
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{display_file.read_text().strip()}"
    (tmp / "cfg" / "dunst").mkdir(parents=True)
    pick = tmp / "pick.sh"
    pick.write_text("#!/bin/sh\ngrep -m1 '^#Given'\n")
    pick.chmod(0o755)
    (tmp / "cfg" / "dunst" / "dunstrc").write_text(f"[global]\n    dmenu = {pick}\n")
    dunst = subprocess.Popen(["dunst"], env={**os.environ, "XDG_CONFIG_HOME": str(tmp / "cfg")},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    return [dunst, xvfb]


def press_given(db: Path) -> float:
    """Seconds from pressing Given in dunst's menu to the dose being in the log."""
    started = time.monotonic()
    subprocess.run(["dunstctl", "context"], check=True)
    while time.monotonic() - started < 10:
        conn = sqlite3.connect(db)
        count = conn.execute("SELECT count(*) FROM dose").fetchone()[0]
        conn.close()
        if count:
            return time.monotonic() - started
        time.sleep(0.005)
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180, help="idle time measured")
    parser.add_argument("--no-desktop", action="store_true",
                        help="without a notification daemon (the plain channel)")
    parser.add_argument("--in-session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    desktop = not args.no_desktop and all(shutil.which(t) for t in DESKTOP)
    if desktop and not args.in_session:  # again, inside a private D-Bus session
        os.execvp("dbus-run-session", ["dbus-run-session", "--", PY, __file__, "--seconds",
                                       str(args.seconds), "--in-session"])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_DB=str(db), TRACKER_CONFIG=str(Path(tmp) / "s.json"),
                   TRACKER_CAREGIVER="bench")
        helpers = start_desktop(Path(tmp)) if desktop else []
        env = {**env, **({"DISPLAY": os.environ["DISPLAY"]} if desktop else
                         {"DBUS_SESSION_BUS_ADDRESS": ""})}
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
            pressed = press_given(db) if desktop else None
        finally:
            service.terminate()
            baseline.terminate()
            service.wait(30)
            baseline.wait(30)
            for helper in helpers:
                helper.terminate()
                helper.wait(30)
        conn = sqlite3.connect(db)
        row = conn.execute("SELECT r.slot_at, a.at FROM reminder r JOIN notification_attempt a "
                           "ON a.reminder_id = r.id WHERE r.kind = 'due' ORDER BY a.id "
                           "LIMIT 1").fetchone()
        conn.close()
    late = None
    if row:
        late = (datetime.fromisoformat(row[1]) - datetime.fromisoformat(row[0])).total_seconds()
    channel = ("with the buttons channel on (dunst)" if desktop
               else "without a desktop (plain channel)")
    print(f"tracker remind run, idle for {args.seconds:.0f} s (after the 19:30 reminder), "
          f"{channel}")
    print(f"  resident memory      {service_rss:6.1f} MB   (target < 60 MB;  "
          f"baseline {base_rss:.1f} MB, ratio {service_rss / base_rss:.2f}x)")
    print(f"  CPU per 10 idle min  {service_cpu:6.2f} s    (target < 0.5 s; "
          f"baseline {base_cpu:.2f} s)")
    print(f"  reminder lateness    {'none fired' if late is None else f'{late:6.2f} s'}"
          "    (target < 2 s)")
    if pressed is not None:
        print(f"  Given pressed -> in the log {pressed:6.2f} s    (target < 1 s)")


if __name__ == "__main__":
    main()
