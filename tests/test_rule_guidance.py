"""What to do now: the advice after a symptom, a reading or a mistake, most urgent first.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import NOW

from tracker.domain import glucose, guidance, urgency
from tracker.domain.guidance import DOCTOR, EMERGENCY, WATCH, Advice, Recent
from tracker.domain.symptoms import KINDS


def texts(kind, severity=None, mgdl=None, recent=()):
    return guidance.advice(kind, severity, mgdl, list(recent), NOW)


def has(found, level, words):
    return any(lvl == level and words in text for lvl, text in found)


class TestGuidanceWords:
    def test_low_sugar_default_unit_and_no_vomiting(self):
        (a,) = guidance.low_sugar(60)
        assert a.text.startswith("Low blood sugar (60 mg/dL): give fast sugar now")
        assert a.text.endswith(guidance.ESCALATE.strip())
        (a,) = guidance.low_sugar(None)
        assert a.text.startswith(
            "Signs of low blood sugar: check it now if you can; if you cannot, treat it as "
            "low: give fast sugar now")
        (a,) = guidance.low_sugar(80)
        assert a.text == (
            "A blood sugar of 80 mg/dL is not low: no sugar is needed for it. If the signs "
            "go on, check again and tell the child's doctor."
        )

    def test_a_reading_in_the_meters_unit(self):
        found = guidance.advice("dizziness", None, 60, [], NOW, "mmol/L")
        assert found[0].text.startswith("Low blood sugar (3.3 mmol/L)")
        assert [a.level for a in found] == [DOCTOR]  # dizziness adds nothing beyond the low
        found = guidance.advice("headache", None, 60, [], NOW)
        assert found[0].level == DOCTOR and found[1] == (WATCH, guidance.RULES[3].advice().text)
        assert guidance.reading_advice(60, "mmol/L", [], NOW, None)[0].text.startswith(
            "Low blood sugar (3.3 mmol/L)")

    def test_recent_vomiting_changes_a_low_reading(self):
        sick = [Recent("vomiting", NOW - timedelta(hours=1), None)]
        assert guidance.reading_advice(60, "mg/dL", sick, NOW, None) == [
            (EMERGENCY, guidance.VOMITING_LOW)]
        later = [Recent("vomiting", NOW + timedelta(hours=5), None)]  # abs(): either side
        assert guidance.reading_advice(60, "mg/dL", later, NOW, None)[0].text == (
            guidance.VOMITING_LOW)
        # a vomiting logged as the symptom itself is the only one it needs
        assert guidance.advice("vomiting", None, 60, [], NOW)[0].text == guidance.VOMITING_LOW

    def test_the_recheck_after_a_low_says_exactly_what_next(self):
        (a,) = guidance.reading_advice(90, "mg/dL", [], NOW, (NOW, 62.0))
        assert a.text == (
            "Back in range: 90 mg/dL is above the low line of 70 mg/dL. "
            "Back up from the low of 62 mg/dL: give a snack or a meal with protein now if the "
            "child has not eaten, and check again before the next meal. Tell the child's "
            "doctor about the low."
        )
        assert guidance.reading_advice(90, "mg/dL", [], NOW, (NOW + timedelta(seconds=1), 62.0)
                                       ) == []

    def test_severe_comes_first_among_several(self):
        found = guidance.advice("snoring", "severe", None, [], NOW)
        assert found == [(EMERGENCY, guidance.SEVERE), (DOCTOR, guidance.RULES[10].advice().text)]

    def test_open_warnings_keep_the_severity(self):
        severe_rash = [Recent("rash-or-swelling", NOW, "severe")]
        texts = [t for _, t in guidance.open_warnings(severe_rash, NOW)]
        assert any("interrupted" in t for t in texts)

    def test_combinations_need_two_different_kinds_close_together(self):
        headaches = [Recent("headache", NOW - timedelta(days=1), None),
                     Recent("headache", NOW, None)]
        assert guidance.open_warnings(headaches, NOW) == []
        apart = [Recent("headache", NOW - timedelta(days=3), None),
                 Recent("vomiting", NOW, None)]
        assert any("intracranial" in t for _, t in guidance.open_warnings(apart, NOW))

    def test_after_injection_words(self):
        (a,) = guidance.after_injection({"dose"}, ["a", "b"])
        row = guidance.MISTAKES["dose"]
        assert a.text == f"a; b: {row.now}; {row.check}; {row.tell}; {row.watch}."
        (a,) = guidance.after_injection({"no-meal"}, [])
        assert a.text == (
            "No meal with this dose: give a meal or snack now; if the child cannot eat, give "
            "fast sugar (juice, glucose tablets); check blood sugar if the child seems unwell; "
            "tell the child's doctor at the next visit (now if a low follows); watch for "
            "signs of low blood sugar (shakiness, sweating, paleness, hunger, drowsiness, "
            "confusion) and keep fast sugar at hand; no high-risk activity (cycling, "
            "swimming) for 2 to 3 hours."
        )

    def test_most_urgent_first_keeps_the_order_within_a_level(self):
        items = [Advice(DOCTOR, "b"), Advice(DOCTOR, "a"), Advice(EMERGENCY, "e")]
        assert guidance.most_urgent_first(items) == [
            Advice(EMERGENCY, "e"), Advice(DOCTOR, "b"), Advice(DOCTOR, "a")]


class TestGlucoseAndVomiting:
    LOW_AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def test_a_high_after_a_low_exact_words_and_the_line(self):
        last_low = (self.LOW_AT, 55.0)
        at = self.LOW_AT + timedelta(minutes=20)
        (high,) = guidance.reading_advice(181, "mg/dL", [], at, last_low)
        assert high == (guidance.WATCH,
                        "High: 181 mg/dL is above the high line of 180 mg/dL, after the low of "
                        "55 mg/dL. Give no more sugar; check again before the next meal, and "
                        "tell the child's doctor about the low and this high.")
        (edge,) = guidance.reading_advice(glucose.HIGH_MGDL, "mg/dL", [], at, last_low)
        assert edge.text.startswith("Back in range: 180 mg/dL")  # the line itself is in range
        (mmol,) = guidance.reading_advice(252, "mmol/L", [], at, last_low)
        assert mmol.text.startswith("High: 14.0 mmol/L is above the high line of 10.0 mmol/L, "
                                    "after the low of 3.1 mmol/L.")

    def test_vomiting_after_a_dose_exact_words(self):
        advice = guidance.vomiting_after_dose(timedelta(hours=2, minutes=5))
        assert advice == (guidance.WATCH,
                          "The dose given 2 h 05 min before counts as given: do not give another "
                          "dose, even if it may have come back up (the medicine is injected, not "
                          "swallowed). Vomiting makes a low blood sugar more likely in the next "
                          "hours: watch for shakiness, sweating, paleness or unusual sleepiness, "
                          "and check blood sugar if you can. Call the child's doctor if the "
                          "vomiting goes on or the child cannot keep food or drink down.")

    def test_which_row_of_mistakes(self):
        assert guidance.mistake_of(["2.80 mg is 0.140 mg/kg at 20 kg, above the label's "
                                    "ceiling of 0.12 mg/kg per injection"], False) == "dose"
        assert guidance.mistake_of(["x", "1.20 mg is more than the prescribed 0.80 mg"],
                                   False) == "dose"
        assert guidance.mistake_of(["given only 5 h after the previous injection"],
                                   True) == "extra"


class TestUrgencyTable:
    def test_a_sentence_exact_words(self):
        assert urgency.sentence("hip") == (
            "A new limp, or pain in the hip or knee: fast growth can make the top of the "
            "thigh bone slip (slipped capital femoral epiphysis), which can lead to "
            "osteonecrosis (label 5.5, revised May 2025). Call the child's doctor the same day.")
        assert urgency.sentence("raised-pressure").endswith(
            "Call the child's doctor the same day; ask the doctor before giving the next dose; "
            "if the doctor cannot be reached today, go to emergency care.")

    def test_every_sign_once_under_its_heading_most_urgent_first(self):
        page = urgency.when_to_call()
        assert page[0::2] == [f"{urgency.HEADINGS[lv]}:" for lv in urgency.LEVELS]
        for level, block in zip(urgency.LEVELS, page[1::2], strict=True):
            lines = block.split("\n")
            signs = [s for s in urgency.SIGNS if s.urgency == level]
            assert len(lines) == len(signs)
            for line, sign in zip(lines, signs, strict=True):
                assert line == (f"- {sign.sign}: {sign.why}"
                                + (f"; {sign.also}" if sign.also else "") + ";")

    def test_the_emergencies_in_one_phrase(self):
        assert urgency.emergencies() == (
            "a seizure, fainting, or a child who does not respond; trouble breathing, or "
            "swelling of the face, lips or tongue, or hives all over; or low blood sugar with "
            "a child who cannot swallow, or stays drowsy or confused after sugar")

    def test_the_urgency_of_a_kind(self):
        assert urgency.of_kind("new-lump") == "tell the child's doctor within a few days"
        assert urgency.of_kind("headache") is None

    @pytest.mark.parametrize("key,level", [("unresponsive", guidance.EMERGENCY),
                                           ("hip", guidance.DOCTOR), ("lump", guidance.DOCTOR),
                                           ("back", guidance.WATCH)])
    def test_each_urgency_has_its_advice_level(self, key, level):
        rule = next(r for r in guidance.RULES if r.sign == key)
        assert rule.advice() == (level, urgency.sentence(key))
        assert rule.level == "" and rule.text == ""


def test_low_sugar_signs_without_a_reading_say_check_or_treat_as_low():
    for kind in ("low-blood-sugar", "dizziness"):
        found = texts(kind)
        assert has(found, DOCTOR, "check it now if you can; if you cannot, treat it as low")
        assert has(found, DOCTOR, "give fast sugar now")


def test_glucose_value_says_whether_it_is_low():
    assert has(texts("dizziness", mgdl=62), DOCTOR, "Low blood sugar (62 mg/dL): give fast sugar")
    very_low = texts("dizziness", mgdl=45)
    assert very_low[0].level == EMERGENCY and "nothing by mouth" in very_low[0].text
    assert has(texts("dizziness", mgdl=95), WATCH, "95 mg/dL is not low")


def test_no_fast_sugar_when_the_reading_is_not_low():
    for kind in ("low-blood-sugar", "dizziness", "headache"):
        found = texts(kind, mgdl=70)
        assert not any("fast sugar" in t for _, t in found), kind
        assert has(found, WATCH, "not low: no sugar is needed")


def test_severe_low_puts_the_condition_first():
    found = texts("low-blood-sugar", severity="severe", mgdl=60)
    assert found[0] == (EMERGENCY, "Severe low blood sugar. " + guidance.UNRESPONSIVE)
    assert found[1].level == DOCTOR and "If the child is awake and can swallow" in found[1].text
    assert not any(t == guidance.SEVERE for _, t in found)  # said once, by the condition


def test_vomiting_with_a_low_reading_is_not_juice_alone():
    found = texts("vomiting", mgdl=60)
    assert found[0] == (EMERGENCY, guidance.VOMITING_LOW)
    assert not any(t.startswith("Low blood sugar (") for _, t in found)
    # vomiting logged a few hours before the low reading counts too
    earlier = [Recent("vomiting", NOW - timedelta(hours=6), None)]
    assert texts("dizziness", mgdl=60, recent=earlier)[0].text == guidance.VOMITING_LOW
    older = [Recent("vomiting", NOW - timedelta(hours=6, minutes=1), None)]
    assert texts("dizziness", mgdl=60, recent=older)[0].level == DOCTOR


def test_reading_advice_and_the_recheck():
    assert guidance.reading_advice(60, "mg/dL", [], NOW, None)[0].level == DOCTOR
    assert guidance.reading_advice(50, "mg/dL", [], NOW, None)[0].level == EMERGENCY
    assert guidance.reading_advice(90, "mg/dL", [], NOW, None) == []
    low = (NOW - timedelta(hours=2), 60.0)
    (back,) = guidance.reading_advice(90, "mmol/L", [], NOW, low)
    assert back.level == WATCH and "Back up from the low of 3.3 mmol/L" in back.text
    assert back.text.startswith("Back in range: 5.0 mmol/L is above the low line of 3.9 mmol/L.")
    assert "snack or a meal with protein" in back.text
    late = (NOW - timedelta(hours=2, seconds=1), 60.0)
    assert guidance.reading_advice(90, "mg/dL", [], NOW, late) == []


def test_levels_are_sorted_most_urgent_first():
    items = [guidance.Advice(WATCH, "w"), guidance.Advice(EMERGENCY, "e"),
             guidance.Advice(DOCTOR, "d"), guidance.Advice(WATCH, "w")]
    assert [a.text for a in guidance.most_urgent_first(items)] == ["e", "d", "w"]


def test_after_an_injection_that_broke_a_rule():
    assert guidance.after_injection(set(), []) == []
    (over,) = guidance.after_injection({"dose"}, ["1.20 mg is more than the prescribed 0.80 mg"])
    assert over.level == DOCTOR and over.text.startswith("1.20 mg is more than the prescribed")
    assert "call the child's doctor now" in over.text and "give a meal or snack now" in over.text
    (meal,) = guidance.after_injection({"no-meal"}, [])
    assert meal.text.startswith("No meal with this dose: give a meal or snack now")
    (late,) = guidance.after_injection({"late"}, [])
    assert late.level == WATCH and "at the next visit" in late.text
    (soon,) = guidance.after_injection({"too-soon"}, [])
    assert soon.level == DOCTOR and soon.text.startswith("Two injections close together")


@pytest.mark.parametrize("how", ["extra", "too-soon", "dose"])
def test_too_much_medicine_gets_food_a_check_the_doctor_now_and_a_longer_watch(how):
    found = (guidance.after_injection({"too-soon"}, [], extra=True) if how == "extra"
             else guidance.after_injection({how}, ["3.20 mg is more than the prescribed"]
                                           if how == "dose" else []))
    first = found[0]
    assert first.level == DOCTOR
    steps = ["give a meal or snack now", "check blood sugar now", "again in an hour",
             "call the child's doctor now", "until the doctor says otherwise",
             "the next dose stays the normal dose"]
    positions = [first.text.index(step) for step in steps]
    assert positions == sorted(positions)  # in the order a parent acts
    if how == "extra":
        assert first.text.startswith("A second injection for the same dose (a double dose)")
        assert len(found) == 1  # the double dose says it all; not twice


def test_which_row_a_recorded_injection_falls_under():
    assert guidance.mistake_of([], True) == "extra"
    assert guidance.mistake_of(["given only 3 h 00 min after the previous injection"],
                               False) == "too-soon"
    assert guidance.mistake_of(["3.20 mg is more than the prescribed 0.80 mg"], False) == "dose"
    assert guidance.mistake_of(["given without a meal or snack within 20 minutes"],
                               False) is None
    note = guidance.mistake_note("Mia", "08:10", "D13", "extra")
    assert note.startswith("Mia's 08:10 injection (D13) was a second injection for the same "
                           "dose (a double dose): watch for signs of low blood sugar")


@pytest.mark.parametrize("other", ["vomiting", "vision-change"])
def test_headache_with_vomiting_or_vision_change_points_to_the_doctor(other):
    earlier = [Recent(other, NOW - timedelta(days=2), None)]
    assert has(texts("headache", recent=earlier), DOCTOR, "intracranial hypertension")
    assert has(texts("headache", recent=earlier), DOCTOR, "ask the doctor before giving the next "
               "dose; if the doctor cannot be reached today, go to emergency care")
    later = [Recent("headache", NOW - timedelta(days=1), None)]
    assert has(texts(other, recent=later), DOCTOR, "intracranial hypertension")
    edge = [Recent(other, NOW - timedelta(days=3), None)]
    assert has(texts("headache", recent=edge), DOCTOR, "intracranial hypertension")


def test_headache_alone_or_long_ago_is_watched_not_escalated():
    assert not has(texts("headache"), DOCTOR, "raised pressure")
    assert has(texts("headache"), WATCH, "Watch for vomiting")
    old = [Recent("vomiting", NOW - timedelta(days=3, seconds=1), None)]
    assert not has(texts("headache", recent=old), DOCTOR, "raised pressure")


def test_vision_change_alone_goes_to_the_doctor():
    assert has(texts("vision-change"), DOCTOR, "vision")


def test_vomiting_means_withholding_the_next_dose_when_it_comes_never_now():
    found = texts("vomiting")
    assert has(found, WATCH, "when the next one is due, record that dose as withheld then")
    assert not any("tracker skip" in text for _, text in found)  # no command on a later dose
    assert not has(found, WATCH, "do not give another dose")  # no dose given before


@pytest.mark.parametrize("hours,asked", [(0.5, True), (6, True), (6.02, False)])
def test_vomiting_soon_after_a_dose_answers_do_i_give_another(hours, asked):
    since = timedelta(hours=hours)
    found = guidance.advice("vomiting", None, None, [], NOW, since_dose=since)
    again = [text for _, text in found if "do not give another dose" in text]
    assert bool(again) is asked
    if asked:
        assert again[0].startswith(f"The dose given {guidance.format_span(round(hours * 60))} "
                                   "before counts as given: do not give another dose")
        assert "watch for shakiness" in again[0] and "Call the child's doctor" in again[0]
    assert not any("do not give another" in t for _, t in guidance.advice(
        "headache", None, None, [], NOW, since_dose=since))


def test_limp_or_joint_pain():
    assert has(texts("limp-or-joint-pain"), DOCTOR, "thigh bone")


@pytest.mark.parametrize("kind", ["snoring", "ear-pain"])
def test_snoring_and_ear_pain_each_have_their_line(kind):
    found = texts(kind)
    assert has(found, DOCTOR, "tonsils")
    assert len([t for lvl, t in found if lvl == DOCTOR]) == 1


def test_rash_or_swelling():
    found = texts("rash-or-swelling")
    assert has(found, DOCTOR, "allergic") and has(found, DOCTOR, "emergency services now")


def test_injection_site():
    assert has(texts("injection-site"), WATCH, "rotate the site")


def test_severe_anything_says_emergency_first():
    found = texts("other", severity="severe")
    assert found == [(EMERGENCY, guidance.SEVERE)]
    found = texts("headache", severity="severe")
    assert found[0] == (EMERGENCY, guidance.SEVERE) and found[1].level == WATCH


@pytest.mark.parametrize(
    ("kind", "level", "words"),
    [
        ("nausea", WATCH, "withhold it"),
        ("seizure-or-unresponsive", EMERGENCY, "Call emergency services now"),
        ("new-lump", DOCTOR, "label 5.7, malignant neoplasia"),
        ("back-curve", WATCH, "scoliosis"),
    ],
)
def test_the_label_warnings_have_their_own_kinds(kind, level, words):
    assert has(texts(kind), level, words)


def test_a_severe_allergic_reaction_holds_the_next_dose():
    assert not has(texts("rash-or-swelling"), EMERGENCY, "interrupted")
    assert has(texts("rash-or-swelling", severity="severe"), EMERGENCY, "interrupted")
    assert guidance.hold_next_dose([Recent("rash-or-swelling", NOW, "severe")], NOW) == [
        "a severe allergic reaction"
    ]
    assert guidance.hold_next_dose([Recent("rash-or-swelling", NOW, "mild")], NOW) == []


def test_what_holds_the_next_dose_and_for_how_long():
    pair = [Recent("headache", NOW - timedelta(days=1), None),
            Recent("vision-change", NOW - timedelta(hours=1), None)]
    reason = "headache with vomiting or a change in vision (possible intracranial hypertension)"
    assert guidance.hold_next_dose(pair, NOW) == [reason]
    assert guidance.hold_next_dose(pair, NOW + timedelta(days=2)) == [reason]
    assert guidance.hold_next_dose(pair, NOW + timedelta(days=3, hours=2)) == []
    assert guidance.hold_next_dose([Recent("seizure-or-unresponsive", NOW, None)], NOW) == [
        "a seizure or a child who did not respond"
    ]
    assert guidance.hold_next_dose([Recent("headache", NOW, None)], NOW) == []


def test_every_kind_gets_an_answer_or_is_other():
    for kind in KINDS:
        if kind != "other":
            assert texts(kind), kind


def test_open_warnings_stand_for_a_few_days():
    recent = [Recent("headache", NOW - timedelta(days=1), None),
              Recent("vomiting", NOW - timedelta(hours=3), None)]
    assert any("raised pressure" in w for _, w in guidance.open_warnings(recent, NOW))
    later = NOW + timedelta(days=4)
    assert guidance.open_warnings(recent, later) == []
    assert guidance.open_warnings([Recent("headache", NOW, None)], NOW) == []
    assert any("thigh bone" in w for _, w in
               guidance.open_warnings([Recent("limp-or-joint-pain", NOW, None)], NOW))
    edge = [Recent("limp-or-joint-pain", NOW - timedelta(days=3), None)]
    assert guidance.open_warnings(edge, NOW)
    assert guidance.open_warnings(edge, NOW + timedelta(seconds=1)) == []
    severe = guidance.open_warnings([Recent("headache", NOW, "severe")], NOW)
    assert severe == [(DOCTOR, "a severe headache was logged in the last days: make sure a "
                               "doctor knows")]


class TestThroughTheCommandLine:
    def test_symptom_answers_with_guidance_and_status_keeps_it_open(self, mia, clock):
        r = mia.ok("symptom", "headache", "--at", "08:00")
        assert "Watch for vomiting" in r.text
        clock.advance(days=1)
        r = mia.ok("symptom", "vomiting")
        assert "raised pressure" in r.text
        status = mia.ok("status").text
        assert "Ask the child's doctor before giving this dose: headache with vomiting" in status
        status = json.loads(mia.ok("status", "--json").out)
        assert any("raised pressure" in w for w in status["warnings"])
        clock.advance(days=4)
        status = json.loads(mia.ok("status", "--json").out)
        assert not any("raised pressure" in w for w in status["warnings"])

    def test_new_kinds_are_accepted(self, mia):
        for kind in ("vision-change", "limp", "snoring", "ear-pain", "rash", "nausea",
                     "seizure", "lump", "scoliosis"):
            mia.ok("symptom", kind)
        kinds = [k for (k,) in mia.rows("SELECT kind FROM symptom ORDER BY id")]
        assert kinds == ["vision-change", "limp-or-joint-pain", "snoring", "ear-pain",
                         "rash-or-swelling", "nausea", "seizure-or-unresponsive", "new-lump",
                         "back-curve"]


def test_one_urgency_per_sign_everywhere_it_is_said():
    """The symptom advice, info when-to-call and the report read one table: a sign's
    urgency words are the same in each (issue 23)."""
    from tracker import druginfo
    from tracker.domain import urgency

    page = " ".join(druginfo.load().topics["when-to-call"].paragraphs)
    for kind, key in urgency.KIND_SIGN.items():
        sign = urgency.BY_KEY[key]
        found = [t for _, t in texts(kind, severity="severe" if key == "anaphylaxis" else None)]
        assert any(urgency.SAY[sign.urgency].lower() in t.lower() for t in found), kind
        heading = page.index(urgency.HEADINGS[sign.urgency])
        nxt = min([page.index(urgency.HEADINGS[lv]) for lv in urgency.LEVELS
                   if page.index(urgency.HEADINGS[lv]) > heading] or [len(page)])
        assert sign.sign in page[heading:nxt], kind  # listed under its own urgency
        assert urgency.of_kind(kind) == urgency.SAY[sign.urgency]
    # the reviewed ones
    assert urgency.BY_KEY["hip"].urgency == urgency.TODAY
    assert "osteonecrosis" in urgency.BY_KEY["hip"].why
    assert "emergency care" in urgency.BY_KEY["raised-pressure"].also
    assert urgency.BY_KEY["lump"].urgency == urgency.SOON
    assert "hives all over" in urgency.emergencies()
