"""An entry and its corrections as a person reads them.

`tracker show` and the phone's entry page are read by parents and clinicians, not by
programs: times in the child's zone ("19:45", "29 Nov 19:45"), amounts with their units,
yes and no, and a label for each field ("time 19:45 -> 19:40", "flagged: given 2 h 20 min
after the previous injection"). Field names and UTC stamps stay in the JSON exports,
which programs read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tracker.domain import dosing, glucose
from tracker.i18n import _

# field (a database column or a JSON key) -> what a person calls it; None: not shown
# (derived from another field, or bookkeeping)
LABELS: dict[str, str | None] = {
    "given_at": "time", "occurred_at": "time", "measured_at": "time", "opened_at": "opened",
    "starts_at": "from", "at": "time", "slot": "dose time", "scheduled_at": "dose time",
    "slot_date": None, "slot_time": None, "closed_at": "closed",
    "dose_mg": "amount", "volume_ml": None, "dose_ml": None, "syringe_units": None,
    "minutes_late": None, "site": "site", "given_by": "given by", "meal": "meal within 20 min",
    "extra": "extra dose", "force_reason": "reason for the override", "flags": "flagged",
    "status": "recorded as", "reason": "reason", "note": "note", "kind": "symptom",
    "symptom": None, "severity": "how bad", "dose": "after dose", "glucose": "blood sugar check",
    "dose_id": None, "glucose_id": None, "mg_dl": "reading", "value": None, "unit": "unit",
    "before_meal": "before a meal", "low": None, "weight_kg": "weight", "height_cm": "height",
    "measured_on": "day", "on": "day", "lot": "lot", "expires_on": "expires",
    "change": "change", "set_to": "counted", "discard_reason": "discarded because",
    "dose_mg_per_kg": "dose",
    "prescribed_for_kg": "for a weight of", "times": "dose times",
    "concentration_mg_per_ml": "vial strength", "prescription_id": None, "vial_id": "vial",
    "created_at": None, "created_by": None, "voided_at": None, "void_reason": None,
    "child_id": None, "id": None,
}
_UNITS = {"weight_kg": "kg", "height_cm": "cm", "prescribed_for_kg": "kg",
          "dose_mg_per_kg": "mg/kg", "concentration_mg_per_ml": "mg/mL"}


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] in "T ":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def value(key: str, raw: object, zone: ZoneInfo) -> str:
    """One value in words, in the child's zone."""
    if raw is None or raw == [] or raw == "":
        return "none"
    at = _instant(raw)
    if at is not None:
        local = at.astimezone(zone) if at.tzinfo else at
        return f"{local.day} {local:%b %Y %H:%M}"
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, list):
        return "; ".join(str(r) for r in raw)
    if key == "flags" and isinstance(raw, str):
        return "; ".join(raw.splitlines())
    if key == "dose_mg" and isinstance(raw, (int, float)):
        return f"{dosing.format_mg(float(raw))} mg"
    if key == "mg_dl" and isinstance(raw, (int, float)):
        return glucose.format_value(float(raw), "mg/dL")
    if key in ("vial_id",) and isinstance(raw, int):
        return f"V{raw}"
    if key in ("measured_on", "expires_on", "on") and isinstance(raw, (str, date)):
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        return f"{day.day} {day:%b %Y}"
    unit = _UNITS.get(key)
    if unit and isinstance(raw, (int, float)):
        return f"{raw:g} {unit}"
    return str(raw)


def fields(found: Mapping[str, object], zone: ZoneInfo) -> list[str]:
    """An entry's fields as lines, labelled, without the ones only programs need."""
    lines = []
    for key, raw in found.items():
        label = LABELS.get(key, key.replace("_", " "))
        if label is None or raw is None or raw == [] or (raw is False and key == "extra"):
            continue
        lines.append(f"{label}: {value(key, raw, zone)}")
    return lines


def change(key: str, before: object, after: object, zone: ZoneInfo) -> str | None:
    """One correction in words ("time 19:45 -> 19:40"), None for a field not shown."""
    label = LABELS.get(key, key.replace("_", " "))
    if label is None:
        return None
    old, new = value(key, before, zone), value(key, after, zone)
    a, b = _instant(before), _instant(after)
    if a is not None and b is not None:  # the same day: the times alone
        la = a.astimezone(zone) if a.tzinfo else a
        lb = b.astimezone(zone) if b.tzinfo else b
        if la.date() == lb.date():
            old, new = f"{la:%H:%M}", f"{lb:%H:%M}"
    if key == "flags":
        if not after:
            return _("no longer flagged (was: {old})").format(old=old)
        if not before:
            return f"flagged: {new}"
    return f"{label} {old} -> {new}"


ACTIONS = {"edit": "corrected", "void": "undone", "restore": "restored"}


def action(name: str) -> str:
    return ACTIONS.get(name, name)
