"""What was recorded, in one sentence: the first thing every front says after an entry.

The command line, the household page and a notification's button all say the same
sentence, in full (amount, time, site, who, and whether it was flagged), so a parent who
logged on the phone reads what a parent at the computer would. Written once, here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain import dosing, glucose, schedule
from tracker.i18n import _

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
        return _("Recorded D{id}: {name}'s {name2} dose of {day} withheld ({reason}), by "
                  "{given_by}.").format(
                    id=entry.id, name=child.name, name2=slot.name, day=slot.day,
                    reason=entry.reason, given_by=entry.given_by)
    amount = dosing.describe_amount(entry.dose_mg, plan.prescription.concentration_mg_per_ml)
    local = entry.given_at.astimezone(plan.zone)
    late = schedule.minutes_late(entry.given_at, slot)
    extra = _(" An extra injection for this dose.") if entry.extra else ""
    flagged = _(" Flagged for the clinic.") if entry.flags or entry.force_reason else ""
    return _("Logged D{id}: {name}, {amount} at {local:%Y-%m-%d %H:%M}{value}, by {given_by} "
              "({label} slot, {late:+d} min{value2}).{extra}{flagged}").format(
                id=entry.id, name=child.name, amount=amount, local=local,
                value=' in ' + entry.site if entry.site else '', given_by=entry.given_by,
                label=slot.label, late=late, value2=f'; {slot.clock}' if slot.clock else '',
                extra=extra, flagged=flagged)


def symptom(entry: Symptom, child: Child) -> str:
    how = f" ({entry.severity})" if entry.severity else ""
    return _("Recorded S{id}: {name}, {kind}{how}.").format(
               id=entry.id, name=child.name, kind=entry.kind, how=how)


def reading(entry: Glucose, child: Child) -> str:
    return _("Recorded G{id}: {name}, {mg_dl} ({word}).").format(
                id=entry.id, name=child.name,
                mg_dl=glucose.format_value(entry.mg_dl, entry.unit),
                word=glucose.word(entry.mg_dl))


def measurement(entry: Measurement, child: Child) -> str:
    parts = [f"{entry.weight_kg:g} kg" if entry.weight_kg is not None else "",
             f"{entry.height_cm:g} cm" if entry.height_cm is not None else ""]
    return _("Recorded M{id}: {name}, {join}.").format(
               id=entry.id, name=child.name, join=', '.join(filter(None, parts)))


def prescription(entry: Prescription) -> str:
    return _("Recorded prescription P{id}.").format(id=entry.id)


def vial_opened(entry: Vial, child: Child) -> str:
    """A vial opened, with the moment it must be discarded (30 days, or its expiry)."""
    from tracker.domain.vials import discard_at

    zone = schedule.zone_named(child.timezone)
    discard = discard_at(entry.opened_at, entry.expires_on, zone).astimezone(zone)
    return _("Recorded V{id}: {name}'s vial opened {astimezone:%Y-%m-%d %H:%M}; discard it on "
              "{discard:%a %d %b %Y %H:%M}.").format(
                id=entry.id, name=child.name, astimezone=entry.opened_at.astimezone(zone),
                discard=discard)


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
    counted = _("an unknown number of") if total is None else str(total)
    return _("Recorded K{id}: {counted} unopened vial{value}.").format(
               id=entry.id, counted=counted, value='' if total == 1 else 's')


def undone(ref: str, summary: str) -> str:
    return _("Undone {ref} ({summary}): it stays in the history, marked undone.").format(
               ref=ref, summary=summary)


def restored(ref: str, summary: str) -> str:
    return _("Restored {ref} ({summary}): it counts again.").format(ref=ref, summary=summary)


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

