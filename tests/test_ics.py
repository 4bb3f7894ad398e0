"""The calendar export, read back with icalendar and expanded across DST."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import recurring_ical_events
from conftest import MIA


def test_schedule_expands_to_local_dose_times_across_dst(tracker, clock, tmp_path):
    clock.set("2026-10-20T06:00:00+02:00")
    tracker.ok(*MIA[:-2], "--since", "2026-10-20")
    clock.set("2026-11-01T12:00:00+01:00")
    tracker.ok("prescribe", "--dose-mg-per-kg", "0.08", "--from", "2026-11-02 00:00")
    target = tmp_path / "mia.ics"
    tracker.ok("export", "--format", "ics", "-o", str(target))
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    events = recurring_ical_events.of(cal).between(date(2026, 10, 20), date(2026, 11, 5))
    starts = sorted(e["DTSTART"].dt for e in events)
    # every occurrence at 07:30 or 19:30 Paris time, before and after the clocks went back
    assert {(s.hour, s.minute) for s in starts} == {(7, 30), (19, 30)}
    assert len(starts) == 16 * 2
    offsets = {s.date(): s.utcoffset().total_seconds() / 3600 for s in starts}
    assert offsets[date(2026, 10, 24)] == 2 and offsets[date(2026, 10, 26)] == 1
    # the prescription change ends one series and starts the next
    summaries = {s.date(): str(e["SUMMARY"]) for e in events for s in [e["DTSTART"].dt]}
    assert "0.80 mg" in summaries[date(2026, 11, 1)]
    assert "1.60 mg" in summaries[date(2026, 11, 2)]
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    for e in events:
        assert isinstance(e["DTSTART"].dt, datetime)


# Independent readers, as a family's calendar program reads the file (issue 14): Mozilla's
# ical.js (Thunderbird, Nextcloud) run with node, and libical (Evolution, GNOME Calendar)
# through its GObject bindings. Both use the VTIMEZONE embedded in the file.
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from datetime import UTC, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402

TOOLS = Path(__file__).parent / "tools"


def _need(what: str, ok: bool) -> None:
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is missing (.ci/run installs it)")
        pytest.skip(f"no {what} here (not under CI, which installs it)")


def read_with_icaljs(path: Path, start: str, end: str) -> list[str]:
    _need("node with ical.js (npm ci --prefix tests/tools/icaljs)",
          shutil.which("node") is not None and (TOOLS / "icaljs" / "node_modules").is_dir())
    r = subprocess.run(["node", str(TOOLS / "icaljs" / "read.mjs"), str(path), start, end],
                       capture_output=True, text=True, timeout=60, check=True)
    return [line.split(" ", 1)[0][:16] for line in r.stdout.splitlines() if line]


def read_with_libical(path: Path, start: str, end: str) -> tuple[int, list[str]]:
    python = "/usr/bin/python3"
    probe = subprocess.run([python, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
                           capture_output=True, timeout=60) if Path(python).exists() else None
    _need("libical for Python (python3-gi, gir1.2-ical-3.0)",
          probe is not None and probe.returncode == 0)
    r = subprocess.run([python, str(TOOLS / "libical_read.py"), str(path), start, end],
                       capture_output=True, text=True, timeout=60, check=True)
    lines = r.stdout.splitlines()
    errors = int(lines[0].split()[1])
    instants = [f"{s[0:4]}-{s[4:6]}-{s[6:8]}T{s[9:11]}:{s[11:13]}" for s in
                (line.split(" ", 1)[0] for line in lines[1:] if line)]
    return errors, instants


def expected(zone: str, days: list[date], times: tuple[str, ...]) -> list[str]:
    out = []
    for day in days:
        for t in times:
            h, m = map(int, t.split(":"))
            local = datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(zone))
            out.append(local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))
    return sorted(out)


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/Paris", date(2027, 3, 28)),  # spring forward, northern hemisphere
        ("Europe/Paris", date(2027, 10, 31)),
        ("Australia/Sydney", date(2027, 4, 4)),  # fall back, southern hemisphere
        ("Australia/Sydney", date(2027, 10, 3)),
        ("America/New_York", date(2027, 3, 14)),
        ("Asia/Jerusalem", date(2027, 3, 26)),  # a Friday: "M3.4.4/26"
        ("Australia/Lord_Howe", date(2027, 4, 4)),  # a half-hour change
        ("Asia/Tokyo", date(2027, 3, 28)),  # no DST at all
    ],
)
def test_independent_readers_put_every_dose_at_its_local_time(tracker, clock, tmp_path, zone,
                                                              change):
    clock.set("2026-11-24T08:00:00+00:00")
    tracker.ok(*MIA[:-4], "--timezone", zone, "--since", "2026-11-24")
    target = tmp_path / "doses.ics"
    tracker.ok("export", "--format", "ics", "-o", str(target))
    start, end = str(change - timedelta(days=2)), str(change + timedelta(days=3))
    days = [change + timedelta(days=d) for d in range(-4, 6)]
    want = [w for w in expected(zone, days, ("07:30", "19:30")) if start <= w < end]
    assert read_with_icaljs(target, start, end) == want
    errors, got = read_with_libical(target, start, end)
    assert got == want
    assert errors == 0  # libical finds nothing out of place (no COMMENT in the VTIMEZONE)


def test_a_zone_no_yearly_rule_can_say_still_reads_right(tracker, clock, tmp_path):
    """Morocco changes its clocks around Ramadan: explicit dates over the period instead."""
    clock.set("2026-11-24T08:00:00+00:00")
    tracker.ok(*MIA[:-4], "--timezone", "Africa/Casablanca", "--since", "2026-11-24")
    target = tmp_path / "doses.ics"
    tracker.ok("export", "--format", "ics", "-o", str(target))
    start, end = "2027-01-20", "2027-03-20"  # Ramadan 2027 starts about 8 February
    days = [date(2027, 1, 15) + timedelta(days=d) for d in range(70)]
    want = [w for w in expected("Africa/Casablanca", days, ("07:30", "19:30"))
            if start <= w < end]
    assert read_with_icaljs(target, start, end) == want
    _, got = read_with_libical(target, start, end)
    assert got == want
