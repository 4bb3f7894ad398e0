"""The pure rules: dosing arithmetic, sites, safety limits, glucose, symptoms, text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain import glucose, sites, symptoms, text
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


class TestGlucose:
    def test_units_and_levels(self):
        assert glucose.to_mgdl(3.5, "mmol/L") == pytest.approx(63)
        assert glucose.level(69) == "low"
        assert glucose.level(53) == "very low"
        assert glucose.level(70) is None
        assert glucose.format_value(63, "mmol/L") == "3.5 mmol/L"

    def test_implausible_value_suggests_the_other_unit(self):
        with pytest.raises(InputError, match="if the meter shows mg/dL, log it in mg/dL"):
            glucose.to_mgdl(90, "mmol/L")
        with pytest.raises(InputError):
            glucose.normalise_unit("g/L")
        assert glucose.normalise_unit("MMOL/l") == "mmol/L"


class TestSymptomsAndText:
    def test_kinds(self):
        assert symptoms.normalise_kind("Low blood sugar") == "low-blood-sugar"
        assert symptoms.normalise_kind("hypoglycaemia") == "low-blood-sugar"
        with pytest.raises(InputError, match="unknown symptom"):
            symptoms.normalise_kind("sneezing")

    def test_text_refuses_control_characters_keeps_unicode(self):
        assert text.clean("  שלום עולם  ", "note") == "שלום עולם"
        assert text.clean("", "note") is None
        with pytest.raises(InputError, match="control character"):
            text.clean("bad\x1b[31m", "note")
        with pytest.raises(InputError, match="characters long"):
            text.clean("x" * 3000, "note")
        with pytest.raises(InputError):
            text.clean_name("line\nbreak")
