"""The label, second read (issue 23): doses as clinics write them, what to do after a
mistake, vials that went wrong, and the drug information section by section.

Each case at its edge, and the words a parent reads checked as they are printed.
"""

from __future__ import annotations

import json

from conftest import MIA


def test_a_dose_in_micrograms_is_read_back_in_mg_and_confirmed(tracker, clock):
    args = list(MIA)
    i = args.index("--dose-mg-per-kg")
    args[i:i + 2] = ["--dose", "40 µg/kg"]
    tracker.ok(*args)
    status = json.loads(tracker.ok("status", "--json").out)
    assert status["dose"]["mg"] == 0.8 and status["dose"]["mg_per_kg"] == 0.04
    asked = tracker("prescribe", "--dose", "60 mcg/kg", input="y\n")
    assert "60 µg/kg is 0.060 mg/kg = 1.20 mg at 20 kg. Right?" in asked.out
    assert asked.code == 0, asked.err
    no = tracker("prescribe", "--dose", "80 micrograms/kg", input="n\n")
    assert no.code == 4 and "80 µg/kg is 0.080 mg/kg = 1.60 mg at 20 kg" in no.err
    assert tracker.rows("SELECT dose_mg_per_kg FROM prescription ORDER BY id") == [
        (0.04,), (0.06,)]
    iu = tracker.fails("prescribe", "--dose", "8 IU", code=2)
    assert "not dosed in international units" in iu.err
