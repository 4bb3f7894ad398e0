"""How CSV export scales, against `sqlite3 -csv` on the same table in the same run; and
the one-year clinic report's time (target under 2 s).

    python bench/export_scale.py [--rows 1000000]

Builds two logs: ten years of one child's twice-daily doses, and a clinic-sized one of
--rows dose rows (one synthetic child whose log spans centuries, so one export covers all
rows). For each, it times `tracker export` to a file and `sqlite3 -csv` selecting the same
table, and records each process's peak memory (max RSS). Targets (issue 5): rows per
second within 3x of sqlite3, peak memory under 150 MB and nearly the same for both sizes.
Needs the sqlite3 command-line shell (Debian package sqlite3).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PY = sys.executable
TRACKER = str(Path(PY).with_name("tracker"))


def timed(cmd: list[str], env: dict[str, str], out: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one process, its output to `out`."""
    start = time.perf_counter()
    with out.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.PIPE)
        _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if proc.stderr is not None:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def build(db: Path, days: int, env: dict[str, str]) -> int:
    start = date(2026, 11, 24) - timedelta(days=days)
    subprocess.run([TRACKER, "init", "--child", "Mia", "--birth-date", "2018-01-01",
                    "--weight", "20", "--dose-mg", "0.8", "--timezone", "UTC"],
                   env={**env, "TRACKER_DB": str(db),
                        "TRACKER_FAKE_NOW": "2026-11-24T06:00:00+00:00"},
                   check=True, capture_output=True)
    conn = sqlite3.connect(db)
    # a synthetic log reaching back `days` days (beyond a real child's age on purpose)
    stamp0 = f"{start.isoformat()} 00:00:00.000000"
    conn.execute("UPDATE child SET created_at = ?, birth_date = ?", (stamp0, start.isoformat()))
    conn.execute("UPDATE prescription SET starts_at = ?", (stamp0,))
    conn.execute("UPDATE measurement SET measured_on = ?", (start.isoformat(),))
    batch, n = [], 0
    day = start
    while day < date(2026, 11, 24):
        for hh in (7, 19):
            at = datetime(day.year, day.month, day.day, hh, 30, tzinfo=UTC)
            # isoformat, not strftime: %Y does not zero-pad years before 1000
            stamp = at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            batch.append((day.isoformat(), f"{hh:02d}:30", stamp, stamp,
                          ["left-thigh", "right-thigh"][n % 2]))
            n += 1
        if len(batch) >= 50_000:
            _insert(conn, batch)
            batch = []
        day += timedelta(days=1)
    _insert(conn, batch)
    if days <= 3652:  # a real child's log: what the one-year report draws from
        _child_details(conn, start)
    conn.commit()
    conn.close()
    return n


def _child_details(conn: sqlite3.Connection, start: date) -> None:
    """Sex and growth reference, a height every month, a vial (with its lot) every 30 days,
    a headache a fortnight, and a note in Hebrew: the report's growth, vials, side
    effects and any-script parts all have work to do."""
    conn.execute("UPDATE child SET sex = 'female', growth_reference = 'uk-who', "
                 "birth_date = ?", ((start - timedelta(days=365 * 3)).isoformat(),))
    day, k = start, 0
    while day < date(2026, 11, 24):
        stamp = f"{day.isoformat()} 09:00:00.000000"
        if k % 30 == 0:
            conn.execute("INSERT INTO measurement (child_id, measured_on, height_cm, created_at)"
                         " VALUES (1, ?, ?, ?)", (day.isoformat(), 95 + k * 0.016, stamp))
            conn.execute("INSERT INTO vial (child_id, opened_at, lot, expires_on, volume_ml, "
                         "concentration_mg_per_ml, created_at) VALUES (1, ?, ?, ?, 4.0, 10.0, ?)",
                         (stamp, f"L{k:05d}", (day + timedelta(days=400)).isoformat(), stamp))
        if k % 14 == 3:
            conn.execute("INSERT INTO symptom (child_id, kind, severity, occurred_at, note, "
                         "created_at) VALUES (1, 'headache', 'mild', ?, 'כאב ראש קל 10:00', ?)",
                         (stamp, stamp))
        day += timedelta(days=1)
        k += 1


def _insert(conn: sqlite3.Connection, rows: list[tuple[str, ...]]) -> None:
    conn.executemany(
        "INSERT INTO dose (child_id, slot_date, slot_time, scheduled_at, given_at, status, "
        "dose_mg, volume_ml, site, given_by, extra, created_at) VALUES (1, ?, ?, ?, ?, 'given', "
        "0.8, 0.08, ?, 'Anna', 0, '2026-01-01 00:00:00.000000')", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit("needs the sqlite3 shell: apt-get install sqlite3")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_CONFIG=str(folder / "s.json"), TRACKER_CAREGIVER="bench",
                   HOME=str(folder))
        results = []
        for label, days in (("10 years", 3652), (f"{args.rows:,} rows", args.rows // 2)):
            db = folder / f"{days}.db"
            n = build(db, days, env)
            run_env = {**env, "TRACKER_DB": str(db),
                       "TRACKER_FAKE_NOW": "2026-11-24T06:00:00+00:00"}
            start = (date(2026, 11, 24) - timedelta(days=days)).isoformat()
            ours = timed([TRACKER, "export", "--from", start, "--to", "2026-11-23"], run_env,
                         folder / "ours.csv")
            base = timed(["sqlite3", "-csv", "-header", str(db), "SELECT * FROM dose"], env,
                         folder / "base.csv")
            lines = sum(1 for _ in (folder / "ours.csv").open()) - 1
            # fixed costs: one day's export, and sqlite3 selecting nothing
            ours0 = timed([TRACKER, "export", "--from", "2026-11-23", "--to", "2026-11-23"],
                          run_env, folder / "ours0.csv")
            base0 = timed(["sqlite3", "-csv", "-header", str(db), "SELECT * FROM dose LIMIT 0"],
                          env, folder / "base0.csv")
            results.append((label, n, lines, ours, base, ours0[0], base0[0]))
            if days == 3652:
                year_ago = (date(2026, 11, 23) - timedelta(days=364)).isoformat()
                pdf_seconds, pdf_mb = timed(
                    [TRACKER, "report", "--from", year_ago, "--to", "2026-11-23", "-o",
                     str(folder / "year.pdf")], run_env, folder / "report.out")
                if not (folder / "year.pdf").exists():
                    raise SystemExit("tracker report failed: " +
                                     (folder / "report.out").read_text())
    print(f"tracker report, one year of doses: {pdf_seconds:.2f} s, peak {pdf_mb:.1f} MB "
          "(target < 2 s)")
    print("tracker export (CSV) vs sqlite3 -csv on the same table, same run")
    for label, n, lines, (t, mb), (bt, bmb), t0, bt0 in results:
        print(f"  {label}: {n:,} dose rows, {lines:,} exported")
        print(f"    tracker  {lines / t:10,.0f} rows/s  {t:7.2f} s  peak {mb:6.1f} MB"
              f"  (start-up {t0:.2f} s)")
        print(f"    sqlite3  {n / bt:10,.0f} rows/s  {bt:7.2f} s  peak {bmb:6.1f} MB"
              f"  (start-up {bt0:.3f} s)")
        print(f"    ratio (sqlite3 rows/s / tracker rows/s): {(n / bt) / (lines / t):.1f}x "
              "(target <= 3x); peak memory target < 150 MB")
        net = ((n / max(bt - bt0, 1e-3)) / (lines / max(t - t0, 1e-3)))
        print(f"    ratio net of each tool's start-up: {net:.1f}x")


if __name__ == "__main__":
    main()
