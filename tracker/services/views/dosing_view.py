"""The child's own dose next to the label's rules, as `tracker info dosing` shows it.

A page about dosing is also a place where a dose is shown, so it applies the same checks
as status and give: a dose above a limit says "do not give this dose" here too.
"""

from __future__ import annotations

from tracker.domain import dosing, safety
from tracker.i18n import _
from tracker.services.views.plan import Plan


def your_dose(p: Plan) -> list[str]:
    rx = p.prescription
    draw = p.draw
    lines = []
    problem = safety.do_not_give(p.problems)
    if problem:
        lines.append(f"! {problem}")
    text = _("{name}'s dose now: {describe} per injection, at {times} ({key}), drawn with a {label}.").format(
            name=p.child.name, describe=draw.describe(), times=rx.times, key=p.zone.key,
            label=draw.syringe.label)
    if p.weight_kg:
        per_kg = draw.mg / p.weight_kg
        ceiling = dosing.MAX_MG_PER_KG * p.weight_kg
        text += _(" That is {per_kg} mg/kg at {weight_kg:g} kg; the label's ceiling of "
              "{MAX_MG_PER_KG} mg/kg would be {ceiling} mg.").format(
                per_kg=dosing.format_per_kg(per_kg), weight_kg=p.weight_kg,
                MAX_MG_PER_KG=dosing.MAX_MG_PER_KG, ceiling=dosing.format_mg(ceiling))
    lines.append(text)
    note = p.weight_note()
    if note:
        lines.append(note[0].upper() + note[1:] + ".")
    return lines
