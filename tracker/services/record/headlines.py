"""What was recorded, in one sentence: the first thing every front says after an entry.

The command line, the household page and a notification's button all say the same
sentence, in full (amount, time, site, who, and whether it was flagged), so a parent who
logged on the phone reads what a parent at the computer would. Written once, here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tracker import i18n
from tracker.domain import dosing, glucose, schedule
from tracker.i18n import _, formats, ngettext

if TYPE_CHECKING:
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
        from tracker.services.views.words import reason_words

        # TRANSLATORS: "Recorded D4: Mia's 07:30 dose of 2026-12-05 withheld (ill), by Eli."
        return _("Recorded {ref}: {name}'s {time} dose of {day} withheld ({reason}), by "
                 "{who}.").format(
                    ref=f"D{entry.id}", name=child.name, time=slot.name,
                    day=formats.day(slot.day), reason=reason_words(entry.reason or ""),
                    who=entry.given_by)
    amount = dosing.describe_amount(entry.dose_mg, plan.prescription.concentration_mg_per_ml)
    local = entry.given_at.astimezone(plan.zone)
    late = schedule.minutes_late(entry.given_at, slot)
    extra = " " + _("An extra injection for this dose.") if entry.extra else ""
    flagged = " " + _("Flagged for the clinic.") if entry.flags or entry.force_reason else ""
    # TRANSLATORS: {late} is the minutes from the dose time, signed ("+12", "-5"); {clock}
    # says where the slot falls on a night the clocks change
    in_slot = (_("{time} slot, {late} min; {clock}") if slot.clock
               else _("{time} slot, {late} min")).format(
                   time=slot.label, late=f"{late:+d}", clock=slot.clock)
    when = _day_time(local)
    if entry.site:
        from tracker.services.views.words import site_words

        # TRANSLATORS: "Logged D4: Mia, 0.8 mg = ... at 2026-12-05 07:32 in left-thigh, by
        # Eli (07:30 slot, +2 min)."
        said = _("Logged {ref}: {name}, {amount} at {when} in {site}, by {who} "
                 "({slot}).").format(ref=f"D{entry.id}", name=child.name, amount=amount,
                                     when=when, site=site_words(entry.site),
                                     who=entry.given_by, slot=in_slot)
    else:
        said = _("Logged {ref}: {name}, {amount} at {when}, by {who} ({slot}).").format(
            ref=f"D{entry.id}", name=child.name, amount=amount, when=when, who=entry.given_by,
            slot=in_slot)
    return said + extra + flagged


def _day_time(local: datetime) -> str:
    # TRANSLATORS: a day and a time of day: "2026-12-05 19:30"
    return _("{day} {time}").format(day=formats.day(local), time=formats.clock(local))


def symptom(entry: Symptom, child: Child) -> str:
    from tracker.domain import symptoms
    from tracker.services.views.words import kind_words

    kind = kind_words(entry.kind)
    if entry.severity:
        severity_name = getattr(symptoms, "severity_name", None)
        how = str(severity_name(entry.severity)) if severity_name else entry.severity
        # TRANSLATORS: "Recorded S3: Mia, rash (mild)."
        return _("Recorded {ref}: {name}, {kind} ({severity}).").format(
            ref=f"S{entry.id}", name=child.name, kind=kind, severity=how)
    return _("Recorded {ref}: {name}, {kind}.").format(
               ref=f"S{entry.id}", name=child.name, kind=kind)


def reading(entry: Glucose, child: Child) -> str:
    # TRANSLATORS: "Recorded G2: Mia, 65 mg/dL (low)."
    return _("Recorded {ref}: {name}, {reading} ({word}).").format(
                ref=f"G{entry.id}", name=child.name,
                reading=glucose.format_value(entry.mg_dl, entry.unit),
                word=glucose.word_shown(glucose.word(entry.mg_dl)))


def measurement(entry: Measurement, child: Child) -> str:
    parts = [_("{weight} kg").format(weight=formats.decimal(f"{entry.weight_kg:g}"))
             if entry.weight_kg is not None else "",
             _("{height} cm").format(height=formats.decimal(f"{entry.height_cm:g}"))
             if entry.height_cm is not None else ""]
    # TRANSLATORS: {measured}: a weight, a height or both ("21.5 kg, 118 cm")
    return _("Recorded {ref}: {name}, {measured}.").format(
               ref=f"M{entry.id}", name=child.name, measured=", ".join(filter(None, parts)))


def prescription(entry: Prescription) -> str:
    return _("Recorded prescription {ref}.").format(ref=f"P{entry.id}")


def vial_opened(entry: Vial, child: Child) -> str:
    """A vial opened, with the moment it must be discarded (30 days, or its expiry)."""
    from tracker.domain.vials import discard_at

    zone = schedule.zone_named(child.timezone)
    discard = discard_at(entry.opened_at, entry.expires_on, zone).astimezone(zone)
    if i18n.language() == i18n.ENGLISH:
        until = f"{discard:%a %d %b %Y %H:%M}"
    else:
        # TRANSLATORS: a weekday, a day and a time: "Sat 05 Dec 2026 19:30"
        until = _("{weekday} {day} {time}").format(
            weekday=formats.weekday(discard, "abbreviated"), day=formats.day(discard),
            time=formats.clock(discard))
    return _("Recorded {ref}: {name}'s vial opened {when}; discard it on {until}.").format(
                ref=f"V{entry.id}", name=child.name,
                when=_day_time(entry.opened_at.astimezone(zone)), until=until)


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
    if total is None:
        return _("Recorded {ref}: an unknown number of unopened vials.").format(
            ref=f"K{entry.id}")
    return ngettext("Recorded {ref}: {n} unopened vial.", "Recorded {ref}: {n} unopened vials.",
                    total).format(ref=f"K{entry.id}", n=total)


def undone(ref: str, summary: str) -> str:
    return _("Undone {ref} ({summary}): it stays in the history, marked undone.").format(
               ref=ref, summary=summary)


def restored(ref: str, summary: str) -> str:
    return _("Restored {ref} ({summary}): it counts again.").format(ref=ref, summary=summary)


def when(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """A moment as people say it near now: "19:30 today", "07:30 tomorrow"."""
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    time = formats.clock(local)
    if local.date() == today:
        return _("{time} today").format(time=time)
    if (local.date() - today).days == 1:
        return _("{time} tomorrow").format(time=time)
    if (today - local.date()).days == 1:
        return _("{time} yesterday").format(time=time)
    return _day_time(local)

