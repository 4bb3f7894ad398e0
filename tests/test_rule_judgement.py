"""One judgement per event (issue 30): the level of the one urgency table and its steps,
the one to do now first, for each scenario a parent and a pharmacist met. Pure: no log,
no clock; tests/test_judgement_everywhere.py shows the same judgement on every front."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NOW

from tracker.domain import glucose, judgement, urgency
from tracker.domain.judgement import (
    DoseFacts,
    ReadingFacts,
    Recent,
    SymptomFacts,
    dose,
    reading,
    symptom,
)
from tracker.domain.urgency import DOCTOR_NOW, EMERGENCY, ROUTINE, SOON, TODAY, VISIT

MMOL = glucose.MGDL_PER_MMOL


def given(*rules: str, **kw: object) -> judgement.Judgement:
    facts = dict(ref="D1", label="07:30", given=True, at=NOW, rules=frozenset(rules))
    facts.update(kw)
    return dose(DoseFacts(**facts))  # type: ignore[arg-type]


def sym(kind: str, severity: str | None = None, recent: tuple[Recent, ...] = (),
        **kw: object) -> judgement.Judgement:
    return symptom(SymptomFacts("S1", kind, severity, NOW, recent, **kw))  # type: ignore[arg-type]


def read(mmol: float, **kw: object) -> judgement.Judgement:
    return reading(ReadingFacts("G1", mmol * MMOL, "mmol/L", NOW, **kw))  # type: ignore[arg-type]


class TestTheTable:
    def test_five_levels_most_urgent_first_each_with_its_heading(self):
        assert urgency.LEVELS == (EMERGENCY, DOCTOR_NOW, TODAY, SOON, VISIT)
        assert [urgency.rank(lv) for lv in urgency.LEVELS] == [0, 1, 2, 3, 4]
        assert urgency.rank(ROUTINE) == 5
        assert urgency.HEADINGS[DOCTOR_NOW] == "Call the child's doctor now"
        assert urgency.most_urgent([VISIT, TODAY, SOON]) == TODAY
        assert urgency.most_urgent([]) == ROUTINE

    def test_every_row_has_a_level_a_reason_and_a_first_step(self):
        for row in urgency.SIGNS:
            assert row.urgency in urgency.LEVELS, row.key
            assert row.why and row.steps, row.key
        assert len(urgency.BY_KEY) == len(urgency.SIGNS)

    def test_info_when_to_call_is_the_table_printed(self):
        page = urgency.when_to_call()
        assert page[0::2] == [f"{urgency.HEADINGS[lv]}:" for lv in urgency.LEVELS]
        for level, block in zip(urgency.LEVELS, page[1::2], strict=True):
            rows = [s for s in urgency.SIGNS if s.urgency == level]
            lines = block.split("\n")
            assert len(lines) == len(rows)
            for line, row in zip(lines, rows, strict=True):
                assert line.startswith(f"- {row.sign}: {row.why}. First: ")
                assert line.endswith(row.steps[0][1:])

    def test_a_double_dose_is_the_doctor_now_in_the_drug_information_too(self):
        page = urgency.when_to_call()
        block = page[page.index(f"{urgency.HEADINGS[DOCTOR_NOW]}:") + 1]
        assert "a second injection for one dose" in block
        assert "a second injection" not in page[page.index(f"{urgency.HEADINGS[TODAY]}:") + 1]

    def test_the_emergencies_in_one_phrase(self):
        assert urgency.emergencies() == (
            "a seizure, fainting, or a child who does not respond; trouble breathing, or "
            "swelling of the face, lips or tongue, or hives all over; or low blood sugar with "
            "a child who cannot swallow, or stays drowsy or confused after sugar")


class TestDoses:
    def test_on_time_with_food_is_routine(self):
        j = given()
        assert (j.level, j.steps, j.tag, j.flag()) == (ROUTINE, (), "", "")
        assert j.what == "the 07:30 dose given" and j.until() is None

    def test_a_withheld_dose_is_routine_and_not_made_up(self):
        j = dose(DoseFacts("D1", "07:30", False, NOW, frozenset(), reason="not eating"))
        assert j.level == ROUTINE and j.what == "the 07:30 dose withheld (not eating)"
        assert j.steps == ("A missed or withheld dose is not made up: give the normal dose at "
                           "the next time, never a double one.",)

    @pytest.mark.parametrize("rule,what", [
        ("extra", "a second injection for the 07:30 dose"),
        ("too-soon", "the 07:30 dose given close after the one before"),
        ("dose", "more than the dose at 07:30"),
    ])
    def test_too_much_medicine_is_the_doctor_now_food_first(self, rule, what):
        j = given(rule)
        assert j.level == DOCTOR_NOW and j.urgent and j.needs_doctor and not j.hold
        assert j.what == what and j.keys == ("too-much",)
        assert j.first == urgency.FOOD_NOW
        assert urgency.CHECK_OFTEN in j.steps and urgency.WATCH_LONGER in j.steps
        assert j.until() == NOW + timedelta(hours=12)  # status keeps it for the watch
        assert j.flag() == f"the doctor now: {what}"

    def test_a_second_injection_above_the_dose_is_said_once_with_both(self):
        j = given("extra", "dose")
        assert j.what == "a second injection for the 07:30 dose; more than the dose at 07:30"
        assert j.steps.count(urgency.FOOD_NOW) == 1

    def test_without_food_is_food_now_and_the_next_visit(self):
        j = given("no-meal")
        assert (j.level, j.first) == (VISIT, urgency.FOOD_NOW)
        assert j.until() == NOW + timedelta(hours=3)
        assert not j.urgent and not j.needs_doctor

    def test_the_two_to_three_hours_are_about_activities(self):
        steps = " ".join(given("no-meal").steps)
        assert "Avoid high-risk activities (cycling, swimming, climbing) for 2 to 3 hours" in steps

    def test_late_and_early_are_the_next_visit_only_when_nothing_else(self):
        assert given("late").keys == ("late",) and given("late").level == VISIT
        assert given("early").keys == ("early",)
        assert given("late", "no-meal").keys == ("no-meal",)
        assert given("early", "extra").keys == ("too-much",)

    @pytest.mark.parametrize("rules,discarded", [
        (("vial-past",), ""), (("vial-short",), ""), ((), "later discarded: frozen")])
    def test_a_dose_from_a_vial_that_should_not_have_been_used(self, rules, discarded):
        j = given(*rules, discarded=discarded, vial="V2 (lot AB1)",
                  why=("drawn from a vial past its discard day",))
        assert j.level == SOON and j.keys == ("vial",)
        assert j.first == "The dose counts as given: do not give it again."
        assert "V2 (lot AB1)" in j.what
        assert any("pharmacist" in s for s in j.steps)

    def test_the_most_urgent_row_leads_and_whom_to_call_is_said_once(self):
        j = given("extra", "no-meal", "vial-past")
        assert j.keys == ("too-much", "vial", "no-meal")
        calls = [s for s in j.steps if s.startswith(judgement.CALLS)]
        assert calls == ["Call the child's doctor now and say what was given, and when."]


class TestReadings:
    def test_in_range_is_routine_with_its_word(self):
        j = read(5.5)
        assert (j.level, j.what, j.steps) == (ROUTINE, "a blood sugar of 5.5 mmol/L (in range)", ())

    def test_a_low_is_treated_now_rechecked_and_the_doctor_told_today(self):
        j = read(3.1)
        assert (j.level, j.what) == (TODAY, "a low blood sugar (3.1 mmol/L)")
        assert j.first == urgency.FAST_SUGAR and urgency.RECHECK in j.steps
        assert j.steps[-1].startswith("Call the child's doctor today")
        assert j.until() == NOW + timedelta(days=1)

    def test_a_very_low_is_the_doctor_now(self):
        j = read(2.8)
        assert (j.level, j.keys) == (DOCTOR_NOW, ("very-low",)) and j.urgent
        assert j.first.startswith("If the child is awake and can swallow: give fast sugar")

    def test_a_low_while_vomiting_or_after_too_much_is_the_doctor_now(self):
        assert read(3.5, vomiting=True).keys == ("low-vomiting",)
        assert read(3.5, vomiting=True).level == DOCTOR_NOW
        j = read(3.5, too_much=True)
        assert (j.level, j.keys) == (DOCTOR_NOW, ("low-after-too-much",))
        assert [s for s in j.steps if s.startswith("Call")] == ["Call the child's doctor now."]

    def test_a_high_is_judged_on_its_own(self):
        assert (read(12).level, read(12).keys) == (SOON, ("high",))
        j = read(25)
        assert (j.level, j.keys, j.what) == (TODAY, ("very-high",),
                                             "a very high blood sugar (25.0 mmol/L)")
        assert j.first.startswith("Wash and dry the child's hands")

    def test_after_a_low_the_recheck_says_no_more_sugar_when_high(self):
        j = read(11, last_low=3.2 * MMOL)
        assert j.keys == ("high-after-low",) and j.first == "Give no more sugar."
        assert "Give fast sugar" not in " ".join(j.steps)
        back = read(3.9, last_low=3.2 * MMOL)
        assert back.keys == ("after-low",) and back.level == TODAY
        assert back.what == "3.9 mmol/L (in range), up from the low of 3.2 mmol/L"
        assert "above the low line" not in back.sentence()

    @pytest.mark.parametrize("mgdl,word", [(53.9, "very low"), (54, "low"), (69.9, "low"),
                                           (70, "in range"), (180, "in range"),
                                           (180.1, "high"), (249.9, "high"),
                                           (250, "very high")])
    def test_one_word_per_reading(self, mgdl, word):
        assert glucose.word(mgdl) == word


class TestSymptoms:
    def test_hives_with_swelling_logged_severe_is_an_emergency(self):
        j = sym("rash-or-swelling", "severe")
        assert (j.level, j.keys) == (EMERGENCY, ("anaphylaxis",)) and j.hold
        assert j.first == "Call emergency services now."
        assert "Otherwise" not in " ".join(j.steps)

    def test_a_rash_alone_is_the_doctor_today_with_the_emergency_signs(self):
        j = sym("rash-or-swelling")
        assert (j.level, j.keys) == (TODAY, ("allergy",)) and not j.hold
        assert j.first.startswith("If breathing is hard")

    @pytest.mark.parametrize("first,then", [("headache", "vomiting"), ("vomiting", "headache"),
                                            ("headache", "nausea"), ("nausea", "headache"),
                                            ("headache", "vision-change")])
    def test_headache_with_nausea_vomiting_or_vision_is_the_same_day_and_holds(self, first,
                                                                               then):
        j = sym(then, recent=(Recent(first, NOW - timedelta(days=1), None),))
        assert j.level == TODAY and j.keys[0] == "raised-pressure" and j.hold
        assert j.first.startswith("Call the child's doctor today")
        assert j.what.startswith("headache with") or j.what.startswith(then)
        assert j.until() == NOW + judgement.OPEN_WINDOW

    def test_a_pattern_needs_both_within_three_days_and_before_it(self):
        long_ago = (Recent("headache", NOW - timedelta(days=3, seconds=1), None),)
        assert sym("vomiting", recent=long_ago).keys == ("vomiting",)
        edge = (Recent("headache", NOW - timedelta(days=3), None),)
        assert sym("vomiting", recent=edge).keys == ("raised-pressure",)
        later = (Recent("headache", NOW + timedelta(minutes=1), None),)
        assert sym("vomiting", recent=later).keys == ("vomiting",)

    def test_a_headache_alone_is_watched(self):
        j = sym("headache")
        assert (j.level, j.keys, j.hold) == (VISIT, ("headache",), False)
        assert j.until() is None  # not kept beside the next dose

    def test_vomiting_after_a_dose_the_dose_counts(self):
        j = sym("vomiting", since_dose=timedelta(hours=2), dose_ref="D4")
        assert j.keys == ("vomiting-after-dose",)
        assert j.first == "The dose counts as given: do not give it again."
        assert j.what == "vomiting 2 h 00 min after a dose (D4)"
        assert sym("vomiting", since_dose=timedelta(hours=6, seconds=1)).keys == ("vomiting",)

    def test_signs_of_a_low_without_a_reading_check_or_treat(self):
        j = sym("dizziness")
        assert (j.level, j.keys) == (TODAY, ("low",))
        assert j.first == "Check blood sugar now; if you cannot, treat it as low."

    def test_a_severe_low_is_an_emergency_and_holds(self):
        j = sym("low-blood-sugar", "severe")
        assert (j.level, j.keys[0], j.first) == (EMERGENCY, "low-severe",
                                                 "Call emergency services now.")

    def test_a_low_while_vomiting_and_after_a_double_dose(self):
        vomit = (Recent("vomiting", NOW - timedelta(hours=1), None),)
        assert sym("low-blood-sugar", recent=vomit).keys == ("low-vomiting",)
        assert sym("low-blood-sugar", too_much=True).keys == ("low-after-too-much",)
        assert sym("low-blood-sugar", too_much=True).level == DOCTOR_NOW

    def test_a_reading_taken_with_it_joins_its_judgement(self):
        low = read(2.9)
        j = sym("dizziness", reading=low)
        assert (j.level, j.ref) == (DOCTOR_NOW, "S1") and "very-low" in j.keys
        fine = sym("dizziness", reading=read(6))
        assert fine.level == ROUTINE

    def test_severe_without_a_sign_of_its_own_is_the_doctor_now(self):
        j = sym("headache", "severe")
        assert j.keys == ("severe", "headache") and j.level == DOCTOR_NOW

    @pytest.mark.parametrize("kind,level", [("seizure-or-unresponsive", EMERGENCY),
                                            ("vision-change", TODAY),
                                            ("limp-or-joint-pain", TODAY), ("new-lump", SOON),
                                            ("snoring", SOON), ("ear-pain", SOON),
                                            ("back-curve", VISIT), ("injection-site", VISIT),
                                            ("other", VISIT)])
    def test_each_kind_has_its_level(self, kind, level):
        assert sym(kind).level == level


class TestVialsAndPrescriptions:
    def test_a_vial_thrown_out_says_the_doses_count(self):
        j = judgement.vial_discarded("V2 (lot AB1)", "frozen", "frozen", ("D3", "D4"), NOW)
        assert j.level == SOON
        assert j.first == ("The 2 doses already given from it (D3, D4) count as given: do "
                           "not give them again.")
        assert j.what == "V2 (lot AB1) discarded (frozen) after 2 doses were drawn from it"

    @pytest.mark.parametrize("key,doses", [("finished", ("D1",)), ("expired", ("D1",)),
                                           ("frozen", ())])
    def test_a_vial_that_ended_normally_or_was_never_used_is_routine(self, key, doses):
        assert judgement.vial_discarded("V2", key, key, doses, NOW).level == ROUTINE

    def test_a_prescription_past_the_label(self):
        assert judgement.prescription("P2", [], NOW).level == ROUTINE
        j = judgement.prescription("P2", ["the last increase was 3 d ago"], NOW)
        assert (j.level, j.what) == (TODAY, "the last increase was 3 d ago")


def test_most_urgent_first_then_newest():
    a = read(3.1)  # today
    b = given("extra")  # the doctor now
    c = judgement.Judgement(TODAY, "x", (), (), NOW + timedelta(hours=1), "G9")
    assert judgement.most_urgent_first([a, given(), b, c]) == [b, c, a]


def test_a_sentence_and_a_brief():
    j = given("extra")
    assert j.brief() == ("Call the child's doctor now: a second injection for the 07:30 "
                         "dose. First: give a meal or snack now; if the child cannot eat, "
                         "give fast sugar (juice, glucose tablets).")
    assert j.sentence().startswith("A second injection for the 07:30 dose: call the "
                                   "child's doctor now. Give a meal")
    assert given().sentence() == ""


class TestEachJudgementIsWholeAndItsOwn:
    """Every judgement names its entry and its moment (status keeps it by them, the
    report prints them) and says exactly what happened, whichever way it was reached."""

    def test_every_kind_carries_its_entry_and_its_moment(self):
        found = [given(), given("extra"),
                 dose(DoseFacts("D1", "07:30", False, NOW, frozenset(), reason="ill")),
                 read(5.5), read(3.1), sym("other"), sym("headache"),
                 sym("dizziness", reading=read(6)),
                 judgement.vial_discarded("D1", "finished", "finished", (), NOW),
                 judgement.vial_discarded("D1", "frozen", "frozen", ("D2",), NOW),
                 judgement.prescription("D1", [], NOW), judgement.prescription("D1", ["x"], NOW)]
        for j in found:
            assert (j.at, j.ref[:1]) == (NOW, "D" if j.ref.startswith("D") else j.ref[:1]), j
        assert {j.ref for j in found} <= {"D1", "G1", "S1"}
        assert [j.ref for j in found[3:8]] == ["G1", "G1", "S1", "S1", "S1"]

    def test_routine_ones_say_what_happened(self):
        assert sym("dizziness", reading=read(6)).what == "dizziness"
        assert judgement.vial_discarded("V2", "finished", "finished", ("D1",), NOW) == \
            judgement.Judgement(ROUTINE, "V2 discarded (finished)",
                                ("Use a new vial for the next dose.",), (), NOW, "V2")
        assert judgement.prescription("P2", [], NOW) == judgement.Judgement(
            ROUTINE, "a new prescription", (), (), NOW, "P2")
        withheld = dose(DoseFacts("D1", "07:30", False, NOW, frozenset(), reason="ill"))
        assert withheld.sentence() == ("The 07:30 dose withheld (ill). A missed or withheld "
                                       "dose is not made up: give the normal dose at the next "
                                       "time, never a double one.")
        assert read(5.5).sentence() == ""

    def test_a_prescription_joins_its_warnings(self):
        j = judgement.prescription("P2", ["a", "b"], NOW)
        assert (j.what, j.whats, j.ref, j.at) == ("a; b", ("a; b",), "P2", NOW)

    def test_a_sentence_joins_its_steps_with_spaces(self):
        j = read(25)
        assert j.sentence() == ("A very high blood sugar (25.0 mmol/L): call the child's "
                                "doctor the same day. " + " ".join(j.steps))

    def test_how_long_each_is_kept_beside_the_next_dose(self):
        assert read(12).until() == NOW + timedelta(days=3)  # a high: within days
        assert read(2.8).until() == NOW + timedelta(days=1)  # the doctor now
        assert sym("back-curve").until() is None  # the next visit: not beside the dose
        assert sym("seizure-or-unresponsive").until() == \
            NOW + timedelta(days=3)
        routine = judgement.Judgement(ROUTINE, "x", ("a",), (), NOW, "D1")
        assert routine.until() is None
        assert read(3.1, too_much=True).until() == NOW + timedelta(hours=12)

    def test_two_rows_of_one_judgement_join_their_words(self):
        j = given("extra", "vial-past", why=("drawn from a vial past its discard day",),
                  vial="V2")
        assert j.what == ("a second injection for the 07:30 dose; the 07:30 dose drawn from "
                          "V2 (drawn from a vial past its discard day)")
        assert j.whats == ("a second injection for the 07:30 dose",
                           "the 07:30 dose drawn from V2 (drawn from a vial past its "
                           "discard day)")
        bare = given("vial-short")
        assert bare.what == "the 07:30 dose drawn from a vial (a vial problem)"

    def test_more_than_the_dose_names_the_problem_recorded(self):
        ceiling = "2.80 mg is 0.140 mg/kg at 20 kg, above the label's ceiling"
        prescribed = "1.20 mg is more than the prescribed 0.80 mg"
        j = given("dose", why=(prescribed, "given without a meal", ceiling))
        assert j.what == f"more than the dose at 07:30 ({prescribed}; {ceiling})"
        assert given("dose").what == "more than the dose at 07:30"

    def test_a_symptom_s_pattern_and_its_own_words(self):
        nausea = sym("headache", recent=(Recent("nausea", NOW, None),
                                         Recent("vision-change", NOW, None)))
        assert nausea.what == "headache with nausea and a change in vision"
        vision = sym("vision-change", recent=(Recent("headache", NOW, None),))
        assert (vision.keys, vision.what) == (("raised-pressure",),
                                              "headache with a change in vision")
        assert sym("limp-or-joint-pain", "mild").what == "mild limp or joint pain"
        assert sym("ear-pain").what == "ear pain"

    def test_the_moment_counts_and_the_windows_end_where_they_say(self):
        same = sym("vomiting", recent=(Recent("headache", NOW, None),))
        assert same.keys == ("raised-pressure",)  # logged at the same minute: together
        vomit = (Recent("vomiting", NOW - timedelta(hours=6), None),)
        assert sym("dizziness", recent=vomit).keys == ("low-vomiting",)
        late = (Recent("vomiting", NOW - timedelta(hours=6, seconds=1), None),)
        assert sym("dizziness", recent=late).keys == ("low",)
        later = (Recent("vomiting", NOW + timedelta(seconds=1), None),)
        assert sym("dizziness", recent=later).keys == ("low",)
        edge = sym("vomiting", since_dose=timedelta(hours=6), dose_ref="D4")
        assert edge.keys == ("vomiting-after-dose",) and edge.what.endswith("after a dose (D4)")
        assert sym("vomiting", since_dose=timedelta(hours=1)).what == \
            "vomiting 1 h 00 min after a dose"

    def test_a_symptom_with_a_low_reading_is_judged_with_it(self):
        j = sym("low-blood-sugar", reading=read(3.5))
        assert (j.level, j.keys, j.ref, j.at) == (TODAY, ("low",), "S1", NOW)
        assert j.what == "a low blood sugar (3.5 mmol/L)"
        assert j.steps[0] == urgency.FAST_SUGAR  # no "check now": it was checked
        headache = sym("headache", reading=read(2.9))  # the reading more urgent: first
        assert headache.level == DOCTOR_NOW and headache.keys[0] == "very-low"
        assert headache.what == "a very low blood sugar (2.9 mmol/L); headache"
        vomiting = sym("vomiting", reading=read(3.5))
        assert vomiting.keys[0] == "low-vomiting"
        both = judgement.combine([read(5.5), read(6.0)])
        assert both == read(5.5)

    def test_a_recorded_dose_is_judged_from_its_values(self):
        due = NOW
        early = judgement.recorded_dose("D1", "07:30", "given", due - timedelta(hours=1, seconds=1),
                                        due, False, None, None, None)
        assert early.keys == ("early",) and early.ref == "D1"
        edge = judgement.recorded_dose("D1", "07:30", "given", due - timedelta(hours=1), due,
                                       False, "", None, None)
        assert edge.level == ROUTINE and edge.what == "the 07:30 dose given"
        withheld = judgement.recorded_dose("D1", "07:30", "withheld", None, due, False, None,
                                           "ill", None)
        assert (withheld.what, withheld.at) == ("the 07:30 dose withheld (ill)", due)
        short = judgement.recorded_dose("D1", "07:30", "given", due, due, False,
                                        "the dose may have been short", None, None)
        assert short.what == "the 07:30 dose drawn from a vial (a vial problem)"
        over = judgement.recorded_dose("D1", "07:30", "given", due, due, False,
                                       "1.20 mg is more than the prescribed 0.80 mg", None,
                                       None)
        assert over.what == ("more than the dose at 07:30 (1.20 mg is more than the "
                             "prescribed 0.80 mg)")
        for reason in ("finished", "expired: out of date"):
            kept = judgement.recorded_dose("D1", "07:30", "given", due, due, False, None, None,
                                           ("V2", reason))
            assert kept.level == ROUTINE, reason
        frozen = judgement.recorded_dose("D1", "07:30", "given", due, due, False, None, None,
                                         ("V2 (lot A)", "frozen"))
        assert frozen.what == "the 07:30 dose drawn from V2 (lot A) (later discarded: frozen)"
        extra = judgement.recorded_dose("D1", "07:30", "given", due, due, True,
                                        "given only 5 h after the previous injection", None,
                                        None)
        assert extra.keys == ("too-much",) and extra.whats == (
            "a second injection for the 07:30 dose",)

    def test_whom_to_call_is_said_once_whatever_the_rows(self):
        steps = judgement._steps([["Call the child's doctor now.", "a"],
                                  ["b", "Call the child's doctor today.", "c"],
                                  ["a", "Mention it at the next visit."]])
        assert steps == ["Call the child's doctor now.", "a", "b", "c"]
        assert judgement._steps([["x"], ["Tell the child's doctor within a few days.", "y"]]) \
            == ["x", "Tell the child's doctor within a few days.", "y"]

    def test_newest_first_within_a_level(self):
        newer = judgement.Judgement(TODAY, "a", (), (), NOW, "G1")
        older = judgement.Judgement(TODAY, "c", (), (), NOW - timedelta(hours=1), "G3")
        assert judgement.most_urgent_first([older, newer]) == [newer, older]

    def test_combined_judgements_keep_every_row_and_the_first_s_entry(self):
        a = judgement.Judgement(TODAY, "a", ("1",), ("low",), NOW, "G1", ("wa",))
        b = judgement.Judgement(DOCTOR_NOW, "b", ("2",), ("too-much",), NOW, "D1", ("wb",))
        c = judgement.combine([a, b])
        assert c == judgement.Judgement(DOCTOR_NOW, "b; a", ("2", "1"), ("too-much", "low"),
                                        NOW, "D1", ("wb", "wa"))

    def test_a_low_reading_s_rows_beside_a_symptom(self):
        vomit = (Recent("vomiting", NOW, None),)  # the same minute counts
        assert sym("dizziness", recent=vomit).keys == ("low-vomiting",)
        assert sym("dizziness", recent=vomit, reading=read(3.5)).keys[0] == "low-vomiting"
        assert sym("headache", "severe", reading=read(6)).keys == ("severe", "headache")
        severe = sym("headache", "severe", reading=read(2.9))  # the headache was severe
        assert (severe.level, severe.keys) == (DOCTOR_NOW, ("severe", "headache", "very-low"))
        ear = sym("ear-pain", too_much=True, reading=read(3.0))
        assert ear.keys == ("low-after-too-much", "ear", "low")
        very_low = sym("ear-pain", too_much=True, reading=read(2.8))
        assert very_low.keys == ("low-after-too-much", "ear", "very-low")
        fine = sym("ear-pain", too_much=True, reading=read(6))
        assert fine.keys == ("ear",)
        earlier = reading(ReadingFacts("G1", 3.5 * MMOL, "mmol/L", NOW - timedelta(minutes=2)))
        with_it = sym("dizziness", reading=earlier)  # one event, at the symptom's moment
        assert (with_it.at, with_it.ref, with_it.keys) == (NOW, "S1", ("low",))
        held = sym("rash-or-swelling", "severe", reading=read(3.5))
        assert held.held_for == ("a severe allergic reaction (rash or swelling)",)
        assert (held.ref, held.at) == ("S1", NOW)

    def test_a_very_low_or_very_high_keeps_its_row_with_the_others(self):
        assert read(2.8, vomiting=True).keys == ("low-vomiting", "very-low")
        assert read(3.5, vomiting=True).keys == ("low-vomiting",)
        assert read(15, last_low=3.0 * MMOL).keys == ("high-after-low",)


def test_a_vial_used_to_the_end_is_not_a_problem():
    from tracker.domain import vials

    for typed in ("finished", "Empty", "used up"):
        assert vials.reason_key(typed) == "finished"
        assert vials.discard_reason(typed) == (typed, "a vial used to the end is simply "
                                                      "thrown away")
    assert vials.reason_key("frozen solid") == "frozen"
    assert vials.reason_key("left in the car") == "other"


class TestTheWordsAroundTheJudgement:
    def test_each_typed_reason_is_read_as_its_kind(self):
        from tracker.domain import vials

        for typed, key in [("left out of the fridge", "left out"),
                           ("kept out of the fridge all night", "left out"),
                           ("it got warm", "left out"), ("not refrigerated", "left out"),
                           ("it was freezing in the car", "frozen"),
                           ("the stopper was touched", "contaminated"),
                           ("cracked", "dropped"), ("particles", "cloudy"),
                           ("out of date", "expired"), ("", "other"), (None, "other")]:
            assert vials.reason_key(typed) == key, typed

    def test_every_vial_ends_with_its_reason(self):
        from tracker.domain import vials

        limit = NOW
        assert vials.ended(None, None, limit) is None  # still in use
        assert vials.ended("frozen", NOW - timedelta(days=1), limit) == "frozen"
        assert vials.ended(None, NOW - timedelta(seconds=1), limit) == "finished"
        assert vials.ended(None, NOW, limit) == "past its discard day"

    def test_one_dose_from_a_vial_is_said_in_the_singular(self):
        j = judgement.vial_discarded("V2", "cloudy", "cloudy", ("D3",), NOW)
        assert j.what == "V2 discarded (cloudy) after 1 dose was drawn from it"
        assert j.first == ("The dose already given from it (D3) counts as given: do not "
                           "give it again.")

    def test_a_judgement_as_lines_numbers_only_several_steps(self):
        from tracker.domain import guidance

        one = judgement.Judgement(urgency.SOON, "x", ("Do it.",), ("lump",), NOW, "S1")
        lines = guidance.of_judgement(one)
        assert [a.text for a in lines] == [
            f"{urgency.HEADINGS[urgency.SOON]}: x.", "Do it.",
            f"Why: {urgency.BY_KEY['lump'].why}."]
        two = judgement.Judgement(urgency.VISIT, "y", ("a", "b"), (), NOW, "S1")
        assert [a.text for a in guidance.of_judgement(two)] == [
            f"{urgency.HEADINGS[urgency.VISIT]}: y.", "1. a", "2. b"]  # no rows: no why
        assert [a.level for a in guidance.of_judgement(two)] == [guidance.WATCH] * 3
        routine = judgement.Judgement(ROUTINE, "z", ("a",), (), NOW, "D1")
        assert [(a.level, a.text) for a in guidance.of_judgement(routine)] == [
            (guidance.NOTE, "a")]

    def test_when_to_call_says_each_first_step_in_its_sentence(self):
        page = "\n".join(urgency.when_to_call())
        assert ("- more medicine than prescribed (a second injection for one dose, two "
                "injections close together, or more than the dose): low blood sugar is the "
                "risk in the next hours (label 5.1). First: give a meal or snack now; if the "
                "child cannot eat, give fast sugar (juice, glucose tablets).") in page
        assert "First: wash and dry the child's hands" in page
