"""The glucose meter's unit where the family lives (issue 30 item 5).

14 is a high in mmol/L and a severe low in mg/dL: a family in Regina, St John's, Moncton,
Montreal, Belfast, Jersey or the Isle of Man reads mmol/L, and tracker must not answer
their high as a low because their zone was missing from a list. The unit comes from the
zone's country (the time-zone database's own tables) and a cited country table; where
that is unsure (Germany) there is no default: the person is asked.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import MIA, Clock, Tracker

from tracker import config
from tracker.domain import meter_units
from tracker.domain.meter_units import MGDL, MMOL, usual_unit

MMOL_ZONES = ["America/Regina", "America/St_Johns", "America/Moncton",
              "America/Montreal",  # a link to America/Toronto
              "America/Toronto",
              "Europe/Belfast",  # a link to Europe/London
              "Europe/Jersey", "Europe/Isle_of_Man", "Europe/London",
              "Australia/Lord_Howe",
              "Canada/Newfoundland"]  # an old name, a link to America/St_Johns
MGDL_ZONES = ["America/New_York", "America/Denver", "Asia/Tokyo", "Europe/Paris",
              "US/Eastern"]  # an old name, a link to America/New_York


@pytest.mark.parametrize("zone", MMOL_ZONES)
def test_where_meters_read_mmol(zone: str) -> None:
    assert usual_unit(zone) == MMOL


@pytest.mark.parametrize("zone", MGDL_ZONES)
def test_where_meters_read_mgdl(zone: str) -> None:
    assert usual_unit(zone) == MGDL


@pytest.mark.parametrize("zone", ["Europe/Berlin",  # both units in use: ask
                                  "Europe/Vienna",  # unsure: ask
                                  "Africa/Lagos",  # no source: ask, never guess
                                  "UTC", "Etc/GMT+5",  # no country at all
                                  "CET", "EST5EDT",  # a clock's name, not a place
                                  "Iceland",  # a link across a border (to Africa/Abidjan)
                                  "Atlantic/Jan_Mayen",  # a link to Europe/Berlin
                                  "Nowhere/Atlantis"])
def test_where_it_is_not_known_it_asks(zone: str) -> None:
    assert usual_unit(zone) is None


def test_links_take_the_country_of_their_zone() -> None:
    assert meter_units.country_of("America/Montreal") == "CA"
    assert meter_units.country_of("Europe/Belfast") == "GB"
    assert meter_units.country_of("Europe/Jersey") == "JE"  # zone.tab first: not GB


def test_every_country_of_the_table_is_a_country_of_the_database() -> None:
    """A typo in the table ("UK" for GB) would silently never match."""
    found = meter_units.tables()
    assert set(meter_units.UNIT_BY_COUNTRY) <= set(found.country.values())
    assert set(meter_units.UNIT_BY_COUNTRY.values()) <= {MMOL, MGDL, None}


def test_the_tzdata_package_alone_is_enough() -> None:
    """Windows has no system database: the tzdata package's own tables answer alone."""
    tzdata = pytest.importorskip("tzdata")
    from importlib.resources import files

    assert tzdata is not None
    found = meter_units.build([files("tzdata").joinpath("zoneinfo")])
    for zone in MMOL_ZONES:
        assert usual_unit(zone, found) == MMOL, zone
    for zone in MGDL_ZONES:
        assert usual_unit(zone, found) == MGDL, zone
    assert usual_unit("Europe/Berlin", found) is None


def test_without_links_a_name_is_matched_by_its_compiled_zone(tmp_path: Path) -> None:
    """A database with no tzdata.zi (macOS without the tzdata package): an old name is the
    zone whose file it is a copy of, and a copy shared across borders asks."""
    (tmp_path / "zone.tab").write_text(
        "# comment\nCA\t+4339-07923\tAmerica/Toronto\tEastern\n"
        "BS\t+2505-07721\tAmerica/Nassau\n"
        "GB\t+513030-0000731\tEurope/London\nJE\t+491101-0020624\tEurope/Jersey\n",
        encoding="utf-8")
    for folder in ("America", "Europe"):
        (tmp_path / folder).mkdir()
    (tmp_path / "America" / "Toronto").write_bytes(b"toronto")
    (tmp_path / "America" / "Nassau").write_bytes(b"nassau")
    (tmp_path / "America" / "Montreal").write_bytes(b"toronto")
    (tmp_path / "Europe" / "London").write_bytes(b"london")
    (tmp_path / "Europe" / "Jersey").write_bytes(b"london")
    (tmp_path / "Europe" / "Belfast").write_bytes(b"london")
    (tmp_path / "America" / "Odd").write_bytes(b"nassau")
    found = meter_units.build([tmp_path])
    assert not found.links
    assert usual_unit("America/Montreal", found, [tmp_path]) == MMOL
    assert usual_unit("Europe/Belfast", found, [tmp_path]) == MMOL  # GB and JE agree
    assert usual_unit("America/Odd", found, [tmp_path]) is None  # BS: not known
    assert usual_unit("../../etc/passwd", found, [tmp_path]) is None


# --- every front reads a reading in that unit -------------------------------------------

def _child_in(tracker: Tracker, zone: str, *more: str) -> None:
    args = list(MIA)
    args[args.index("--timezone") + 1] = zone
    tracker.ok(*args, *more)


def test_a_high_in_regina_is_not_read_as_a_severe_low(tracker: Tracker) -> None:
    """No meter unit set, a child in Saskatchewan: 14 is 14 mmol/L, a high."""
    _child_in(tracker, "America/Regina")
    tracker.ok("config", "glucose_unit", "--unset")
    r = tracker.ok("glucose", "14")
    assert "Recorded G1: Mia, 14.0 mmol/L (very high)." in r.out
    assert "low" not in r.text.lower().replace("a low reading", "")
    assert tracker.rows("SELECT round(mg_dl), unit FROM glucose") == [(252.0, "mmol/L")]
    # still only a default: the person is told how to correct it
    assert "read as mmol/L" in r.text


def test_in_a_terminal_the_zones_unit_is_offered_first(tracker: Tracker) -> None:
    _child_in(tracker, "America/St_Johns")
    tracker.ok("config", "glucose_unit", "--unset")
    asked = tracker("glucose", "14", input="\n")  # Enter: the unit offered
    assert asked.code == 0, asked.err
    assert "14 could be 14.0 mmol/L (not low) or 14 mg/dL (a low reading)" in asked.text
    assert "Recorded G1: Mia, 14.0 mmol/L (very high)." in asked.out


def test_a_symptom_with_a_reading_uses_the_zones_unit(tracker: Tracker) -> None:
    _child_in(tracker, "America/Moncton")
    tracker.ok("config", "glucose_unit", "--unset")
    r = tracker.ok("symptom", "headache", "--glucose", "14")
    assert tracker.rows("SELECT round(mg_dl), unit FROM glucose") == [(252.0, "mmol/L")]
    assert "give fast sugar" not in r.text
    assert "read as mmol/L" in r.text  # only a default: said how to correct


def test_the_caregivers_setting_still_wins(tracker: Tracker) -> None:
    _child_in(tracker, "America/Regina")
    tracker.ok("config", "glucose_unit", "mg/dL")
    r = tracker.ok("glucose", "95")
    assert "Recorded G1: Mia, 95 mg/dL (in range)." in r.out and "read as" not in r.text


def test_setup_offers_the_zones_unit(tracker: Tracker) -> None:
    """A scripted setup in Belfast keeps mmol/L; in Berlin it keeps none (asked later)."""
    _child_in(tracker, "Europe/Belfast")
    assert config.load_settings()["glucose_unit"] == "mmol/L"
    r = tracker.ok("glucose", "14")
    assert "Recorded G1: Mia, 14.0 mmol/L (very high)." in r.out and "read as" not in r.text


def test_setup_in_berlin_sets_no_unit_and_a_reading_is_asked_about(tracker: Tracker) -> None:
    _child_in(tracker, "Europe/Berlin")
    assert "glucose_unit" not in config.load_settings()
    r = tracker.ok("glucose", "14")
    assert "read as mg/dL" in r.text  # a default, said, with how to correct it


def test_setup_in_berlin_asks_with_no_default(tracker: Tracker) -> None:
    from tracker.services.record.interview import Env, next_step

    env = Env(now=datetime(2026, 11, 24, 8, tzinfo=UTC), machine_zone="Europe/Berlin",
              caregiver="Anna")
    answers = {k: None for k in ("name", "birth_date", "weight_kg", "height_cm", "sex",
                                 "dose", "times", "treatment_start", "caregiver")}
    step = next_step({**answers, "timezone": "Europe/Berlin"}, env)
    assert step is not None and step.key == "glucose_unit" and step.default is None
    step = next_step({**answers, "timezone": "America/Regina"}, env)
    assert step is not None and step.default == "mmol/L"


# --- the household page -----------------------------------------------------------------

@pytest.fixture
def regina_page(tracker: Tracker, clock: Clock):  # type: ignore[no-untyped-def]
    from test_fronts import Household

    _child_in(tracker, "America/Regina")
    tracker.ok("config", "glucose_unit", "--unset")
    page = Household(tracker, clock)
    yield page
    page.engine.dispose()


def test_the_page_offers_the_zones_unit_and_the_other(regina_page) -> None:  # type: ignore[no-untyped-def]
    text = regina_page.client.get("/log").text
    checked = re.findall(r'<input type="radio" name="unit" id="glucose-unit-\d" '
                         r'value="([^"]+)"( checked)?> [^<]*', text)
    assert checked == [("mg/dL", ""), ("mmol/L", " checked")]
    assert "mmol/L (usual where you live)" in text


def test_the_page_reads_14_in_regina_as_mmol(regina_page) -> None:  # type: ignore[no-untyped-def]
    # the form sent as shown: the zone's unit, offered and left as it was
    token = regina_page.token(regina_page.client.get("/log").text, "glucose")
    response = regina_page.client.post("/do/glucose", data={
        "csrf": token, "child": "1", "reading": "14", "unit": "mmol/L",
        "unit_offered": "mmol/L"})
    # only a default: the page asks, offering the zone's unit first
    assert "14 could be 14.0 mmol/L (not low) or 14 mg/dL (a low reading)" in response.text
    assert re.search(r'value="mmol/L" checked', response.text)
    # the other unit, chosen on the form: read in it, not asked
    done = regina_page.post("glucose", "/log", child="1", reading="14", unit="mmol/L",
                            unit_offered="mg/dL")
    assert regina_page.asked == []
    assert (regina_page.said(done)[0] or "").startswith(
        "Recorded G1: Mia, 14.0 mmol/L (very high).")


def test_the_page_names_the_unit_once_it_is_set(regina_page) -> None:  # type: ignore[no-untyped-def]
    config.set_setting("glucose_unit", "mmol/L")
    text = regina_page.client.get("/log").text
    assert '<label for="reading">Blood sugar (mmol/L)</label>' in text
    assert 'name="unit"' not in text
