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
from functools import cache
from zoneinfo import ZoneInfo

from tracker import i18n
from tracker.domain import dosing, glucose, sites, symptoms
from tracker.i18n import N_, _, formats, pgettext

# field (a database column or a JSON key) -> what a person calls it; None: not shown
# (derived from another field, or bookkeeping)
LABELS: dict[str, str | None] = {  # _(label) where shown
    "given_at": N_("time"), "occurred_at": N_("time"), "measured_at": N_("time"),
    "opened_at": N_("opened"), "starts_at": N_("from"), "at": N_("time"), "slot": N_("dose time"),
    "scheduled_at": N_("dose time"), "slot_date": None, "slot_time": None,
    "closed_at": N_("closed"), "dose_mg": N_("amount"), "volume_ml": None, "dose_ml": None,
    "syringe_units": None, "minutes_late": None, "site": N_("site"), "given_by": N_("given by"),
    "meal": N_("meal within 20 min"), "extra": N_("extra dose"),
    "force_reason": N_("reason for the override"), "flags": N_("flagged"),
    "status": N_("recorded as"), "reason": N_("reason"), "note": N_("note"), "kind": N_("symptom"),
    "symptom": None, "severity": N_("how bad"), "dose": N_("after dose"),
    "glucose": N_("blood sugar check"), "dose_id": None, "glucose_id": None,
    "mg_dl": N_("reading"), "value": None, "unit": N_("unit"), "before_meal": N_("before a meal"),
    "low": None, "word": None, "weight_kg": N_("weight"), "height_cm": N_("height"),
    "measured_on": N_("day"),
    "on": N_("day"), "lot": N_("lot"), "expires_on": N_("expires"), "change": N_("change"),
    "set_to": N_("counted"), "discard_reason": N_("discarded because"),
    "dose_mg_per_kg": N_("dose"), "prescribed_for_kg": N_("for a weight of"),
    "times": N_("dose times"), "concentration_mg_per_ml": N_("vial strength"),
    "prescription_id": None, "vial_id": N_("vial"), "created_at": None, "created_by": None,
    "voided_at": None, "void_reason": None, "child_id": None, "id": None,
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


def _day(d: date) -> str:
    """"29 Nov 2026" in English (as tracker always wrote it); the locale's medium date
    elsewhere."""
    if i18n.language() == i18n.ENGLISH:
        return f"{d.day} {d:%b %Y}"
    return formats.day(d, "medium")


def value(key: str, raw: object, zone: ZoneInfo) -> str:
    """One value in words, in the child's zone."""
    if raw is None or raw == [] or raw == "":
        return pgettext("value", "none")
    at = _instant(raw)
    if at is not None:
        local = at.astimezone(zone) if at.tzinfo else at
        # TRANSLATORS: a day and a time of day: "29 Nov 2026 19:45"
        return _("{day} {time}").format(day=_day(local), time=formats.clock(local))
    if isinstance(raw, bool):
        return pgettext("value", "yes") if raw else pgettext("value", "no")
    if isinstance(raw, list):
        return "; ".join(str(r) for r in raw)
    if key == "flags" and isinstance(raw, str):
        return "; ".join(raw.splitlines())
    if key == "dose_mg" and isinstance(raw, (int, float)):
        return _("{dose} mg").format(dose=formats.decimal(dosing.format_mg(float(raw))))
    if key == "mg_dl" and isinstance(raw, (int, float)):
        return glucose.format_value(float(raw), "mg/dL")
    if key == "site" and isinstance(raw, str):
        return sites.site_name(raw)
    if key in ("vial_id",) and isinstance(raw, int):
        return f"V{raw}"
    if key in ("measured_on", "expires_on", "on") and isinstance(raw, (str, date)):
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
        return _day(day)
    unit = _UNITS.get(key)
    if unit and isinstance(raw, (int, float)):
        # TRANSLATORS: an amount and its unit (kg, cm, mg/kg, mg/mL)
        return _("{amount} {unit}").format(amount=formats.decimal(f"{raw:g}"), unit=unit)
    return str(raw)


def fields(found: Mapping[str, object], zone: ZoneInfo) -> list[str]:
    """An entry's fields as lines, labelled, without the ones only programs need."""
    lines = []
    for key, raw in found.items():
        label = LABELS.get(key, key.replace("_", " "))
        if label is None or raw is None or raw == [] or (raw is False and key == "extra"):
            continue
        # TRANSLATORS: a field of an entry and its value: "time: 29 Nov 2026 19:45"
        lines.append(_("{field}: {value}").format(field=_(label), value=value(key, raw, zone)))
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
            old, new = formats.clock(la), formats.clock(lb)
    if key == "flags":
        if not after:
            return _("no longer flagged (was: {old})").format(old=old)
        if not before:
            return _("flagged: {flags}").format(flags=new)
    # TRANSLATORS: a correction of one field: "time 19:45 -> 19:40"
    return _("{field} {old} -> {new}").format(field=_(label), old=old, new=new)


# what was done to an entry, as its history says it: _() where shown
ACTIONS = {"edit": N_("corrected"), "void": N_("undone"), "restore": N_("restored")}


def action(name: str) -> str:
    found = ACTIONS.get(name)
    return _(found) if found else name


# why a dose is withheld (tracker.services.record.log.WITHHELD_REASONS: the tokens stored
# and typed) as a person reads it: reason_words()
REASON_WORDS = {
    # TRANSLATORS: why a dose is withheld
    "not eating": N_("not eating"),
    # TRANSLATORS: why a dose is withheld
    "ill": N_("ill"),
    # TRANSLATORS: why a dose is withheld
    "vomiting": N_("vomiting"),
    # TRANSLATORS: why a dose is withheld: there is no medicine left
    "no medicine": N_("no medicine"),
    # TRANSLATORS: why a dose is withheld
    "other": N_("other"),
}


def reason_words(reason: str) -> str:
    """A withheld dose's reason in the reader's language (one a person typed as it is)."""
    found = REASON_WORDS.get(reason)
    return _(found) if found else reason


@cache
def _reasons_in(lang: str) -> dict[str, str]:
    return sites.translated_names(REASON_WORDS, lang)


def reason_key(typed: str) -> str:
    """A withheld dose's reason as typed: a standard reason named in any language tracker
    speaks ("ne mange pas", "No come") is stored as its key ("not eating"), which every
    reader then reads in their own words; English as typed, and any other reason as it is."""
    key = sites.in_any_language(typed, _reasons_in)
    english = sites.fold(key or "") == sites.fold(typed) and typed.isascii()
    if key is None or english:  # the English words (with any marks around them): as typed
        return typed
    return key


def slot_status(value: str) -> str:
    """A dose slot's state ("given", "missed", a SlotStatus value) in the reader's words,
    for every front that lists slots (the command line writes due and missed in capitals)."""
    words = {
        # TRANSLATORS: the state of a scheduled dose, in the list of today's doses
        "given": pgettext("status", "given"),
        "withheld": pgettext("status", "withheld"),
        "due": pgettext("status", "due"),
        "missed": pgettext("status", "missed"),
        "upcoming": pgettext("status", "upcoming"),
    }
    return words.get(value, value)


# A site and a kind of side effect in the reader's language: the domain's names.
site_words = sites.site_name
kind_words = symptoms.kind_name


# recorded as the entry's override reason (in English, as stored); _(SECOND) where shown
SECOND = N_("a second injection that was given (confirmed when it was logged)")
