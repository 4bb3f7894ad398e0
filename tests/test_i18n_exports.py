"""Exports and the clinic report in the reader's language (issue 33).

Files for programs (CSV, JSON, FHIR) are the same bytes in every language; the words a
person reads in a workbook or a calendar, and the whole clinic report, go through the
catalog: under the pseudo-language `qps` no English is left (tests/pseudo.py). The report
takes --language (a family that reads Arabic, a clinic that reads French): Arabic is
written right to left, shaped, with an Arabic font.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pseudo import english_left

from tracker import i18n
from tracker.exports import fonts
from tracker.exports.pdf_text import rtl_islands
from tracker.i18n.pseudo import PseudoTranslations

REASON = "not eating"  # typed by a parent: data, in any language


def life(tracker, clock, name: str = "Mia") -> None:
    """Seven weeks of a log: doses given, late, withheld, missed and one extra (flagged),
    a side effect, a low, a vial, heights and a weight."""
    clock.set("2026-10-01T06:00:00+02:00")
    tracker.ok("init", "--child", name, "--birth-date", "2018-05-01", "--weight", "20",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris", "--since",
               "2026-10-01", "--sex", "female")
    tracker.ok("measure", "--height", "116", "--on", "2026-10-01")
    clock.set("2026-11-20T07:50:00+01:00")
    tracker.ok("give", "--site", "left-thigh")
    clock.set("2026-11-20T19:40:00+01:00")
    tracker.ok("skip", "--reason", REASON)
    clock.set("2026-11-21T07:20:00+01:00")
    tracker.ok("give", "--site", "right-thigh")
    clock.set("2026-11-21T09:00:00+01:00")
    tracker.ok("symptom", "injection-site", "--severity", "mild")
    clock.set("2026-11-22T08:00:00+01:00")
    tracker.ok("give", "--site", "left-abdomen", "--at", "07:35")
    tracker.ok("give", "--site", "right-abdomen", "--force", "--reason", "leaked")
    tracker.ok("vial", "open")
    tracker.ok("glucose", "50")
    tracker.ok("measure", "--height", "118.5", "--weight", "21")
    clock.set("2026-11-22T10:00:00+01:00")


def speaking(monkeypatch, lang: str | None) -> None:
    """The caregiver's language for the next commands (their setting, as `main` reads it)."""
    if lang is None:
        monkeypatch.delenv("TRACKER_LANGUAGE", raising=False)
    else:
        monkeypatch.setenv("TRACKER_LANGUAGE", lang)


@pytest.fixture
def poppler():
    if not all(shutil.which(t) for t in ("pdftotext", "pdffonts")):
        pytest.skip("no poppler-utils here (CI installs them)")


def pdftext(path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def cldr_names(locale: str) -> set[str]:
    """The days' and months' names CLDR gives a locale, word by word: they come from
    tracker.i18n.formats, not from a sentence (the pseudo-language formats as English)."""
    from babel.dates import get_day_names, get_month_names

    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for table in (get_day_names(width, context, locale),
                          get_month_names(width, context, locale)):
                names |= {w.strip(".") for name in table.values() for w in name.split()}
    return names


# data in the report: names, the zone and its country, what a parent typed
DATA = {"Mia", "Anna", "Europe", "Paris", "France", "not", "eating", "leaked"}


def test_machine_files_are_the_same_bytes_in_every_language(tracker, clock, monkeypatch):
    life(tracker, clock)
    for fmt in ("csv", "json", "fhir"):
        for what in ("doses", "symptoms", "glucose", "growth"):
            args = ("export", "--format", fmt, "--what", what, "--from", "2026-10-01")
            speaking(monkeypatch, None)
            english = tracker.ok(*args).out
            assert english.strip(), (fmt, what)
            for lang in ("fr", "qps", "ar"):
                speaking(monkeypatch, lang)
                assert tracker.ok(*args).out == english, (fmt, what, lang)
                # asking for a language changes nothing in a file for programs
                assert tracker.ok(*args, "--language", "de").out == english, (fmt, what)


def test_the_workbook_and_the_calendar_speak_the_readers_language(tracker, clock,
                                                                     monkeypatch, tmp_path):
    import openpyxl
    from icalendar import Calendar

    life(tracker, clock)
    speaking(monkeypatch, None)
    english_book = tmp_path / "en.xlsx"
    tracker.ok("export", "--format", "xlsx", "-o", str(english_book))
    english_ics = tracker.ok("export", "--format", "ics").out
    speaking(monkeypatch, "qps")
    book_path = tmp_path / "qps.xlsx"
    tracker.ok("export", "--format", "xlsx", "-o", str(book_path))
    book = openpyxl.load_workbook(book_path)
    english = openpyxl.load_workbook(english_book)
    assert book.sheetnames == english.sheetnames == ["doses", "about"]  # names: structure
    header = [c.value for c in book["doses"][1]]
    assert english_left("\n".join(header)) == []
    assert all(h.startswith("⟦") for h in header)
    labels = [r[0].value for r in book["about"].iter_rows()]
    assert english_left("\n".join(labels)) == []
    # the values are the same, in the same types (the judgement is words for a person)
    said = [c.value for c in english["doses"][1]].index("judgement")

    def values(sheet):
        return [[c.value for i, c in enumerate(row) if i != said]
                for row in sheet.iter_rows(min_row=2)]

    assert values(book["doses"]) == values(english["doses"])

    ics = tracker.ok("export", "--format", "ics").out
    calendar, original = Calendar.from_ical(ics), Calendar.from_ical(english_ics)
    words = [str(calendar.get("x-wr-calname"))]
    for event in calendar.walk("VEVENT"):
        words += [str(event.get("summary")), str(event.get("description"))]
        words += [str(alarm.get("description")) for alarm in event.walk("VALARM")]
    assert english_left("\n".join(words), also={"Mia"}) == [], words
    # the calendar's structure does not change with the language
    assert str(calendar.get("prodid")) == str(original.get("prodid"))

    def structure(cal):
        return [(str(e.get("uid")), e.decoded("dtstart"), e.decoded("dtend"),
                 e.get("rrule") and e.get("rrule").to_ical())
                for e in cal.walk("VEVENT")]

    assert structure(calendar) == structure(original)
    assert ([c.to_ical() for c in calendar.walk("VTIMEZONE")]
            == [c.to_ical() for c in original.walk("VTIMEZONE")])


def test_export_language_is_the_files_and_the_terminal_stays_the_caregivers(
        tracker, clock, monkeypatch, tmp_path):
    """--language fr from an English terminal: the calendar's words go through the French
    catalog (the pseudo-language stands in for it until translators finish); what the
    terminal says stays English."""
    import openpyxl

    life(tracker, clock)
    speaking(monkeypatch, None)
    monkeypatch.setitem(i18n._catalogs, "fr", PseudoTranslations())
    ics = tracker.ok("export", "--format", "ics", "--language", "fr").out
    assert "SUMMARY:⟦" in ics and "SUMMARY:Increlex" not in ics
    target = tmp_path / "fr.xlsx"
    said = tracker.ok("export", "--format", "xlsx", "--language", "fr", "-o", str(target)).err
    assert said.startswith("Wrote ")
    assert openpyxl.load_workbook(target)["doses"]["A1"].value.startswith("⟦")


def test_the_report_under_the_pseudo_language_has_no_english_left(poppler, tracker, clock,
                                                                   monkeypatch, tmp_path):
    speaking(monkeypatch, "qps")  # a family whose log is kept in the pseudo-language too:
    life(tracker, clock)  # the flags it recorded are in it (they are kept as recorded)
    target = tmp_path / "qps.pdf"
    said = tracker.ok("report", "--from", "2026-10-01", "-o", str(target)).out
    assert english_left(said, also={str(target), "qps.pdf"}) == []
    text = pdftext(target)
    assert "⟦" in text
    assert english_left(text, also=DATA | cldr_names("en")) == []


def test_a_clinic_that_reads_french_gets_the_report_in_french(poppler, tracker, clock,
                                                               monkeypatch, tmp_path):
    """From an English terminal, --language fr: every word through the French catalog
    (the pseudo-language stands in for it until translators finish), dates and numbers
    as French writes them (CLDR's, through tracker.i18n.formats)."""
    monkeypatch.setitem(i18n._catalogs, "fr", PseudoTranslations())
    speaking(monkeypatch, "fr")  # the log kept in French: its flags are recorded in it
    life(tracker, clock)
    speaking(monkeypatch, None)
    target = tmp_path / "fr.pdf"
    said = tracker.ok("report", "--from", "2026-10-01", "-o", str(target), "--language",
                      "fr").out
    assert said.startswith("Wrote ")  # the terminal stays in the caregiver's language
    text = pdftext(target)
    assert english_left(text, also=DATA | cldr_names("fr")) == []
    flat = " ".join(text.split())
    assert "22 nov. 2026" in flat and "octobre" in flat  # dates and months in French
    assert "118,5" in flat and "8,6" in flat  # a decimal comma
    assert "Nov 2026" not in flat


def test_a_german_report_names_months_and_days_in_german(poppler, tracker, clock,
                                                         monkeypatch, tmp_path):
    life(tracker, clock)
    speaking(monkeypatch, "de")
    target = tmp_path / "de.pdf"
    tracker.ok("report", "--from", "2026-10-01", "-o", str(target))
    flat = " ".join(pdftext(target).split())
    assert "Oktober 2026" in flat and "Dezember" not in flat
    assert "Mo." in flat and "So." in flat  # the calendar's days
    assert "118,5" in flat


ARABIC = "مريم"  # the child's name as her family writes it


def test_an_arabic_report_is_right_to_left_shaped_and_in_an_arabic_font(
        poppler, tracker, clock, monkeypatch, tmp_path):
    # .ci/run installs fonts-noto-core; a machine without an Arabic font fails here
    assert "Arabic" not in fonts.choose([ARABIC]).missing, "install fonts-noto-core"
    life(tracker, clock, name=ARABIC)
    speaking(monkeypatch, None)
    from fpdf import FPDF

    shaped: list[tuple[object, ...]] = []
    plain_set = FPDF.set_text_shaping

    def recording(self, use_shaping_engine=True, features=None, direction=None, script=None,
                  language=None):
        shaped.append((use_shaping_engine, direction, script, language))
        return plain_set(self, use_shaping_engine, features, direction, script, language)

    monkeypatch.setattr(FPDF, "set_text_shaping", recording)
    target = tmp_path / "ar.pdf"
    tracker.ok("report", "--from", "2026-10-01", "-o", str(target), "--language", "ar")
    assert (True, "rtl", "arab", "ara") in shaped  # Arabic shaped as Arabic, right to left
    text = pdftext(target)
    assert ARABIC in text  # read back in its order: drawn right to left
    # right-aligned: the title's line starts far from the left margin, and the log's
    # stamps (its first column in English) are at the right end of their lines
    title = next(line for line in pdftext(target, "-layout").splitlines() if ARABIC in line)
    assert len(title) - len(title.lstrip()) > 20, title
    bidi = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # as pdftotext marks runs
    log_line = next(bidi.sub("", line) for line in
                    pdftext(target, "-layout", "-f", "3").splitlines() if "D1" in line)
    # the entry's reference and stamp (its first columns in English) are at the right
    assert log_line.index("Anna") < log_line.index("D1") < log_line.rindex("2026"), log_line
    assert "أكتوبر" in text  # CLDR's October in Arabic: the calendar's months
    assert not any("\u0660" <= ch <= "\u0669" for ch in text)  # Western digits
    fonts_used = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True,
                                check=True).stdout
    assert "Arabic" in fonts_used


def test_right_to_left_runs_as_the_bidirectional_algorithm_resolves_them():
    assert rtl_islands("المئين 2.9 (WHO)") == [
        ("المئين ", "rtl"), ("2.9", "ltr"), (" (", "rtl"), ("WHO", "ltr"), (")", "rtl")]
    # a date as CLDR writes it in Arabic (right-to-left marks): read day first, from the
    # right; a Latin word takes the number after it
    assert rtl_islands("22\u200f/11\u200f/2026: SDS -1.90، المئين") == [
        ("22", "ltr"), ("\u200f/", "rtl"), ("11", "ltr"), ("\u200f/", "rtl"),
        ("2026", "ltr"), (": ", "rtl"), ("SDS -1.90", "ltr"), ("، المئين", "rtl")]
    assert rtl_islands("الالتزام 95%: 3 من 4") == [
        ("الالتزام ", "rtl"), ("95%", "ltr"), (": ", "rtl"), ("3", "ltr"), (" من ", "rtl"),
        ("4", "ltr")]
    assert rtl_islands("-2.5 SDS") == [("-2.5", "ltr"), (" ", "rtl"), ("SDS", "ltr")]
    assert rtl_islands("G1  2026-11-22 10:00") == [("G1  2026-11-22 10:00", "ltr")]
    assert rtl_islands("") == []


def test_every_language_a_report_takes_is_one_tracker_speaks():
    from tracker.cli.report_cmds import report

    choice = next(p for p in report.params if p.name == "lang").type
    assert list(choice.choices) == i18n.available()


def test_an_amount_and_its_unit_stay_together_in_arabic():
    """The Arabic catalog puts each amount and its unit in a left-to-right isolate: the
    report reads "0.80 mg = 0.08 mL = 8 وحدة" from the right, never "mg = 0.08 mL = 8 0.80"."""
    line = "\u20660.80 mg\u2069 = \u20660.08 mL\u2069 = 8 وحدة"
    assert rtl_islands(line) == [("0.80 mg", "ltr"), (" = ", "rtl"), ("0.08 mL", "ltr"),
                                 (" = ", "rtl"), ("8", "ltr"), (" وحدة", "rtl")]
    with i18n.speaking("ar"):
        from tracker.domain.dosing import describe_amount

        said = describe_amount(0.8)
    assert "\u20660.80 mg\u2069" in said and "\u20660.08 mL\u2069" in said
