"""Height SDS, centiles and the reference lines of a chart, from `rcpchgrowth`.

rcpchgrowth pulls in scipy (about a second and 100 MB), so it is imported here only, and
only the report and the growth figures come here: never a command's start-up, never the
reminder service.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Standing(NamedTuple):
    sds: float
    centile: float


def height_sds(sex: str, reference: str, birth: date, on: date, cm: float) -> float | None:
    """Only the height SDS, for a chart's own band (a term child: the chronological age,
    as tracker records no gestation). rcpchgrowth's bare LMS step is about 8 times cheaper
    than a whole Measurement, and a year's report has a height a month to place."""
    from rcpchgrowth.global_functions import sds_for_measurement

    try:
        sds = sds_for_measurement(reference=reference, age=(on - birth).days / 365.25,
                                  measurement_method="height", observation_value=cm, sex=sex)
    except Exception:  # outside the reference's ages or values: not placed
        return None
    return None if sds is None else float(sds)


def height_standing(sex: str, reference: str, birth: date, on: date, cm: float) -> Standing | None:
    """Height SDS and centile on the child's reference, or None outside the reference."""
    from rcpchgrowth import Measurement

    try:
        m = Measurement(
            sex=sex,
            birth_date=birth,
            observation_date=on,
            measurement_method="height",
            observation_value=cm,
            reference=reference,
        )
    except Exception:  # outside the reference's ages or values: say nothing rather than guess
        return None
    calc = m.measurement["measurement_calculated_values"]
    sds, centile = calc.get("corrected_sds"), calc.get("corrected_centile")
    if sds is None or centile is None:
        return None
    return Standing(float(sds), float(centile))


def sds_line(sex: str, reference: str, sds: float, ages: list[float]) -> list[tuple[float, float]]:
    """(age in years, height in cm) of one SDS (a centile's, or the child's own band) over
    `ages`, where the reference has it; the lines themselves are chosen in
    tracker.domain.growth.chart_lines."""
    from rcpchgrowth import measurement_from_sds

    out = []
    for age in ages:
        try:
            cm = measurement_from_sds(reference, sds, "height", sex, age)
        except Exception:
            continue
        if cm is not None:
            out.append((age, float(cm)))
    return out
