"""What to watch for when a symptom is logged: the label's warnings as a table of rules.

Each rule says which symptom triggers it, which other symptoms must stand with it within a
window (for combinations such as headache with vomiting), and how urgent it is. The text
is ours, written from the label's facts (../shared/clinical-facts.md); it points to the
child's doctor or to emergency help and never replaces them. Functions here are pure: the
caller passes the recent symptoms and `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from tracker.domain import glucose

EMERGENCY = "emergency"
DOCTOR = "doctor"
WATCH = "watch"
LEVELS = (EMERGENCY, DOCTOR, WATCH)  # most urgent first
COMBINATION_WINDOW = timedelta(days=3)
OPEN_WINDOW = timedelta(days=3)  # how long status keeps a doctor-level warning open


class Rule(NamedTuple):
    name: str
    kinds: frozenset[str]  # the symptom just logged (or standing) is one of these
    with_any: frozenset[str]  # ...and one of these stood within the window (empty: alone)
    level: str
    text: str
    keeps_open: bool = False  # shown by `status` while it stands


class Recent(NamedTuple):
    kind: str
    at: datetime
    severity: str | None


RULES: tuple[Rule, ...] = (
    Rule(
        "low-sugar",
        frozenset({"low-blood-sugar", "dizziness"}),
        frozenset(),
        WATCH,
        "Sugar first: signs of low blood sugar include dizziness, shakiness, sweating, "
        "hunger, irritability and confusion. Give fast sugar (juice, glucose tablets), "
        "check the blood sugar if you can, and recheck in 15 minutes. A child who is "
        "drowsy, confused or cannot swallow needs emergency help.",
    ),
    Rule(
        "raised-pressure",
        frozenset({"headache"}),
        frozenset({"vomiting", "vision-change"}),
        DOCTOR,
        "Headache together with vomiting or a change in vision can mean raised pressure "
        "inside the head, a known effect of this medicine: call the child's doctor today.",
        keeps_open=True,
    ),
    Rule(
        "raised-pressure",
        frozenset({"vomiting", "vision-change"}),
        frozenset({"headache"}),
        DOCTOR,
        "Headache together with vomiting or a change in vision can mean raised pressure "
        "inside the head, a known effect of this medicine: call the child's doctor today.",
        keeps_open=True,
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
        DOCTOR,
        "A change in vision should be checked: tell the child's doctor.",
        keeps_open=True,
    ),
    Rule(
        "vomiting",
        frozenset({"vomiting"}),
        frozenset(),
        WATCH,
        "A child who cannot keep food down should not have the dose: withhold it "
        "(tracker skip --reason vomiting), and watch for signs of low blood sugar.",
    ),
    Rule(
        "hip",
        frozenset({"limp-or-joint-pain"}),
        frozenset(),
        DOCTOR,
        "A new limp, or pain in the hip or knee, needs the doctor: fast growth can make the "
        "top of the thigh bone slip (slipped capital femoral epiphysis).",
        keeps_open=True,
    ),
    Rule(
        "tonsils-snoring",
        frozenset({"snoring"}),
        frozenset(),
        DOCTOR,
        "New snoring or pauses in breathing during sleep can come from enlarged tonsils or "
        "adenoids: tell the child's doctor.",
    ),
    Rule(
        "tonsils-ear",
        frozenset({"ear-pain"}),
        frozenset(),
        DOCTOR,
        "Ear pain, a blocked ear or poorer hearing can come from enlarged tonsils or "
        "adenoids: tell the child's doctor.",
    ),
    Rule(
        "allergy",
        frozenset({"rash-or-swelling"}),
        frozenset(),
        DOCTOR,
        "A rash, hives or swelling can be an allergic reaction: call the doctor. Trouble "
        "breathing, or swelling of the face, lips or tongue, needs emergency help now.",
        keeps_open=True,
    ),
    Rule(
        "injection-site",
        frozenset({"injection-site"}),
        frozenset(),
        WATCH,
        "Pain, redness, bruising or lumps where the injection went are common: rotate the "
        "site every time, and tell the doctor about lumps that stay or spread.",
    ),
    Rule(
        "severe",
        frozenset(),
        frozenset(),
        EMERGENCY,
        "A severe reaction needs help now: call emergency services if the child is very "
        "unwell (fainting, a seizure, trouble breathing), otherwise the child's doctor.",
    ),
)


def _applies(rule: Rule, kind: str, others: set[str]) -> bool:
    if rule.name == "severe":
        return False  # decided by severity, not by kind
    return kind in rule.kinds and (not rule.with_any or bool(rule.with_any & others))


def advice(
    kind: str, severity: str | None, mgdl: float | None, recent: list[Recent], now: datetime
) -> list[tuple[str, str]]:
    """(level, text) for a symptom just logged, most urgent first, each text once."""
    others = {r.kind for r in recent if now - r.at <= COMBINATION_WINDOW and r.kind != kind}
    found: list[tuple[str, str]] = []
    if severity == "severe":
        found.append((EMERGENCY, next(r.text for r in RULES if r.name == "severe")))
    if mgdl is not None:
        low = glucose.low_advice(mgdl)
        if low:
            found.append((EMERGENCY if glucose.level(mgdl) == "very low" else DOCTOR, low))
        else:
            found.append(
                (
                    WATCH,
                    f"A blood sugar of {glucose.format_value(mgdl, 'mg/dL')} is "
                    "not low. If the signs go on, tell the child's doctor.",
                )
            )
    for rule in RULES:
        if _applies(rule, kind, others):
            found.append((rule.level, rule.text))
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda item: LEVELS.index(item[0]))


def open_warnings(recent: list[Recent], now: datetime) -> list[str]:
    """Doctor-level warnings that still stand: a combination or a sign seen in the last days."""
    standing = [r for r in recent if now - r.at <= OPEN_WINDOW]
    out: list[str] = []
    for r in standing:
        others = {
            o.kind for o in standing if o.kind != r.kind and abs(o.at - r.at) <= COMBINATION_WINDOW
        }
        for rule in RULES:
            if rule.keeps_open and _applies(rule, r.kind, others) and rule.text not in out:
                out.append(rule.text)
        if r.severity == "severe":
            text = f"a severe {r.kind} was logged in the last days: make sure a doctor knows"
            if text not in out:
                out.append(text)
    return out
