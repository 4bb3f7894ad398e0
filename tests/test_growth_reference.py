"""The growth reference where the family lives, and charts for children on this medicine
(issue 31, sections 2 and 3).

A Toronto, Madrid or Santiago family's report is on the WHO's charts, a London or
Guernsey family's on UK-WHO, a Chicago family's on CDC, unless someone chose; the
report says which and why. Children on Increlex start at or below -3 SDS: the chart
must show them, not leave them under every line. The SDS printed is checked against the
LMS tables read here from rcpchgrowth's own data files, computed independently.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from datetime import date, timedelta
from importlib.util import find_spec
from pathlib import Path
from statistics import NormalDist

import pytest
from test_report import flat, poppler  # noqa: F401  (poppler: a fixture)

from tracker.config import database_target
from tracker.db import migrate
from tracker.domain import growth
from tracker.domain.text import ordinal, signed

ZONES = {
    "America/Toronto": "who",
    "Europe/Madrid": "who",
    "America/Santiago": "who",
    "Europe/London": "uk-who",
    "America/Chicago": "cdc",
    "Asia/Riyadh": "who",
    "Europe/Guernsey": "uk-who",
    "Europe/Jersey": "uk-who",
    "Europe/Isle_of_Man": "uk-who",
    "US/Eastern": "cdc",  # an old name, a link to America/New_York
    "UTC": "who",  # no country: the international charts
}


@pytest.mark.parametrize(("zone", "reference"), ZONES.items())
def test_the_default_reference_is_the_country_of_the_zone(zone: str, reference: str) -> None:
    assert growth.default_reference(zone) == reference


def test_the_reference_says_why() -> None:
    assert str(growth.reference_shown(None, "America/Toronto")) == (
        "WHO (2006 under 5, 2007 from 5), from the time zone: Canada")
    assert str(growth.reference_shown("uk-who", "America/Toronto")) == "UK-WHO, as chosen"
    assert str(growth.reference_shown(None, "America/Chicago")) == (
        "CDC, from the time zone: United States")


def test_ordinals_and_signs() -> None:
    cases = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th",
             21: "21st", 22: "22nd", 91: "91st", 0.4: "0.4th", 99.6: "99.6th", 50: "50th",
             111: "111th", 101: "101st"}
    assert {n: ordinal(n) for n in cases} == cases
    assert [signed(x) for x in (-0.001, 0.0, -0.0, 0.004, -0.005001, 0.41, -3.034)] == [
        "0.00", "0.00", "0.00", "0.00", "-0.01", "+0.41", "-3.03"]
    assert signed(-0.04, 1) == "0.0"
    assert [growth.centile_text(c) for c in (1.84, 0.1, 0.0233, 0.0012, 99.981, 50.0,
                                              0.0000291)] == [
        "1.8", "0.1", "0.023", "0.0012", "99.981", "50.0", "0.000029"]


def test_chart_lines_are_each_references_own() -> None:
    labels = {r: [line.label for line in growth.chart_lines(r)] for r in growth.REFERENCES}
    assert labels["cdc"] == ["3rd", "5th", "10th", "25th", "50th", "75th", "90th", "95th",
                             "97th"]
    assert labels["uk-who"] == ["0.4th", "2nd", "9th", "25th", "50th", "75th", "91st", "98th"]
    assert labels["who"] == ["3rd", "15th", "50th", "85th", "97th"]
    cdc = {line.label: line.sds for line in growth.chart_lines("cdc")}
    assert cdc["3rd"] == pytest.approx(-1.8808, abs=1e-4)  # not UK-WHO's -2 (its 2nd)
    assert cdc["90th"] == pytest.approx(1.2816, abs=1e-4)
    uk = {line.label: line.sds for line in growth.chart_lines("uk-who")}
    assert uk["0.4th"] == pytest.approx(-2.67, abs=0.005)
    # a child below the lowest line gets one at their half SDS
    assert growth.chart_lines("uk-who", -3.03)[0] == growth.Line("-3.5 SDS", -3.5)
    assert growth.chart_lines("cdc", -3.5)[0] == growth.Line("-3.5 SDS", -3.5)
    assert growth.chart_lines("who", -3.0)[0] == growth.Line("-3 SDS", -3.0)
    assert growth.chart_lines("uk-who", -2.5)[0].label == "0.4th"  # on the chart already


def test_the_reference_words_and_the_error_lists_the_three() -> None:
    assert growth.normalise_reference("who") == "who"  # no longer an alias of UK-WHO
    assert [growth.normalise_reference(t) for t in ("uk-who", "ukwho", "uk", "cdc")] == [
        "uk-who", "uk-who", "uk-who", "cdc"]
    with pytest.raises(Exception, match=r"uk-who .*, who .* or cdc"):
        growth.normalise_reference("who2007")


# -- the choice is kept, the default follows the zone ------------------------------------

KAI = ("init", "--child", "Kai", "--birth-date", "2017-03-01", "--weight", "18",
       "--dose-mg-per-kg", "0.04", "--sex", "male")


def test_a_default_is_not_stored_and_follows_the_zone(tracker, clock) -> None:
    clock.set("2026-11-20T09:00:00-05:00")
    tracker.ok(*KAI, "--timezone", "America/Toronto")
    assert tracker.rows("SELECT growth_reference FROM child") == [(None,)]
    assert ("male, growth reference WHO (2006 under 5, 2007 from 5), from the time zone: "
            "Canada") in tracker.ok("child").text
    tracker.ok("child", "Kai", "--timezone", "Europe/London")  # the family moves
    assert "growth reference UK-WHO, from the time zone: Britain (UK)" in tracker.ok(
        "child").text


def test_a_chosen_reference_stays(tracker, clock) -> None:
    clock.set("2026-11-20T09:00:00+00:00")
    tracker.ok(*KAI, "--timezone", "Europe/London", "--growth-reference", "who")
    assert tracker.rows("SELECT growth_reference FROM child") == [("who",)]
    tracker.ok("child", "Kai", "--timezone", "America/Chicago")
    assert "growth reference WHO (2006 under 5, 2007 from 5), as chosen" in tracker.ok(
        "child").text
    r = tracker.fails("child", "Kai", "--growth-reference", "uk90", code=2)
    assert "uk-who" in r.err and "who (" in r.err and "cdc" in r.err


def test_the_migration_clears_only_what_the_old_default_gave(tmp_path) -> None:
    path = tmp_path / "log" / "tracker.db"
    path.parent.mkdir()
    url = database_target(str(path)).url
    migrate.run_alembic(url, "upgrade", "0012")
    rows = [  # zone, stored -> after
        ("America/New_York", "cdc", None),  # the old default
        ("US/Pacific", "cdc", None),
        ("Europe/Paris", "uk-who", None),
        ("Europe/London", "uk-who", None),
        ("America/Toronto", None, None),
        ("Europe/Paris", "cdc", "cdc"),  # not the old default: chosen
        ("America/New_York", "uk-who", "uk-who"),
    ]
    conn = sqlite3.connect(path)
    for i, (zone, stored, _) in enumerate(rows, 1):
        conn.execute("INSERT INTO child (id, name, birth_date, timezone, created_at, "
                     "growth_reference) VALUES (?, ?, '2018-05-01', ?, '2026-11-01 08:00:00', ?)",
                     (i, f"C{i}", zone, stored))
    conn.commit()
    conn.close()
    migrate.run_alembic(url, "upgrade", "head")
    conn = sqlite3.connect(path)
    after = [r[0] for r in conn.execute("SELECT growth_reference FROM child ORDER BY id")]
    conn.close()
    assert after == [r[2] for r in rows]


# -- the report against an independent LMS computation -----------------------------------

_DATA = Path(next(iter(find_spec("rcpchgrowth").submodule_search_locations))) / "data_tables"
TABLES = {"uk-who": "uk90_child.json", "who": "who/who_2007_children.json",
          "cdc": "cdc2-20.json"}  # height from 5 years (UK90 from 4, CDC from 2)


def lms(reference: str, sex: str, age: float) -> tuple[float, float, float]:
    """L, M and S of height at `age`, read from the table (linear between two ages)."""
    rows = json.loads((_DATA / TABLES[reference]).read_text())["measurement"]["height"][sex]
    for a, b in itertools.pairwise(rows):
        if a["decimal_age"] <= age <= b["decimal_age"]:
            t = (age - a["decimal_age"]) / (b["decimal_age"] - a["decimal_age"])
            return tuple(a[k] + t * (b[k] - a[k]) for k in "LMS")  # type: ignore[return-value]
    raise LookupError(age)


def z_of(cm: float, l: float, m: float, s: float) -> float:  # noqa: E741
    return ((cm / m) ** l - 1) / (l * s)


def cm_at(z: float, l: float, m: float, s: float) -> float:  # noqa: E741
    return m * (1 + l * s * z) ** (1 / l)


BIRTH = date(2014, 11, 1)
AT_8, AT_12 = BIRTH + timedelta(days=2922), BIRTH + timedelta(days=4383)  # 8.0 and 12.0 y
HOME = {"uk-who": ("Europe/London", "Britain (UK)"), "who": ("America/Toronto", "Canada"),
        "cdc": ("America/Chicago", "United States")}
STANDING = re.compile(r"([\d.]+) cm on (\d+ \w+ \d{4}): SDS ([+-]?\d+\.\d\d), "
                      r"centile ([\d.]+) \((.+?)\)")


def _report(tracker, clock, tmp_path, reference: str, z: float) -> tuple[str, str, dict]:
    """A boy at `z` SDS at 8 and at 12 on the reference of his zone: the report's page one,
    its whole text, and the heights typed."""
    zone, _ = HOME[reference]
    clock.set(f"{AT_12 + timedelta(days=1)}T09:00:00+00:00")
    tracker.ok("init", "--child", "Leo", "--birth-date", str(BIRTH), "--weight", "25",
               "--dose-mg-per-kg", "0.04", "--sex", "male", "--timezone", zone,
               "--since", str(AT_12 - timedelta(days=30)))
    typed = {}
    for on in (AT_8, AT_12):
        age = (on - BIRTH).days / 365.25
        typed[on] = round(cm_at(z, *lms(reference, "male", age)), 4)
        tracker.ok("measure", "--height", f"{typed[on]}", "--on", str(on))
    target = tmp_path / f"{reference}.pdf"
    tracker.ok("report", "--from", str(AT_12 - timedelta(days=30)), "-o", str(target))
    return flat(target, "-f", "1", "-l", "1"), flat(target), typed


@pytest.mark.parametrize("reference", ["uk-who", "who", "cdc"])
def test_the_report_is_on_the_zones_reference_with_its_own_sds(
        poppler, tracker, clock, tmp_path, reference):  # noqa: F811
    page1, whole, typed = _report(tracker, clock, tmp_path, reference, -3.5)
    name = growth.REFERENCE_NAMES[reference]
    assert f"growth reference {name}, from the time zone: {HOME[reference][1]}" in page1
    assert f"Height on the {name} chart" in page1
    found = STANDING.findall(page1)
    assert len(found) == 2, page1  # the latest, and the one at the treatment start
    for cm, _, sds, centile, ref in found:
        on = AT_12 if float(cm) == pytest.approx(typed[AT_12], abs=1e-3) else AT_8
        expected = z_of(float(cm), *lms(reference, "male", (on - BIRTH).days / 365.25))
        assert ref == growth.SHORT_NAMES[reference]
        assert float(sds) == pytest.approx(expected, abs=0.006), (reference, on)
        assert float(centile) == pytest.approx(NormalDist().cdf(expected) * 100, abs=0.06)
    assert "-3.5 SDS" in page1  # his own band, drawn
    assert "-0.00" not in whole
    if reference != "cdc":  # exact table ages: the same SDS at 8 and at 12
        assert "change since: 0.00 SDS" in page1


def test_the_cdc_chart_has_cdcs_centiles_and_the_child_on_it(
        poppler, tracker, clock, tmp_path):  # noqa: F811
    from tracker.db.session import make_engine, transaction
    from tracker.services.clinic.summary import summarise
    from tracker.services.views import plan
    from tracker.web.charts import height_chart

    page1, _, typed = _report(tracker, clock, tmp_path, "cdc", -3.5)
    assert "Lines: centiles 3rd, 5th, 10th, 25th, 50th, 75th, 90th, 95th, 97th" in page1
    for not_cdc in ("91st", "98th", "0.4th", "9th"):
        assert not_cdc not in page1
    engine = make_engine(database_target().url)
    with transaction(engine, write=False) as session:
        child = plan.find_child(session, None)
        s = summarise(session, child, AT_12 - timedelta(days=30), AT_12, clock.now())
    labels = [line.label for line in s.growth.centile_lines]
    assert labels == ["-3.5 SDS", "3rd", "5th", "10th", "25th", "50th", "75th", "90th",
                      "95th", "97th"]
    chart = height_chart(s.growth, child.birth_date)
    assert chart is not None
    box = chart["plot"]
    for p in chart["points"]:
        x, y = p["xy"]
        assert box["x"] <= x <= box["x"] + box["w"] and box["y"] <= y <= box["y"] + box["h"]
    points = [((on - BIRTH).days / 365.25, cm) for on, cm in typed.items()]
    spans = growth.chart_box(points, [line.points for line in s.growth.centile_lines])
    assert all(spans.inside(*p) for p in points)


def test_the_web_charts_name_the_centiles_and_the_axes(tracker, clock) -> None:
    from tracker.web.charts import span_labels, weight_chart

    assert span_labels(date(2026, 11, 3), date(2026, 11, 20)) == ("3 Nov 2026", "20 Nov 2026")
    assert span_labels(date(2026, 11, 3), date(2026, 11, 3)) == ("3 Nov 2026",)
    assert span_labels(date(2026, 9, 3), date(2026, 11, 20)) == ("Sep 2026", "Nov 2026")
    chart = weight_chart([(date(2026, 11, 3), 20.0), (date(2026, 11, 20), 20.4)])
    assert chart is not None and len(set(chart["x"])) == len(chart["x"])
    template = (Path(__file__).parent.parent / "tracker/web/templates/charts.html").read_text()
    assert "}}th" not in template  # "2th", "91th": the names come from domain.text.ordinal
    for unit in ("age (years)", "height (cm)", "weight (kg)"):
        assert unit in template
