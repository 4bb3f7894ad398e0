"""The label's rules hold whatever language the parent reads (issue 33).

A rule must never be decided by comparing words a catalog translates: a very low blood
sugar is "doctor now" in German too, and an increase after a week with a low is asked
about in every language. Each case runs the same log in English and in another language
and compares what the rules decided (the export's judgement column, English in every
language, and the exit code of a refused or questioned command).
"""

from __future__ import annotations

import pytest

LANGS = ["de", "fr", "es", "ar", "qps"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_increase_after_a_low_week_is_asked_about_in_every_language(
        mia, clock, monkeypatch, lang):
    monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    clock.set("2026-11-27T10:00:00+01:00")
    mia.ok("glucose", "50")
    mia.ok("symptom", "vomiting", "--at", "2026-11-26 12:00")
    asked = mia("prescribe", "--dose-mg-per-kg", "0.06", input="n\n")
    assert asked.code == 4, asked.out + asked.err  # asked, answered no: nothing recorded
    assert mia.rows("SELECT count(*) FROM prescription") == [(1,)]


def _judged(tracker, clock, monkeypatch, lang: str | None) -> str:
    if lang:
        monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    else:
        monkeypatch.delenv("TRACKER_LANGUAGE", raising=False)
    return tracker.ok("export", "--what", "glucose", "--from", "2026-11-20").out


@pytest.mark.parametrize("lang", LANGS)
def test_a_very_low_blood_sugar_is_judged_the_same_in_every_language(
        mia, clock, monkeypatch, lang):
    clock.set("2026-11-24T10:00:00+01:00")
    monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    mia.ok("glucose", "40")
    clock.set("2026-11-24T18:00:00+01:00")
    mia.ok("glucose", "260")
    english = _judged(mia, clock, monkeypatch, None)
    assert "doctor" in english.lower()  # 40 mg/dL: the child's doctor now
    assert english == _judged(mia, clock, monkeypatch, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_vial_left_out_is_not_used_again_in_every_language(mia, clock, monkeypatch, lang):
    monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    clock.set("2026-11-24T10:00:00+01:00")
    mia.ok("vial", "open", "--lot", "A1")
    said = mia.ok("vial", "discard", "--reason", "left out").out
    assert mia.rows("SELECT discard_reason FROM vial") == [("left out",)]  # as typed
    from tracker import i18n
    from tracker.domain.vials import DISCARD_REASONS

    with i18n.speaking(lang):  # the advice for a vial left out, in the reader's words
        advice = i18n._(DISCARD_REASONS["left out"])
    assert " ".join(advice.split())[1:] in " ".join(said.split()), said  # capital or not


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "20 min ago"), ("fr", "il y a 20 min"), ("es", "hace 20 min"),
    ("de", "vor 20 Min."), ("ar", "قبل 20 دقيقة")])
def test_a_time_typed_as_minutes_ago_in_the_reader_s_words(lang, typed):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tracker import i18n
    from tracker.domain.timeparse import parse_when

    zone = ZoneInfo("Europe/Paris")
    now = datetime(2026, 11, 24, 8, 0, tzinfo=zone)
    with i18n.speaking(lang):
        assert parse_when(typed, now, zone) == now - timedelta(minutes=20)
        assert parse_when("20 min ago", now, zone) == now - timedelta(minutes=20)


@pytest.mark.parametrize("lang", ["fr", "es", "de", "ar"])
def test_keys_are_shown_as_names_in_the_reader_s_language(mia, clock, monkeypatch, lang):
    """A site, a glucose word and a slot's state are keys in the log and in files; a
    person reads their names. The pseudo-language cannot see a one-word key left as it
    is ("left-thigh"), so the shipped languages are read for them here."""
    monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    clock.set("2026-11-24T07:35:00+01:00")
    said = [mia.ok("give", "--site", "left-thigh").out]
    clock.set("2026-11-24T12:00:00+01:00")
    said.append(mia.ok("glucose", "50").out)
    for command in (("status",), ("history",), ("show", "D1"), ("show", "G1")):
        said.append(mia.ok(*command).out)
    text = "\n".join(said)
    for key in ("left-thigh", "left-upper-arm", "very low", "(low)", "upcoming"):
        assert key not in text, (key, text)


@pytest.mark.parametrize(("lang", "no", "yes"), [
    ("fr", "non", "oui"), ("es", "no", "sí"), ("de", "nein", "ja"), ("ar", "لا", "نعم"),
    ("fr", "n", "o"), ("de", "n", "j"), ("fr", "n", "y")])
def test_a_question_is_answered_in_the_reader_s_words(mia, clock, monkeypatch, lang, no, yes):
    monkeypatch.setenv("TRACKER_LANGUAGE", lang)
    clock.set("2026-11-27T10:00:00+01:00")
    mia.ok("glucose", "50")
    refused = mia("prescribe", "--dose-mg-per-kg", "0.06", input=f"{no}\n")
    assert refused.code == 4 and mia.rows("SELECT count(*) FROM prescription") == [(1,)]
    agreed = mia("prescribe", "--dose-mg-per-kg", "0.06", input=f"{yes}\n")
    assert agreed.code == 0, agreed.out + agreed.err
    assert mia.rows("SELECT count(*) FROM prescription") == [(2,)]
