"""Injection sites: their names as people type them, the rotation, and a repeated site.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import message

from tracker.domain import sites
from tracker.errors import InputError


class TestSites:
    def test_names_and_aliases(self):
        assert sites.normalise_site("Left upper arm") == "left-upper-arm"
        assert sites.normalise_site("RIGHT_THIGH") == "right-thigh"
        assert sites.normalise_site("left-tummy") == "left-abdomen"
        with pytest.raises(InputError, match="unknown site 'elbow'"):
            sites.normalise_site("elbow")

    def test_suggests_never_used_first_then_least_recent(self):
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        assert sites.suggest_site({}) == "left-upper-arm"
        used = {s: t0 + timedelta(hours=i) for i, s in enumerate(sites.SITES)}
        assert sites.suggest_site(used) == "left-upper-arm"  # oldest
        used["left-upper-arm"] = t0 + timedelta(days=1)
        assert sites.suggest_site(used) == "right-upper-arm"
        del used["left-buttock"]
        assert sites.suggest_site(used) == "left-buttock"

    def test_repeat_warning(self):
        assert sites.repeat_warning("left-thigh", "left-thigh")
        assert sites.repeat_warning("left-thigh", "right-thigh") is None
        assert sites.repeat_warning("left-thigh", None) is None


class TestSiteEdges:
    def test_sites(self):
        assert sites.normalise_site("left -thigh") == "left-thigh"
        with pytest.raises(InputError) as e:
            sites.normalise_site("elbow")
        assert message(e) == f"unknown site 'elbow': choose one of {', '.join(sites.SITES)}"

    @pytest.mark.parametrize("typed, site", [
        ("thigh-left", "left-thigh"), ("Thigh Left", "left-thigh"), ("L thigh", "left-thigh"),
        ("r_leg", "right-thigh"), ("upper arm right", "right-upper-arm"),
        ("right arm", "right-upper-arm"), ("left tummy", "left-abdomen"),
        ("stomach R", "right-abdomen"), ("belly-left", "left-abdomen"),
        ("left buttocks", "left-buttock"), ("bottom right", "right-buttock"),
        ("bum l", "left-buttock"), ("  LEFT   ABDOMEN ", "left-abdomen"),
    ])
    def test_a_site_is_read_as_a_tired_person_types_it(self, typed, site):
        assert sites.normalise_site(typed) == site

    @pytest.mark.parametrize("typed", ["left right thigh", "left", "left elbow", "elbows",
                                       "arm upper left", ""])
    def test_a_site_with_a_side_or_part_missing_or_unknown_is_refused(self, typed):
        with pytest.raises(InputError) as e:
            sites.normalise_site(typed)
        assert message(e).startswith(f"unknown site {typed!r}: choose one of left-upper-arm")

    def test_a_site_without_its_side_asks_which_side(self):
        with pytest.raises(InputError) as e:
            sites.normalise_site(" Thigh ")
        assert message(e) == "which side, for 'Thigh'? left-thigh or right-thigh"
        with pytest.raises(InputError) as e:
            sites.normalise_site("upper arm")
        assert message(e) == "which side, for 'upper arm'? left-upper-arm or right-upper-arm"
        assert sites.repeat_warning("left-thigh", "left-thigh") == (
            "left-thigh was also the site of the last injection: rotate sites to avoid lumps "
            "under the skin"
        )
