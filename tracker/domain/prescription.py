"""A prescription's dose in mg, and the amount to draw: arithmetic on what was prescribed.

Plain functions of the prescription's own numbers (no database, no clock), shared by the
dose shown before an injection, the calendar, the FHIR export and the report, so each
says the same mg for the same prescription. A prescription in mg/kg is for the weight it
was written for; an older log without that weight uses the weight of the day.
"""

from __future__ import annotations

from typing import Protocol

from tracker.domain import dosing
from tracker.domain.actions import Do, act, fill
from tracker.domain.dosing import Draw, format_per_kg
from tracker.errors import NotFound
from tracker.i18n import _
from tracker.i18n.formats import decimal


class Prescribed(Protocol):
    """What a prescription says (tracker.db.models.Prescription has these)."""

    @property
    def dose_mg_per_kg(self) -> float | None: ...
    @property
    def dose_mg(self) -> float | None: ...
    @property
    def weight_kg(self) -> float | None: ...
    @property
    def concentration_mg_per_ml(self) -> float: ...


def basis_weight(p: Prescribed, weight_kg: float | None) -> float | None:
    """The weight an mg/kg prescription's mg are for (older logs: the weight of the day)."""
    return p.weight_kg if p.weight_kg is not None else weight_kg


def describe_basis(p: Prescribed, mg: float, weight_kg: float | None) -> str:
    basis = basis_weight(p, weight_kg)
    if p.dose_mg_per_kg is not None and basis:
        return _("{per_kg} mg/kg x {weight} kg").format(
            per_kg=decimal(f"{p.dose_mg_per_kg:g}"), weight=decimal(f"{basis:g}"))
    if weight_kg:
        return _("fixed dose, {per_kg} mg/kg at {weight} kg").format(
            per_kg=decimal(format_per_kg(mg / weight_kg)), weight=decimal(f"{weight_kg:g}"))
    return _("fixed dose")


def draw_for(p: Prescribed, mg: float, weight_kg: float | None, syringe: str | None) -> Draw:
    """The dose to draw: on the family's syringe, never rounded past a ceiling."""
    return dosing.draw(
        mg,
        concentration=p.concentration_mg_per_ml,
        syringe=dosing.SYRINGES.get(syringe) if syringe else None,
        ceiling=dosing.ceiling_mg(weight_kg, p.dose_mg),
    )


def no_weight() -> NotFound:
    """A dose in mg/kg with no weight to reckon it from, and what to do."""
    return NotFound(fill(_("the dose is in mg/kg but no weight is recorded: {command}"),
                         command=act(Do.MEASURE_WEIGHT)))


def mg_of(p: Prescribed, weight_kg: float | None) -> float:
    """The prescribed mg: fixed, or mg/kg at the weight it was prescribed for."""
    if p.dose_mg is not None:
        return p.dose_mg
    weight = basis_weight(p, weight_kg)
    if weight is None:
        raise no_weight()
    assert p.dose_mg_per_kg is not None
    return dosing.mg_for(weight, p.dose_mg_per_kg)
