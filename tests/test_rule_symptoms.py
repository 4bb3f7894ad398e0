"""Side effects: the words parents use for them and their severities.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

import pytest
from conftest import message

from tracker.domain import symptoms
from tracker.errors import InputError


class TestSymptomKinds:
    def test_kinds(self):
        assert symptoms.normalise_kind("Low blood sugar") == "low-blood-sugar"
        assert symptoms.normalise_kind("hypoglycaemia") == "low-blood-sugar"
        with pytest.raises(InputError, match="unknown symptom"):
            symptoms.normalise_kind("sneezing")


class TestSymptomWords:
    @pytest.mark.parametrize(
        ("typed", "kind"),
        [
            ("hypoglycemia", "low-blood-sugar"),
            ("Hypoglycaemia", "low-blood-sugar"),
            ("low sugar", "low-blood-sugar"),
            ("hypo", "low-blood-sugar"),
            ("low_blood_sugar", "low-blood-sugar"),
            ("low -blood sugar", "low-blood-sugar"),
            ("limp", "limp-or-joint-pain"),
            ("joint pain", "limp-or-joint-pain"),
            ("hip pain", "limp-or-joint-pain"),
            ("knee-pain", "limp-or-joint-pain"),
            ("rash", "rash-or-swelling"),
            ("hives", "rash-or-swelling"),
            ("swelling", "rash-or-swelling"),
            ("blurred vision", "vision-change"),
            ("vision", "vision-change"),
            ("feeling sick", "nausea"),
            ("sick", "nausea"),
            ("seizure", "seizure-or-unresponsive"),
            ("fit", "seizure-or-unresponsive"),
            ("convulsion", "seizure-or-unresponsive"),
            ("unresponsive", "seizure-or-unresponsive"),
            ("fainting", "seizure-or-unresponsive"),
            ("fainted", "seizure-or-unresponsive"),
            ("lump", "new-lump"),
            ("growth", "new-lump"),
            ("scoliosis", "back-curve"),
            ("curved back", "back-curve"),
            ("  NAUSEA ", "nausea"),
        ],
    )
    def test_the_words_parents_use(self, typed, kind):
        assert symptoms.normalise_kind(typed) == kind

    def test_unknown_kinds_and_severities_name_the_choices(self):
        with pytest.raises(InputError) as e:
            symptoms.normalise_kind("sneezing")
        assert message(e) == (
            f"unknown symptom 'sneezing': choose one of {', '.join(symptoms.KINDS)}"
        )
        with pytest.raises(InputError) as e:
            symptoms.normalise_severity("awful")
        assert message(e) == "unknown severity 'awful': choose mild, moderate or severe"
        assert symptoms.normalise_severity(" Severe ") == "severe"
