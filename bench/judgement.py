"""What judging every event costs: a year of a child's log judged (the report's, the
history's and the spreadsheet's `judgement` column), against reading the same rows.

    python bench/judgement.py [--years 1] [--repeat 5]

Builds a log in a temporary folder: twice-daily doses for --years, with what a real year
holds (a double dose a month, a dose without food a week, a reading a day with a low a
week, a symptom every few days, headaches followed by vomiting), then times, in the same
run:

- baseline: reading those doses, symptoms and readings from the log (the queries a report
  runs anyway);
- judged: `tracker.services.views.judged.period` over the year (the same rows, each judged once
  with what stood before it);
- standing: `judged.standing` at one moment (what status, Today and every reminder ask).

It prints the median of --repeat runs and the ratio judged / baseline. Target: judging a
year costs less than 5x reading it, and standing stays under 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(folder: Path, years: int) -> tuple[str, datetime, datetime]:
    """A log with `years` of events; (its URL, the first and the last day's instants)."""
    os.environ["TRACKER_DB"] = str(folder / "tracker.db")
    os.environ["TRACKER_CONFIG"] = str(folder / "settings.json")
    from tracker.config import database_target
    from tracker.db import migrate
    from tracker.db.models import Child, Dose, Glucose, Prescription, Symptom
    from tracker.db.session import make_engine, transaction

    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    start = datetime(2025, 1, 1, 6, 30, tzinfo=UTC)
    days = 365 * years
    with transaction(engine, write=True) as session:
        child = Child(name="Mia", birth_date=datetime(2018, 5, 1).date(),
                      timezone="Europe/Paris", created_at=start, treatment_start=start)
        session.add(child)
        session.flush()
        session.add(Prescription(child_id=child.id, starts_at=start, dose_mg_per_kg=0.04,
                                 times="07:30,19:30", weight_kg=20.0, created_at=start))
        for day in range(days):
            for hour, label in ((6.5, "07:30"), (18.5, "19:30")):
                slot = start.replace(hour=0, minute=0) + timedelta(days=day, hours=hour)
                flags = "given without a meal or snack within 20 minutes" \
                    if day % 7 == 3 and label == "07:30" else None
                session.add(Dose(child_id=child.id, slot_date=slot.date(), slot_time=label,
                                 scheduled_at=slot, status="given",
                                 given_at=slot + timedelta(minutes=4), dose_mg=0.8,
                                 volume_ml=0.08, site="left-thigh", meal=flags is None,
                                 flags=flags, created_at=slot))
                if day % 30 == 10 and label == "07:30":  # a double dose a month
                    session.add(Dose(child_id=child.id, slot_date=slot.date(),
                                     slot_time=label, scheduled_at=slot, status="given",
                                     given_at=slot + timedelta(minutes=40), dose_mg=0.8,
                                     volume_ml=0.08, extra=True, force_reason="both parents",
                                     created_at=slot))
            noon = start + timedelta(days=day, hours=5)
            session.add(Glucose(child_id=child.id, measured_at=noon,
                                mg_dl=62.0 if day % 7 == 0 else 96.0, unit="mg/dL",
                                created_at=noon))
            if day % 4 == 0:
                kind = ("headache", "vomiting", "injection-site", "dizziness")[day // 4 % 4]
                session.add(Symptom(child_id=child.id, kind=kind, occurred_at=noon,
                                    created_at=noon))
    return target.url, start, start + timedelta(days=days)


def median_of(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, lo, hi = build(Path(tmp), args.years)
        from sqlalchemy import select

        from tracker.db.models import Child, Dose, Glucose, Symptom
        from tracker.db.session import make_engine, transaction
        from tracker.services.views import judged

        engine = make_engine(url)

        def baseline() -> int:
            with transaction(engine, write=False) as session:
                n = 0
                for model, column in ((Dose, Dose.scheduled_at), (Symptom, Symptom.occurred_at),
                                      (Glucose, Glucose.measured_at)):
                    n += len(list(session.scalars(
                        select(model).where(column >= lo, column <= hi))))
                return n

        def judge_all() -> int:
            with transaction(engine, write=False) as session:
                child = session.scalars(select(Child)).one()
                return len(judged.period(session, child, lo, hi))

        def standing() -> int:
            with transaction(engine, write=False) as session:
                child = session.scalars(select(Child)).one()
                return len(judged.standing(session, child, hi - timedelta(days=50)))

        rows, found = baseline(), judge_all()
        base = median_of(args.repeat, baseline)
        judging = median_of(args.repeat, judge_all)
        now = median_of(args.repeat, standing)
        engine.dispose()
    print(f"a log of {args.years} year(s): {rows:,} doses, symptoms and readings; "
          f"{found:,} entries judged")
    print(f"  baseline, reading them:  {base * 1000:8.1f} ms")
    print(f"  judged.period, the year: {judging * 1000:8.1f} ms  "
          f"({judging / base:.1f}x the baseline; target under 5x)")
    print(f"  judged.standing, now:    {now * 1000:8.1f} ms  (target under 20 ms)")


if __name__ == "__main__":
    main()
