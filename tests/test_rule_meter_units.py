"""The meter unit's rules at their edges: how the time-zone database's tables are read,
which links are followed, and when a shared zone or an odd name makes tracker ask.

A small database is written to a folder for each test (zone.tab, zone1970.tab,
tzdata.zi and compiled zone files), so each rule is seen alone; the real database is
tested in test_meter_units.py.
"""

from __future__ import annotations

import codecs
import threading
from pathlib import Path

import pytest

from tracker.domain import meter_units
from tracker.domain.meter_units import MMOL, build, parse_links, parse_tab, usual_unit

ZONE_TAB = ("# tz zone descriptions\n"
            "#\n"
            "GB\t+513030-0000731\tEurope/London\n"
            "JE\t+491101-0020624\tEurope/Jersey\n"
            "FR\t+4852+00220\tEurope/Paris\n"
            "CA\t+4339-07923\tAmerica/Toronto\tEastern - ON & QC (most areas)\n")


def database(folder: Path, *, zone_tab: str = ZONE_TAB, zone1970: str | None = None,
             zi: str | None = None, files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zone.tab").write_text(zone_tab, encoding="utf-8")
    if zone1970 is not None:
        (folder / "zone1970.tab").write_text(zone1970, encoding="utf-8")
    if zi is not None:
        (folder / "tzdata.zi").write_text(zi, encoding="utf-8")
    for name, body in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
    return folder


class TestTheTablesAreRead:
    def test_a_commented_line_with_columns_is_not_a_zone(self):
        assert parse_tab("#CA\t+4339-07923\tAmerica/Commented\n\n  \n") == {}

    def test_a_zone_shared_by_countries_lists_each_and_extra_columns_are_ignored(self):
        assert parse_tab("GB,GG,IM,JE\t+513030-0000731\tEurope/London\tcomment\textra\n") == {
            "Europe/London": ("GB", "GG", "IM", "JE")}
        # a space after a comma is not a column
        assert parse_tab("GB, GG\t+513030-0000731\tEurope/London\n") == {
            "Europe/London": ("GB", "GG")}
        assert parse_tab("GB\t+513030-0000731\n") == {}  # no zone column

    def test_only_link_lines_are_links(self):
        zi = ("# version 2026a\n"
              "R u 1918 1919 - Mar lastSu 2 1 D\n"
              "Z America/New_York -4:56:2 - LMT 1883 N 18 17u\n"
              "-5 u E%sT\n"  # a zone's continuation: three words, not a link
              "l Europe/Paris Europe/Monaco\n"  # not "L"
              "L Europe/London Europe/Belfast\n"
              "L Europe/London Europe/Guernsey extra\n")
        assert parse_links(zi) == {"Europe/Belfast": "Europe/London"}

    def test_the_files_are_read_as_utf8_whatever_the_locale(self, tmp_path: Path):
        asked: list[str | None] = []

        class Recording:
            def __init__(self, path: Path) -> None:
                self.path = path

            def joinpath(self, *name: str) -> Recording:
                return Recording(self.path.joinpath(*name))

            def read_text(self, encoding: str | None = None) -> str:
                asked.append(encoding)
                return self.path.read_text(encoding="utf-8")

            def read_bytes(self) -> bytes:
                return self.path.read_bytes()

        build([Recording(database(tmp_path, zone1970="", zi=""))])
        assert len(asked) == 3
        assert all(e is not None and codecs.lookup(e).name == "utf-8" for e in asked)

    def test_every_table_is_merged_an_earlier_source_winning(self, tmp_path: Path):
        first = database(tmp_path / "first",
                         zone1970="GB,GG\t+513030-0000731\tEurope/London\n",
                         zi="L Europe/London Europe/Belfast\n")
        second = database(tmp_path / "second",
                          zone_tab="JE\t+491101-0020624\tEurope/London\n"
                                   "CA\t+4339-07923\tAmerica/Toronto\n",
                          zone1970="GB,JE\t+513030-0000731\tEurope/London\n"
                                   "CA\t+4339-07923\tAmerica/Toronto\n",
                          zi="L Europe/Paris Europe/Belfast\n"
                             "L America/Toronto America/Montreal\n")
        found = build([first, second])
        assert found.country["Europe/London"] == "GB"
        assert found.country["America/Toronto"] == "CA"
        assert found.shared == {"Europe/London": ("GB", "GG"), "America/Toronto": ("CA",)}
        assert found.links == {"Europe/Belfast": "Europe/London",
                               "America/Montreal": "America/Toronto"}


class TestLinksAreFollowed:
    def test_a_link_takes_the_unit_of_its_zone(self, tmp_path: Path):
        """No compiled files at all: only the link can answer."""
        found = build([database(tmp_path, zi="L Europe/London Europe/Belfast\n"
                                             "L Europe/Belfast Europe/Old_Belfast\n")])
        assert usual_unit("Europe/Belfast", found, []) == MMOL
        assert usual_unit("Europe/Old_Belfast", found, []) == MMOL  # a link to a link
        assert meter_units.country_of("Europe/Old_Belfast", found) == "GB"
        assert usual_unit("Europe/Nowhere", found, []) is None  # links read: not a zone

    def test_a_zone_shared_with_a_country_of_the_other_unit_asks(self, tmp_path: Path):
        found = build([database(tmp_path, zone1970="GB,FR\t+513030-0000731\tEurope/London\n",
                                zi="L Europe/London Europe/Belfast\n")])
        assert usual_unit("Europe/Belfast", found, []) is None
        assert usual_unit("Europe/London", found, []) == MMOL  # the zone's own country

    def test_a_zone_shared_only_with_countries_of_its_unit_or_unknown_ones_answers(
            self, tmp_path: Path):
        found = build([database(
            tmp_path, zone1970="GB,GG,IM,JE,XX\t+513030-0000731\tEurope/London\n",
            zi="L Europe/London Europe/Belfast\n")])
        assert usual_unit("Europe/Belfast", found, []) == MMOL

    def test_a_zone_not_in_zone1970_takes_its_own_country(self, tmp_path: Path):
        found = build([database(tmp_path, zone1970="FR\t+4852+00220\tEurope/Paris\n",
                                zi="L America/Toronto America/Montreal\n")])
        assert usual_unit("America/Montreal", found, []) == MMOL

    def test_a_link_to_a_zone_of_a_country_not_known_asks(self, tmp_path: Path):
        found = build([database(tmp_path, zone_tab="DE\t+5230+01322\tEurope/Berlin\n",
                                zi="L Europe/Berlin Atlantic/Jan_Mayen\n")])
        assert usual_unit("Atlantic/Jan_Mayen", found, []) is None

    def test_links_in_a_circle_end_in_asking(self, tmp_path: Path):
        found = build([database(tmp_path, zi="L Old/B Old/A\nL Old/A Old/B\n")])
        answers: list[str | None] = []

        def ask() -> None:
            answers.append(usual_unit("Old/A", found, []))
            answers.append(meter_units.country_of("Old/A", found))

        # in a thread, so that a circle followed forever fails here instead of hanging
        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        asking.join(timeout=2)
        assert answers == [None, None]


LONDON = b"TZif london"


class TestWithoutLinksTheCompiledFileAnswers:
    def found(self, folder: Path, zone_tab: str = ZONE_TAB) -> meter_units.Tables:
        return build([database(folder, zone_tab=zone_tab, files={
            "Europe/London": LONDON, "Europe/Jersey": LONDON, "Europe/Belfast": LONDON,
            "Odd\\Name": LONDON, "America/Toronto": b"TZif toronto"})])

    @pytest.mark.parametrize("name", ["Europe/../Europe/Belfast", "Europe/./Belfast",
                                      "Europe//Belfast", "Odd\\Name", "/Europe/Belfast"])
    def test_a_name_that_is_not_a_plain_path_asks(self, tmp_path: Path, name: str):
        found = self.found(tmp_path)
        assert usual_unit("Europe/Belfast", found, [tmp_path]) == MMOL
        assert usual_unit(name, found, [tmp_path]) is None

    def test_a_later_source_is_read_when_an_earlier_one_lacks_the_name(self, tmp_path: Path):
        found = self.found(tmp_path / "db")
        empty = tmp_path / "empty"
        empty.mkdir()
        assert usual_unit("Europe/Belfast", found, [empty, tmp_path / "db"]) == MMOL

    def test_a_listed_zone_without_a_file_is_passed_over(self, tmp_path: Path):
        found = self.found(tmp_path, zone_tab="CA\t+4339-07923\tAmerica/Missing\n" + ZONE_TAB)
        assert usual_unit("Europe/Belfast", found, [tmp_path]) == MMOL

    def test_the_folders_given_are_read_not_the_systems(self, tmp_path: Path):
        found = self.found(tmp_path)
        (tmp_path / "Europe" / "Only_Here").write_bytes(LONDON)  # no system has it
        assert usual_unit("Europe/Only_Here", found, [tmp_path]) == MMOL

    def test_by_default_the_systems_database_is_read(self, tmp_path: Path):
        """Only the tables come from the folder here: the compiled files are the system's
        (or the tzdata package's), where Europe/Belfast is Europe/London's."""
        found = build([database(tmp_path)])
        assert not found.links
        assert usual_unit("Europe/Belfast", found) == MMOL


def test_the_sources_are_the_systems_folders_then_the_tzdata_package():
    pytest.importorskip("tzdata")
    from importlib.resources import files
    from zoneinfo import TZPATH

    got = list(meter_units.sources())
    assert got == [Path(f) for f in TZPATH if Path(f).is_dir()] + [
        files("tzdata").joinpath("zoneinfo")]
    assert "Europe/London" in got[-1].joinpath("zone.tab").read_text(encoding="utf-8")
