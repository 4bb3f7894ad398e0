"""What to do about a symptom or a reading: the label's warnings as a table of rules.

Each rule says which symptom triggers it, which other symptoms must stand with it within a
window (for combinations such as headache with vomiting), and how urgent it is. The text
is ours, written from the label's facts (../shared/clinical-facts.md, label sections in
brackets); it points to the child's doctor or to emergency help and never replaces them.

Advice always comes most urgent first: emergency, then the doctor (or act now), then
what to watch. Low blood sugar puts the child's condition first: a child who cannot
swallow gets nothing by mouth. Functions here are pure: the caller passes the recent
symptoms and `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from tracker.domain import glucose, urgency
from tracker.domain.schedule import format_span

EMERGENCY = "emergency"
DOCTOR = "doctor"
WATCH = "watch"
LEVELS = (EMERGENCY, DOCTOR, WATCH)  # most urgent first
COMBINATION_WINDOW = timedelta(days=3)
OPEN_WINDOW = timedelta(days=3)  # how long status keeps a doctor-level warning open
VOMITING_WINDOW = timedelta(hours=6)  # vomiting this recent makes sugar by mouth unreliable
RECHECK_WINDOW = timedelta(hours=2)  # a normal reading this soon after a low is its recheck


class Advice(NamedTuple):
    level: str
    text: str


class Rule(NamedTuple):
    name: str
    kinds: frozenset[str]  # the symptom just logged (or standing) is one of these
    with_any: frozenset[str]  # ...and one of these stood within the window (empty: alone)
    level: str  # "" for a warning sign: its urgency's level (urgency.py)
    text: str  # "" for a warning sign: its sentence (urgency.py)
    keeps_open: bool = False  # shown by `status` while it stands
    hold: str = ""  # why to ask the doctor before the next dose (none: no need)
    severe_only: bool = False  # applies only when logged as severe
    sign: str = ""  # a warning sign of the urgency table: its words and level are read there

    def advice(self) -> Advice:
        """The rule as advice; a warning sign's words and level come from the one table,
        read when the advice is given."""
        if self.sign:
            return Advice(_level(self.sign), urgency.sentence(self.sign))
        return Advice(self.level, self.text)


class Recent(NamedTuple):
    kind: str
    at: datetime
    severity: str | None


def _level(key: str) -> str:
    """The advice level of a warning sign, from its urgency (tracker.domain.urgency)."""
    return {urgency.NOW: EMERGENCY, urgency.TODAY: DOCTOR, urgency.SOON: DOCTOR,
            urgency.VISIT: WATCH}[urgency.BY_KEY[key].urgency]


UNRESPONSIVE = (
    "If the child is unconscious, having a seizure or cannot swallow: give nothing by "
    "mouth, give glucagon if it was prescribed, and call emergency services now."
)
TREAT_LOW = (
    "give fast sugar now (juice, glucose tablets or gel), check again in 15 minutes and "
    "repeat if it is still low; once it is back up, give a snack with protein. Tell the "
    "child's doctor."
)
ESCALATE = (
    " If the child becomes drowsy or confused, or cannot swallow, give nothing by mouth and "
    "call emergency services (glucagon if prescribed)."
)
VOMITING_LOW = (
    "Low blood sugar while vomiting: sugar by mouth may not stay down. Call the child's "
    "doctor now. If the child cannot keep sugar down, or is drowsy or confused, call "
    "emergency services (glucagon if prescribed); while the child can swallow, give small "
    "sips of a sugary drink."
)

HOLD_PRESSURE = "headache with vomiting or a change in vision (possible intracranial hypertension)"

RULES: tuple[Rule, ...] = (
    Rule(
        "raised-pressure",
        frozenset({"headache"}),
        frozenset({"vomiting", "vision-change"}),
        "",
        "",
        keeps_open=True,
        hold=HOLD_PRESSURE,
        sign="raised-pressure",
    ),
    Rule(
        "raised-pressure",
        frozenset({"vomiting", "vision-change"}),
        frozenset({"headache"}),
        "",
        "",
        keeps_open=True,
        hold=HOLD_PRESSURE,
        sign="raised-pressure",
    ),
    Rule(
        "unresponsive",
        frozenset({"seizure-or-unresponsive"}),
        frozenset(),
        "",
        "",
        keeps_open=True,
        hold="a seizure or a child who did not respond",
        sign="unresponsive",
    ),
    Rule(
        "headache",
        frozenset({"headache"}),
        frozenset(),
        WATCH,
        "Watch for vomiting or changes in vision in the next days: with a headache, they "
        "are a reason to call the doctor. A headache can also be a sign of low blood sugar.",
    ),
    Rule(
        "vision",
        frozenset({"vision-change"}),
        frozenset(),
        "",
        "",
        keeps_open=True,
        sign="vision",
    ),
    Rule(
        "vomiting",
        frozenset({"vomiting"}),
        frozenset(),
        WATCH,
        "A child who cannot keep food down should not have a dose: if the child still "
        "cannot eat when the next one is due, record that dose as withheld then "
        "(vomiting). Watch for signs of low blood sugar.",
    ),
    Rule(
        "nausea",
        frozenset({"nausea"}),
        frozenset(),
        WATCH,
        "If the child cannot eat around the dose, withhold it (not eating). Nausea with a "
        f"headache, vomiting or a change in vision: "
        f"{urgency.SAY[urgency.BY_KEY['raised-pressure'].urgency]}.",
    ),
    Rule(
        "hip",
        frozenset({"limp-or-joint-pain"}),
        frozenset(),
        "",
        "",
        keeps_open=True,
        sign="hip",
    ),
    Rule("back", frozenset({"back-curve"}), frozenset(), "", "", sign="back"),
    Rule("lump", frozenset({"new-lump"}), frozenset(), "", "", keeps_open=True, sign="lump"),
    Rule("tonsils-snoring", frozenset({"snoring"}), frozenset(), "", "", sign="snoring"),
    Rule("tonsils-ear", frozenset({"ear-pain"}), frozenset(), "", "", sign="ear"),
    Rule(
        "allergy-severe",
        frozenset({"rash-or-swelling"}),
        frozenset(),
        "",
        "",
        keeps_open=True,
        hold="a severe allergic reaction",
        severe_only=True,
        sign="anaphylaxis",
    ),
    Rule(
        "allergy",
        frozenset({"rash-or-swelling"}),
        frozenset(),
        "",
        "",
        keeps_open=True,
        sign="allergy",
    ),
    Rule(
        "injection-site",
        frozenset({"injection-site"}),
        frozenset(),
        WATCH,
        "Pain, redness, bruising or lumps where the injection went are common: rotate the "
        f"site every time. Lumps that stay or spread: "
        f"{urgency.SAY[urgency.BY_KEY['site-lumps'].urgency]}.",
    ),
)
SEVERE = (
    "A severe reaction needs help now: call emergency services if the child is very "
    "unwell (fainting, a seizure, trouble breathing), otherwise the child's doctor."
)
LOW_SUGAR_SIGNS = frozenset({"low-blood-sugar", "dizziness"})


def most_urgent_first(items: Iterable[Advice]) -> list[Advice]:
    """Each advice once, emergency first, then doctor, then watch (stable within a level)."""
    unique = list(dict.fromkeys(items))
    return sorted(unique, key=lambda item: LEVELS.index(item.level))


NOTE = "note"  # what was said after the entry that asks nothing: plain information
WARNING = "warning"  # a warning that is not advice about the child (a vial, a site, a time)


def in_order(info: Iterable[str] = (), warnings: Iterable[str] = (),
             advice: Iterable[Advice] = ()) -> list[Advice]:
    """Everything said after an entry, in the one order every front shows it: emergency
    advice, then what calls for the doctor, then the other warnings, then what to watch,
    then notes. Each front marks the levels its own way; none drops or reorders a part."""
    ordered = most_urgent_first(advice)
    return [*(a for a in ordered if a.level != WATCH),
            *(Advice(WARNING, w) for w in dict.fromkeys(warnings)),
            *(a for a in ordered if a.level == WATCH),
            *(Advice(NOTE, i) for i in dict.fromkeys(info))]


def _applies(rule: Rule, kind: str, severity: str | None, others: set[str]) -> bool:
    if rule.severe_only and severity != "severe":
        return False
    return kind in rule.kinds and (not rule.with_any or bool(rule.with_any & others))


def low_sugar(
    mgdl: float | None, *, unit: str = "mg/dL", severe: bool = False, vomiting: bool = False
) -> list[Advice]:
    """What to do for low blood sugar: a reading (mg/dL), or signs without one (None).

    Severe (a very low reading, or signs logged as severe) puts the child's condition
    first; vomiting means sugar by mouth alone is not the answer; a reading that is not
    low never gets "give fast sugar".
    """
    if mgdl is not None and glucose.level(mgdl) is None:
        return [
            Advice(
                WATCH,
                f"A blood sugar of {glucose.format_value(mgdl, unit)} is not low: no sugar is "
                "needed for it. If the signs go on, check again and tell the child's doctor.",
            )
        ]
    severe = severe or (mgdl is not None and glucose.level(mgdl) == "very low")
    found = []
    if severe:
        found.append(Advice(EMERGENCY, "Severe low blood sugar. " + UNRESPONSIVE))
    if vomiting:
        found.append(Advice(EMERGENCY, VOMITING_LOW))
        return found
    if mgdl is None:
        lead = "Signs of low blood sugar: check it now if you can; if you cannot, treat it as low"
    else:
        lead = f"Low blood sugar ({glucose.format_value(mgdl, unit)})"
    if severe:
        found.append(Advice(DOCTOR, f"{lead}. If the child is awake and can swallow: {TREAT_LOW}"))
    else:
        found.append(Advice(DOCTOR, f"{lead}: {TREAT_LOW}{ESCALATE}"))
    return found


def _vomiting_recently(recent: list[Recent], at: datetime) -> bool:
    return any(r.kind == "vomiting" and abs(at - r.at) <= VOMITING_WINDOW for r in recent)


AFTER_DOSE_WINDOW = timedelta(hours=6)  # vomiting this soon after an injection: asked about


def vomiting_after_dose(since: timedelta) -> Advice:
    """The parent's question after vomiting soon after an injection: another dose? No."""
    return Advice(
        WATCH,
        f"The dose given {format_span(round(since.total_seconds() / 60))} before counts as "
        "given: do not give another dose, even if it may have come back up (the medicine "
        "is injected, not swallowed). Vomiting makes a low blood sugar more likely in the "
        "next hours: watch for shakiness, sweating, paleness or unusual sleepiness, and "
        "check blood sugar if you can. Call the child's doctor if the vomiting goes on or "
        "the child cannot keep food or drink down.",
    )


def advice(
    kind: str,
    severity: str | None,
    mgdl: float | None,
    recent: list[Recent],
    now: datetime,
    unit: str = "mg/dL",
    since_dose: timedelta | None = None,
) -> list[Advice]:
    """What to do about a symptom just logged (with a reading taken with it, if any).

    `since_dose` is how long ago the last injection was given, when one was."""
    others = {r.kind for r in recent if now - r.at <= COMBINATION_WINDOW and r.kind != kind}
    found = [
        rule.advice() for rule in RULES if _applies(rule, kind, severity, others)
    ]
    if kind == "vomiting" and since_dose is not None and since_dose <= AFTER_DOSE_WINDOW:
        found.append(vomiting_after_dose(since_dose))
    if mgdl is not None or kind in LOW_SUGAR_SIGNS:
        vomiting = kind == "vomiting" or _vomiting_recently(recent, now)
        found += low_sugar(mgdl, unit=unit, severe=severity == "severe", vomiting=vomiting)
    if severity == "severe" and not any(a.level == EMERGENCY for a in found):
        found.append(Advice(EMERGENCY, SEVERE))  # no rule said what the emergency is
    return most_urgent_first(found)


def reading_advice(
    mgdl: float,
    unit: str,
    recent: list[Recent],
    now: datetime,
    last_low: tuple[datetime, float] | None,
) -> list[Advice]:
    """What to do about a glucose check: a low, or the recheck after one."""
    if glucose.level(mgdl) is not None:
        return low_sugar(mgdl, unit=unit, vomiting=_vomiting_recently(recent, now))
    if last_low is not None and timedelta(0) <= now - last_low[0] <= RECHECK_WINDOW:
        low = last_low[1]
        if mgdl > glucose.HIGH_MGDL:  # out of the low, past the high line: not "in range"
            return [
                Advice(
                    WATCH,
                    f"High: {glucose.format_value(mgdl, unit)} is above the high line of "
                    f"{glucose.format_value(glucose.HIGH_MGDL, unit)}, after the low of "
                    f"{glucose.format_value(low, unit)}. Give no more sugar; check again "
                    "before the next meal, and tell the child's doctor about the low and "
                    "this high.",
                )
            ]
        return [
            Advice(
                WATCH,
                f"Back in range: {glucose.format_value(mgdl, unit)} is above the low line of "
                f"{glucose.format_value(glucose.LOW_MGDL, unit)}. Back up from the low of "
                f"{glucose.format_value(low, unit)}: give a snack or "
                "a meal with protein now if the child has not eaten, and check again before "
                "the next meal. Tell the child's doctor about the low.",
            )
        ]
    return []


def _standing(recent: list[Recent], now: datetime) -> list[tuple[Recent, set[str]]]:
    """Each symptom of the open window, with the other kinds that stand beside it.

    The open window is no longer than the combination window, so any two symptoms that
    both stand are close enough together to combine.
    """
    standing = [r for r in recent if now - r.at <= OPEN_WINDOW]
    kinds = {r.kind for r in standing}
    return [(r, kinds - {r.kind}) for r in standing]


def open_warnings(recent: list[Recent], now: datetime) -> list[Advice]:
    """Warnings that still stand: a combination or a sign seen in the last days."""
    out: list[Advice] = []
    for r, others in _standing(recent, now):
        for rule in RULES:
            if rule.keeps_open and _applies(rule, r.kind, r.severity, others):
                out.append(rule.advice())
        if r.severity == "severe":
            out.append(
                Advice(
                    DOCTOR,
                    f"a severe {r.kind} was logged in the last days: make sure a doctor knows",
                )
            )
    return most_urgent_first(out)


def hold_next_dose(recent: list[Recent], now: datetime) -> list[str]:
    """Why to ask the doctor before the next dose (shown next to it), if anything."""
    reasons: list[str] = []
    for r, others in _standing(recent, now):
        for rule in RULES:
            if rule.hold and _applies(rule, r.kind, r.severity, others):
                reasons.append(rule.hold)
    return list(dict.fromkeys(reasons))


WATCH_AFTER_DOSE = (
    "Watch for signs of low blood sugar (shakiness, sweating, hunger, drowsiness, confusion) "
    "and keep fast sugar at hand; until a dose that suits the child is found, no high-risk "
    "activity (cycling, swimming) for 2 to 3 hours after a dose."
)
LOW_SIGNS = "shakiness, sweating, paleness, hunger, drowsiness, confusion"
FOOD_NOW = ("give a meal or snack now; if the child cannot eat, give fast sugar (juice, "
            "glucose tablets)")


class AfterMistake(NamedTuple):
    """What to do after an injection that went wrong, in the order a parent acts."""

    level: str
    what: str  # what happened ("A second injection for one dose (a double dose)")
    now: str  # food
    check: str  # blood sugar: now, and when again
    tell: str  # the doctor: how soon
    watch: str  # what to watch, and for how long


# One table for every path that records such an injection (give, the buttons, the page)
# and for the reminders that follow it. More insulin-like effect than intended (a double
# dose, two doses close together, more than prescribed) is the low-blood-sugar risk the
# label warns about: food now, blood sugar checked, the doctor told at once, a longer
# watch. A missed meal or a late make-up is the label's everyday risk: food, a watch, and
# no high-risk activity for 2-3 hours (5.1).
MISTAKES: dict[str, AfterMistake] = {
    "extra": AfterMistake(
        DOCTOR, "A second injection for the same dose (a double dose)", FOOD_NOW,
        "check blood sugar now if you have a meter, again in an hour, and before the next "
        "meal",
        "call the child's doctor now and say a double dose was given",
        f"watch for signs of low blood sugar ({LOW_SIGNS}) until the doctor says "
        "otherwise, with no high-risk activity (cycling, swimming) meanwhile; the next dose "
        "stays the normal dose"),
    "too-soon": AfterMistake(
        DOCTOR, "Two injections close together", FOOD_NOW,
        "check blood sugar now if you have a meter, again in an hour, and before the next "
        "meal",
        "call the child's doctor now and say when both were given",
        f"watch for signs of low blood sugar ({LOW_SIGNS}) until the doctor says "
        "otherwise, with no high-risk activity (cycling, swimming) meanwhile; the next dose "
        "stays the normal dose"),
    "dose": AfterMistake(
        DOCTOR, "More than the dose", FOOD_NOW,
        "check blood sugar now if you have a meter, again in an hour, and before the next "
        "meal",
        "call the child's doctor now",
        f"watch for signs of low blood sugar ({LOW_SIGNS}) until the doctor says "
        "otherwise, with no high-risk activity (cycling, swimming) meanwhile; the next dose "
        "stays the normal dose"),
    "no-meal": AfterMistake(
        DOCTOR, "No meal with this dose", FOOD_NOW,
        "check blood sugar if the child seems unwell",
        "tell the child's doctor at the next visit (now if a low follows)",
        f"watch for signs of low blood sugar ({LOW_SIGNS}) and keep fast sugar at hand; no "
        "high-risk activity (cycling, swimming) for 2 to 3 hours"),
    "late": AfterMistake(
        WATCH, "A late make-up dose", "make sure the child eats within 20 minutes of it",
        "check blood sugar if the child seems unwell",
        "tell the child's doctor at the next visit",
        f"watch for signs of low blood sugar ({LOW_SIGNS}), with no high-risk activity "
        "(cycling, swimming) for 2 to 3 hours; the next dose stays the normal dose"),
}


def after_mistake(rule: str, what: str | None = None) -> Advice:
    """The table's row as one message: what happened, then what to do, in order."""
    row = MISTAKES[rule]
    return Advice(row.level, f"{what or row.what}: {row.now}; {row.check}; {row.tell}; "
                             f"{row.watch}.")


AFTER_MISTAKE_WINDOW = timedelta(hours=12)  # the reminders that follow say it first


def mistake_of(flags: list[str], extra: bool) -> str | None:
    """Which row of the table a recorded injection falls under (its flags are the texts
    of safety.injection_findings and safety.dose_problems), or None."""
    if extra:
        return "extra"
    if any("after the previous injection" in f for f in flags):
        return "too-soon"
    if any("more than the prescribed" in f or "above the label's ceiling" in f for f in flags):
        return "dose"
    return None


def mistake_note(child: str, at: str, ref: str, rule: str) -> str:
    """Said first in the reminders and the status that follow such an injection."""
    row = MISTAKES[rule]
    return (f"{child}'s {at} injection ({ref}) was {row.what[:1].lower()}{row.what[1:]}: "
            f"{row.watch}")


def after_injection(flagged: set[str], dose_problems: list[str], *,
                    extra: bool = False) -> list[Advice]:
    """What to do now about an injection that broke a rule (the rules of safety.py), from
    the one table of what to do after a mistake. `extra`: a second dose in its slot."""
    found = []
    if extra:
        found.append(after_mistake("extra"))
    if "too-soon" in flagged and not extra:
        found.append(after_mistake("too-soon"))
    if dose_problems:
        found.append(after_mistake("dose", "; ".join(dose_problems)))
    if "no-meal" in flagged:
        found.append(after_mistake("no-meal"))
    if "late" in flagged and not found:
        found.append(after_mistake("late"))
    return most_urgent_first(found)
