"""The child's own dose next to the label's rules, as `tracker info dosing` shows it.

A page about dosing is also a place where a dose is shown, so it applies the same checks
as status and give: a dose above a limit says "do not give this dose" here too.
"""

from __future__ import annotations

from tracker.domain import dosing, safety
from tracker.services.views.plan import Plan


def your_dose(p: Plan) -> list[str]:
    rx = p.prescription
    draw = p.draw
    lines = []
    problem = safety.do_not_give(p.problems)
    if problem:
        lines.append(f"! {problem}")
    text = (
        f"{p.child.name}'s dose now: {draw.describe()} per injection, at "
        f"{rx.times} ({p.zone.key}), drawn with a {draw.syringe.label}."
    )
    if p.weight_kg:
        per_kg = draw.mg / p.weight_kg
        ceiling = dosing.MAX_MG_PER_KG * p.weight_kg
        text += (
            f" That is {dosing.format_per_kg(per_kg)} mg/kg at {p.weight_kg:g} kg; the "
            "label's ceiling of "
            f"{dosing.MAX_MG_PER_KG} mg/kg would be {dosing.format_mg(ceiling)} mg."
        )
    lines.append(text)
    note = p.weight_note()
    if note:
        lines.append(note[0].upper() + note[1:] + ".")
    return lines
