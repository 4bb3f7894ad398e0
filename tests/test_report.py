"""The clinic report PDF, read back with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm).

What an endocrinologist checks: growth on the child's reference (figures compared with
rcpchgrowth itself), each prescription as it was, every slot accounted for, and names
and notes in any script printed (embedded fonts, right to left where they should be).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from conftest import MIA
from test_exports import week

from tracker.exports import fonts
from tracker.exports.pdf_text import first_direction, islands


@pytest.fixture
def poppler():
    tools = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")
    if not all(shutil.which(t) for t in tools):
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils is missing (apt-get install poppler-utils)")
        pytest.skip("no poppler-utils here (not under CI, which installs it)")


@pytest.fixture
def noto():
    """The fonts the any-script tests need: CI installs them (fonts-noto-*)."""
    plan = fonts.choose(["נועה", "ليلى", "王小明", "😀"])
    if plan.missing or len(plan.fallbacks) < 4:
        if os.environ.get("CI") == "true":
            pytest.fail(f"fonts missing for {plan.missing}: {fonts.install_hint()}")
        pytest.skip("the Noto fonts are not installed here (not under CI, which installs them)")


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True,
                          timeout=60).stdout


def text_of(path, *pages: str) -> str:
    return run("pdftotext", "-layout", *pages, str(path), "-")


def flat(path, *pages: str) -> str:
    return " ".join(text_of(path, *pages).split())


def test_page_one_answers_the_visit_questions(poppler, tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("glucose", "62", "--before-meal")
    clock.set("2026-11-22T10:00:00+01:00")
    target = tmp_path / "report.pdf"
    r = tracker.ok("report", "--from", "2026-11-20", "-o", str(target))
    assert "2026-11-20 to 2026-11-22" in r.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    page1 = flat(target, "-f", "1", "-l", "1")
    assert "Increlex (mecasermin): Mia" in page1
    assert ("Since 20 Nov 2026 0.80 mg = 0.08 mL = 8 units per injection "
            "(0.04 mg/kg x 20 kg), at 07:30,19:30") in page1
    assert "Adherence 60%: 3 of 5 doses given" in page1  # the 22nd's 07:30 given, 19:30 ahead
    assert "Withheld 1: -not eating (1)" in page1
    assert "Missed 1 slot with nothing logged" in page1
    assert "low: 1" in page1 and "62 mg/dL" in page1
    assert "left-thigh 1" in page1 and "headache (1)" in page1
    assert "not medical advice" in page1 and "tracker 0.1.0" in page1
    full = flat(target)
    assert "Full log, newest first" in full and "D2" in full
    assert "withheld 19:30 slot: -not eating" in full
    assert "2026-11-21 19:30 - missed 19:30 slot, nothing logged" in full
    assert "November 2026" in full and "given late" in full  # the calendar and its legend


def test_each_prescription_as_it_was_and_the_first_is_no_change(poppler, tracker, clock,
                                                                 tmp_path):
    """0.86 mg was prescribed and given at 21.5 kg; a later weight must not turn it into
    0.90 mg on the report. A change is dated; the doctor's note keeps its line breaks."""
    clock.set("2026-09-01T08:00:00+02:00")
    tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "21.5",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris",
               "--syringe", "0.3ml-half")
    clock.set("2026-10-01T08:00:00+02:00")
    tracker.ok("measure", "--weight", "22.5")
    clock.set("2026-10-15T09:00:00+02:00")
    tracker.ok("prescribe", "--dose-mg-per-kg", "0.06",
               "--note", "Dr Lévy: IGF-1 low, step up\nreview in 3 months")
    clock.set("2026-11-20T09:00:00+01:00")
    target = tmp_path / "r.pdf"
    tracker.ok("report", "--from", "2026-09-01", "-o", str(target))
    page1 = flat(target, "-f", "1", "-l", "1")
    assert "Since 1 Sep 2026 prescribed 0.86 mg: draw 8.5 units = 0.085 mL" in page1
    assert "(0.04 mg/kg x 21.5 kg)" in page1
    assert "0.90 mg" not in page1
    assert "Changed 15 Oct 2026 1.35 mg = 0.135 mL = 13.5 units" in page1
    assert "(0.06 mg/kg x 22.5 kg)" in page1
    assert page1.count("Changed") == 1
    lines = text_of(target, "-f", "1", "-l", "1").splitlines()
    note = next(i for i, line in enumerate(lines) if "Doctor's note: Dr Lévy" in line)
    assert "review in 3 months" in lines[note + 1]  # the note's second line, kept


def test_growth_figures_agree_with_rcpchgrowth(poppler, tracker, clock, tmp_path):
    """UK-WHO chosen in Paris (where the default is the WHO's): the choice is kept."""
    from rcpchgrowth import Measurement

    clock.set("2026-01-05T08:00:00+01:00")
    tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris", "--sex", "female",
               "--growth-reference", "uk-who")
    heights = [("2026-01-03", 112.0), ("2026-04-02", 113.9), ("2026-07-01", 115.9),
               ("2026-11-02", 118.4)]
    for on, cm in heights:
        clock.set(f"{on}T18:00:00+01:00")
        tracker.ok("measure", "--height", str(cm), "--on", on)
    clock.set("2026-11-20T09:00:00+01:00")
    target = tmp_path / "r.pdf"
    tracker.ok("report", "--from", "2026-08-01", "-o", str(target))
    page1 = flat(target, "-f", "1", "-l", "1")

    def expected(on: str, cm: float) -> tuple[float, float]:
        m = Measurement(sex="female", birth_date=date(2018, 5, 1),
                        observation_date=date.fromisoformat(on), measurement_method="height",
                        observation_value=cm, reference="uk-who")
        calc = m.measurement["measurement_calculated_values"]
        return calc["corrected_sds"], calc["corrected_centile"]

    sds, centile = expected(*heights[-1])
    assert "growth reference UK-WHO, as chosen" in page1
    assert f"118.4 cm on 2 Nov 2026: SDS {sds:+.2f}, centile {centile:.1f} (UK-WHO)" in page1
    start_sds, _ = expected(*heights[0])
    assert f"112 cm on 3 Jan 2026: SDS {start_sds:+.2f}" in page1  # the height at the start
    assert f"change since: {sds - start_sds:+.2f} SDS" in page1
    # the velocity: over the span nearest a year (3 Jan to 2 Nov), at least six months
    days = (date(2026, 11, 2) - date(2026, 1, 3)).days
    velocity = (118.4 - 112.0) / (days / 365.25)
    assert (f"Height velocity {velocity:.1f} cm/year from 3 Jan 2026 to 2 Nov 2026 "
            "(10 months), from home measurements") in page1
    assert "Height on the UK-WHO chart" in page1
    assert "50th" in page1 and "2nd" in page1 and "91st" in page1 and "0.4th" in page1


def test_velocity_needs_six_months_and_us_children_get_cdc(poppler, tracker, clock, tmp_path):
    clock.set("2026-06-05T08:00:00-04:00")
    tracker.ok("init", "--child", "Sam", "--birth-date", "2017-02-01", "--weight", "22",
               "--dose-mg-per-kg", "0.04", "--timezone", "America/New_York", "--sex", "m")
    clock.set("2026-11-20T09:00:00-05:00")
    for on, cm in (("2026-06-01", 118.0), ("2026-10-01", 120.5)):
        tracker.ok("measure", "--height", str(cm), "--on", on)
    target = tmp_path / "r.pdf"
    tracker.ok("report", "-o", str(target))
    page1 = flat(target, "-f", "1", "-l", "1")
    assert "male · growth reference CDC, from the time zone: United States" in page1
    assert "Height velocity needs two heights at least 6 months apart" in page1  # 4 months
    assert "(CDC)" in page1 and "Height on the CDC chart" in page1


def test_sex_and_reference_are_recorded_and_checked(tracker, mia):
    assert ("sex not recorded, growth reference WHO (2006 under 5, 2007 from 5), from the "
            "time zone: France") in mia.ok("child").out
    r = mia.ok("child", "Mia", "--sex", "female", "--growth-reference", "cdc")
    assert "female, growth reference CDC, as chosen" in r.out
    mia.fails("child", "Mia", "--sex", "x", code=2)
    mia.fails("child", "Mia", "--growth-reference", "who-2006", code=2)
    assert "female, growth reference CDC, as chosen" in mia.ok("child").out


def test_the_period_starts_with_the_log_and_reasons_are_kept_as_typed(poppler, tracker,
                                                                      clock, tmp_path):
    clock.set("2026-11-20T06:00:00+01:00")
    tracker.ok(*MIA[:-2], "--since", "2026-11-20")
    clock.set("2026-11-20T19:40:00+01:00")
    tracker.ok("skip", "--reason", "Fever 38.5°C")
    clock.set("2026-11-22T10:00:00+01:00")
    target = tmp_path / "r.pdf"
    r = tracker.ok("report", "--from", "2026-08-01", "-o", str(target))
    assert "(2026-11-20 to 2026-11-22)" in r.out
    assert "first day of the treatment log" in r.out
    page1 = flat(target, "-f", "1", "-l", "1")
    assert "20 Nov 2026 to 22 Nov 2026" in page1
    assert "Withheld 1: Fever 38.5°C (1)" in page1
    assert "August" not in flat(target)  # no empty months before the log


def test_flagged_doses_and_vials_with_lots(poppler, mia, clock, tmp_path):
    mia.ok("vial", "open", "--lot", "A1234B", "--expires", "2027-06-30")
    mia.ok("give", "--dose-mg", "1.2", "--site", "left-thigh", "--at", "07:35")
    clock.advance(hours=11)
    mia.ok("give", "--site", "right-thigh", "--no-meal")
    mia.ok("prescribe", "--dose-mg-per-kg", "0.1")  # a step of 0.06 mg/kg
    target = tmp_path / "r.pdf"
    mia.ok("report", "--from", "2026-11-20", "-o", str(target))
    page1 = flat(target, "-f", "1", "-l", "1")
    assert "Flagged doses 2: a label rule broken or overridden" in page1
    assert "1.20 mg is more than the prescribed 0.80 mg" in page1
    assert "given without a meal or snack within 20 minutes" in page1
    assert "Warned: a step of 0.06 mg/kg (from 0.04 to 0.1) is more than the label's" in page1
    assert "Vials in use 1 (lots A1234B)" in page1
    full = flat(target)
    assert "Flagged doses (2)" in full
    # the 07:35 dose was logged before the vial was opened; the 19:30 one came from it
    assert ("V1 opened 2026-11-24 09:00, lot A1234B, expires 2027-06-30; "
            "1 dose drawn from it in this period") in full
    assert "FLAGGED: given without a meal" in full


def test_any_script_prints_embedded_and_right_to_left(poppler, noto, tracker, clock,
                                                      tmp_path, monkeypatch):
    """Hebrew, Arabic, Chinese and an emoji: fonts embedded, text extracted as typed, and
    Hebrew laid out right to left (its first word at the right)."""
    out = {}
    for key, name, note in (("he", "נועה כהן", "חום 38.5 בבוקר"),
                            ("ar", "ليلى أحمد", "حمى في الصباح"),
                            ("zh", "王小明", "早上发烧，没有吃饭"),
                            ("latin", "Zoë Ørsted 😀", "fièvre")):
        folder = tmp_path / key
        folder.mkdir()
        monkeypatch.setenv("TRACKER_DB", str(folder / "t.db"))
        clock.set("2026-11-24T06:00:00+01:00")
        tracker.ok("init", "--child", name, "--birth-date", "2018-05-01", "--weight", "20",
                   "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris")
        clock.set("2026-11-24T07:40:00+01:00")
        tracker.ok("skip", "--reason", note)
        clock.set("2026-11-24T12:00:00+01:00")
        target = folder / "r.pdf"
        r = tracker.ok("report", "-o", str(target))
        assert "could not be printed" not in r.err
        out[key] = target
        listing = run("pdffonts", str(target)).splitlines()[2:]
        assert listing and all(" yes " in line.split("Identity-H")[-1] or "Type 3" in line
                               for line in listing), listing  # every font embedded
        page1 = flat(target, "-f", "1", "-l", "1")
        if key in ("he", "zh", "latin"):
            assert name.split()[0] in page1 and note.split()[0] in page1
        info = run("pdfinfo", str(target))
        assert f"Title: Increlex (mecasermin) report: {name}" in " ".join(info.split())
        assert "CreationDate: Tue Nov 24 11:00:00 2026 UTC" in " ".join(info.split())
    fonts_of = {k: run("pdffonts", str(p)) for k, p in out.items()}
    assert "NotoSansHebrew" in fonts_of["he"]
    assert "NotoSansArabic" in fonts_of["ar"]
    assert "NotoSansCJK" in fonts_of["zh"]
    assert "Type 3" in fonts_of["latin"]  # the colour emoji
    # right to left: in the title line, the Hebrew name's second word lies left of its first
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<',
                       run("pdftotext", "-f", "1", "-l", "1", "-bbox", str(out["he"]), "-"))
    title_y = next(y for _, y, w in words if w == "Increlex")
    xs = {w[::-1] if w[::-1] in ("נועה", "כהן") else w: float(x)
          for x, y, w in words if abs(float(y) - float(title_y)) < 3}
    assert xs["כהן"] < xs["נועה"], xs
    # Arabic: shaped (joined forms), so extraction gives the letters, not boxes
    arabic = flat(out["ar"], "-f", "1", "-l", "1")
    assert "\ufffd" not in arabic and any("\u0600" <= ch <= "\u06ff" for ch in arabic)
    # what follows a right-to-left note is left to right again (a stamp not turned round)
    log = flat(out["ar"])
    assert "2026-11-24 00:00 P1" in log and not re.search(r"\d\d:\d\d \d{4}-\d\d-\d\d", log)


def test_long_notes_are_wrapped_whole_in_the_full_log(poppler, mia, clock, tmp_path):
    words = [f"word{i}" for i in range(120)]
    mia.ok("give", "--site", "left-thigh", "--note", "first line\n" + " ".join(words))
    target = tmp_path / "r.pdf"
    mia.ok("report", "-o", str(target))
    full = flat(target)
    assert all(w in full for w in words)  # nothing cut
    lines = text_of(target).splitlines()
    first = next(i for i, line in enumerate(lines) if "note: first line" in line)
    assert lines[first + 1].strip().startswith("word0")  # the newline kept


def test_default_period_starts_after_the_last_report(poppler, tracker, clock, tmp_path):
    week(tracker, clock)
    tracker.ok("report", "-o", str(tmp_path / "a.pdf"))
    clock.set("2026-11-29T10:00:00+01:00")
    r = tracker.ok("report", "-o", str(tmp_path / "b.pdf"))
    assert "(2026-11-23 to 2026-11-29)" in r.out
    tracker.fails("report", "-o", str(tmp_path / "b.pdf"), code=2)  # exists: no overwrite


def test_a_second_report_the_same_day_gets_its_own_file(tracker, clock, tmp_path,
                                                        monkeypatch):
    week(tracker, clock)
    monkeypatch.chdir(tmp_path)
    day = clock.now().astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
    first = tracker.ok("report", "--from", "2026-11-20")
    assert f"Wrote Mia-report-{day}.pdf" in first.out
    again = tracker.ok("report", "--from", "2026-11-20")
    assert f"Wrote Mia-report-{day}-2.pdf" in again.out
    assert f"Wrote Mia-report-{day}-3.pdf" in tracker.ok("report", "--from", "2026-11-20").out
    assert (tmp_path / f"Mia-report-{day}-2.pdf").read_bytes().startswith(b"%PDF")
    replaced = tracker.ok("report", "--from", "2026-11-20", "--force")
    assert f"Wrote Mia-report-{day}.pdf" in replaced.out


def test_missed_slots_are_lines_in_history(tracker, clock):
    week(tracker, clock)
    out = tracker.ok("history", "--from", "2026-11-20").out
    assert re.search(r"2026-11-21 19:30\s+-\s+missed 19:30 slot, nothing logged", out)
    assert "and 1 missed slot from" in out  # one slot, said as one
    import json
    entries = json.loads(tracker.ok("history", "--from", "2026-11-20", "--json").out)["entries"]
    missed = [e for e in entries if e["kind"] == "missed"]
    assert missed == [{"id": None, "kind": "missed", "at": "2026-11-21T19:30:00+01:00",
                       "summary": "missed 19:30 slot, nothing logged", "voided": False,
                       "edited": False, "slot": "2026-11-21T19:30:00+01:00", "note": None,
                       "created_by": None}]


# -- the rules of the layout ------------------------------------------------------------


def test_right_to_left_islands_keep_their_numbers():
    """As the Unicode bidirectional algorithm resolves them in a left-to-right line."""
    assert islands("withheld: חום 38.5 then") == [
        ("withheld: ", "ltr"), ("חום 38.5", "rtl"), (" then", "ltr")]
    assert islands("reason: حمى ٣٨٫٥, fine") == [
        ("reason: ", "ltr"), ("حمى ٣٨٫٥", "rtl"), (", fine", "ltr")]
    assert islands("all Latin 12") == [("all Latin 12", "ltr")]
    assert first_direction("  38.5 חום") == "rtl" and first_direction("12 ok") == "ltr"


def test_fonts_are_chosen_per_script_and_a_gap_is_named(noto):
    plan = fonts.choose(["Mia", "נועה", "王小明"])
    scripts = [script for script, _ in plan.fallbacks]
    assert scripts == ["Hebrew", "CJK"] and plan.missing == []
    assert fonts.choose(["Mia"]).fallbacks == []  # nothing loaded that is not needed
    assert fonts.choose(["\U000f0000"]).missing == ["other scripts"]  # private use: no font


def test_periods_at_the_ends_of_the_calendar_are_read_not_crashed(poppler, mia, tmp_path):
    """'--from 0001-01-01' and '--to 9999-12-31' mean from the beginning and to the end."""
    for args in (("history", "--from", "0001-01-01", "--to", "9999-12-31"),
                 ("history", "--from", "0001-01-01", "--to", "0001-01-02"),
                 ("export", "--from", "0001-01-01", "--to", "9999-12-31"),
                 ("export", "--format", "fhir", "--from", "0001-01-01"),
                 ("export", "--what", "glucose", "--to", "9999-12-31")):
        mia.ok(*args)
    r = mia.ok("report", "--from", "0001-01-01", "--to", "9999-12-31", "-o",
               str(tmp_path / "r.pdf"))
    assert "(2026-11-20 to 2026-11-24)" in r.out and "to 2026-11-24, today" in r.out
    mia.fails("report", "--from", "2027-01-01", "-o", str(tmp_path / "s.pdf"), code=2)


def test_page_one_says_how_many_flagged_doses_it_lists(poppler, mia, clock, tmp_path):
    """Five flagged doses: page one names three and says where the five are."""
    clock.set("2026-11-27T21:00:00+01:00")
    for day in range(24, 27):
        for hm in ("07:30", "19:30"):
            mia.ok("give", "--at", f"2026-11-{day} {hm}", "--site", "left-thigh",
                   "--no-meal", "--force", "--reason", "asleep, fed after")
    flagged = mia.rows("SELECT count(*) FROM dose WHERE flags IS NOT NULL")[0][0]
    assert flagged >= 5
    target = tmp_path / "r.pdf"
    mia.ok("report", "--from", "2026-11-24", "-o", str(target))
    page1 = flat(target, "-f", "1", "-l", "1")
    assert (f"Flagged doses {flagged}: a label rule broken or overridden; the first 3 here, "
            f"all {flagged} after the calendar") in page1
    assert len(re.findall(r"D\d+ 2026-11-2\d \d\d:\d\d:", page1)) == 3


def test_what_the_report_asks_for_is_said_in_words_a_clinician_can_read(poppler, mia, clock,
                                                                       tmp_path):
    """The report is read on paper, far from the computer: no command (issue 32)."""
    mia.ok("measure", "--height", "110")
    clock.set("2026-11-25T10:00:00+01:00")
    target = tmp_path / "report.pdf"
    mia.ok("report", "-o", str(target))
    full = flat(target)
    assert "record Mia's sex" in full
    assert "No vial recorded in this period (record the vial that was opened)." in full
    assert "tracker child" not in full and "tracker vial" not in full and "--" not in full
