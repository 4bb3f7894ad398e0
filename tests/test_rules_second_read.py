"""The rules added by issues 22 and 23, at their edges and in their exact words: the one
reader of dates and times, doses in micrograms, vials past their day, the syringe's
tolerance, the high line, vomiting after a dose, the table of mistakes and the table of
urgency. Plain functions, no database: the mutation tests run these (bench/mutation.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.domain import dosing, glucose, guidance, safety, text, timeparse, typed, urgency
from tracker.domain import vials as vial_rules
from tracker.errors import InputError

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 10:00 in Paris
TODAY = date(2026, 12, 3)

def precision(draw: dosing.Draw, child: str) -> str | None:
    """The syringe note as the command line says it (the finer syringe's command)."""
    from tracker.cli.say import text

    note = safety.precision_note(draw, child)
    return None if note is None else text(note)



def said(exc: pytest.ExceptionInfo[InputError]) -> str:
    return str(exc.value)


def local(at: datetime, zone: ZoneInfo = PARIS) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class TestOneReaderOfDatesAndTimes:
    @pytest.mark.parametrize("typed_text,shown", [
        ("19/11/2026 07:35", "2026-11-19 07:35"),
        ("19.11.2026 07:35", "2026-11-19 07:35"),
        ("19 Nov 2026 7:35 pm", "2026-11-19 19:35"),
        ("19 November 2026 7:35pm", "2026-11-19 19:35"),
        ("November 19, 2026 07:35", "2026-11-19 07:35"),
        ("yesterday 7:40 am", "2026-12-02 07:40"),
        ("yesterday 7.40", "2026-12-02 07:40"),
        ("Today 09:15", "2026-12-03 09:15"),
        ("2026-11-19 7h35", "2026-11-19 07:35"),
        ("7:40 pm", "2026-12-02 19:40"),  # a bare time in the past: last night
        ("7:40pm", "2026-12-02 19:40"),
        ("09:30", "2026-12-03 09:30"),
    ])
    def test_a_date_with_a_time_in_every_form(self, typed_text, shown):
        assert local(timeparse.parse_when(typed_text, NOW, PARIS)) == shown

    @pytest.mark.parametrize("typed_text", ["19/11/2026", "2026-11-19", "19 Nov 2026",
                                            "November 19, 2026"])
    def test_a_date_alone_is_the_start_of_its_day_where_a_start_is_asked(self, typed_text):
        start = timeparse.parse_when(typed_text, NOW, PARIS, date_alone=True)
        assert local(start) == "2026-11-19 00:00"
        with pytest.raises(InputError) as e:
            timeparse.parse_when(typed_text, NOW, PARIS)
        assert said(e) == f"{typed_text!r} has no time: add one, e.g. '{typed_text} 07:30'"

    def test_today_and_yesterday_alone(self):
        assert local(timeparse.parse_when("today", NOW, PARIS, date_alone=True)) == (
            "2026-12-03 00:00")
        assert local(timeparse.parse_when("yesterday", NOW, PARIS, date_alone=True)) == (
            "2026-12-02 00:00")

    def test_what_is_neither_a_time_nor_a_date_says_so_in_the_right_words(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_when("banana", NOW, PARIS)
        assert said(e) == ("'banana' is not a time or a date: type it like 07:30, yesterday "
                           "19:30 or 2026-11-20 07:30")
        with pytest.raises(InputError) as e:  # shaped like a time: said as a time
            timeparse.parse_when("7:60pm", NOW, PARIS)
        assert said(e) == "'7:60pm' is not a time of day"
        with pytest.raises(InputError) as e:
            timeparse.parse_when("25:00", NOW, PARIS)
        assert said(e) == "'25:00' is not a time of day: use HH:MM, e.g. 07:30"
        with pytest.raises(InputError) as e:  # a date that does not exist, alone
            timeparse.parse_when("2026-02-30", NOW, PARIS, date_alone=True)
        assert said(e) == "'2026-02-30' is not a date that exists: check the day and month"
        with pytest.raises(InputError) as e:  # words that are not a date, with a time
            timeparse.parse_when("next week 07:30", NOW, PARIS)
        assert said(e).startswith("'next week' is not a date")
        with pytest.raises(InputError) as e:  # a date and a word
            timeparse.parse_when("2026-11-20 at", NOW, PARIS)
        assert said(e).startswith("'2026-11-20 at' is not a date")
        with pytest.raises(InputError) as e:
            timeparse.parse_when("am", NOW, PARIS)
        assert said(e).startswith("'am' is not a time or a date")

    def test_day_first_outside_the_united_states_month_first_in_it(self):
        assert timeparse.day_first(PARIS) and timeparse.day_first("Europe/Paris")
        assert timeparse.day_first(None)
        assert not timeparse.day_first(NEW_YORK) and not timeparse.day_first("America/Chicago")
        # 13/11 reads one way anywhere; its order of readings follows the zone
        assert timeparse.parse_date("13/11/2026", TODAY, PARIS) == date(2026, 11, 13)
        assert timeparse.parse_date("11/13/2026", TODAY, NEW_YORK) == date(2026, 11, 13)
        with pytest.raises(InputError) as e:
            timeparse.parse_date("12/06/2026", TODAY, NEW_YORK)
        assert said(e).startswith("'12/06/2026' could be 6 December 2026 or 12 June 2026")
        with pytest.raises(InputError) as e:
            timeparse.parse_date("12/06/2026", TODAY, PARIS)
        assert said(e).startswith("'12/06/2026' could be 12 June 2026 or 6 December 2026")
        assert local(timeparse.parse_when("11/13/2026 08:00", NOW, NEW_YORK), NEW_YORK) == (
            "2026-11-13 08:00")
        assert timeparse.parse_date("  Yesterday ", TODAY) == date(2026, 12, 2)
        assert timeparse.parse_date("tomorrow", TODAY) == date(2026, 12, 4)
        with pytest.raises(InputError):
            timeparse.parse_date("12/06/19", TODAY, PARIS)  # two readings, two-digit year
        assert typed.one_date("13/06/19", TODAY) == date(2019, 6, 13)
        assert typed.one_date("06/13/19", TODAY, day_first=False) == date(2019, 6, 13)

    def test_a_period_reads_its_dates_in_the_zone(self):
        first, last = timeparse.parse_period("11/13/2026", "11/14/2026", TODAY,
                                             end=TODAY, start=lambda e: e, zone=NEW_YORK)
        assert (first, last) == (date(2026, 11, 13), date(2026, 11, 14))
        first, last = timeparse.parse_period("13/11/2026", "14/11/2026", TODAY,
                                             end=TODAY, start=lambda e: e, zone=PARIS)
        assert (first, last) == (date(2026, 11, 13), date(2026, 11, 14))

    @pytest.mark.parametrize("printed,last_day", [
        ("2027-03", date(2027, 3, 31)), ("2027/3", date(2027, 3, 31)),
        ("03/2027", date(2027, 3, 31)), ("3.2027", date(2027, 3, 31)),
        ("March 2027", date(2027, 3, 31)), ("MAR 2027", date(2027, 3, 31)),
        ("mar. 2027", date(2027, 3, 31)), ("February 2028", date(2028, 2, 29)),
        ("2027-02", date(2027, 2, 28)), ("12/2027", date(2027, 12, 31)),
        ("Dec, 2027", date(2027, 12, 31)), ("30/06/2027", date(2027, 6, 30)),
        ("2027-06-30", date(2027, 6, 30)),
    ])
    def test_an_expiry_printed_as_a_month_is_its_last_day(self, printed, last_day):
        assert timeparse.parse_expiry(printed, TODAY, PARIS) == last_day

    @pytest.mark.parametrize("printed", ["2027-13", "13/2027", "2027-00", "00/2027"])
    def test_a_month_that_does_not_exist(self, printed):
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry(printed, TODAY)
        assert said(e) == f"{printed!r} is not a month that exists: check it"

    def test_an_expiry_in_words_that_is_not_a_month(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry("Smarch 2027", TODAY)
        assert said(e).startswith("'Smarch 2027' is not a date")


class TestDosesAsClinicsWriteThem:
    def test_read_back_in_mg_exact_words(self):
        assert typed.Dose(0.04, "mg/kg").shown_in_mg(10, 20) == (
            "0.04 mg/kg is 0.040 mg/kg = 0.80 mg at 20 kg")
        assert typed.Dose(0.04, "mg/kg").shown_in_mg(10, None) == "0.04 mg/kg is 0.040 mg/kg"
        assert typed.Dose(0.8, "mg", "800 µg").shown_in_mg(10, 20) == (
            "800 µg is 0.80 mg, 0.040 mg/kg at 20 kg")
        assert typed.Dose(0.8, "mg").shown_in_mg(10, None) == "0.8 mg is 0.80 mg"
        assert typed.Dose(13, "units").shown_in_mg(10, None) == (
            "13 units of the 10 mg/mL vial is 1.30 mg")

    def test_micrograms_keep_their_precision(self):
        assert typed.dose("0.5 µg/kg") == typed.Dose(0.0005, "mg/kg", "0.5 µg/kg")
        assert typed.dose("45.5 mcg/kg").amount == 0.0455

    def test_the_longest_unit_is_read_first_when_the_amount_is_wrong(self):
        with pytest.raises(InputError) as e:
            typed.dose("abc mg/kg")  # not "abc mg/" as an amount and "kg" as a unit
        assert said(e) == "'abc' is not a number: type the dose like 21.5"
        with pytest.raises(InputError) as e:
            typed.dose("x units")
        assert said(e) == "'x' is not a number: type the dose like 21.5"

    def test_the_words_of_each_refusal(self):
        how = ("type the dose as the clinic wrote it, like 0.04 mg/kg, 40 µg/kg, 0.8 mg, "
               "0.08 mL or 8 units")
        with pytest.raises(InputError) as e:
            typed.dose("mg/kg")
        assert said(e) == f"'mg/kg' has no amount: {how}"
        with pytest.raises(InputError) as e:
            typed.dose("8 IU")
        assert said(e) == (
            "'8 IU': Increlex is not dosed in international units (IU). The clinic's dose is "
            "in mg/kg, micrograms/kg or mg; 'units' on a sheet are the marks of a U-100 "
            "syringe (8 units = 0.08 mL). Type it as written there, like 0.04 mg/kg or 8 units")
        with pytest.raises(InputError) as e:
            typed.dose("8 drops")
        assert said(e) == f"'8 drops': 'drops' is not a dose unit tracker reads: {how}"


class TestVials:
    OPENED = datetime(2026, 10, 25, 6, 30, tzinfo=UTC)  # 07:30 in Paris, after the change

    def test_on_the_discard_minute_and_a_minute_before(self):
        limit = vial_rules.discard_at(self.OPENED, None, PARIS)
        assert local(limit) == "2026-11-24 07:30"
        assert vial_rules.past_use(self.OPENED, None, limit - timedelta(minutes=1), PARIS) is None
        assert vial_rules.past_use(self.OPENED, None, limit, PARIS) == (
            "drawn from a vial past its discard day, 30 days after opening "
            "(Tue 24 Nov 2026 07:30)")

    def test_an_expiry_before_the_thirty_days(self):
        expires = date(2026, 11, 10)
        at = datetime(2026, 11, 10, 22, 59, tzinfo=UTC)  # 23:59 in Paris: still the day
        assert vial_rules.past_use(self.OPENED, expires, at, PARIS) is None
        assert vial_rules.past_use(self.OPENED, expires, at + timedelta(minutes=1), PARIS) == (
            "drawn from a vial past its expiry date (10 Nov 2026)")
        # an expiry after the thirty days: the discard day says it
        late = date(2027, 6, 30)
        after = vial_rules.discard_at(self.OPENED, None, PARIS)
        assert vial_rules.past_use(self.OPENED, late, after, PARIS).startswith(
            "drawn from a vial past its discard day")
        # an expiry on the thirtieth day itself, after the opening hour: the discard day
        same = date(2026, 11, 24)
        assert vial_rules.past_use(self.OPENED, same, after, PARIS).startswith(
            "drawn from a vial past its discard day")

    def test_a_shortfall_at_its_edge(self):
        assert vial_rules.shortfall(0.08, 0.08) is None
        assert vial_rules.shortfall(0.08 - 1e-10, 0.08) is None  # rounding noise
        assert vial_rules.shortfall(0.07, 0.08) == (
            "drawn 0.08 mL from a vial that held about 0.07 mL: the dose may have been short")

    @pytest.mark.parametrize("typed_reason,advice", [
        ("left out", "left out of the refrigerator"), ("Left out overnight", "left out"),
        ("frozen", "was frozen"), ("warm all day", "left out"),
        ("not refrigerated", "left out"), ("DROPPED", "dropped or cracked"),
        ("cracked", "dropped or cracked"), ("broken cap", "dropped or cracked"),
        ("cloudy", "particles, clouding"), ("particles", "particles"),
        ("discoloured", "colour change"), ("discolored", "colour change"),
        ("expired", "expired vial"), ("out of date", "expired vial"),
        ("contaminated", "contaminated"), ("the cat", "ask the pharmacist or clinic"),
    ])
    def test_each_reason_gets_its_advice(self, typed_reason, advice):
        shown, what = vial_rules.discard_reason(f"  {typed_reason} ")
        assert shown == typed_reason.strip()
        assert advice in what


class TestSyringeTolerance:
    def test_exactly_at_ten_percent_is_within(self):
        # 0.5 mg on 1-unit marks is 5 units exactly; 0.455 mg -> 5 units is 9.9% more
        assert precision(dosing.draw(0.455, syringe=dosing.SYRINGES["1ml"]),
                                     "Mia") is None
        # 0.44 mg: 4.4 units -> 4 (9.1% less): within; 0.43 -> 4 (7%); 0.45 -> 5 (11% more)
        assert precision(dosing.draw(0.44, syringe=dosing.SYRINGES["1ml"]),
                                     "Mia") is None
        note = precision(dosing.draw(0.45, syringe=dosing.SYRINGES["1ml"]), "Mia")
        assert note == ("the 1 mL syringe with 1-unit marks is too coarse for this dose: 5 "
                        "units is 11% more than the prescribed 0.45 mg: use a 0.3 mL syringe "
                        "with half-unit marks (tracker child Mia --syringe 0.3ml-half)")

    def test_the_finer_syringe_must_hold_the_dose(self):
        # 35 units is beyond the half-unit syringe: no finer one holds it
        d = dosing.draw(3.45, syringe=dosing.SYRINGES["1ml-2"])  # 34.5 -> 34 or 36
        assert precision(d, "Mia") is None  # 1.4% off: fine
        tiny = dosing.draw(0.13, syringe=dosing.SYRINGES["1ml-2"])  # 1.3 units -> 2 (54%)
        assert precision(tiny, "Ana Lu").endswith(
            "use a 0.3 mL syringe with half-unit marks (tracker child 'Ana Lu' --syringe "
            "0.3ml-half)")
        nothing = dosing.Draw(0.0, 0.0, dosing.SYRINGES["1ml"], 10, False)
        assert precision(nothing, "Mia") is None


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


def test_counts_as_a_person_writes_them():
    assert text.counted(1, "dose slot") == "1 dose slot"
    assert text.counted(0, "dose slot") == "0 dose slots"
    assert text.counted(2, "resource") == "2 resources"
    assert text.counted(7304, "dose slot") == "7,304 dose slots"


class TestEdgesOfTheSecondRead:
    def test_the_zone_orders_the_readings_of_every_reader(self):
        for read in (lambda t: timeparse.parse_when(f"{t} 08:00", NOW, NEW_YORK),
                     lambda t: timeparse.parse_expiry(t, TODAY, NEW_YORK),
                     lambda t: timeparse.parse_period(t, None, TODAY, end=TODAY,
                                                      start=lambda e: e, zone=NEW_YORK),
                     lambda t: timeparse.parse_period(None, t, TODAY, end=TODAY,
                                                      start=lambda e: e, zone=NEW_YORK)):
            with pytest.raises(InputError) as e:
                read("06/12/2026")
            assert said(e).startswith("'06/12/2026' could be 12 June 2026 or 6 December 2026")
        with pytest.raises(InputError) as e:
            typed.one_date("12/06/2019", TODAY)  # day first unless told otherwise
        assert said(e).startswith("'12/06/2019' could be 12 June 2019 or 6 December 2019")

    def test_an_expiry_in_january_and_with_a_two_digit_year(self):
        assert timeparse.parse_expiry("2027-01", TODAY) == date(2027, 1, 31)
        assert timeparse.parse_expiry("01/2027", TODAY) == date(2027, 1, 31)
        assert timeparse.parse_expiry("30/06/27", TODAY, PARIS) == date(2027, 6, 30)
        assert timeparse.parse_expiry("tomorrow", TODAY) == date(2026, 12, 4)
        assert timeparse.parse_expiry("31/12/99", TODAY, PARIS) == date(2099, 12, 31)

    @pytest.mark.parametrize("printed", ["03/27", "3/27", "MAR 27", "Mar-27", "mar. 2027",
                                         "EXP 03/27", "Exp. 2027-03", "exp: 03/2027",
                                         "expiry MAR 27", "Use by 31/03/2027"])
    def test_an_expiry_as_boxes_print_it(self, printed):
        assert timeparse.parse_expiry(printed, TODAY, NEW_YORK) == date(2027, 3, 31)

    def test_an_expiry_word_alone_or_inside_a_word_is_not_a_date(self):
        for typed_text in ("expires", "express 03/27"):
            with pytest.raises(InputError) as e:
                timeparse.parse_expiry(typed_text, TODAY)
            assert said(e).startswith(f"'{typed_text}' is not a date: type it like")
        with pytest.raises(InputError) as e:
            timeparse.parse_expiry("13/27", TODAY)
        assert said(e) == "'13/27' is not a month that exists: check it"
        with pytest.raises(InputError) as e:  # day first in Paris, month first in New York
            timeparse.parse_expiry("06/12/27", TODAY, PARIS)
        assert said(e).startswith("'06/12/27' could be 6 December 2027 or 12 June 2027")

    def test_a_date_and_a_word_is_not_taken_for_an_iso_instant(self):
        with pytest.raises(InputError) as e:
            timeparse.parse_when("2026-11-20 at", NOW, PARIS)
        assert said(e) == ("'2026-11-20 at' is not a date: type it like 2019-06-12, "
                           "12/06/2019 or 12 June 2019")

    def test_micrograms_to_six_places(self):
        assert typed.dose("40.1234 µg/kg").amount == 0.040123

    def test_no_dose_unit_ends_another_ones_name(self):
        units = list(typed._DOSE_UNITS)
        assert not [(a, b) for a in units for b in units if a != b and a.endswith(b)]

    def test_the_precision_of_a_draw_at_its_edges(self):
        whole, two = dosing.SYRINGES["1ml"], dosing.SYRINGES["1ml-2"]
        unmeasurable = dosing.draw(0.02, syringe=whole)  # 0.2 units: no mark
        assert not unmeasurable.measurable and precision(unmeasurable, "M") is None
        assert precision(dosing.Draw(0.0, 1.0, whole, 10, False), "M") is None
        assert precision(dosing.Draw(1.0, 11.0, whole, 10, False), "M") is None
        assert precision(dosing.Draw(1.0, 9.0, whole, 10, False), "M") is None
        over = precision(dosing.Draw(1.0, 12.0, whole, 10, False), "M")
        assert over is not None and "12 units is 20% more" in over
        # exactly 30 units prescribed: the half-unit syringe holds it and is the finest
        note = precision(dosing.Draw(3.0, 26.0, two, 10, False), "M")
        assert note is not None and note.endswith("(tracker child M --syringe 0.3ml-half)")

    def test_an_expiry_that_comes_after_the_thirty_days_on_a_dst_day(self):
        opened = datetime(2026, 10, 24, 21, 45, tzinfo=UTC)  # 23:45 in Paris, before DST
        limit = vial_rules.discard_at(opened, date(2026, 11, 23), PARIS)
        assert local(limit) == "2026-11-23 23:45"  # 30 days on the calendar, not 720 h
        assert vial_rules.past_use(opened, date(2026, 11, 23), limit, PARIS).startswith(
            "drawn from a vial past its discard day")
        limit = vial_rules.discard_at(opened, date(2026, 11, 22), PARIS)
        assert vial_rules.past_use(opened, date(2026, 11, 22), limit, PARIS) == (
            "drawn from a vial past its expiry date (22 Nov 2026)")
