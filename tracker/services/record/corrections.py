"""Corrections that a clinic can trust: nothing is deleted, every old value is kept.

`undo` marks an entry void; `edit` copies the entry's values into `revision` before it
changes them. Both record who did it, when, and why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db.models import (
    ENTRY_TYPES,
    Child,
    Dose,
    Entry,
    Glucose,
    Measurement,
    Prescription,
    Revision,
    StockChange,
    Symptom,
    Vial,
)
from tracker.domain import dosing, glucose, safety, schedule, sites, symptoms, text
from tracker.domain.actions import Do, act, fill
from tracker.domain.timeparse import refuse_future
from tracker.errors import InputError, NotFound, Refused
from tracker.i18n import N_, _, formats
from tracker.services.record import headlines
from tracker.services.record.audit import Stored, snapshot
from tracker.services.record.audit import record as _record
from tracker.services.record.log import slot_entry
from tracker.services.record.outcome import Told
from tracker.services.record.questions import NO_ONE, Answers, Question
from tracker.services.views.history import describe, ref
from tracker.services.views.plan import plan_at, zone_of

# the fields to change, by name: each value of that field's type (a time, an amount, a
# site...), as each front typed it; read field by field below, as the entry's kind allows
Changes = dict[str, Any]

_REF_RE = re.compile(r"^\s*([a-zA-Z])\s*(\d{1,12})\s*$")

# each kind of entry as a person calls it (a class name -> its word): _() where shown
KIND_WORDS = {"Dose": N_("dose"), "Symptom": N_("symptom"), "Glucose": N_("glucose"),
              "Measurement": N_("measurement"), "Prescription": N_("prescription"),
              "Vial": N_("vial"), "StockChange": N_("stock change")}
EDITABLE: dict[type[Entry], tuple[str, ...]] = {
    Dose: ("at", "site", "dose_mg", "by", "note", "reason", "meal"),
    Symptom: ("kind", "severity", "at", "note"),
    Glucose: ("value", "unit", "at", "before_meal", "note"),
    Measurement: ("weight", "height", "on", "note"),
    Prescription: ("note",),
    Vial: ("note",),
    StockChange: ("note",),
}


@dataclass
class Correction(Told):
    """What an undo, a restore or an edit did (a Told), with the values it replaced."""

    entry: Entry = field(kw_only=True)
    old: dict[str, Stored] = field(kw_only=True)


def parse_ref(value: str) -> tuple[type[Entry], int]:
    m = _REF_RE.match(value)
    if not m or m.group(1).upper() not in ENTRY_TYPES:
        raise InputError(fill(
            # TRANSLATORS: D, S, G, M and P are typed as they are, in every language
            _("{value} is not an entry id: ids look like D12 (dose), S3 (symptom), G5 "
              "(glucose), M2 (measurement) or P1 (prescription); see: {command}"),
            value=repr(value), command=act(Do.HISTORY)))
    return ENTRY_TYPES[m.group(1).upper()], int(m.group(2))


def get_entry(session: Session, value: str, child: Child | None = None) -> Entry:
    model, key = parse_ref(value)
    entry = session.get(model, key)
    if entry is None or (child is not None and entry.child_id != child.id):
        raise NotFound(_("there is no entry {ref}").format(ref=value.strip().upper()))
    return entry


def last_entry(session: Session, child: Child) -> Entry:
    """The entry written most recently (by the time it was written, not the time it names)."""
    latest: Entry | None = None
    for model in ENTRY_TYPES.values():
        candidate = session.scalar(
            select(model)
            .where(model.child_id == child.id, model.voided_at.is_(None))
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(1)
        )
        if candidate is not None and (latest is None or candidate.created_at > latest.created_at):
            latest = candidate
    if latest is None:
        raise NotFound(_("nothing to undo for {name}").format(name=child.name))
    return latest


def void(
    session: Session, entry: Entry, *, now: datetime, by: str, reason: str | None,
    answers: Answers = NO_ONE,
) -> Correction:
    """Undo an entry: it stays in the history, marked undone, and can be restored. A
    person is asked first (one slip of a thumb must not lose a dose); a script and a
    notification's Undo, which said so already, are not."""
    if entry.voided_at is not None:
        raise InputError(_("{ref} was already undone").format(ref=ref(entry)))
    if isinstance(entry, Prescription):
        live = session.scalar(
            select(func.count())
            .select_from(Prescription)
            .where(Prescription.child_id == entry.child_id, Prescription.voided_at.is_(None))
        )
        if live == 1:
            raise Refused(fill(_("this is the only prescription: record the right one instead: "
                                 "{command}"), command=act(Do.PRESCRIBE, dose="")))
    zone = zone_of(child_of(session, entry))
    summary = describe(entry, zone).summary
    if not answers.ask(Question("undo", _("Undo {ref} ({summary})? It stays in the history, "
                                          "marked undone, and can be restored.").format(
                                            ref=ref(entry), summary=summary),
                                default=False), otherwise=True):
        raise InputError(_("nothing was undone: {ref} stays as it was").format(ref=ref(entry)))
    reason = text.clean(reason, _("the reason"))
    old = snapshot(entry)
    entry.voided_at = now
    entry.void_reason = reason or "undone"
    _record(session, entry, old, "void", now, by, reason)
    if isinstance(entry, Vial):
        _undo_vial_opening(session, entry, now, by)
    session.flush()
    summary = describe(entry, zone).summary
    done = Correction(entry=entry, old=old, headline=headlines.undone(ref(entry), summary))
    if not isinstance(entry, Vial):
        done.info.append(fill(_("a mistake? {command}"),
                              command=act(Do.RESTORE_ENTRY, ref=ref(entry))))
    return done


def restore(
    session: Session, entry: Entry, *, now: datetime, by: str, reason: str | None
) -> Correction:
    """Take back an undo: the entry counts again, and the undo and its reversal both stay
    in the audit trail. A dose whose slot was logged again meanwhile is refused, naming
    the entry that holds the slot now (a slot holds one dose)."""
    from sqlalchemy.exc import IntegrityError

    if entry.voided_at is None:
        raise InputError(_("{ref} is not undone: there is nothing to restore").format(
                             ref=ref(entry)))
    if isinstance(entry, Vial):
        raise Refused(fill(_("{ref} was a vial opening: if that vial is in use, {command} "
                             "again"), ref=ref(entry), command=act(Do.VIAL_OPEN)))
    if isinstance(entry, Dose) and not entry.extra:
        holder = session.scalar(
            select(Dose).where(Dose.child_id == entry.child_id,
                               Dose.slot_date == entry.slot_date,
                               Dose.slot_time == entry.slot_time,
                               Dose.voided_at.is_(None), Dose.extra.is_(False)))
        if holder is not None:
            raise Refused(
                (_("the {time} dose of {day} is now logged as {holder} (given by {who}): undo "
                   "that first if {ref} is the right one") if holder.status == "given"
                 else _("the {time} dose of {day} is now logged as {holder} (withheld by "
                        "{who}): undo that first if {ref} is the right one")).format(
                    time=entry.slot_time, day=formats.day(entry.slot_date),
                    holder=f"D{holder.id}", who=holder.given_by, ref=ref(entry))
            )
    old = snapshot(entry)
    entry.voided_at = None
    entry.void_reason = None
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # logged again at the same moment by someone else
        raise Refused(fill(_("the slot of {ref} was logged again meanwhile: look at it "
                             "({command}) before restoring {ref}"), ref=ref(entry),
                           command=act(Do.HISTORY))) from None
    _record(session, entry, old, "restore", now, by, text.clean(reason, _("the reason")))
    session.flush()
    summary = describe(entry, zone_of(child_of(session, entry))).summary
    return Correction(entry=entry, old=old, headline=headlines.restored(ref(entry), summary))


def undone_note(session: Session, child: Child, day: date, label: str) -> str | None:
    """Said first wherever a slot's dose is shown when the dose logged for it was undone
    and nothing holds the slot now: a slip of the thumb must not lead to a second
    injection ("Mia's 08:00 dose (D30) was undone at 08:05 by Ines")."""

    dose = undone_in_slot(session, child, day, label)
    return None if dose is None else undone_line(session, child, label, dose)


def undone_line(session: Session, child: Child, label: str, dose: Dose) -> str | None:
    """The words of undone_note for a dose already known to be the slot's undone one."""
    if dose.voided_at is None:
        return None
    who = session.scalar(
        select(Revision.changed_by).where(Revision.entity == "dose",
                                          Revision.entity_id == dose.id,
                                          Revision.action == "void")
        .order_by(Revision.id.desc()).limit(1))
    zone = zone_of(child)
    said = (_("{name}'s {time} dose ({ref}) was logged and then undone at {when} by {who}: "
              "if the injection was given, do not give it again; restore it instead "
              "({command})") if who
            else _("{name}'s {time} dose ({ref}) was logged and then undone at {when}: if the "
                   "injection was given, do not give it again; restore it instead ({command})"))
    return fill(said, name=child.name, time=label, ref=f"D{dose.id}",
                when=formats.clock(dose.voided_at.astimezone(zone)), who=who or "",
                command=act(Do.RESTORE_ENTRY, ref=f"D{dose.id}"))


def undone_in_slot(session: Session, child: Child, day: date, label: str) -> Dose | None:
    """The last dose of a slot that was logged and then undone, when nothing holds the
    slot now: a reminder for that slot must say so before "draw 8 units"."""
    undone = None
    for dose in session.scalars(_slot_doses(), {"child_id": child.id, "day": day,
                                                "label": label}):
        if dose.voided_at is None and not dose.extra:
            return None  # the slot is held
        if dose.voided_at is not None and dose.status == "given" and (
                undone is None or undone.voided_at is None
                or dose.voided_at > undone.voided_at):
            undone = dose
    return undone


@cache
def _slot_doses() -> Select[Dose]:
    """Every dose of one slot, undone or not, in one indexed look-up (ix_dose_child_slot),
    built once: every Today and every reminder asks it."""
    return select(Dose).where(Dose.child_id == bindparam("child_id"),
                              Dose.slot_date == bindparam("day"),
                              Dose.slot_time == bindparam("label")).order_by(Dose.id)


def _undo_vial_opening(session: Session, vial: Vial, now: datetime, by: str) -> None:
    """Undoing 'vial open' puts back what it did: the previous vial and the stock."""
    previous = session.scalar(
        select(Vial).where(
            Vial.child_id == vial.child_id,
            Vial.voided_at.is_(None),
            Vial.closed_at == vial.opened_at,
        )
    )
    if previous is not None:
        old = snapshot(previous)
        previous.closed_at = None
        _record(session, previous, old, "edit", now, by, f"undo of V{vial.id}")  # stored
    taken = session.scalar(
        select(StockChange).where(
            StockChange.child_id == vial.child_id,
            StockChange.voided_at.is_(None),
            StockChange.at == vial.opened_at,
            StockChange.change == -1,
        )
    )
    if taken is not None:
        old = snapshot(taken)
        # stored in the log as written (the audit trail's words, not a reader's)
        taken.voided_at, taken.void_reason = now, f"undo of V{vial.id}"
        _record(session, taken, old, "void", now, by, f"undo of V{vial.id}")


def edit_as_typed(session: Session, entry: Entry, typed: Changes, *, now: datetime,
                  by: str, reason: str | None) -> Correction:
    """A correction as a person typed it on any front: times and days read in the
    child's zone, a glucose unit as people write it, blank fields left alone; said in one
    sentence ("Corrected D12: ...")."""
    from tracker.domain.glucose import normalise_unit
    from tracker.domain.timeparse import parse_date, parse_when

    zone = zone_of(child_of(session, entry))
    changes = {k: v for k, v in typed.items()
               if k not in ("at", "on") and v is not None and v != ""}
    if typed.get("at"):
        changes["at"] = parse_when(str(typed["at"]).strip(), now, zone)
    if typed.get("on"):
        changes["on"] = parse_date(str(typed["on"]).strip(), now.astimezone(zone).date(), zone)
    if changes.get("unit") is not None:
        changes["unit"] = normalise_unit(str(changes["unit"]))
    done = edit(session, entry, changes, now=now, by=by, reason=reason)
    summary = describe(done.entry, zone).summary
    done.headline = _("Corrected {ref}: {summary}").format(ref=ref(done.entry), summary=summary)
    return done


def edit(
    session: Session,
    entry: Entry,
    changes: Changes,
    *,
    now: datetime,
    by: str,
    reason: str | None,
) -> Correction:
    """Change the named fields of an entry, keeping the old values in the audit trail."""
    changes = {k: v for k, v in changes.items() if v is not None}
    allowed = EDITABLE[type(entry)]
    wrong = sorted(set(changes) - set(allowed))
    if wrong:
        raise InputError(
            # TRANSLATORS: {kind}: "dose", "symptom"...; {fields} and {allowed} are options
            _("{ref} cannot take {fields}: a {kind} can change {allowed}").format(
                ref=ref(entry), fields=', '.join('--' + w.replace('_', '-') for w in wrong),
                kind=_(KIND_WORDS.get(type(entry).__name__, type(entry).__name__.lower())),
                allowed=', '.join('--' + a.replace('_', '-') for a in allowed))
        )
    if not changes:
        raise InputError(
            _("say what to change: {allowed}").format(
                allowed=', '.join('--' + a.replace('_', '-') for a in allowed))
        )
    if entry.voided_at is not None:
        raise InputError(_("{ref} was undone: it cannot be edited").format(ref=ref(entry)))
    old = snapshot(entry)
    correction = Correction(entry=entry, old=old)
    if "note" in changes:
        entry.note = text.clean(changes["note"], _("the note"))
    if isinstance(entry, Dose):
        _edit_dose(session, entry, changes, now, correction)
    elif isinstance(entry, Symptom):
        if "kind" in changes:
            entry.kind = symptoms.normalise_kind(changes["kind"])
        if "severity" in changes:
            entry.severity = symptoms.normalise_severity(changes["severity"])
        if "at" in changes:
            refuse_future(changes["at"], now)
            entry.occurred_at = changes["at"]
    elif isinstance(entry, Glucose):
        unit = glucose.normalise_unit(changes.get("unit", entry.unit))
        value = changes.get("value", glucose.from_mgdl(entry.mg_dl, entry.unit))
        entry.mg_dl, entry.unit = glucose.to_mgdl(value, unit), unit
        if "before_meal" in changes:
            entry.before_meal = changes["before_meal"]
        if "at" in changes:
            refuse_future(changes["at"], now)
            entry.measured_at = changes["at"]
    elif isinstance(entry, Measurement):
        if "weight" in changes:
            entry.weight_kg = safety.check_weight(changes["weight"])
        if "height" in changes:
            entry.height_cm = safety.check_height(changes["height"])
        if "on" in changes:
            if changes["on"] > now.astimezone(zone_of(child_of(session, entry))).date():
                raise InputError(_("{day} is in the future").format(
                    day=formats.day(changes["on"])))
            entry.measured_on = changes["on"]
    _record(session, entry, old, "edit", now, by, text.clean(reason, _("the reason")))
    session.flush()
    return correction


def child_of(session: Session, entry: Entry) -> Child:
    child = session.get(Child, entry.child_id)
    assert child is not None
    return child


def _edit_dose(
    session: Session, entry: Dose, changes: Changes, now: datetime, correction: Correction
) -> None:
    child = child_of(session, entry)
    if "reason" in changes:
        if entry.status != "withheld":
            raise InputError(_("{ref} is a given dose: a reason is for withheld doses").format(
                                 ref=f"D{entry.id}"))
        entry.reason = text.clean(changes["reason"], _("the reason"))
    if "by" in changes:
        entry.given_by = text.clean_name(changes["by"], _("the caregiver's name"))
    if "meal" in changes:
        entry.meal = changes["meal"]
    if entry.status == "withheld" and ({"site", "dose_mg", "at"} & set(changes)):
        raise InputError(fill(
            _("{ref} is a withheld dose: it has no time given, site or amount; if it was given, "
              "undo it and {command}"), ref=f"D{entry.id}", command=act(Do.GIVE)))
    if "site" in changes:
        entry.site = sites.normalise_site(changes["site"])
    if "at" in changes:
        at = changes["at"]
        refuse_future(at, now, _("the injection time"))
        plan = plan_at(session, child, at)
        slot = schedule.nearest_slot(at, plan.times, plan.zone)
        if (slot.day, slot.label) != (entry.slot_date, entry.slot_time):
            other = slot_entry(session, child, slot)
            if other is not None and not entry.extra:
                raise Refused(
                    _("that time belongs to the {time} slot of {day}, which already holds "
                      "{ref}").format(time=slot.label, day=formats.day(slot.day),
                                      ref=f"D{other.id}")
                )
            entry.slot_date, entry.slot_time, entry.scheduled_at = slot.day, slot.label, slot.at
            try:
                with session.begin_nested():
                    session.flush()
            except IntegrityError:
                raise Refused(
                    _("the {time} slot of {day} was just logged by someone else").format(
                        time=slot.label, day=formats.day(slot.day))
                ) from None
            correction.info.append(_("moved to the {time} slot of {day}").format(
                                       time=slot.label, day=formats.day(slot.day)))
        entry.given_at = at
    if "dose_mg" in changes:
        assert entry.given_at is not None
        plan = plan_at(session, child, entry.given_at)
        # a correction records what was really given: flagged for the clinic, not refused
        problems = safety.dose_problems(
            changes["dose_mg"], plan.mg, plan.weight_kg, plan.tolerance_mg
        )
        known = entry.flags.splitlines() if entry.flags else []
        entry.flags = "\n".join(dict.fromkeys([*known, *problems])) or None
        correction.warnings += [_("{problem}: call the child's doctor now").format(problem=p)
                                for p in problems]
        entry.dose_mg = changes["dose_mg"]
        entry.volume_ml = dosing.volume_ml(
            changes["dose_mg"], plan.prescription.concentration_mg_per_ml
        )


class Change(NamedTuple):
    """One line of an entry's audit trail: who changed what, when, and why."""

    action: str  # "edit" or "void"
    at: datetime
    by: str
    reason: str | None
    fields: list[tuple[str, Stored, Stored]]  # (field, before, after)


def audit_trail(session: Session, entry: Entry) -> list[Change]:
    """Every correction made to `entry`, oldest first, each with the values it changed."""

    from tracker.db.models import Revision

    revisions = list(
        session.scalars(
            select(Revision)
            .where(Revision.entity == entry.__tablename__, Revision.entity_id == entry.id)
            .order_by(Revision.changed_at, Revision.id)
        )
    )
    versions = [json.loads(rev.old_values) for rev in revisions] + [snapshot(entry)]
    return [
        Change(rev.action, rev.changed_at, rev.changed_by or "unknown", rev.reason,
               [(key, before[key], after.get(key)) for key in sorted(before)
                if before[key] != after.get(key) and key not in ("voided_at", "void_reason")])
        for rev, before, after in zip(revisions, versions, versions[1:], strict=False)
    ]
