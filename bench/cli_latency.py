"""How long a parent waits for tracker, as ratios to Python's own floor in the same run.

    python bench/cli_latency.py [--runs N]

Measures the median wall time of
  - `tracker give` and `tracker status` on a log holding 10 years of twice-daily history,
  - `tracker status` on a log holding one day,
  - `tracker --help`,
against the floor measured in the same run: `python -c "import sqlalchemy.orm, click"` for
the first two (the libraries any such command must load) and `python -c "import click"`
for help. Targets (issue 2): give and status within 1.3x of their floor, help within 1.5x,
and status on 10 years no more than 10% slower than on an empty log. The same targets hold
in every language (issue 33): status and --help are also timed in French and Arabic, whose
catalogs and Babel's locale data are read only when they are spoken.

Everything runs as separate processes on temporary files, with a fixed fake clock.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tracker.domain.sites import SITES

PY = sys.executable
# the command a parent runs: the console script installed beside this Python
TRACKER = str(Path(PY).with_name("tracker"))
ZONE = ZoneInfo("Europe/Paris")
YEARS = 10
END = datetime(2026, 11, 24, 9, 0, tzinfo=ZONE)


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr}")
    return elapsed


def init(db: Path, since: date, env: dict[str, str]) -> None:
    run(
        [
            TRACKER,
            "init",
            "--child",
            "Mia",
            "--birth-date",
            "2014-05-01",
            "--weight",
            "20",
            "--dose-mg-per-kg",
            "0.04",
            "--timezone",
            "Europe/Paris",
            "--since",
            since.isoformat(),
        ],
        {**env, "TRACKER_DB": str(db)},
    )


def fill(db: Path, start: date, end: date) -> int:
    """Ten years of doses, withheld doses, symptoms, glucose checks and growth, written fast."""
    rng = random.Random(7)
    conn = sqlite3.connect(db)
    rows, day, n = [], start, 0
    created = datetime(2026, 1, 1, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.000000")
    while day < end:
        for hh in (7, 19):
            slot = datetime(day.year, day.month, day.day, hh, 30, tzinfo=ZONE).astimezone(UTC)
            given = slot + timedelta(minutes=rng.randint(-15, 40))
            fmt = "%Y-%m-%d %H:%M:%S.%f"
            if rng.random() < 0.03:
                rows.append(
                    (
                        day.isoformat(),
                        f"{hh:02d}:30",
                        slot.strftime(fmt),
                        "withheld",
                        None,
                        None,
                        None,
                        None,
                        "not eating",
                        created,
                    )
                )
            else:
                rows.append(
                    (
                        day.isoformat(),
                        f"{hh:02d}:30",
                        slot.strftime(fmt),
                        "given",
                        given.strftime(fmt),
                        0.8,
                        0.08,
                        SITES[n % 8],
                        None,
                        created,
                    )
                )
            n += 1
        day += timedelta(days=1)
    conn.executemany(
        "INSERT INTO dose (child_id, slot_date, slot_time, scheduled_at, status, given_at, "
        "dose_mg, volume_ml, site, reason, created_at, extra, given_by, created_by) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'Anna', 'Anna')",
        rows,
    )
    conn.executemany(
        "INSERT INTO symptom (child_id, kind, occurred_at, created_at) VALUES (1, ?, ?, ?)",
        [("headache", r[4] or r[2], created) for r in rows[::40]],
    )
    conn.executemany(
        "INSERT INTO glucose (child_id, measured_at, mg_dl, unit, created_at) "
        "VALUES (1, ?, ?, 'mg/dL', ?)",
        [(r[2], 80 + i % 30, created) for i, r in enumerate(rows[::10])],
    )
    conn.executemany(
        "INSERT INTO measurement (child_id, measured_on, weight_kg, height_cm, created_at) "
        "VALUES (1, ?, ?, ?, ?)",
        [
            ((start + timedelta(days=30 * i)).isoformat(), 15 + i * 0.1, 100 + i * 0.5, created)
            for i in range((end - start).days // 30)
        ],
    )
    conn.commit()
    conn.close()
    return len(rows)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # A parent's copy runs from compiled byte code (pip compiles it at install; a copy
    # installed for development writes it at its first run). A shell that forbids writing
    # byte code (PYTHONDONTWRITEBYTECODE, set in some containers) would time Python's
    # compiler on every run instead of tracker: the untimed runs below write it once.
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith("TRACKER_") and k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **base_env,
            "TRACKER_CONFIG": str(folder / "c.toml"),
            "TRACKER_CAREGIVER": "Anna",
            "HOME": str(folder),
            "LANGUAGE": "en",  # English unless a job says otherwise
        }
        big, small = folder / "big.db", folder / "small.db"
        start = END.date() - timedelta(days=int(365.25 * YEARS))
        env_big = {**env, "TRACKER_DB": str(big), "TRACKER_FAKE_NOW": END.isoformat()}
        env_small = {**env, "TRACKER_DB": str(small), "TRACKER_FAKE_NOW": END.isoformat()}
        init(big, start, env_big)
        doses = fill(big, start, END.date())
        init(small, END.date(), env_small)
        # a dose today on the small log too, so both logs show the same kind of day
        run([TRACKER, "give", "--site", "left-thigh", "--at", "07:35"], env_small)
        run([TRACKER, "give", "--site", "left-thigh", "--at", "07:35"], env_big)

        # The first command of each day makes the daily backup: make those now, untimed, so
        # that the give runs below (12 h apart, a new day every other run) measure the
        # everyday cost.
        for i in range(args.runs):
            later = (END + timedelta(hours=12 * (i + 1))).isoformat()
            run([TRACKER, "status"], {**env_big, "TRACKER_FAKE_NOW": later})
        samples: dict[str, list[float]] = {
            k: []
            for k in (
                "floor: import sqlalchemy.orm, click",
                "floor: import click",
                "tracker give (10 y)",
                "tracker status (10 y)",
                "tracker status (1 day)",
                "tracker --help",
                "tracker status (10 y, fr)",
                "tracker status (10 y, ar)",
                "tracker --help (fr)",
                "tracker --help (ar)",
            )
        }
        for i in range(args.runs):
            # interleave everything so that machine noise hits all alike
            give_now = END + timedelta(hours=12 * (i + 1))
            jobs = [
                (
                    "floor: import sqlalchemy.orm, click",
                    [PY, "-c", "import sqlalchemy.orm, click"],
                    env,
                ),
                ("floor: import click", [PY, "-c", "import click"], env),
                (
                    "tracker give (10 y)",
                    [TRACKER, "give", "--site", SITES[i % 8]],
                    {**env_big, "TRACKER_FAKE_NOW": give_now.isoformat()},
                ),
                ("tracker status (10 y)", [TRACKER, "status"], env_big),
                ("tracker status (1 day)", [TRACKER, "status"], env_small),
                ("tracker --help", [TRACKER, "--help"], env),
                ("tracker status (10 y, fr)", [TRACKER, "status"], {**env_big, "LANGUAGE": "fr"}),
                ("tracker status (10 y, ar)", [TRACKER, "status"], {**env_big, "LANGUAGE": "ar"}),
                ("tracker --help (fr)", [TRACKER, "--help"], {**env, "LANGUAGE": "fr"}),
                ("tracker --help (ar)", [TRACKER, "--help"], {**env, "LANGUAGE": "ar"}),
            ]
            random.Random(i).shuffle(jobs)
            for name, cmd, job_env in jobs:
                samples[name].append(run(cmd, job_env))

    m = {k: median(v) for k, v in samples.items()}
    orm, click_floor = m["floor: import sqlalchemy.orm, click"], m["floor: import click"]
    print(f"tracker CLI latency: median of {args.runs} runs, {doses} dose slots in the 10-year log")
    for name, value in m.items():
        print(f"  {name:38s} {value * 1000:7.1f} ms")
    checks = [
        ("give (10 y) / floor", m["tracker give (10 y)"] / orm, 1.3),
        ("status (10 y) / floor", m["tracker status (10 y)"] / orm, 1.3),
        ("status (1 day) / floor", m["tracker status (1 day)"] / orm, 1.3),
        ("--help / import click", m["tracker --help"] / click_floor, 1.5),
        ("status (10 y, fr) / floor", m["tracker status (10 y, fr)"] / orm, 1.3),
        ("status (10 y, ar) / floor", m["tracker status (10 y, ar)"] / orm, 1.3),
        ("--help (fr) / import click", m["tracker --help (fr)"] / click_floor, 1.5),
        ("--help (ar) / import click", m["tracker --help (ar)"] / click_floor, 1.5),
        (
            "status 10 y / status 1 day",
            m["tracker status (10 y)"] / m["tracker status (1 day)"],
            1.10,
        ),
    ]
    print("ratios (target):")
    for name, ratio, target in checks:
        verdict = "ok" if ratio <= target else "OVER"
        print(f"  {name:38s} {ratio:5.2f}x  (<= {target:.2f}x) {verdict}")


if __name__ == "__main__":
    main()
