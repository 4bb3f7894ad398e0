"""The domain in the reader's language: the urgency table, the judgements, the safety
rules' sentences, the drug information, the names of sites and symptoms, and the dates
people type as their language writes them.

Under the pseudo-language `qps` every catalog message comes out as ⟦Ţĥîš⟧, so any English
left outside the marks was written without the catalog (tests/pseudo.py). French is
checked the same way through a stand-in catalog that marks what it translates (the real
one is filled in by translators): what matters here is that the text goes through it.
"""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pseudo import english_left

from tracker import druginfo, i18n
from tracker.domain import (
    dosing,
    glucose,
    guidance,
    judgement,
    safety,
    schedule,
    sites,
    symptoms,
    timeparse,
    typed,
    urgency,
    vials,
)
from tracker.domain.actions import plain
from tracker.errors import InputError, explain_db_error
from tracker.i18n.pseudo import PseudoTranslations

SHIPPED = ("en", "fr", "es", "de", "ar")
AT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def _judgements() -> list[judgement.Judgement]:
    dose = judgement.dose(judgement.DoseFacts(
        "D1", "08:00", True, AT, frozenset({"extra", "no-meal", "vial-past"}),
        ("drawn from a vial past its expiry date (01 Nov 2026)",), "", "V1, lot AB12"))
    low = judgement.reading(judgement.ReadingFacts("G1", 50, "mmol/L", AT, vomiting=True))
    after = judgement.reading(judgement.ReadingFacts("G2", 120, "mg/dL", AT, last_low=60))
    pattern = judgement.symptom(judgement.SymptomFacts(
        "S2", "headache", "severe", AT,
        recent=(judgement.Recent("vomiting", AT - timedelta(hours=1), None),
                judgement.Recent("vision-change", AT - timedelta(hours=2), None))))
    sugar = judgement.symptom(judgement.SymptomFacts("S3", "dizziness", "mild", AT))
    vial = judgement.vial_discarded("V2", "frozen", "frozen", ("D3", "D4"), AT)
    one = judgement.vial_discarded("V3", "dropped", "dropped", ("D5",), AT)
    return [dose, low, after, pattern, sugar, vial, one]


def _domain_text() -> str:
    """The main paths of the domain, as a person reads them."""
    out: list[str] = []
    out += urgency.when_to_call()
    out.append(urgency.emergencies())
    for j in _judgements():
        out += [j.brief(), j.sentence(), j.why, j.heading, j.tag]
        out += [a.text for a in guidance.of_judgement(j)]
    syringe = dosing.SYRINGES["1ml-2"]
    coarse = dosing.draw(0.27, syringe=syringe)
    out.append(plain(safety.precision_note(coarse, "Lea")))
    big = dosing.draw(4.0, syringe=dosing.SYRINGES["0.3ml"])
    out.append(plain(safety.precision_note(big, "Lea")))
    out += safety.syringe_problems(big)
    out.append(coarse.describe())
    out.append(dosing.describe_amount(1.3))
    out.append(safety.do_not_give(safety.dose_problems(3.0, 1.0, 20, 0.01)) or "")
    out.append(plain(safety.late_window("Lea", "08:00", "1 h 10 min", "10:00")))
    out.append(safety.late_window("Lea", "08:00", "1 h 10 min", "10:00", blocked=True))
    out.append(plain(safety.time_passed("08:00", "10:00")))
    out.append(plain(safety.meal_rule("Lea")))
    out += [f.text for f in safety.times_findings((schedule.parse_time_of_day("08:00"),))]
    out += safety.titration_warnings(0.2, 0.04, since_last_increase=timedelta(days=2),
                                     low_in_last_week=True, not_tolerated=("x",))
    out += [f.text for f in safety.injection_findings(
        dose_problems_found=[], meal=False, after_close=timedelta(minutes=70),
        since_previous=timedelta(hours=2))]
    out.append(vials.supply_warning(3, 1) or "")
    state = vials.VialState(0.01, AT - timedelta(hours=1), 0)
    out += [plain(w) for w in vials.vial_warnings(state, 0.1, AT, PARIS)]
    out += [plain(w) for w in vials.vial_warnings(None, 0.1, AT, PARIS)]
    out.append(vials.discard_reason("frozen")[1])
    out.append(vials.past_use(AT - timedelta(days=40), None, AT, PARIS) or "")
    out.append(sites.repeat_warning("left-thigh", "left-thigh") or "")
    out += [sites.site_name(s) for s in sites.SITES]
    out += [symptoms.kind_name(k) for k in symptoms.KINDS]
    out += [symptoms.severity_name(s) for s in symptoms.SEVERITIES]
    out += [glucose.word_shown(w) for w in glucose.WORDS]
    out.append(schedule.format_span(3 * 24 * 60 + 5) + " " + schedule.format_span(65))
    out.append(explain_db_error("database is locked") or "")
    for bad in (lambda: sites.normalise_site("elbow"), lambda: sites.normalise_site("thigh"),
                lambda: symptoms.normalise_kind("itch"),
                lambda: symptoms.normalise_severity("awful"),
                lambda: typed.one_date("12/06/2019", date(2026, 1, 1)),
                lambda: typed.some_dates("soon", date(2026, 1, 1)),
                lambda: typed.dose("13"),
                lambda: timeparse.parse_when("2026-11-20", AT, PARIS),
                lambda: timeparse.refuse_future(AT + timedelta(days=1), AT),
                lambda: safety.check_weight(900)):
        with pytest.raises(InputError) as e:
            bad()
        out.append(plain(e.value))
    content = druginfo.load()
    out += druginfo.index(content)
    for topic in content.topics.values():
        out += druginfo.render(content, topic)
    return "\n".join(out)


# what the checked text carries that is not an English sentence: keys, names, entries
DATA = {"Lea", "D1", "D3", "D4", "D5", "V1", "V2", "V3", "AB12", "lot", "G1", "G2", "S2",
        "S3", "frozen", "dropped", "elbow", "itch", "awful", "soon", "x"}


def _left(text: str) -> list[str]:
    return english_left(text, also=DATA)


def test_the_domain_under_the_pseudo_language_leaves_no_english():
    with i18n.speaking("qps"):
        text = _domain_text()
    assert _left(text) == []


# A stand-in French catalog: marks what it translates, as qps does.
_Marking = PseudoTranslations


def test_in_french_the_domain_goes_through_the_catalog(monkeypatch):
    monkeypatch.setitem(i18n._catalogs, "fr", _Marking())
    with i18n.speaking("fr"):
        text = _domain_text()
    assert _left(text) == []
    with i18n.speaking("en"):
        assert _domain_text() != text


def test_english_is_unchanged():
    with i18n.speaking("en"):
        assert sites.site_name("left-thigh") == "left-thigh"
        assert symptoms.kind_name("low-blood-sugar") == "low-blood-sugar"
        assert schedule.format_span(65) == "1 h 05 min"
        assert schedule.format_span(3 * 24 * 60 + 60) == "3 d 1 h"
        assert typed.in_words(date(2019, 6, 12)) == "12 June 2019"
        assert urgency.emergencies().endswith("; or low blood sugar with a child who cannot "
                                              "swallow, or stays drowsy or confused after sugar")


@pytest.mark.parametrize("lang", [*SHIPPED, "qps"])
def test_a_shown_name_is_read_back(lang):
    with i18n.speaking(lang):
        for key in sites.SITES:
            assert sites.normalise_site(sites.site_name(key)) == key
            assert sites.normalise_site(sites.site_name(key).upper()) == key
        for kind in symptoms.KINDS:
            assert symptoms.normalise_kind(symptoms.kind_name(kind)) == kind
            assert symptoms.normalise_kind(symptoms.kind_words(kind)) == kind
        for severity in symptoms.SEVERITIES:
            assert symptoms.normalise_severity(symptoms.severity_name(severity)) == severity


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_english_tokens_are_read_in_every_language(lang):
    with i18n.speaking(lang):
        assert sites.normalise_site("L thigh") == "left-thigh"
        assert sites.normalise_site("right tummy") == "right-abdomen"
        assert symptoms.normalise_kind("hypo") == "low-blood-sugar"


def test_a_translated_name_is_read_without_case_or_accents(monkeypatch):
    class French(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return {"left thigh": "cuisse gauche", "headache": "mal de tête"}.get(message,
                                                                              message)

    monkeypatch.setitem(i18n._catalogs, "fr", French())
    sites._sites_in.cache_clear()
    symptoms._kinds_in.cache_clear()
    try:
        with i18n.speaking("en"):  # a French name is read whatever the language spoken
            assert sites.normalise_site("Cuisse Gauche") == "left-thigh"
            assert sites.normalise_site("cuissé-gauche") == "left-thigh"
            assert symptoms.normalise_kind("MAL DE TETE") == "headache"
        with i18n.speaking("fr"):
            assert sites.site_name("left-thigh") == "cuisse gauche"
            assert sites.site_name("right-thigh") == "right-thigh"  # not yet translated
    finally:
        sites._sites_in.cache_clear()
        symptoms._kinds_in.cache_clear()


TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("lang, written", [
    ("fr", "19 novembre 2026"), ("fr", "19 nov. 2026"), ("fr", "19 Novembre 2026"),
    ("de", "19. November 2026"), ("de", "19. Nov. 2026"),
    ("es", "19 de noviembre de 2026"), ("es", "19 nov 2026"),
    ("ar", "19 نوفمبر 2026"),
    ("fr", "19 Nov 2026"), ("de", "November 19, 2026"),  # English forms still read
])
def test_a_date_is_read_as_the_language_writes_it(lang, written):
    with i18n.speaking(lang):
        assert timeparse.parse_date(written, TODAY) == date(2026, 11, 19)


def test_accents_and_the_first_of_the_month():
    with i18n.speaking("fr"):
        assert timeparse.parse_date("1er février 2026", TODAY) == date(2026, 2, 1)
        assert timeparse.parse_date("3 fevrier 2026", TODAY) == date(2026, 2, 3)
        assert timeparse.parse_date("12 décembre 2025", TODAY) == date(2025, 12, 12)
    with i18n.speaking("de"):
        assert timeparse.parse_date("3. März 2026", TODAY) == date(2026, 3, 3)


def test_a_date_and_time_and_an_expiry_in_the_language():
    with i18n.speaking("fr"):
        when = timeparse.parse_when("19 novembre 2026 07:30", AT, PARIS)
        assert when == datetime(2026, 11, 19, 6, 30, tzinfo=UTC)
        assert timeparse.parse_expiry("mars 2027", TODAY) == date(2027, 3, 31)
    with i18n.speaking("es"):
        assert timeparse.parse_expiry("marzo 2027", TODAY) == date(2027, 3, 31)


def test_english_dates_are_read_as_before():
    with i18n.speaking("en"):
        assert timeparse.parse_date("19 Nov 2026", TODAY) == date(2026, 11, 19)
        assert timeparse.parse_date("November 19, 2026", TODAY) == date(2026, 11, 19)
        with pytest.raises(InputError, match="is not a date that exists"):
            timeparse.parse_date("19 novembre 2026", TODAY)  # not English: as before
        with pytest.raises(InputError, match="is not a date that exists"):
            timeparse.parse_date("31 feb 2026", TODAY)
    with i18n.speaking("fr"), pytest.raises(InputError):
        timeparse.parse_date("31 février 2026", TODAY)


def test_a_flag_recorded_in_another_language_is_read_back(monkeypatch):
    monkeypatch.setitem(i18n._catalogs, "fr", _Marking())
    safety._flag_patterns.cache_clear()
    try:
        with i18n.speaking("fr"):
            flags = [f.text for f in safety.injection_findings(
                dose_problems_found=safety.dose_problems(3.0, 1.0, 20, 0.01), meal=False,
                after_close=timedelta(minutes=70), since_previous=timedelta(hours=2))]
        with i18n.speaking("en"):
            assert safety.rules_of(flags) == {"dose", "no-meal", "late", "too-soon"}
    finally:
        safety._flag_patterns.cache_clear()


def test_one_symptom_is_said_once_in_any_language():
    """Two rows finding the same severe symptom say it in the same words, so it is said
    once (as in English), whatever the catalog makes of them."""
    facts = judgement.SymptomFacts("S1", "headache", "severe", AT)
    for lang in ("en", "qps"):
        with i18n.speaking(lang):
            what = judgement.symptom(facts).what
        assert ";" not in what, what


def test_today_and_yesterday_as_the_language_types_them(monkeypatch):
    class French(gettext.NullTranslations):
        def pgettext(self, context: str, message: str) -> str:
            return {"yesterday": "hier", "today": "aujourd'hui", "now": "maintenant"}.get(
                message, message)

    monkeypatch.setitem(i18n._catalogs, "fr", French())
    with i18n.speaking("fr"):
        assert timeparse.parse_date("Hier", TODAY) == TODAY - timedelta(days=1)
        assert timeparse.parse_date("yesterday", TODAY) == TODAY - timedelta(days=1)
        assert timeparse.parse_when("maintenant", AT, PARIS) == AT
        assert timeparse.parse_when("hier 07:30", AT, PARIS) == datetime(
            2026, 11, 23, 6, 30, tzinfo=UTC)
