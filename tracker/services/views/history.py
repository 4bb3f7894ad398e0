"""The log read back: doses, symptoms, glucose, measurements and prescriptions together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import singledispatch
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import i18n
from tracker.db.models import (
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
from tracker.domain import dosing, glucose, schedule
from tracker.domain.text import isolate as text_isolate
from tracker.i18n import _, formats, ngettext
from tracker.services.views.plan import zone_of

# an entry's fields as JSON values: passed through to the JSON and to the entry page's lines
Fields = dict[str, object]

PREFIX: dict[type[Entry], str] = {
    Dose: "D",
    Symptom: "S",
    Glucose: "G",
    Measurement: "M",
    Prescription: "P",
    Vial: "V",
    StockChange: "K",
}


def ref(entry: Entry) -> str:
    return f"{PREFIX[type(entry)]}{entry.id}"


@dataclass
class Item:
    ref: str
    kind: str
    when: datetime
    summary: str
    voided: bool
    edited: bool
    fields: Fields
    note: str | None = None

    def to_json(self, zone: ZoneInfo) -> dict[str, object]:
        return {
            "id": self.ref or None,  # a missed slot has no entry
            "kind": self.kind,
            "at": self.when.astimezone(zone).isoformat(),
            "summary": self.summary,
            "voided": self.voided,
            "edited": self.edited,
            **self.fields,
        }


def _iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    return at.astimezone(zone).isoformat() if at else None


def _clock_note(dose: Dose, zone: ZoneInfo) -> str:
    """The clocks' note on a dose's slot the night they changed ("" on other days, and
    after a trip, when the slot was placed in another zone)."""
    at = time.fromisoformat(dose.slot_time)
    if schedule.localize(dose.slot_date, at, zone) != dose.scheduled_at:
        return ""
    return schedule.clock_note(schedule.clock_change(dose.slot_date, at, zone))


class Described(NamedTuple):
    """An entry as the history says it: its kind, when it happened, one line of words, and
    its fields for JSON and for the entry page."""

    kind: str
    when: datetime
    summary: str
    fields: Fields


@singledispatch
def describe(entry: Entry, zone: ZoneInfo) -> Described:
    """(kind, when, one-line summary, fields for JSON) of any entry: each type of entry
    has its own formatter, registered below."""
    raise TypeError(f"no words for a {type(entry).__name__}")


def _reason(reason: str | None) -> str:
    from tracker.services.views.words import reason_words

    return reason_words(reason or "")


def _override(reason: str | None) -> str:
    """An override's reason as recorded (a person's words), or the sentence tracker
    recorded for a second injection, in the reader's language."""
    from tracker.services.views.words import SECOND

    return _(SECOND) if reason == SECOND else (reason or "")


def _day_clock(at: datetime) -> str:
    """"05 Dec 19:30" in English (as tracker always wrote it); the locale's forms elsewhere."""
    if i18n.language() == i18n.ENGLISH:
        return f"{at:%d %b %H:%M}"
    # TRANSLATORS: a day and a time of day: "05 Dec 19:30"
    return _("{day} {time}").format(day=formats.day_short(at), time=formats.clock(at))


def _withheld(dose: Dose, zone: ZoneInfo) -> Described:
    note = _clock_note(dose, zone)
    return Described(
        "withheld",
        dose.scheduled_at,
        # TRANSLATORS: {clock}: where the slot falls on a night the clocks change
        (_("withheld {time} slot ({clock}): {reason}") if note
         else _("withheld {time} slot: {reason}")).format(
            time=dose.slot_time, clock=note, reason=text_isolate(_reason(dose.reason))),
        {"slot": _iso(dose.scheduled_at, zone), "reason": dose.reason,
         "given_by": dose.given_by},
    )


def _dose(dose: Dose, zone: ZoneInfo) -> Described:
    """A dose given, or withheld (a slot's entry either way)."""
    if dose.status == "withheld":
        return _withheld(dose, zone)
    assert dose.given_at is not None and dose.dose_mg is not None
    note = _clock_note(dose, zone)
    late = round((dose.given_at - dose.scheduled_at).total_seconds() / 60)
    from tracker.services.views.words import site_words

    in_slot = (_("{time} slot, {late} min; {clock}") if note
               else _("{time} slot, {late} min")).format(
                   time=dose.slot_time, late=f"{late:+d}", clock=note)
    site = site_words(dose.site) if dose.site else _("site not recorded")
    amount = formats.decimal(dosing.format_mg(dose.dose_mg))
    if dose.given_by:
        # TRANSLATORS: "given 0.8 mg (07:30 slot, +2 min) left-thigh by Eli"
        text = _("given {dose} mg ({slot}) {site} by {who}").format(
            dose=amount, slot=in_slot, site=site, who=dose.given_by)
    else:
        text = _("given {dose} mg ({slot}) {site}").format(dose=amount, slot=in_slot, site=site)
    if dose.extra:
        text += " " + _("[extra dose: {reason}]").format(
                    reason=text_isolate(_override(dose.force_reason)))
    elif dose.force_reason:
        text += " " + _("[reason: {reason}]").format(
                    reason=text_isolate(_override(dose.force_reason)))
    return Described("dose", dose.given_at, text + _flagged(dose.flags), {
        "slot": _iso(dose.scheduled_at, zone),
        "given_at": _iso(dose.given_at, zone),
        "minutes_late": late,
        "dose_mg": dose.dose_mg,
        "dose_ml": dose.volume_ml,
        "syringe_units": _units(dose.volume_ml),
        "site": dose.site,
        "given_by": dose.given_by,
        "meal": dose.meal,
        "extra": dose.extra,
        "force_reason": dose.force_reason,
        "flags": _lines(dose.flags),
    })


def _symptom(symptom: Symptom, zone: ZoneInfo) -> Described:
    from tracker.domain import symptoms
    from tracker.services.views.words import kind_words

    text = kind_words(symptom.kind)
    if symptom.severity:
        severity_name = getattr(symptoms, "severity_name", None)
        # TRANSLATORS: a side effect and how bad it was: "rash (mild)"
        text = _("{kind} ({severity})").format(
            kind=text, severity=str(severity_name(symptom.severity)) if severity_name
            else symptom.severity)
    if symptom.dose_id:
        # TRANSLATORS: a side effect after a dose: "rash (mild), after D4"
        text = _("{symptom}, after {ref}").format(symptom=text, ref=f"D{symptom.dose_id}")
    return Described("symptom", symptom.occurred_at, text, {
        "symptom": symptom.kind,
        "severity": symptom.severity,
        "dose": f"D{symptom.dose_id}" if symptom.dose_id else None,
        "glucose": f"G{symptom.glucose_id}" if symptom.glucose_id else None,
    })


def _glucose(reading: Glucose, zone: ZoneInfo) -> Described:
    # TRANSLATORS: "blood sugar 65 mg/dL (low)"
    text = (_("blood sugar {reading} before a meal ({word})") if reading.before_meal
            else _("blood sugar {reading} ({word})")).format(
               reading=glucose.format_value(reading.mg_dl, reading.unit),
               word=glucose.word_shown(glucose.word(reading.mg_dl)))
    return Described("glucose", reading.measured_at, text, {
        "mg_dl": round(reading.mg_dl, 1),
        "value": round(glucose.from_mgdl(reading.mg_dl, reading.unit), 2),
        "unit": reading.unit,
        "before_meal": reading.before_meal,
        "low": glucose.level(reading.mg_dl),
        "word": glucose.word(reading.mg_dl),
    })


def _measurement(measured: Measurement, zone: ZoneInfo) -> Described:
    """A weight or a height (a day's, placed at its midnight)."""
    parts = []
    if measured.weight_kg is not None:
        parts.append(_("weight {weight} kg").format(
            weight=formats.decimal(f"{measured.weight_kg:g}")))
    if measured.height_cm is not None:
        parts.append(_("height {height} cm").format(
            height=formats.decimal(f"{measured.height_cm:g}")))
    return Described(
        "measurement", schedule.localize(measured.measured_on, time(0), zone), ", ".join(parts),
        {"on": measured.measured_on.isoformat(), "weight_kg": measured.weight_kg,
         "height_cm": measured.height_cm})


def _vial(vial: Vial, zone: ZoneInfo) -> Described:
    """A vial opened, with how it ended (discarded, used up, out of date) once it did."""
    parts = [_("lot {lot}").format(lot=vial.lot)] if vial.lot else []
    if vial.expires_on:
        parts.append(_("expires {day}").format(day=formats.day(vial.expires_on)))
    summary = (_("opened a vial ({details})").format(details=", ".join(parts)) if parts
               else _("opened a vial"))
    if vial.discard_reason and vial.closed_at is not None:
        summary += _("; discarded {when} ({reason})").format(
                        when=_day_clock(vial.closed_at.astimezone(zone)),
                        reason=text_isolate(vial.discard_reason))
    elif vial.closed_at is not None:
        from tracker.domain.vials import discard_at, ended

        why = ended(None, vial.closed_at, discard_at(vial.opened_at, vial.expires_on, zone))
        # TRANSLATORS: {ended}: how the vial ended ("used up", "out of date") and when
        summary += _("; {ended} {when}").format(
            ended=why, when=_day_clock(vial.closed_at.astimezone(zone)))
    return Described("vial", vial.opened_at, summary, {
        "lot": vial.lot,
        "expires_on": vial.expires_on.isoformat() if vial.expires_on else None,
        "volume_ml": vial.volume_ml,
        "closed_at": _iso(vial.closed_at, zone),
        "discard_reason": vial.discard_reason,
    })


def _stock(change: StockChange, zone: ZoneInfo) -> Described:
    if change.set_to is not None:
        summary = ngettext("counted {n} unopened vial", "counted {n} unopened vials",
                           change.set_to).format(n=change.set_to)
    elif change.change < 0:
        summary = _("took a vial from the stock")
    else:
        summary = ngettext("added {n} vial to the stock", "added {n} vials to the stock",
                           change.change).format(n=change.change)
    return Described("stock", change.at, summary,
                     {"change": change.change, "set_to": change.set_to})


def _prescription(p: Prescription, zone: ZoneInfo) -> Described:
    dose = (_("{dose} mg/kg").format(dose=formats.decimal(f"{p.dose_mg_per_kg:g}"))
            if p.dose_mg_per_kg is not None
            else _("{dose} mg").format(dose=formats.decimal(dosing.format_mg(p.dose_mg or 0))))
    # TRANSLATORS: "prescription 0.04 mg/kg at 07:30,19:30"
    text = _("prescription {dose} at {times}").format(dose=dose, times=p.times)
    if p.dose_mg_per_kg is not None and p.weight_kg is not None:
        text += " " + _("(for {weight} kg)").format(weight=formats.decimal(f"{p.weight_kg:g}"))
    if p.force_reason:
        text += " " + _("[reason: {reason}]").format(reason=p.force_reason)
    return Described("prescription", p.starts_at, text + _flagged(p.flags), {
        "dose_mg_per_kg": p.dose_mg_per_kg,
        "dose_mg": p.dose_mg,
        "prescribed_for_kg": p.weight_kg,
        "times": p.times,
        "concentration_mg_per_ml": p.concentration_mg_per_ml,
        "force_reason": p.force_reason,
        "flags": _lines(p.flags),
    })


def _flagged(flags: str | None) -> str:
    return " " + _("FLAGGED: {flags}").format(flags="; ".join(flags.splitlines())) if flags else ""


for _type, _formatter in ((Dose, _dose), (Symptom, _symptom), (Glucose, _glucose),
                         (Measurement, _measurement), (Vial, _vial), (StockChange, _stock),
                         (Prescription, _prescription)):
    describe.register(_type, _formatter)


def _units(ml: float | None) -> float | None:
    """U-100 syringe units of a volume, as drawn (8.5, not 8.4999999)."""
    return None if ml is None else round(ml * 100, 2)


def _lines(text: str | None) -> list[str]:
    return text.splitlines() if text else []


DEFAULT_DAYS = 30


def default_start(last: date) -> date:
    """The first day shown when none is asked for: the last 30 days up to `last`, or
    the beginning of the calendar for a period that ends near it (--to 0001-01-01)."""
    return last - timedelta(days=min(DEFAULT_DAYS - 1, (last - date.min).days))


class Period(NamedTuple):
    """The days a history shows, both inclusive, in the child's zone."""

    start: date | None  # None: from the beginning of the log
    end: date | None  # None: to its end


def period(child: Child, from_text: str | None, to_text: str | None, now: datetime, *,
           end: date | None = None, whole_log: bool = False) -> Period:
    """The days asked for, dates as people write them: up to `to_text` (or `end`), from
    `from_text`, or else the last 30 days up to the last day (or today), or the whole log
    (`whole_log`). A first day after the last is refused."""
    from tracker.domain.timeparse import in_order, parse_date

    zone = zone_of(child)
    today = now.astimezone(zone).date()
    last = parse_date(to_text, today, zone) if to_text else end
    first = (parse_date(from_text, today, zone) if from_text
             else None if whole_log else default_start(last or today))
    in_order(first, last)
    return Period(first, last)


def shown_start(child: Child, start: date | None, items: list[Item]) -> date | None:
    """The first day of a period as said to a person: no earlier than the treatment
    start (nothing counts before it) when the period asked began before it, unless an
    entry shown (a measurement, a symptom) is older."""
    if start is None:
        return None
    from tracker.services.views.treatment import start_day

    zone = zone_of(child)
    first = min([start_day(child), *(i.when.astimezone(zone).date() for i in items)])
    return max(start, first)


def history(
    session: Session,
    child: Child,
    *,
    start: date | None,
    end: date | None,
    include_void: bool = False,
    now: datetime | None = None,
) -> list[Item]:
    """Entries from `start` to `end` (inclusive local dates), newest first.

    Given `now`, every slot whose window closed with nothing logged is a line too
    ("missed, nothing logged"): a count or a red cell alone hides which dose it was.
    """
    zone = zone_of(child)
    lo = schedule.day_bounds(start, start, zone)[0] if start else None
    hi = schedule.day_bounds(end, end, zone)[1] if end else None
    columns = (
        (Dose, Dose.scheduled_at),
        (Symptom, Symptom.occurred_at),
        (Glucose, Glucose.measured_at),
        (Prescription, Prescription.starts_at),
        (Vial, Vial.opened_at),
        (StockChange, StockChange.at),
    )
    entries: list[Entry] = []
    for model, column in columns:
        q = select(model).where(model.child_id == child.id)
        if lo is not None:
            q = q.where(column >= lo - timedelta(hours=12))
        if hi is not None:
            q = q.where(column < hi + timedelta(hours=12))
        entries += session.scalars(q)
    q = select(Measurement).where(Measurement.child_id == child.id)
    if start:
        q = q.where(Measurement.measured_on >= start)
    if end:
        q = q.where(Measurement.measured_on <= end)
    entries += session.scalars(q)
    edited = _edited_refs(session)
    items = []
    for e in entries:
        if e.voided_at is not None and not include_void:
            continue
        kind, when, summary, fields = describe(e, zone)
        if (lo and when < lo) or (hi and when >= hi):
            continue
        fields.update(note=e.note, created_by=e.created_by)
        items.append(
            Item(
                ref=ref(e),
                kind=kind,
                when=when,
                summary=summary,
                voided=e.voided_at is not None,
                edited=ref(e) in edited,
                fields=fields,
                note=e.note,
            )
        )
    _judged(session, child, items)
    if now is not None:
        items += missed(session, child, start, end, now)
    items.sort(key=lambda i: (i.when, i.ref), reverse=True)
    return items


def _judged(session: Session, child: Child, items: list[Item]) -> None:
    """Each entry with its judgement (tracker.services.views.judged), as it was said when it
    was logged and as status, the report and the spreadsheet say it."""
    from tracker.services.views import judged

    live = [i for i in items if not i.voided]
    if not live:
        return
    found = judged.period(session, child, min(i.when for i in live) - timedelta(days=1),
                          max(i.when for i in live) + timedelta(days=1))
    for item in live:
        j = found.get(item.ref)
        if j is None or not j.tag:
            continue
        # TRANSLATORS: an entry's judgement after it in the log: " [the doctor now: a very
        # low blood sugar]" (keep the leading space and the brackets)
        item.summary += _(" [{tag}: {what}]").format(tag=j.tag, what=j.what)
        item.fields["judgement"] = {"level": j.level, "what": j.what, "steps": list(j.steps)}


def missed(
    session: Session, child: Child, start: date | None, end: date | None, now: datetime
) -> list[Item]:
    """The slots from `start` to `end` whose window closed with nothing logged."""
    from tracker.exports.rows import walk
    from tracker.services.views.treatment import start_day

    zone = zone_of(child)
    today = now.astimezone(zone).date()
    lo = max(start or date.min, start_day(child))
    hi = min(end or today, today)
    if lo > hi:
        return []
    items = []
    for _ts, iso, status, _unused, day, label in walk(session, child, lo, hi, now, columns=()):
        if status != "missed":
            continue
        at = datetime.fromisoformat(iso)
        name = schedule.slot_name(date.fromisoformat(day), time.fromisoformat(label), zone)
        items.append(
            Item(
                ref="",
                kind="missed",
                when=at,
                summary=_("missed {time} slot, nothing logged").format(time=name),
                voided=False,
                edited=False,
                fields={"slot": iso, "note": None, "created_by": None},
            )
        )
    return items


def _edited_refs(session: Session) -> set[str]:
    prefix = {m.__tablename__: p for m, p in PREFIX.items()}
    # corrected: edited (an undo or its reversal is said as such, not as a correction)
    rows = session.execute(select(Revision.entity, Revision.entity_id)
                           .where(Revision.action == "edit").distinct())
    return {f"{prefix[entity]}{entity_id}" for entity, entity_id in rows if entity in prefix}


PAGE = 40  # entries a page of the history shows at least (whole days)
WINDOW = 31  # days read at a time, newest first, until a page is full


def newest_page(session: Session, child: Child, start: date, end: date, undone: bool,
                now: datetime) -> tuple[list[Item], date | None]:
    """The newest entries of a period, a page at a time: windows of days read newest
    first until the page is full (whole days, so a day is never split between pages).
    Returns the entries and the last day of the next page, None when none is left."""
    items: list[Item] = []
    hi = end
    while hi >= start and len(items) < PAGE:
        lo = max(start, hi - timedelta(days=WINDOW - 1))
        items += history(session, child, start=lo, end=hi, include_void=undone, now=now)
        hi = lo - timedelta(days=1)
    return items, (hi if hi >= start else None)
