"""Which unit a blood-sugar reading is read in: the one rule every front asks.

The unit typed with the reading, else the meter's unit as the caregiver set it (setup,
or the glucose_unit setting), else the unit usual where the child lives (its time zone's
country, tracker.domain.meter_units), else none: mg/dL as before, said to be only a
default. Only a unit typed or set is `known`; one taken from the zone is a default too,
so a number that is a low in one unit and not in the other is still asked about (or,
with no one to ask, said how to correct), with the zone's unit offered first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from tracker.domain import meter_units
from tracker.domain.glucose import normalise_unit

if TYPE_CHECKING:
    from tracker.db.models import Child

FALLBACK = "mg/dL"  # nothing says which: as before, and said to be a default


class MeterUnit(NamedTuple):
    unit: str  # the unit the reading is read in
    known: bool  # typed with the reading or set by the caregiver: not to be asked
    usual: str | None  # the unit usual in the child's zone, None if not known there

    @property
    def chosen(self) -> str | None:
        """The unit to show as chosen where a person may pick one (None: pick one)."""
        return self.unit if self.known else self.usual


def meter_unit(child: Child | None, typed: str | None = None) -> MeterUnit:
    """The unit a reading of `child` is read in (see the module's docstring)."""
    from tracker import config

    usual = meter_units.usual_unit(child.timezone) if child is not None else None
    if typed and typed.strip():
        return MeterUnit(normalise_unit(typed), True, usual)
    setting = config.glucose_unit_setting()
    if setting:
        return MeterUnit(setting, True, usual)
    return MeterUnit(usual or FALLBACK, False, usual)


def zone_default(zone: str) -> str | None:
    """The meter unit to offer at setup for a child in `zone` (None: no default, ask)."""
    return meter_units.usual_unit(zone)


def for_form(children: list[Child]) -> MeterUnit:
    """The unit a form shows for these children: theirs when they all agree, else none
    chosen (children living in different countries, nothing set)."""
    units = {meter_unit(c) for c in children} or {meter_unit(None)}
    return units.pop() if len(units) == 1 else MeterUnit(FALLBACK, False, None)
