"""The label, third read (issue 30, items 6-8): the first week of treatment before the
first increase, amounts shown as a person rounds them, a syringe that is too small, the
report's site counts, and the drug information's statements.

Each checked as a parent reads it.
"""

from __future__ import annotations

from datetime import timedelta

from conftest import MIA

from tracker.domain import safety


def _started(tracker, since: str) -> None:
    args = list(MIA)
    args[args.index("2026-11-20")] = since
    tracker.ok(*args)


class TestTheFirstIncreaseWaitsAWeekFromTheStart:
    def test_a_first_increase_three_days_after_the_start_is_warned(self, tracker, clock):
        clock.set("2026-11-24T10:00:00+01:00")
        _started(tracker, "2026-11-21")  # 3 days and 10 hours before
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.08")
        assert ("titration: the treatment started 3 d 10 h ago: the label raises the dose "
                "only after a first week of treatment that was well tolerated") in r.text
        (flags,) = tracker.rows("SELECT flags FROM prescription ORDER BY id DESC LIMIT 1")[0]
        assert "the treatment started 3 d 10 h ago" in flags

    def test_a_first_increase_eight_days_after_the_start_is_not(self, tracker, clock):
        clock.set("2026-11-24T10:00:00+01:00")
        _started(tracker, "2026-11-16")  # 8 days and 10 hours before
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.08")
        assert "titration" not in r.text

    def test_later_increases_count_from_the_last_one(self):
        week = timedelta(days=7)
        (w,) = safety.titration_warnings(0.08, 0.04, since_last_increase=timedelta(days=2),
                                         low_in_last_week=False, since_start=5 * week)
        assert w.startswith("the last increase was 2 d 0 h ago")
        assert safety.titration_warnings(0.08, 0.04, since_last_increase=week,
                                         low_in_last_week=False,
                                         since_start=timedelta(days=1)) == []
        # a decrease in the first week is never warned
        assert safety.titration_warnings(0.02, 0.04, since_last_increase=None,
                                         low_in_last_week=False,
                                         since_start=timedelta(days=1)) == []
