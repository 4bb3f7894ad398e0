"""Height SDS, centiles and the reference lines of a chart, from `rcpchgrowth`.

rcpchgrowth pulls in scipy (about a second and 100 MB), so it is imported here only, and
only the report and the growth figures come here: never a command's start-up, never the
reminder service.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

CENTILES = (2, 9, 25, 50, 75, 91, 98)  # the nine-centile chart's lines, without 0.4 and 99.6
# ... as SDS (Cole's two-thirds-SDS spacing, which the UK charts use)
CENTILE_SDS = {2: -2.0 + 0.0, 9: -1.333, 25: -0.667, 50: 0.0, 75: 0.667, 91: 1.333, 98: 2.0}


class Standing(NamedTuple):
    sds: float
    centile: float


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


def centile_line(
    sex: str, reference: str, centile: int, ages: list[float]
) -> list[tuple[float, float]]:
    """(age in years, height in cm) of one centile over `ages`, where the reference has it."""
    from rcpchgrowth import measurement_from_sds

    out = []
    for age in ages:
        try:
            cm = measurement_from_sds(reference, CENTILE_SDS[centile], "height", sex, age)
        except Exception:
            continue
        if cm is not None:
            out.append((age, float(cm)))
    return out
