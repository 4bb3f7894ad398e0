"""Symptom guidance: one test for each rule, and the warnings status keeps open."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain import guidance
from tracker.domain.guidance import DOCTOR, EMERGENCY, WATCH, Recent
from tracker.domain.symptoms import KINDS

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def texts(kind, severity=None, mgdl=None, recent=()):
    return guidance.advice(kind, severity, mgdl, list(recent), NOW)


def has(found, level, words):
    return any(lvl == level and words in text for lvl, text in found)


def test_low_sugar_signs_get_sugar_first():
    for kind in ("low-blood-sugar", "dizziness"):
        assert has(texts(kind), WATCH, "Sugar first")


def test_glucose_value_says_whether_it_is_low():
    assert has(texts("dizziness", mgdl=62), DOCTOR, "LOW BLOOD SUGAR")
    assert has(texts("dizziness", mgdl=45), EMERGENCY, "emergency")
    assert has(texts("dizziness", mgdl=95), WATCH, "95 mg/dL is not low")


@pytest.mark.parametrize("other", ["vomiting", "vision-change"])
def test_headache_with_vomiting_or_vision_change_points_to_the_doctor(other):
    earlier = [Recent(other, NOW - timedelta(days=2), None)]
    assert has(texts("headache", recent=earlier), DOCTOR, "raised pressure")
    later = [Recent("headache", NOW - timedelta(days=1), None)]
    assert has(texts(other, recent=later), DOCTOR, "raised pressure")


def test_headache_alone_or_long_ago_is_watched_not_escalated():
    assert not has(texts("headache"), DOCTOR, "raised pressure")
    assert has(texts("headache"), WATCH, "Watch for vomiting")
    old = [Recent("vomiting", NOW - timedelta(days=5), None)]
    assert not has(texts("headache", recent=old), DOCTOR, "raised pressure")


def test_vision_change_alone_goes_to_the_doctor():
    assert has(texts("vision-change"), DOCTOR, "vision")


def test_vomiting_means_withholding():
    assert has(texts("vomiting"), WATCH, "withhold")


def test_limp_or_joint_pain():
    assert has(texts("limp-or-joint-pain"), DOCTOR, "thigh bone")


@pytest.mark.parametrize("kind", ["snoring", "ear-pain"])
def test_snoring_and_ear_pain_each_have_their_line(kind):
    found = texts(kind)
    assert has(found, DOCTOR, "tonsils")
    assert len([t for lvl, t in found if lvl == DOCTOR]) == 1


def test_rash_or_swelling():
    found = texts("rash-or-swelling")
    assert has(found, DOCTOR, "allergic") and has(found, DOCTOR, "emergency help")


def test_injection_site():
    assert has(texts("injection-site"), WATCH, "rotate the site")


def test_severe_anything_says_emergency_first():
    found = texts("other", severity="severe")
    assert found[0][0] == EMERGENCY and "help now" in found[0][1]


def test_every_kind_gets_an_answer_or_is_other():
    for kind in KINDS:
        if kind != "other":
            assert texts(kind), kind


def test_open_warnings_stand_for_a_few_days():
    recent = [Recent("headache", NOW - timedelta(days=1), None),
              Recent("vomiting", NOW - timedelta(hours=3), None)]
    assert any("raised pressure" in w for w in guidance.open_warnings(recent, NOW))
    later = NOW + timedelta(days=4)
    assert guidance.open_warnings(recent, later) == []
    assert guidance.open_warnings([Recent("headache", NOW, None)], NOW) == []
    assert any("thigh bone" in w for w in
               guidance.open_warnings([Recent("limp-or-joint-pain", NOW, None)], NOW))


class TestThroughTheCommandLine:
    def test_symptom_answers_with_guidance_and_status_keeps_it_open(self, mia, clock):
        r = mia.ok("symptom", "headache", "--at", "08:00")
        assert "Watch for vomiting" in r.text
        clock.advance(days=1)
        r = mia.ok("symptom", "vomiting")
        assert "raised pressure" in r.text
        status = json.loads(mia.ok("status", "--json").out)
        assert any("raised pressure" in w for w in status["warnings"])
        clock.advance(days=4)
        status = json.loads(mia.ok("status", "--json").out)
        assert not any("raised pressure" in w for w in status["warnings"])

    def test_new_kinds_are_accepted(self, mia):
        for kind in ("vision-change", "limp", "snoring", "ear-pain", "rash"):
            mia.ok("symptom", kind)
        kinds = [k for (k,) in mia.rows("SELECT kind FROM symptom ORDER BY id")]
        assert kinds == ["vision-change", "limp-or-joint-pain", "snoring", "ear-pain",
                         "rash-or-swelling"]
