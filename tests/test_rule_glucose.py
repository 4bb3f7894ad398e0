"""Blood-sugar readings: units, limits and what counts as low.

The rules are plain functions (tracker/domain): each is tested here at its edges, with
the exact words a parent reads.
"""

from __future__ import annotations

import pytest
from conftest import message

from tracker.domain import glucose
from tracker.errors import InputError


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


class TestGlucoseEdges:
    def test_glucose_limits(self):
        assert glucose.level(54) == "low"
        assert glucose.level(53.99) == "very low"
        assert glucose.level(69.99) == "low"
        assert glucose.level(70) is None
        assert glucose.to_mgdl(10, "mg/dL") == 10 and glucose.to_mgdl(700, "mg/dL") == 700
        assert glucose.to_mgdl(0.5, "mmol/L") == 9 and glucose.to_mgdl(40, "mmol/L") == 720
        for value, unit in ((9.99, "mg/dL"), (700.01, "mg/dL"), (0.49, "mmol/L"),
                            (40.01, "mmol/L"), (float("nan"), "mg/dL")):
            with pytest.raises(InputError):
                glucose.to_mgdl(value, unit)
        with pytest.raises(InputError) as e:
            glucose.to_mgdl(900, "mg/dL")
        assert message(e) == (
            "a blood sugar of 900 mg/dL is not plausible: check the number, or if the meter "
            "shows mmol/L, log it with --unit mmol/L"
        )
        with pytest.raises(InputError) as e:
            glucose.to_mgdl(0.2, "mmol/L")
        assert message(e).endswith("if the meter shows mg/dL, log it with --unit mg/dL")

    def test_glucose_units(self):
        assert glucose.normalise_unit(" mg / dl ") == "mg/dL"
        with pytest.raises(InputError) as e:
            glucose.normalise_unit("g/L")
        assert message(e) == "unknown glucose unit 'g/L': use mg/dL or mmol/L"
        assert glucose.from_mgdl(90, "mmol/L") == 5.0 and glucose.from_mgdl(90, "mg/dL") == 90
        assert glucose.format_value(90, "mg/dL") == "90 mg/dL"
        for typed_unit, unit in (("mmol", "mmol/L"), ("MMOL/L", "mmol/L"), ("mg", "mg/dL"),
                                 ("mgdl", "mg/dL")):
            assert glucose.normalise_unit(typed_unit) == unit

    def test_a_number_that_is_low_in_one_unit_and_not_the_other(self):
        """18 is a dangerous low in mg/dL and a high in mmol/L: which must be asked."""
        assert glucose.other_reading(18, "mg/dL") == "mmol/L"
        assert glucose.other_reading(10, "mg/dL") == "mmol/L"  # both ends plausible
        assert glucose.other_reading(40, "mg/dL") == "mmol/L"
        assert glucose.other_reading(41, "mg/dL") is None  # not plausible in mmol/L
        assert glucose.other_reading(9.9, "mmol/L") is None  # not plausible in mg/dL
        assert glucose.other_reading(3.5, "mmol/L") is None
        assert glucose.other_reading(12, "mmol/L") == "mg/dL"
        assert glucose.other_reading(95, "mg/dL") is None
        assert glucose.other_reading(10, "mmol/L") == "mg/dL"  # the low end of mg/dL
        assert glucose.other_reading(9.99, "mmol/L") is None
        assert glucose.other_reading(5, "mg/dL") is None  # not a reading in mg/dL at all
        assert glucose.other_reading(0.5, "mmol/L") is None
