"""The label, third read (issue 30, items 6-8): the first week of treatment before the
first increase, amounts shown as a person rounds them, a syringe that is too small, the
report's site counts, and the drug information's statements.

Each checked as a parent reads it.
"""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import HALF, MIA, NOW
from test_exports import week
from test_report import flat, poppler  # noqa: F401 (a fixture)

from tracker.domain import dosing, safety, typed


def _started(tracker, since: str) -> None:
    args = list(MIA)
    args[args.index("2026-11-20")] = since
    tracker.ok(*args)


class TestTheFirstIncreaseWaitsAWeekFromTheStart:
    def test_a_first_increase_three_days_after_the_start_is_warned(self, tracker, clock):
        clock.set("2026-11-24T10:00:00+01:00")
        _started(tracker, "2026-11-21")  # 3 days and 10 hours before
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.08")
        assert ("Call the child's doctor the same day, as soon as you can: the treatment "
                "started 3 d 10 h ago: the label raises the dose only after a first week of "
                "treatment that was well tolerated") in r.text
        (flags,) = tracker.rows("SELECT flags FROM prescription ORDER BY id DESC LIMIT 1")[0]
        assert "the treatment started 3 d 10 h ago" in flags

    def test_a_first_increase_eight_days_after_the_start_is_not(self, tracker, clock):
        clock.set("2026-11-24T10:00:00+01:00")
        _started(tracker, "2026-11-16")  # 8 days and 10 hours before
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.08")
        assert "same day" not in r.text

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


def _child(tracker, weight: str, per_kg: str, since: str = "2026-11-01", *more: str) -> None:
    args = list(MIA)
    args[args.index("20")] = weight
    args[args.index("0.04")] = per_kg
    args[args.index("2026-11-20")] = since
    tracker.ok(*args, *more)


class TestAmountsAreRoundedHalfUp:
    """0.075 mg/kg x 29 kg = 2.175 mg: shown as a person rounds it, 2.18 mg, everywhere
    (Python's 2-decimal format of the binary float says 2.17)."""

    def test_the_formatters(self):
        assert dosing.format_mg(2.175) == "2.18"
        assert dosing.format_mg(29 * 0.075) == "2.18"
        assert dosing.format_mg(0.0725 * 30) == "2.18"  # 2.1749999999999998 in binary
        assert dosing.format_mg(2.165) == "2.17"
        assert dosing.format_ml(0.2175) == "0.218"
        assert dosing.format_ml(0.085) == "0.085" and dosing.format_ml(1.2) == "1.2"
        assert dosing.format_units(8.5) == "8.5" and dosing.format_units(16.0) == "16"
        assert dosing.format_units(0.125) == "0.13"
        assert dosing.format_per_kg(0.2415) == "0.242"
        assert dosing.describe_amount(2.175) == "2.18 mg = 0.218 mL = 21.75 units"
        assert typed.dose("2.175 mg").shown_in_mg(10, 20) == "2.175 mg is 2.18 mg, 0.109 mg/kg " \
            "at 20 kg"

    def test_status_the_dose_description_and_history(self, tracker, clock):
        _child(tracker, "29", "0.075")
        shown = "prescribed 2.18 mg: draw 22 units = 0.22 mL = 2.20 mg"
        assert shown in tracker.ok("status").text
        assert json.loads(tracker.ok("status", "--json").out)["dose"]["prescribed_mg"] == 2.175
        assert shown in tracker.ok("info", "dosing").text
        assert f"now: {shown}" in tracker.ok("prescribe").text
        assert "2.17" not in tracker.ok("status").text + tracker.ok("info", "dosing").text

    def test_the_report(self, poppler, tracker, clock, tmp_path):  # noqa: F811
        _child(tracker, "29", "0.075")
        target = tmp_path / "r.pdf"
        tracker.ok("report", "--from", "2026-11-01", "-o", str(target))
        page1 = flat(target, "-f", "1", "-l", "1")
        assert "prescribed 2.18 mg: draw 22 units = 0.22 mL = 2.20 mg per injection" in page1
        assert "2.17" not in page1


class TestAVialWarningSaysTheVolumeDrawn:
    def test_the_open_vial_against_the_dose_drawn(self, tracker, clock):
        """2.175 mg is drawn as 22 units = 0.22 mL: the vial's figures and warnings say
        the 0.22 mL the syringe shows, not the 0.2175 mL prescribed."""
        _child(tracker, "29", "0.075")
        tracker.ok("vial", "open")
        status = tracker.ok("vial", "status").text
        assert "about 4 mL left = 18 doses of 0.22 mL" in status
        assert json.loads(tracker.ok("vial", "status", "--json").out)["dose_ml"] == 0.22

    def test_the_warnings_say_the_volume_drawn(self):
        from tracker.domain import vials

        assert vials.shortfall(0.2, 0.215) == (
            "drawn 0.215 mL from a vial that held about 0.2 mL: the dose may have been short")


class TestASyringeTooSmallIsAboutTheSyringe:
    def test_the_dose_shown_says_to_change_the_syringe_not_to_call_the_doctor(self, tracker,
                                                                              clock):
        _child(tracker, "30", "0.08")  # 2.4 mg = 24 units: the 0.3 mL syringe is assumed
        assert tracker.rows("SELECT syringe FROM child") == [("0.3ml-half",)]
        r = tracker.ok("prescribe", "--dose-mg-per-kg", "0.12")  # 3.6 mg = 36 units
        said = ("36 units do not fit in a 0.3 mL syringe with half-unit marks (it holds 30): "
                "change the syringe to a 0.5 mL syringe with 1-unit marks (tracker child Mia "
                "--syringe 0.5ml)")
        assert said in r.text
        status = tracker.ok("status").text
        assert said in status
        for words in (r.text, status):
            assert "Do not give this dose" not in words
            assert "Call the child's doctor" not in words
        tracker.ok("child", "Mia", "--syringe", "0.5ml")
        assert "do not fit" not in tracker.ok("status").text

    def test_every_syringe_suggested_draws_the_dose(self):
        # 32 units on the half-unit syringe: the smallest that holds them
        note = safety.precision_note(dosing.draw(3.2, syringe=HALF), "Mia")
        assert note == ("32 units do not fit in a 0.3 mL syringe with half-unit marks (it "
                        "holds 30): change the syringe to a 0.5 mL syringe with 1-unit marks "
                        "(set it as Mia's syringe)")
        # 120 units: no syringe holds them; the pharmacist or clinic, not the doctor
        none = safety.precision_note(dosing.draw(12.0, syringe=dosing.SYRINGES["1ml"]), "Mia")
        assert none == ("120 units do not fit in a 1 mL syringe with 1-unit marks (it holds "
                        "100): ask the pharmacist or clinic which syringe to draw it with")
        # a finer syringe is named only if it holds the dose drawn on its own marks
        for mg in (0.12, 0.5, 1.3, 2.9, 3.1, 4.7, 5.1, 9.1):
            for syringe in dosing.SYRINGES.values():
                d = dosing.draw(mg, syringe=syringe)
                note = safety.precision_note(d, "M")
                if note is None or "set it as" not in note:
                    continue
                key = note.parts[-2].args["key"]
                on_it = dosing.draw(mg, syringe=dosing.SYRINGES[key])
                assert on_it.fits and on_it.measurable, (mg, syringe.key, key)

    def test_choosing_a_syringe_too_small_names_the_one_that_fits(self, tracker):
        _child(tracker, "40", "0.08")  # 3.2 mg = 32 units
        r = tracker.fails("child", "Mia", "--syringe", "0.3ml-half", code=4)
        assert "32 units do not fit in a 0.3 mL syringe" in r.err
        assert "--syringe 0.5ml" in r.err and "doctor" not in r.err

    def test_the_example_of_another_syringe_holds_the_dose(self, tracker):
        r = tracker.ok("init", "--child", "Leo", "--birth-date", "2012-01-01", "--weight",
                       "70", "--dose-mg-per-kg", "0.08", "--timezone", "Europe/Paris")
        # 5.6 mg = 56 units: the 1 mL syringe, and never the 0.5 mL one as the example
        assert ("syringe: 1 mL syringe with 1-unit marks (another one: tracker child Leo "
                "--syringe 1ml-2)") in r.text


class TestTheReportCountsEverySite:
    def test_an_extra_injection_counts_its_site(self, poppler, tracker, clock,  # noqa: F811
                                                tmp_path):
        week(tracker, clock)  # its 22nd has a forced extra dose in the right abdomen
        target = tmp_path / "r.pdf"
        tracker.ok("report", "--from", "2026-11-20", "-o", str(target))
        page1 = flat(target, "-f", "1", "-l", "1")
        assert ("Injection sites left-thigh 1, right-thigh 1, left-abdomen 1, "
                "right-abdomen 1") in page1
        assert "3 of 5 doses given" in page1  # the extra is no slot: not in adherence


def _pages() -> dict[str, str]:
    """Every topic of `tracker info`, as one text each (the line wrapping undone)."""
    from tracker import druginfo

    content = druginfo.load()
    return {name: " ".join(" ".join(t.paragraphs).split())
            for name, t in content.topics.items()}


def _sentences(text: str) -> list[str]:
    return [s for s in text.replace("\n", " ").split(". ") if s]


def _bullet(page: str, kind: str) -> str:
    """The list item of a symptom kind ("- nausea: ..."), up to the next item."""
    return page.split(f"- {kind}: ", 1)[1].split(" - ", 1)[0]


class TestTheDrugInformationSaysWhatTheLabelSays:
    def test_two_to_three_hours_is_about_high_risk_activities_only(self):
        from tracker.domain import urgency

        texts = [*_pages().values(),
                 *(f"{row.why}. {' '.join(row.steps)}" for row in urgency.SIGNS)]
        found = [s for t in texts for s in _sentences(t) if "2 to 3 hours" in s]
        assert len(found) >= 4  # the drug information, its sources, and the judgement's steps
        for sentence in found:
            assert "high-risk activit" in sentence, sentence
        everything = " ".join(texts)
        assert "for the next 2 to 3 hours" not in everything
        assert "usual 2 to 3 hours" not in everything
        assert "for 2 to 3 hours (label 5.1)" not in everything

    def test_a_low_despite_food_means_the_dose_should_be_reduced(self):
        dosing_page = _pages()["dosing"]
        (said,) = [s for s in _sentences(dosing_page) if "should then be reduced" in s]
        assert "although the child ate enough" in said and "(2.1)" in said
        assert "Tell the doctor: the doctor decides the new dose" in dosing_page
        assert "may lower the dose" not in dosing_page

    def test_the_ceiling_has_both_its_reasons(self):
        dosing_page = _pages()["dosing"]
        ceiling = dosing_page.split("- Ceiling:", 1)[1].split(" - ", 1)[0]
        assert "have not been evaluated" in ceiling and "(label 2.1)" in ceiling
        assert "low blood sugar (5.1)" in ceiling
        assert "mitogenic" in ceiling and "5.7)" in ceiling

    def test_benzyl_alcohol_and_the_appearance_cite_the_current_label(self):
        pages = _pages()
        giving = pages["giving"]
        assert "benzyl alcohol as a preservative, 9 mg in each mL (US label 11)" in giving
        assert "(US label 5.8, its warning on benzyl alcohol)" in giving
        assert '"clear and colourless" in the US label (3)' in giving
        assert "EU summary of product characteristics (SmPC, 3)" in giving
        assert "5.8 Benzyl alcohol" in pages["sources"] and "11 Description" in pages["sources"]

    def test_nausea_with_a_headache_has_the_urgency_of_raised_pressure_everywhere(self):
        from tracker.domain import judgement, urgency

        sign = urgency.BY_KEY["raised-pressure"]
        assert "nausea" in sign.sign
        say = urgency.SAY[sign.urgency]
        page = _pages()["side-effects"]
        nausea = _bullet(page, "nausea")
        assert "Nausea with a headache" in nausea and say in nausea
        assert "label 5.3" in nausea
        headache = _bullet(page, "headache")
        assert "nausea, vomiting or a change in vision" in headache and say in headache
        found = judgement.symptom(judgement.SymptomFacts(
            "S2", "nausea", None, NOW, (judgement.Recent("headache", NOW, None),)))
        assert found.keys == ("raised-pressure",) and found.level == sign.urgency
        assert "a headache together with nausea" in " ".join(urgency.when_to_call())

    def test_it_never_claims_to_be_medical_advice(self):
        from tracker import druginfo

        content = druginfo.load()
        assert "not medical advice" in content.disclaimer
        assert "The child's doctor decides" in content.disclaimer
