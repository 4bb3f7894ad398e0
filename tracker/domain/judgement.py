"""One judgement per event: how urgent it is and what to do, made once from the log.

A dose, a symptom, a glucose reading, a vial taken out of use and a prescription are each
judged here, from facts the service reads out of the log (the entry and what stood
around it when it happened), never from the front that shows them. So the answer to the
write, status, the phone, the reminders, the history, the clinic report and the
spreadsheet show the same level and the same first step for the same entry: each renders
the judgement, none makes its own.

A judgement is made of rows of the urgency table (tracker.domain.urgency): its level is
the most urgent row's, its steps are the rows' steps in that order (the one to do now
first), each said once. What happened is said in words specific to the entry ("a second
injection for the 08:00 dose"); what to do is the table's.

Only what happened at or before the event counts: a headache is judged as a headache
when it is logged and forever after; the vomiting that follows it the next day is judged
as the pattern they make together. A reader of the report sees what the parent was told.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from tracker.domain import glucose, safety, symptoms, urgency
from tracker.domain.schedule import DUE_BEFORE, format_span
from tracker.domain.urgency import ROUTINE
from tracker.domain.vials import ended_shown, reason_key
from tracker.i18n import _, ngettext

# How long status and Today keep a judgement beside the next dose, by what it is.
KEEP = {
    "too-much": timedelta(hours=12),  # the watch after an extra dose (urgency WATCH_LONGER)
    "low-after-too-much": timedelta(hours=12),
    "no-meal": timedelta(hours=3),
    "late": timedelta(hours=3),
    "vomiting-after-dose": timedelta(hours=6),
}
KEEP_LEVEL = {  # otherwise by level
    urgency.EMERGENCY: timedelta(days=3),
    urgency.DOCTOR_NOW: timedelta(days=1),
    urgency.TODAY: timedelta(days=1),
    urgency.SOON: timedelta(days=3),
    urgency.VISIT: timedelta(0),  # not kept: it is for the next visit
}
# the signs that stay open for days whatever the level (a doctor must have seen them)
KEEP_DAYS = frozenset({"raised-pressure", "unresponsive", "anaphylaxis", "vision", "hip",
                       "allergy", "lump"})
OPEN_WINDOW = timedelta(days=3)
COMBINATION_WINDOW = timedelta(days=3)  # a headache and vomiting this close make a pattern
VOMITING_WINDOW = timedelta(hours=6)  # vomiting this recent makes sugar by mouth unreliable
AFTER_DOSE_WINDOW = timedelta(hours=6)  # vomiting this soon after an injection: its own row
RECHECK_WINDOW = timedelta(hours=2)  # a reading this soon after a low belongs to that low
TOO_MUCH_WINDOW = timedelta(hours=12)  # a low this soon after too much: the doctor now
HOLD = frozenset({"raised-pressure", "unresponsive", "anaphylaxis", "low-severe"})


@dataclass(frozen=True)
class Judgement:
    """How urgent an event is and what to do about it, the one to do now first."""

    level: str  # a level of urgency.LEVELS, or ROUTINE
    what: str  # what happened, for this entry ("a second injection for the 08:00 dose")
    steps: tuple[str, ...]  # what to do, in order
    keys: tuple[str, ...]  # the rows of the urgency table it is made of
    at: datetime  # when the event happened
    ref: str  # the entry it judges (D12, S3, G7, V2, P4)
    whats: tuple[str, ...] = ()  # what each row found, in the order of `keys`

    @property
    def why(self) -> str:
        """What it may be, from the table (with the label section), for its rows."""
        return "; ".join(dict.fromkeys(urgency.why(urgency.BY_KEY[k]) for k in self.keys))

    @property
    def heading(self) -> str:
        return urgency.heading(self.level)

    @property
    def tag(self) -> str:
        """The level as a few words ("the doctor now"); empty for routine."""
        return urgency.short(self.level)

    @property
    def urgent(self) -> bool:
        """Emergency services or the doctor now: shown as an alarm, never as "done"."""
        return self.level in (urgency.EMERGENCY, urgency.DOCTOR_NOW)

    @property
    def needs_doctor(self) -> bool:
        """What the report's first page leads with: the doctor now or the same day."""
        return urgency.rank(self.level) <= urgency.rank(urgency.TODAY)

    @property
    def hold(self) -> bool:
        """Whether the next dose waits for the doctor's word."""
        return bool(HOLD & set(self.keys))

    @property
    def held_for(self) -> tuple[str, ...]:
        """What makes the next dose wait, in this entry's words."""
        return tuple(w for k, w in zip(self.keys, self.whats, strict=False) if k in HOLD)

    @property
    def first(self) -> str:
        return self.steps[0] if self.steps else ""

    def until(self) -> datetime | None:
        """Until when status and Today show it (None: not kept beside the next dose)."""
        if self.level == ROUTINE:
            return None
        own = [KEEP[k] for k in self.keys if k in KEEP]  # a row's own watch decides
        keep = max(own) if own else KEEP_LEVEL[self.level]
        if KEEP_DAYS & set(self.keys):
            keep = max(keep, OPEN_WINDOW)
        return self.at + keep if keep else None

    def flag(self) -> str:
        """One cell: "the doctor now: a second injection for the 08:00 dose"."""
        return f"{self.tag}: {self.what}" if self.tag else ""

    def brief(self) -> str:
        """Its heading, what happened and the first step: a reminder's first line."""
        # TRANSLATORS: {heading} whom to call and when; {what} what happened; {step} the
        # first thing to do (a sentence whose first letter is lowered)
        return _("{heading}: {what}. First: {step}").format(
            heading=self.heading, what=self.what, step=urgency.inline(self.first))

    def sentence(self) -> str:
        """The judgement as one paragraph, for places that hold one line of text."""
        if self.level == ROUTINE and not self.steps:
            return ""
        head = f"{self.what[:1].upper()}{self.what[1:]}"
        if self.level != ROUTINE:
            # TRANSLATORS: {what} what happened; {to_do} whom to call and when
            head = _("{what}: {to_do}").format(what=head, to_do=urgency.say(self.level))
        return head + ". " + " ".join(self.steps)


def routine(what: str, *, at: datetime, ref: str,
            lead: tuple[str, ...] = ()) -> Judgement:
    """Nothing beyond the usual: what happened, and the steps about this entry, if any."""
    return Judgement(ROUTINE, what, lead, (), at, ref)


def judge(parts: list[tuple[str, str]], *, at: datetime, ref: str,
          lead: tuple[str, ...] = ()) -> Judgement:
    """A judgement from rows of the table (at least one), each with what happened in this
    entry's words (`parts`: (row key, what)); `lead`: steps about this entry, said before
    the rows'."""
    merged: dict[str, str] = {}
    for key, what in parts:  # one row once, with all it found
        merged[key] = f"{merged[key]}; {what}" if key in merged else what
    rows = sorted(((urgency.BY_KEY[k], what) for k, what in merged.items()),
                  key=lambda p: urgency.rank(p[0].urgency))
    steps = _steps([list(lead)] + [list(urgency.steps(row)) for row, _unused in rows])
    what = "; ".join(dict.fromkeys(w for _unused, w in rows))
    return Judgement(rows[0][0].urgency, what, tuple(steps), tuple(r.key for r, _unused in rows),
                     at, ref, tuple(w for _unused, w in rows))


CALLS = ("Call the child's doctor", "Tell the child's doctor", "Mention it at the next visit",
         "Otherwise call the child's doctor", "If it stays high, tell", "Call emergency "
         "services now")


def _calls() -> frozenset[str]:
    """The table's steps that say whom to call and when, in the reader's language."""
    return frozenset(urgency.step(step) for row in urgency.SIGNS for step in row.steps
                     if step.startswith(CALLS))


def _steps(groups: list[list[str]]) -> list[str]:
    """The steps of rows most urgent first, each once; a less urgent row's call to the
    doctor is left out once a more urgent one has said whom to call and when. The steps
    are already in the reader's language: a call is known by the table's English."""
    calls = _calls()
    out: list[str] = []
    for group in groups:
        called = any(step in calls for step in out)  # by a more urgent row
        out += [step for step in group
                if step not in out and not (called and step in calls)]
    return out


def combine(judgements: list[Judgement]) -> Judgement:
    """Several judgements of one moment as one (a symptom with its reading)."""
    real = sorted((j for j in judgements if j.level != ROUTINE),
                  key=lambda j: urgency.rank(j.level))
    if not real:
        return judgements[0]
    steps = _steps([list(j.steps) for j in real])
    return Judgement(real[0].level, "; ".join(dict.fromkeys(j.what for j in real if j.what)),
                     tuple(steps), tuple(k for j in real for k in j.keys), real[0].at,
                     real[0].ref, tuple(w for j in real for w in j.whats))


# --- doses -------------------------------------------------------------------------------

# The rules a recorded dose can break (tracker.domain.safety's findings, the vial checks):
TOO_MUCH_RULES = frozenset({"extra", "too-soon", "dose"})
VIAL_RULES = frozenset({"vial-past", "vial-short", "vial-discarded"})


class DoseFacts(NamedTuple):
    ref: str
    label: str  # the slot's time ("08:00")
    given: bool  # given, or withheld
    at: datetime  # when it was given (withheld: its slot's time)
    rules: frozenset[str]  # what it broke: extra, too-soon, dose, no-meal, late, early,
    #                        vial-past, vial-short, vial-discarded
    why: tuple[str, ...] = ()  # the flags as recorded, in words
    discarded: str = ""  # the reason its vial was later taken out of use, if it was
    vial: str = ""  # "V3, lot AB12"
    reason: str | None = None  # why it was withheld


def dose(f: DoseFacts) -> Judgement:
    """A recorded dose: routine when on time with food; otherwise the rows it falls under."""
    if not f.given:
        # TRANSLATORS: {slot} is the dose's time (08:00); {reason} why it was withheld
        return routine(_("the {slot} dose withheld ({reason})").format(
            slot=f.label, reason=f.reason), at=f.at, ref=f.ref,
                     lead=(_(safety.NO_MAKE_UP),))
    parts: list[tuple[str, str]] = []
    if "extra" in f.rules:
        parts.append(("too-much", _("a second injection for the {slot} dose").format(
            slot=f.label)))
    elif "too-soon" in f.rules:
        parts.append(("too-much", _("the {slot} dose given close after the one before").format(
            slot=f.label)))
    if "dose" in f.rules:
        over = [w for w in f.why if "more than the prescribed" in w or "ceiling" in w
                or "dose" in safety.translated_rules([w])]
        if over:
            # TRANSLATORS: {reasons} are the dose's flags as recorded
            parts.append(("too-much", _("more than the dose at {slot} ({reasons})").format(
                slot=f.label, reasons="; ".join(over))))
        else:
            parts.append(("too-much", _("more than the dose at {slot}").format(slot=f.label)))
    if f.rules & VIAL_RULES or f.discarded:
        why = f.discarded or next((w for w in f.why if "vial" in w
                                   or safety.translated_rules([w]) & VIAL_RULES),
                                  _("a vial problem"))
        if f.vial:
            # TRANSLATORS: {vial} names a vial ("V3, lot AB12"); {why} what was wrong with it
            parts.append(("vial", _("the {slot} dose drawn from {vial} ({why})").format(
                slot=f.label, vial=f.vial, why=why)))
        else:
            parts.append(("vial", _("the {slot} dose drawn from a vial ({why})").format(
                slot=f.label, why=why)))
    if "no-meal" in f.rules:
        parts.append(("no-meal", _("the {slot} dose given without food").format(slot=f.label)))
    if "late" in f.rules and not parts:
        parts.append(("late", _("the {slot} dose given late").format(slot=f.label)))
    if "early" in f.rules and not parts:
        parts.append(("early", _("the {slot} dose given early").format(slot=f.label)))
    if not parts:
        return routine(_("the {slot} dose given").format(slot=f.label), at=f.at, ref=f.ref)
    return judge(parts, at=f.at, ref=f.ref)


def recorded_dose(ref: str, label: str, status: str, given_at: datetime | None,
         scheduled_at: datetime, extra: bool, flags: str | None, reason: str | None,
         vial: tuple[str, str | None] | None) -> Judgement:
    """A dose's judgement from its recorded values (an ORM entry's or an export row's):
    the rules it broke as recorded, whether it was early, and why its vial ended."""
    said = flags.splitlines() if flags else []
    rules = set(safety.rules_of(said))
    if extra:
        rules.add("extra")
    if given_at is not None and given_at < scheduled_at - DUE_BEFORE:
        rules.add("early")
    name, why = vial if vial is not None else ("", None)
    # a vial that ended normally, or ran out of date (those doses carry their own flag)
    wrong = bool(why) and reason_key(why) not in ("finished", "expired")
    return dose(DoseFacts(
        ref, label, status == "given", given_at or scheduled_at, frozenset(rules),
        tuple(said), _("later discarded: {why}").format(why=why) if wrong else "", name, reason))


# --- glucose -----------------------------------------------------------------------------

class ReadingFacts(NamedTuple):
    ref: str
    mgdl: float
    unit: str
    at: datetime
    last_low: float | None = None  # a low in the RECHECK_WINDOW before it (mg/dL)
    vomiting: bool = False  # vomiting in the VOMITING_WINDOW before it
    too_much: bool = False  # too much medicine in the TOO_MUCH_WINDOW before it


def reading(f: ReadingFacts) -> Judgement:
    """A glucose reading, judged on its own and against the low it may follow."""
    shown = glucose.value_shown(f.mgdl, f.unit)
    word = glucose.word(f.mgdl)
    said = glucose.word_shown(word)
    parts: list[tuple[str, str]] = []
    if word in ("low", "very low"):
        if f.vomiting:
            parts.append(("low-vomiting", (
                _("a very low blood sugar ({reading}) while vomiting") if word == "very low"
                else _("a low blood sugar ({reading}) while vomiting")).format(reading=shown)))
        if f.too_much:
            parts.append(("low-after-too-much",
                          (_("a very low blood sugar ({reading}) after too much medicine")
                           if word == "very low"
                           else _("a low blood sugar ({reading}) after too much medicine")
                           ).format(reading=shown)))
        if word == "very low" or not parts:
            key = "very-low" if word == "very low" else "low"
            parts.append((key, (_("a very low blood sugar ({reading})") if word == "very low"
                                else _("a low blood sugar ({reading})")).format(reading=shown)))
    elif f.last_low is not None:
        low = glucose.value_shown(f.last_low, f.unit)
        key = "high-after-low" if word in ("high", "very high") else "after-low"
        # TRANSLATORS: {reading} a blood sugar (5.2 mmol/L), {word} high, in range...
        parts.append((key, _("{reading} ({word}), up from the low of {low}").format(
            reading=shown, word=said, low=low)))
    elif word == "very high":
        parts.append(("very-high", _("a very high blood sugar ({reading})").format(
            reading=shown)))
    elif word == "high":
        parts.append(("high", _("a high blood sugar ({reading})").format(reading=shown)))
    if not parts:
        return routine(_("a blood sugar of {reading} ({word})").format(reading=shown, word=said),
                       at=f.at, ref=f.ref)
    return judge(parts, at=f.at, ref=f.ref)


# --- symptoms ----------------------------------------------------------------------------

class Recent(NamedTuple):
    kind: str
    at: datetime
    severity: str | None


PRESSURE_PARTNERS = frozenset({"vomiting", "vision-change", "nausea"})


class SymptomFacts(NamedTuple):
    ref: str
    kind: str
    severity: str | None
    at: datetime
    recent: tuple[Recent, ...] = ()  # the other symptoms logged before it
    since_dose: timedelta | None = None  # since the last injection, when one was given
    dose_ref: str = ""
    reading: Judgement | None = None  # the reading taken with it
    too_much: bool = False  # too much medicine in the TOO_MUCH_WINDOW before it


def pressure_pattern(kind: str, others: set[str]) -> bool:
    """A headache with nausea, vomiting or a change in vision (label 5.3), either way round."""
    return (kind == "headache" and bool(others & PRESSURE_PARTNERS)) or (
        kind in PRESSURE_PARTNERS and "headache" in others)


def _with_severity(severity: str | None, name: str) -> str:
    """A symptom with its severity, as one phrase ("severe headache")."""
    # TRANSLATORS: {symptom} is a kind of side effect (headache, low blood sugar)
    if severity == "mild":
        return _("mild {symptom}").format(symptom=name)
    if severity == "moderate":
        return _("moderate {symptom}").format(symptom=name)
    if severity == "severe":
        return _("severe {symptom}").format(symptom=name)
    return f"{severity} {name}" if severity else name


def symptom(f: SymptomFacts) -> Judgement:
    """A symptom, alone and in the patterns it makes with what came before it."""
    others = {r.kind for r in f.recent
              if timedelta(0) <= f.at - r.at <= COMBINATION_WINDOW and r.kind != f.kind}
    vomiting = f.kind == "vomiting" or any(
        r.kind == "vomiting" and timedelta(0) <= f.at - r.at <= VOMITING_WINDOW
        for r in f.recent)
    severe = f.severity == "severe"
    name = symptoms.kind_words(f.kind)
    parts: list[tuple[str, str]] = []
    lead: tuple[str, ...] = ()
    pattern = pressure_pattern(f.kind, others)
    if pattern:
        seen = [k for k in ("headache", "nausea", "vomiting", "vision-change")
                if k in others | {f.kind}]
        words = [_("a change in vision") if k == "vision-change" else symptoms.kind_words(k)
                 for k in seen]
        listed = words[1]
        for more in words[2:]:
            # TRANSLATORS: symptoms listed one after the other (nausea and vomiting)
            listed = _("{symptoms} and {symptom}").format(symptoms=listed, symptom=more)
        # TRANSLATORS: a headache with nausea, vomiting or a change in vision
        parts.append(("raised-pressure", _("{symptom} with {symptoms}").format(
            symptom=words[0], symptoms=listed)))
    row = urgency.KIND_SIGN.get(f.kind)
    low_kind = f.kind in ("low-blood-sugar", "dizziness")
    reading_low = f.reading is not None and bool({"low", "very-low"} & set(f.reading.keys))
    if low_kind and f.reading is not None and not reading_low:
        pass  # a reading that is not low: the reading's judgement says so
    elif low_kind or reading_low:
        if severe and low_kind:  # a severe sign of a low, not a severe other symptom
            parts.append(("low-severe", _with_severity("severe", name)))
        if vomiting:
            parts.append(("low-vomiting", _("{symptom} while vomiting").format(symptom=name)))
        if f.too_much:
            parts.append(("low-after-too-much", _("{symptom} after too much medicine").format(
                symptom=name)))
        if f.reading is None and not severe:
            lead = (_("Check blood sugar now; if you cannot, treat it as low."),)
            if not parts:
                parts.append(("low", _("signs of low blood sugar ({symptom})").format(
                    symptom=name)))
    if f.kind == "rash-or-swelling" and severe:
        parts.append(("anaphylaxis", _("a severe allergic reaction (rash or swelling)")))
        row = None
    if f.kind == "vomiting" and f.since_dose is not None and f.since_dose <= AFTER_DOSE_WINDOW:
        span = format_span(round(f.since_dose.total_seconds() / 60))
        # TRANSLATORS: {span} how long after it (2 h 10 min); {dose} the dose's entry (D12)
        parts.append(("vomiting-after-dose", (
            _("vomiting {span} after a dose ({dose})").format(span=span, dose=f.dose_ref)
            if f.dose_ref else _("vomiting {span} after a dose").format(span=span))))
    if pattern and row in ("headache", "vomiting", "vision"):
        row = None  # said by the pattern
    if row == "vomiting" and any(k == "vomiting-after-dose" for k, _unused in parts):
        row = None  # said by the dose it followed
    if row is not None and row != "low" and not any(k == row for k, _unused in parts):
        parts.append((row, _with_severity(f.severity, name)))
    if severe and not any(urgency.BY_KEY[k].urgency in (urgency.EMERGENCY, urgency.DOCTOR_NOW)
                          for k, _unused in parts):
        parts.append(("severe", _with_severity("severe", name)))
    own = judge(parts, at=f.at, ref=f.ref, lead=lead) if parts else routine(
        name, at=f.at, ref=f.ref)
    if f.reading is None:
        return own
    # one event: the reading taken with it is judged as part of it, under its entry
    return combine([own, replace(f.reading, at=f.at, ref=f.ref)])


# --- vials and prescriptions -------------------------------------------------------------

def vial_discarded(ref: str, reason_key: str, reason: str, doses: tuple[str, ...],
                   at: datetime) -> Judgement:
    """A vial taken out of use: what it means for the doses already drawn from it."""
    reason = ended_shown(reason)
    if reason_key in ("finished", "expired") or not doses:
        # TRANSLATORS: {vial} a vial's entry (V2); {reason} why it was taken out of use
        return routine(_("{vial} discarded ({reason})").format(vial=ref, reason=reason),
                       at=at, ref=ref, lead=(_("Use a new vial for the next dose."),))
    listed = ", ".join(doses)
    n = len(doses)
    # TRANSLATORS: {doses} lists the doses' entries (D3, D4)
    lead = (ngettext("The dose already given from it ({doses}) counts as given: do not give "
                     "it again.",
                     "The {n} doses already given from it ({doses}) count as given: do not "
                     "give them again.", n).format(n=n, doses=listed),)
    what = ngettext("{vial} discarded ({reason}) after {n} dose was drawn from it",
                    "{vial} discarded ({reason}) after {n} doses were drawn from it",
                    n).format(vial=ref, reason=reason, n=n)
    return judge([("vial", what)], at=at, ref=ref, lead=lead)


def prescription(ref: str, warnings: list[str], at: datetime) -> Judgement:
    """A new prescription: routine, or the label's limits it goes past."""
    if not warnings:
        return routine(_("a new prescription"), at=at, ref=ref)
    return judge([("prescription", "; ".join(warnings))], at=at, ref=ref)


def most_urgent_first(judgements: list[Judgement]) -> list[Judgement]:
    """The ones to show, most urgent first, newest first within a level."""
    shown = [j for j in judgements if j.level != ROUTINE]
    shown.sort(key=lambda j: j.at, reverse=True)
    return sorted(shown, key=lambda j: urgency.rank(j.level))
