"""The clinic report PDF, read back with poppler's pdftotext and rendered with pdftoppm."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest
from test_exports import week


@pytest.fixture
def poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils is missing (apt-get install poppler-utils)")
        pytest.skip("no poppler-utils here (not under CI, which installs it)")


def text_of(path, *pages: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_page_one_answers_the_visit_questions(poppler, tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("glucose", "62", "--before-meal")
    clock.set("2026-11-22T10:00:00+01:00")
    target = tmp_path / "report.pdf"
    r = tracker.ok("report", "--from", "2026-11-20", "-o", str(target))
    assert "2026-11-20 to 2026-11-22" in r.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    page1 = " ".join(text_of(target, "-f", "1", "-l", "1").split())
    assert "Increlex (mecasermin) report: Mia" in page1
    assert "0.80 mg = 0.08 mL = 8 units, 0.040 mg/kg" in page1
    assert "Adherence 60% (3 of 5 doses given)" in page1  # 4 days, 07:30 on the 22nd given
    assert "Withheld 1: -not eating (1)" in page1
    assert "Missed 1" in page1
    assert "low: 1" in page1 and "62 mg/dL" in page1
    assert "left-thigh 1" in page1 and "headache" in page1 and "min after a dose" in page1
    assert "not medical advice" in page1 and "tracker 0.1.0" in page1
    full = text_of(target)
    assert "Full log" in full and "D2" in full and "withheld 19:30 slot" in full
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(target),
                    str(png)], check=True, timeout=60)
    image = next(tmp_path.glob("page*.png")).read_bytes()
    assert len(image) > 5000  # drawn content, not an empty page


def test_default_period_starts_after_the_last_report(poppler, tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("report", "-o", str(tmp_path / "a.pdf"))
    clock.set("2026-11-29T10:00:00+01:00")
    r = tracker.ok("report", "-o", str(tmp_path / "b.pdf"))
    assert "(2026-11-23 to 2026-11-29)" in r.out
    tracker.fails("report", "-o", str(tmp_path / "b.pdf"), code=2)  # exists: no overwrite


def test_growth_velocity_and_chart_once_heights_span_months(poppler, tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("measure", "--height", "110", "--on", "2026-05-01", "--weight", "20")
    tracker.ok("measure", "--height", "114", "--on", "2026-11-01")
    target = tmp_path / "r.pdf"
    tracker.ok("report", "--from", "2026-11-20", "-o", str(target))
    page1 = " ".join(text_of(target, "-f", "1", "-l", "1").split())
    assert "Growth velocity 7.9 cm/year" in page1
    assert "Height (cm)" in page1


def test_page_one_shows_overrides_and_titration_warnings(poppler, mia, clock, tmp_path):
    mia.ok("give", "--dose-mg", "1.2", "--site", "left-thigh", "--at", "07:35")
    clock.advance(hours=11)
    mia.ok("give", "--site", "right-thigh", "--no-meal")
    mia.ok("prescribe", "--dose-mg-per-kg", "0.1")  # a step of 0.06 mg/kg
    target = tmp_path / "r.pdf"
    mia.ok("report", "--from", "2026-11-20", "-o", str(target))
    page1 = " ".join(text_of(target, "-f", "1", "-l", "1").split())
    assert "Flagged doses 2: a label rule broken or overridden" in page1
    assert "1.20 mg is more than the prescribed 0.80 mg" in page1
    assert "given without a meal or snack within 20 minutes" in page1
    assert "warned a step of 0.06 mg/kg (from 0.04 to 0.1) is more than the label's" in page1
    full = " ".join(text_of(target).split())
    assert "FLAGGED: given without a meal" in full
