"""The growth rules (tracker.domain.growth): which heights a velocity is taken over, and
the words for sex and reference. Each test sits on a limit and just past it."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tracker.domain import growth
from tracker.errors import InputError

D0 = date(2026, 1, 1)


def h(days: int, cm: float) -> tuple[date, float]:
    return (D0 + timedelta(days=days), cm)


def test_velocity_needs_six_months():
    assert growth.velocity([h(0, 110.0), h(181, 113.0)]) is None  # a day short
    v = growth.velocity([h(0, 110.0), h(182, 113.0)])
    assert v is not None and v.first == D0 and v.last == D0 + timedelta(days=182)
    assert v.cm_per_year == pytest.approx(3.0 / (182 / 365.25))
    assert growth.velocity([h(0, 110.0)]) is None and growth.velocity([]) is None


def test_velocity_takes_the_span_nearest_a_year_up_to_the_latest_height():
    heights = [h(0, 100.0), h(200, 103.0), h(400, 106.0), h(600, 108.0)]
    v = growth.velocity(heights)
    assert v is not None
    assert (v.first, v.last) == (D0 + timedelta(days=200), D0 + timedelta(days=600))
    assert v.cm_per_year == pytest.approx(5.0 / (400 / 365.25))
    # equally near a year on both sides: the earlier one (a longer span)
    tie = growth.velocity([h(0, 100.0), h(370, 105.5), h(500, 105.0), h(800, 107.0)])
    assert tie is not None and tie.first == D0 + timedelta(days=370)  # 430 days, not 300
    # a year is 365 days: of spans of 365 and 366 days, the first
    year = growth.velocity([h(0, 100.0), h(1, 100.1), h(366, 106.0)])
    assert year is not None and year.first == D0 + timedelta(days=1)
    # order of input does not matter
    assert growth.velocity(list(reversed(heights))) == v


def test_sex_and_reference_words():
    assert [growth.normalise_sex(t) for t in ("F", " girl ", "female", "m", "Boy", "MALE")] == [
        "female", "female", "female", "male", "male", "male"]
    with pytest.raises(InputError, match="female or male"):
        growth.normalise_sex("x")
    assert [growth.normalise_reference(t) for t in ("UK-WHO", "uk_who", "uk", "uk who",
                                                    "ukwho", "CDC", "who", " WHO ")] == [
        "uk-who", "uk-who", "uk-who", "uk-who", "uk-who", "cdc", "who", "who"]
    with pytest.raises(InputError, match=r"uk-who .*, who .* or cdc"):
        growth.normalise_reference("who-2006")


def test_default_reference_follows_the_country_of_the_zone():
    assert growth.default_reference("America/New_York") == "cdc"
    assert growth.default_reference("US/Pacific") == "cdc"
    assert growth.default_reference("Pacific/Honolulu") == "cdc"
    assert growth.default_reference("America/Toronto") == "who"
    assert growth.default_reference("Europe/London") == "uk-who"
    assert growth.default_reference("UTC") == "who"  # no country: the international charts


def test_chart_ages_span_the_child_with_room_and_at_least_two_years():
    assert growth.age_years(date(2018, 1, 1), date(2019, 1, 1)) == pytest.approx(365 / 365.25)
    ages = growth.chart_ages([8.1, 8.6])  # 7.6 to 9.1 widened to 7.35 to 9.35
    assert (ages[0], ages[-1]) == (7.25, 9.5)
    assert growth.chart_ages([5.0, 6.5])[0] == 4.5  # 4.5 to 7.0: two and a half years, kept
    assert all(b - a == pytest.approx(0.25) for a, b in itertools.pairwise(ages))
    wide = growth.chart_ages([5.0, 9.0])
    assert wide[0] == 4.5 and 9.5 <= wide[-1] <= 9.75
    assert growth.chart_ages([0.2, 0.4])[0] == 0.0  # never before birth
