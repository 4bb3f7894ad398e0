"""Reading what people type (tracker.domain.typed): numbers with a decimal comma, dates
in the forms people write them, and doses as the clinic wrote them."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain import typed
from tracker.errors import InputError

TODAY = date(2026, 11, 24)


def message(e: pytest.ExceptionInfo[InputError]) -> str:
    return str(e.value)


def test_numbers_with_a_comma_a_unit_or_spaces():
    assert typed.number("21,5", "weight") == 21.5
    assert typed.number(" 21.5 kg ", "weight", "kg") == 21.5
    assert typed.number("21.5KG", "weight", "kg") == 21.5
    assert typed.number("0,04", "dose") == 0.04
    assert typed.number(".5", "dose") == 0.5 and typed.number("-3", "change") == -3
    assert typed.number("118", "height", "cm") == 118
    for bad in ("21,5,1", "abc", "", "1.2.3", "21 lb"):
        with pytest.raises(InputError):
            typed.number(bad, "weight", "kg")
    with pytest.raises(InputError) as e:
        typed.number("twenty", "weight", "kg")
    assert message(e) == "'twenty' is not a number: type the weight like 21.5 kg"
    with pytest.raises(InputError) as e:
        typed.number("x", "dose")
    assert message(e) == "'x' is not a number: type the dose like 21.5"


def test_dates_in_the_forms_people_write():
    june12 = date(2019, 6, 12)
    for text in ("2019-06-12", "2019/6/12", "12 June 2019", "June 12, 2019", "12th jun 2019",
                 "Jun 12 2019", "12-06-2019", "2019.06.12"):
        assert june12 in typed.dates(text, TODAY), text
    assert typed.dates("12/06/2019", TODAY) == [june12, date(2019, 12, 6)]
    assert typed.dates("12/06/2019", TODAY, day_first=False) == [date(2019, 12, 6), june12]
    assert typed.dates("12.06.19", TODAY) == [june12, date(2019, 12, 6)]
    assert typed.dates("13/06/2019", TODAY) == [date(2019, 6, 13)]  # only one reading
    assert typed.dates("06/13/2019", TODAY) == [date(2019, 6, 13)]
    assert typed.dates("06/06/2019", TODAY) == [date(2019, 6, 6)]  # both readings the same
    assert typed.dates("1/2/26", TODAY) == [date(2026, 2, 1), date(2026, 1, 2)]
    assert typed.dates("1/2/27", TODAY) == [date(1927, 2, 1), date(1927, 1, 2)]  # not ahead
    assert typed.dates("today", TODAY) == [TODAY]
    assert typed.dates(" Yesterday ", TODAY) == [date(2026, 11, 23)]
    for bad in ("31/31/2019", "2019-02-30", "12 Smarch 2019", "30 February 2019", "soon",
                "12/06", "2019"):
        assert typed.dates(bad, TODAY) == [], bad
    assert typed.in_words(june12) == "12 June 2019"
    assert typed.one_date("12 June 2019", TODAY) == june12


def test_doses_need_their_unit_and_convert_at_the_vial_strength():
    assert typed.dose("0.04 mg/kg") == typed.Dose(0.04, "mg/kg")
    assert typed.dose("0,8mg") == typed.Dose(0.8, "mg")
    assert typed.dose("0.08 mL") == typed.Dose(0.08, "mL")
    assert typed.dose("13 units") == typed.Dose(13, "units")
    assert typed.dose("13 unit") == typed.Dose(13, "units")
    assert typed.dose("13u") == typed.Dose(13, "units")
    assert typed.dose("0.04 mg per kg") == typed.Dose(0.04, "mg/kg")
    assert typed.Dose(13, "units").mg(10.0) == pytest.approx(1.3)
    assert typed.Dose(0.13, "mL").mg(10.0) == pytest.approx(1.3)
    assert typed.Dose(0.8, "mg").mg(10.0) == 0.8
    assert typed.Dose(0.04, "mg/kg").mg(10.0, 21.5) == pytest.approx(0.86)
    assert typed.Dose(0.04, "mg/kg").mg(10.0) is None
    assert typed.Dose(13, "units").describe() == "13 units"
    with pytest.raises(InputError) as e:
        typed.dose("0.08")
    assert message(e) == ("'0.08' needs its unit: type the dose as the clinic wrote it, like "
                          "0.04 mg/kg, 40 µg/kg, 0.8 mg, 0.08 mL or 8 units")
    with pytest.raises(InputError) as e:
        typed.dose("0 mg")
    assert message(e) == "'0 mg': a dose is more than zero"
    for bad in ("mg", "units", "abc mg", "8 ounces"):
        with pytest.raises(InputError):
            typed.dose(bad)


def test_a_choice_is_read_by_its_number_or_its_name_as_people_type_it():
    from tracker.domain.sites import SITES, normalise_site
    from tracker.services.record.questions import CHOICE, Question

    site = Question("site", "Site", kind=CHOICE, choices=SITES, normalise=normalise_site)
    assert site.read_choice(" 3 ") == "left-thigh"
    assert site.read_choice("8") == "right-buttock"
    for typed_site in ("left thigh", "Left Thigh", "left-thigh", "LEFT_THIGH"):
        assert site.read_choice(typed_site) == "left-thigh"
    for wrong in ("0", "9"):
        with pytest.raises(InputError, match=f"there is no {wrong} in the list: type 1 to 8"):
            site.read_choice(wrong)
    with pytest.raises(InputError, match="unknown site 'elbow'"):
        site.read_choice("elbow")
    reason = Question("why", "Why", kind=CHOICE, choices=("not eating", "ill"))
    assert reason.read_choice("Ill") == "ill" and reason.read_choice("1") == "not eating"
    with pytest.raises(InputError, match="type its number \\(1 to 2\\) or its name"):
        reason.read_choice("tired")


def test_what_cannot_be_read_as_a_date_is_said_in_the_right_words():
    for shaped in ("31 June 2019", "June 31, 2019", "June 31,2019", "JUNE 31 2019", "31/31/2019",
                   "2019-02-30"):
        with pytest.raises(InputError) as e:
            typed.some_dates(shaped, TODAY)
        assert message(e) == f"{shaped!r} is not a date that exists: check the day and month"
    for other in ("soon", "12 smarch", "31 June"):
        with pytest.raises(InputError) as e:
            typed.some_dates(other, TODAY)
        assert message(e).endswith("is not a date: type it like 2019-06-12, 12/06/2019 or "
                                   "12 June 2019")
    assert typed.dates("June 12,2019", TODAY) == [date(2019, 6, 12)]  # no space after it
    assert typed.some_dates("12/06/2019", TODAY) == [date(2019, 6, 12), date(2019, 12, 6)]
    with pytest.raises(InputError) as e:
        typed.one_date("12/06/2019", TODAY, day_first=False)
    assert message(e) == ("'12/06/2019' could be 6 December 2019 or 12 June 2019: write "
                          "2019-12-06 (year-month-day) to say which")


def test_a_dose_is_read_with_its_unit_and_volumes_are_shown_in_mg():
    assert typed.dose("13 units") == typed.Dose(13, "units")
    assert typed.dose("0,13 ml") == typed.Dose(0.13, "mL")
    assert typed.dose("0.04mg/kg") == typed.Dose(0.04, "mg/kg")
    for no_amount in ("mg", "units"):
        with pytest.raises(InputError) as e:
            typed.dose(no_amount)
        assert message(e).startswith(f"{no_amount!r} has no amount: type the dose")
    with pytest.raises(InputError) as e:
        typed.dose("abc mg")
    assert message(e) == "'abc' is not a number: type the dose like 21.5"
    assert typed.Dose(13, "units").shown_in_mg(10, 20) == (
        "13 units of the 10 mg/mL vial is 1.30 mg, 0.065 mg/kg at 20 kg")
    assert typed.Dose(0.13, "mL").shown_in_mg(10, None) == "0.13 mL of the 10 mg/mL vial is 1.30 mg"


@pytest.mark.parametrize("written", ["40 µg/kg", "40 μg/kg", "40 mcg/kg", "40 microgram/kg",
                                     "40 micrograms/kg", "40 ug/kg", "40 MCG/KG",
                                     "40 µg/kg/dose", "40 micrograms per kg"])
def test_micrograms_per_kg_as_european_sheets_and_the_label_write_them(written):
    d = typed.dose(written)
    assert (d.amount, d.unit, d.written) == (0.04, "mg/kg", "40 µg/kg")
    assert d.needs_reading_back
    assert d.shown_in_mg(10, 20) == "40 µg/kg is 0.040 mg/kg = 0.80 mg at 20 kg"


def test_per_dose_and_micrograms_of_a_fixed_dose():
    assert typed.dose("0.04mg/kg/dose") == typed.Dose(0.04, "mg/kg")
    assert typed.dose("0,04 mg/kg per injection") == typed.Dose(0.04, "mg/kg")
    assert typed.dose("800 mcg") == typed.Dose(0.8, "mg", "800 µg")
    assert not typed.dose("0.8 mg").needs_reading_back


@pytest.mark.parametrize("written", ["8 IU", "8 iu", "8 I.U.", "8 international units"])
def test_international_units_are_refused_with_what_units_mean_here(written):
    with pytest.raises(InputError) as e:
        typed.dose(written)
    assert message(e).startswith(f"{written!r}: Increlex is not dosed in international units")
    assert "marks of a U-100 syringe" in message(e)


def test_a_unit_that_is_there_is_never_said_to_be_missing():
    with pytest.raises(InputError) as e:
        typed.dose("8 ounces")
    assert message(e).startswith("'8 ounces': 'ounces' is not a dose unit tracker reads")
    assert "needs its unit" not in message(e)
