"""What was recorded, in one sentence: the first thing every front says after an entry.

The command line, the household page and a notification's button all say the same
sentence, in full (amount, time, site, who, and whether it was flagged), so a parent who
logged on the phone reads what a parent at the computer would. Written once, here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain import dosing, glucose, schedule

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy.orm import Session

    from tracker.db.models import (
        Child,
        Dose,
        Glucose,
        Measurement,
        Prescription,
        StockChange,
        Symptom,
        Vial,
    )
    from tracker.domain.schedule import Slot
    from tracker.services.record.outcome import Told
    from tracker.services.views.plan import Plan


def dose(entry: Dose, child: Child, slot: Slot, plan: Plan) -> str:
    """A given dose with what, when, where, who and the slot it filled; or a withheld one."""
    if entry.status != "given" or entry.given_at is None or entry.dose_mg is None:
        return (f"Recorded D{entry.id}: {child.name}'s {slot.name} dose of {slot.day} "
                f"withheld ({entry.reason}), by {entry.given_by}.")
    amount = dosing.describe_amount(entry.dose_mg, plan.prescription.concentration_mg_per_ml)
    local = entry.given_at.astimezone(plan.zone)
    late = schedule.minutes_late(entry.given_at, slot)
    extra = " An extra injection for this dose." if entry.extra else ""
    flagged = " Flagged for the clinic." if entry.flags or entry.force_reason else ""
    return (f"Logged D{entry.id}: {child.name}, {amount} at {local:%Y-%m-%d %H:%M}"
            f"{' in ' + entry.site if entry.site else ''}, by {entry.given_by} "
            f"({slot.label} slot, {late:+d} min{f'; {slot.clock}' if slot.clock else ''})."
            f"{extra}{flagged}")


def symptom(entry: Symptom, child: Child) -> str:
    how = f" ({entry.severity})" if entry.severity else ""
    return f"Recorded S{entry.id}: {child.name}, {entry.kind}{how}."


def reading(entry: Glucose, child: Child) -> str:
    return (f"Recorded G{entry.id}: {child.name}, "
            f"{glucose.format_value(entry.mg_dl, entry.unit)} ({glucose.word(entry.mg_dl)}).")


def measurement(entry: Measurement, child: Child) -> str:
    parts = [f"{entry.weight_kg:g} kg" if entry.weight_kg is not None else "",
             f"{entry.height_cm:g} cm" if entry.height_cm is not None else ""]
    return f"Recorded M{entry.id}: {child.name}, {', '.join(filter(None, parts))}."


def prescription(entry: Prescription) -> str:
    return f"Recorded prescription P{entry.id}."


def vial_opened(entry: Vial, child: Child) -> str:
    """A vial opened, with the moment it must be discarded (30 days, or its expiry)."""
    from tracker.domain.vials import discard_at

    zone = schedule.zone_named(child.timezone)
    discard = discard_at(entry.opened_at, entry.expires_on, zone).astimezone(zone)
    return (f"Recorded V{entry.id}: {child.name}'s vial opened "
            f"{entry.opened_at.astimezone(zone):%Y-%m-%d %H:%M}; discard it on "
            f"{discard:%a %d %b %Y %H:%M}.")


def vial_told(entry: Vial, child: Child, said: list[str]) -> Told:
    """A vial opened, as every front tells it: its headline, then what supply said."""
    from tracker.services.record.outcome import Told

    return Told(vial_opened(entry, child), info=list(said), entry=entry)


def stock_told(session: Session, child: Child, entry: StockChange) -> Told:
    """A count of unopened vials, as every front tells it, with the total now."""
    from tracker.services.record import supply
    from tracker.services.record.outcome import Told

    return Told(stock(entry, supply.stock(session, child)), entry=entry)


def stock(entry: StockChange, total: int | None) -> str:
    counted = "an unknown number of" if total is None else str(total)
    return f"Recorded K{entry.id}: {counted} unopened vial{'' if total == 1 else 's'}."


def undone(ref: str, summary: str) -> str:
    return f"Undone {ref} ({summary}): it stays in the history, marked undone."


def restored(ref: str, summary: str) -> str:
    return f"Restored {ref} ({summary}): it counts again."


def when(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """A moment as people say it near now: "19:30 today", "07:30 tomorrow"."""
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return local.strftime("%H:%M today")
    if (local.date() - today).days == 1:
        return local.strftime("%H:%M tomorrow")
    if (today - local.date()).days == 1:
        return local.strftime("%H:%M yesterday")
    return local.strftime("%Y-%m-%d %H:%M")

