"""The one urgency table: every event tracker judges, how urgent it is, and what to do.

Every judgement (tracker.domain.judgement) is made of rows of this table, and every place
that shows one reads its level and its steps from here: the answer to a write, status
and Today, the phone, the reminders and the contact's message, the history, the clinic
report, the spreadsheet's flag column, and `tracker info when-to-call`, which is this
table printed. So "a double dose" cannot be "the doctor now" after `give` and "the same
day" in the drug information.

Five levels, the ones a parent acts on: emergency services now, the child's doctor now,
the doctor the same day, the doctor within a few days, the next visit. A row's steps are
in the order a parent does them: the one to do now first.

Each row carries the label section it comes from (the US label, Eton, May 2025, unless
an EU or UK source is named); rows that are tracker's own lines say so.
"""

from __future__ import annotations

from typing import NamedTuple

from tracker import i18n
from tracker.i18n import N_, _

EMERGENCY = "emergency"
DOCTOR_NOW = "doctor-now"
TODAY = "today"
SOON = "soon"
VISIT = "visit"
LEVELS = (EMERGENCY, DOCTOR_NOW, TODAY, SOON, VISIT)  # most urgent first
ROUTINE = ""  # nothing to do beyond the usual: not a level of the table
HEADINGS = {
    EMERGENCY: N_("Call emergency services now"),
    DOCTOR_NOW: N_("Call the child's doctor now"),
    TODAY: N_("Call the child's doctor the same day, as soon as you can"),
    SOON: N_("Tell the child's doctor within a few days"),
    VISIT: N_("Mention it at the next visit"),
}
SAY = {  # the same, inside a sentence
    EMERGENCY: N_("call emergency services now"),
    DOCTOR_NOW: N_("call the child's doctor now"),
    TODAY: N_("call the child's doctor the same day"),
    SOON: N_("tell the child's doctor within a few days"),
    VISIT: N_("mention it at the next visit"),
}
SHORT = {  # the level as a tag (the spreadsheet's flag column, the report's entries)
    EMERGENCY: N_("emergency now"),
    DOCTOR_NOW: N_("the doctor now"),
    TODAY: N_("the doctor today"),
    SOON: N_("within days"),
    VISIT: N_("next visit"),
}


def rank(level: str) -> int:
    """0 for an emergency ... 4 for the next visit; 5 for routine: sorts most urgent first."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def most_urgent(levels: list[str]) -> str:
    return min(levels, key=rank, default=ROUTINE)


class Sign(NamedTuple):
    key: str
    sign: str  # as a parent sees it
    urgency: str
    why: str  # what it may be, with the source
    steps: tuple[str, ...]  # what to do, the one to do now first


FAST_SUGAR = N_("Give fast sugar now (juice, glucose tablets or gel).")
RECHECK = (N_("Check blood sugar again in 15 minutes and give fast sugar again if it is still "
           "low; once it is back up, give a snack with protein."))
CANNOT_SWALLOW = (N_("If the child becomes drowsy or confused, or cannot swallow: give nothing "
                  "by mouth, give glucagon if it was prescribed, and call emergency services."))
FOOD_NOW = (N_("Give a meal or snack now; if the child cannot eat, give fast sugar (juice, "
            "glucose tablets)."))
CHECK_OFTEN = (N_("Check blood sugar now if you have a meter, again in an hour, and before the "
               "next meal."))
WATCH_LONGER = (N_("Watch for signs of low blood sugar (shakiness, sweating, paleness, hunger, "
                "drowsiness, confusion) for the next 12 hours, "
                "longer than usual, unless the doctor says otherwise."))
NEXT_NORMAL = N_("The next dose stays the normal dose: nothing is made up or taken off.")
ACTIVITIES = (N_("Avoid high-risk activities (cycling, swimming, climbing) for 2 to 3 hours after "
              "the dose (label 5.1)."))
COUNTS = N_("The dose counts as given: do not give it again.")

SIGNS: tuple[Sign, ...] = (
    # --- emergency services now
    Sign("unresponsive", N_("a seizure, fainting, or a child who does not respond"), EMERGENCY,
         N_("on this medicine low blood sugar is the most likely cause (label 5.1)"),
         (N_("Call emergency services now."),
          N_("Give nothing by mouth; give glucagon if it was prescribed."),
          N_("Ask the child's doctor before the next dose."))),
    Sign("anaphylaxis", N_("trouble breathing, or swelling of the face, lips or tongue, or "
         "hives all over"), EMERGENCY, N_("a severe allergic reaction (label 5.2)"),
         (N_("Call emergency services now."),
          N_("Treatment is interrupted after it: ask the child's doctor before the next dose."))),
    Sign("low-severe", N_("low blood sugar with a child who cannot swallow, or stays drowsy "
         "or confused after sugar"), EMERGENCY, N_("a severe low (label 5.1)"),
         (N_("Call emergency services now."),
          N_("Give nothing by mouth; give glucagon if it was prescribed."),
          N_("Ask the child's doctor before the next dose."))),
    # --- the child's doctor now
    Sign("too-much", N_("more medicine than prescribed (a second injection for one dose, two "
         "injections close together, or more than the dose)"), DOCTOR_NOW,
         N_("low blood sugar is the risk in the next hours (label 5.1)"),
         (FOOD_NOW, CHECK_OFTEN, N_("Call the child's doctor now and say what was given, and "
          "when."), WATCH_LONGER, NEXT_NORMAL)),
    Sign("very-low", N_("a blood sugar below 3.0 mmol/L (54 mg/dL)"), DOCTOR_NOW,
         N_("a clinically important low (label 5.1)"),
         (N_("If the child is awake and can swallow: give fast sugar now (juice, glucose "
             "tablets or gel)."),
          CANNOT_SWALLOW, RECHECK, N_("Call the child's doctor now."))),
    Sign("low-vomiting", N_("low blood sugar while the child is vomiting"), DOCTOR_NOW,
         N_("sugar by mouth may not stay down (label 5.1)"),
         (N_("While the child can swallow, give small sips of a sugary drink now."),
          N_("Call the child's doctor now."),
          N_("If the child cannot keep sugar down, or is drowsy or confused: call emergency "
          "services (glucagon if it was prescribed)."))),
    Sign("low-after-too-much", N_("low blood sugar after more medicine than prescribed"),
         DOCTOR_NOW, N_("the extra medicine is still acting (label 5.1)"),
         (FAST_SUGAR, RECHECK, CANNOT_SWALLOW, N_("Call the child's doctor now."))),
    Sign("severe", N_("any other side effect that is severe"), DOCTOR_NOW,
         N_("a severe reaction needs a doctor's eyes"),
         (N_("If the child is very unwell (fainting, a seizure, trouble breathing): call "
          "emergency services now."),
          N_("Otherwise call the child's doctor now."))),
    # --- the doctor the same day
    Sign("raised-pressure", N_("a headache together with nausea, vomiting or a change in "
         "vision"), TODAY,
         N_("it can be intracranial hypertension, raised pressure inside the head (label 5.3)"),
         (N_("Call the child's doctor today; if the doctor cannot be reached today, go to "
          "emergency care."),
          N_("Do not give the next dose until the child's doctor says so."))),
    Sign("vision", N_("a change in vision"), TODAY,
         N_("the eyes are checked on this medicine for raised pressure inside the head "
         "(label 5.3)"), (N_("Call the child's doctor today."),)),
    Sign("hip", N_("a new limp, or pain in the hip or knee"), TODAY,
         N_("fast growth can make the top of the thigh bone slip (slipped capital femoral "
         "epiphysis), which can lead to osteonecrosis (label 5.5, revised May 2025)"),
         (N_("Call the child's doctor today."),)),
    Sign("allergy", N_("a rash, hives or swelling"), TODAY,
         N_("it can be an allergic reaction (label 5.2)"),
         (N_("If breathing is hard, or the face, lips or tongue swell: call emergency services "
          "now."), N_("Otherwise call the child's doctor today."))),
    Sign("low", N_("a blood sugar below 3.9 mmol/L (70 mg/dL), or signs of low blood sugar"),
         TODAY,
         N_("a low at the usual dose despite food means the dose should be reduced (label 2.1)"),
         (FAST_SUGAR, RECHECK, CANNOT_SWALLOW,
          N_("Call the child's doctor today: the doctor decides whether the dose is lowered."))),
    Sign("after-low", N_("a reading back up after a low"), TODAY,
         N_("the low still counts: a low at the usual dose despite food means the dose should "
         "be reduced (label 2.1)"),
         (N_("Give a snack or a meal with protein now if the child has not eaten."),
          N_("Check again before the next meal."),
          N_("Call the child's doctor today about the low: the doctor decides whether the dose "
          "is lowered."))),
    Sign("high-after-low", N_("a high reading after a low was treated"), TODAY,
         N_("too much sugar after the low; the low still counts (label 2.1)"),
         (N_("Give no more sugar."), N_("Check again before the next meal."),
          N_("Call the child's doctor today about the low and this high."))),
    Sign("very-high", N_("a blood sugar of 13.9 mmol/L (250 mg/dL) or more"), TODAY,
         N_("tracker's line for a home meter; the label sets no upper limit"),
         (N_("Wash and dry the child's hands and check again now: sugar on a finger reads "
          "high."), N_("If it is still this high, call the child's doctor today."))),
    Sign("prescription", N_("a prescription above the label's limits, or raised sooner or "
         "further than the label allows"), TODAY,
         N_("the label raises a dose by 0.04 mg/kg only after a week that was well tolerated, "
         "and caps it at 0.12 mg/kg: higher doses were not studied, for the risk of low "
         "blood sugar (5.1) and of tumour growth (5.7) (label 2.1)"),
         (N_("Before the first dose at the new level, check it with the child's doctor."),)),
    # --- the doctor within a few days
    Sign("vial", N_("a dose drawn from a vial that should not have been used (past its "
         "discard day, frozen, left out, cloudy, dropped or contaminated)"), SOON,
         N_("a vial is used for 30 days after opening, kept at 2-8 C and never frozen "
         "(label 16)"),
         (COUNTS, N_("Use a new vial for the next dose."),
          N_("Tell the pharmacist or the child's doctor within a few days which doses came "
          "from it, with its lot."))),
    Sign("high", N_("a blood sugar above 10.0 mmol/L (180 mg/dL)"), SOON,
         N_("tracker's line for a home meter (the top of the usual 4-10 mmol/L range); the "
         "label sets no upper limit"),
         (N_("Check again before the next meal."),
          N_("If it stays high, tell the child's doctor within a few days."))),
    Sign("lump", N_("a new lump or growth that is not at an injection site"), SOON,
         N_("tumours, benign and malignant, have been reported in children on mecasermin "
         "(label 5.7, malignant neoplasia); in the EU and UK treatment is stopped if a "
         "tumour develops (MHRA advice)"), (N_("Tell the child's doctor within a few days."),)),
    Sign("snoring", N_("new snoring, or pauses in breathing during sleep"), SOON,
         N_("enlarged tonsils or adenoids (label 5.4)"),
         (N_("Tell the child's doctor within a few days."),)),
    Sign("ear", N_("ear pain, a blocked ear or poorer hearing"), SOON,
         N_("enlarged tonsils or adenoids (label 5.4)"),
         (N_("Tell the child's doctor within a few days."),)),
    # --- the next visit
    Sign("back", N_("a back that seems to curve more as the child grows"), VISIT,
         N_("scoliosis can get worse while a child grows fast (label 5.6)"),
         (N_("Mention it at the next visit."),)),
    Sign("site-lumps", N_("lumps at injection sites that stay or spread"), VISIT,
         N_("fat can build up where injections repeat (label 2.2: rotate the site)"),
         (N_("Use another site every time."), N_("Mention it at the next visit."))),
    Sign("injection-site", N_("pain, redness, bruising or a lump where the injection went"),
         VISIT, N_("common where an injection goes (label 6)"),
         (N_("Use another site every time."), N_("Mention it at the next visit."))),
    Sign("no-meal", N_("a dose given without a meal or snack within 20 minutes"), VISIT,
         N_("without food, low blood sugar is more likely (label 5.1)"),
         (FOOD_NOW, N_("Watch for signs of low blood sugar (shakiness, sweating, paleness, hunger, "
          "drowsiness, confusion); check blood sugar "
          "if the child seems unwell."), ACTIVITIES,
          N_("Mention it at the next visit; call the doctor now if a low follows."))),
    Sign("vomiting-after-dose", N_("vomiting in the hours after a dose"), VISIT,
         N_("the medicine is injected, not swallowed: the dose still acts, and a low is more "
         "likely while the child cannot eat (label 5.1)"),
         (COUNTS, N_("Watch for signs of low blood sugar (shakiness, sweating, paleness, hunger, "
          "drowsiness, confusion) and check blood sugar "
          "if you can."), N_("Call the child's doctor if the vomiting goes on or the child "
          "cannot keep food or drink down."))),
    Sign("headache", N_("a headache on its own"), VISIT,
         N_("a headache can be a sign of low blood sugar, or with nausea, vomiting or a change "
         "in vision of raised pressure inside the head (label 5.3)"),
         (N_("Check blood sugar if you can."),
          N_("Watch in the next days for nausea, vomiting or a change in vision: with a "
          "headache they are a reason to call the doctor the same day."))),
    Sign("vomiting", N_("vomiting, or feeling sick, on its own"), VISIT,
         N_("a child who cannot keep food down should not have a dose (label 2.1)"),
         (N_("If the child still cannot eat when the next dose is due, withhold it then "
          "(not eating)."),
          N_("Watch for signs of low blood sugar (shakiness, sweating, paleness, hunger, "
             "drowsiness, confusion)."))),
    Sign("late", N_("a dose given late, as a make-up within its window"), VISIT,
         N_("tracker counts a dose up to its window's end; a missed one is never made up "
         "(label 2.1)"), (N_("Make sure the child eats within 20 minutes of it."), ACTIVITIES,
                         NEXT_NORMAL)),
    Sign("early", N_("a dose given well before its time"), VISIT,
         N_("tracker's line: more than an hour early"), (N_("Check it was meant for that dose."),
                                                     NEXT_NORMAL)),
    Sign("other", N_("anything else you noticed"), VISIT, N_("the doctor wants the whole picture"),
         (N_("Mention it at the next visit."),)),
)
BY_KEY = {s.key: s for s in SIGNS}
# a symptom kind (tracker.domain.symptoms) -> the sign it is, when it is one on its own
KIND_SIGN = {
    "seizure-or-unresponsive": "unresponsive",
    "vision-change": "vision",
    "limp-or-joint-pain": "hip",
    "rash-or-swelling": "allergy",
    "new-lump": "lump",
    "snoring": "snoring",
    "ear-pain": "ear",
    "back-curve": "back",
    "injection-site": "injection-site",
    "headache": "headache",
    "vomiting": "vomiting",
    "nausea": "vomiting",
    "low-blood-sugar": "low",
    "dizziness": "low",
    "other": "other",
}


def heading(level: str) -> str:
    """The level as a heading ("Call the child's doctor now"); empty for routine."""
    return _(HEADINGS[level]) if level in HEADINGS else ""


def say(level: str) -> str:
    """The level inside a sentence ("call the child's doctor now"); empty for routine."""
    return _(SAY[level]) if level in SAY else ""


def short(level: str) -> str:
    """The level as a tag ("the doctor now"); empty for routine."""
    return _(SHORT[level]) if level in SHORT else ""


def sign_text(row: Sign) -> str:
    """What the row's sign looks like, in the reader's language."""
    return _(row.sign)


def why(row: Sign) -> str:
    """What the row's sign may be, with its source, in the reader's language."""
    return _(row.why)


def steps(row: Sign) -> tuple[str, ...]:
    """The row's steps in the reader's language, the one to do now first."""
    return tuple(_(step) for step in row.steps)


def step(text: str) -> str:
    """One of the table's steps (NEXT_NORMAL, COUNTS...) in the reader's language."""
    return _(text)


def inline(sentence: str) -> str:
    """A sentence carried on after a colon ("First: give a meal..."): its first letter
    lowered, except in German, where a sentence after a colon keeps its capital (and a
    noun always does)."""
    if i18n.language() == "de":
        return sentence
    return sentence[:1].lower() + sentence[1:]


def when_to_call() -> list[str]:
    """`tracker info when-to-call`: the whole table under its levels, most urgent first,
    each row with what it may be and its first step."""
    out = []
    for level in LEVELS:
        # TRANSLATORS: a heading of `tracker info when-to-call`, before its list of signs
        out.append(_("{heading}:").format(heading=heading(level)))
        # TRANSLATORS: a line of `tracker info when-to-call`: a sign, what it may be, and
        # the first thing to do (a sentence whose first letter is lowered)
        out.append("\n".join(_("- {sign}: {why}. First: {step}").format(
            sign=sign_text(s), why=why(s), step=inline(steps(s)[0]))
            for s in SIGNS if s.urgency == level))
    return out


def emergencies() -> str:
    """The signs that call for emergency services first, in one phrase (the symptom
    command's help names them: a parent reads it before logging)."""
    signs = [sign_text(s) for s in SIGNS if s.urgency == EMERGENCY]
    # TRANSLATORS: the last of a list of signs separated by semicolons
    return _("{signs}; or {last}").format(signs="; ".join(signs[:-1]), last=signs[-1])
