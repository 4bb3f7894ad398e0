"""The child's own dose next to the label's rules, as `tracker info dosing` shows it.

A page about dosing is also a place where a dose is shown, so it applies the same checks
as status and give: a dose above a limit says "do not give this dose" here too.
"""

from __future__ import annotations

from tracker.domain import dosing, safety
from tracker.i18n import _, formats
from tracker.services.views.plan import Plan


def your_dose(p: Plan) -> list[str]:
    rx = p.prescription
    draw = p.draw
    lines = []
    problem = safety.do_not_give(p.problems)
    if problem:
        lines.append(f"! {problem}")
    # TRANSLATORS: "Mia's dose now: 0.8 mg = ... per injection, at 07:30,19:30
    # (Europe/Paris), drawn with a U-100 0.3 mL syringe."
    text = _("{name}'s dose now: {draw} per injection, at {times} ({zone}), drawn with a "
             "{syringe}.").format(name=p.child.name, draw=draw.describe(), times=rx.times,
                                  zone=p.zone.key, syringe=draw.syringe.name)
    if p.weight_kg:
        per_kg = draw.mg / p.weight_kg
        ceiling = dosing.MAX_MG_PER_KG * p.weight_kg
        text += " " + _("That is {per_kg} mg/kg at {weight} kg; the label's ceiling of "
                        "{most} mg/kg would be {ceiling} mg.").format(
                per_kg=formats.decimal(dosing.format_per_kg(per_kg)),
                weight=formats.decimal(f"{p.weight_kg:g}"),
                most=formats.decimal(f"{dosing.MAX_MG_PER_KG:g}"),
                ceiling=formats.decimal(dosing.format_mg(ceiling)))
    lines.append(text)
    note = p.weight_note()
    if note:
        lines.append(note[0].upper() + note[1:] + ".")
    return lines
