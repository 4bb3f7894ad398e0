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

from tracker.i18n import _

EMERGENCY = "emergency"
DOCTOR_NOW = "doctor-now"
TODAY = "today"
SOON = "soon"
VISIT = "visit"
LEVELS = (EMERGENCY, DOCTOR_NOW, TODAY, SOON, VISIT)  # most urgent first
ROUTINE = ""  # nothing to do beyond the usual: not a level of the table
HEADINGS = {
    EMERGENCY: "Call emergency services now",
    DOCTOR_NOW: "Call the child's doctor now",
    TODAY: "Call the child's doctor the same day, as soon as you can",
    SOON: "Tell the child's doctor within a few days",
    VISIT: "Mention it at the next visit",
}
SAY = {  # the same, inside a sentence
    EMERGENCY: "call emergency services now",
    DOCTOR_NOW: "call the child's doctor now",
    TODAY: "call the child's doctor the same day",
    SOON: "tell the child's doctor within a few days",
    VISIT: "mention it at the next visit",
}
SHORT = {  # the level as a tag (the spreadsheet's flag column, the report's entries)
    EMERGENCY: "emergency now",
    DOCTOR_NOW: "the doctor now",
    TODAY: "the doctor today",
    SOON: "within days",
    VISIT: "next visit",
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


LOW_SIGNS = "shakiness, sweating, paleness, hunger, drowsiness, confusion"
FAST_SUGAR = "Give fast sugar now (juice, glucose tablets or gel)."
RECHECK = ("Check blood sugar again in 15 minutes and give fast sugar again if it is still "
           "low; once it is back up, give a snack with protein.")
CANNOT_SWALLOW = ("If the child becomes drowsy or confused, or cannot swallow: give nothing "
                  "by mouth, give glucagon if it was prescribed, and call emergency services.")
FOOD_NOW = ("Give a meal or snack now; if the child cannot eat, give fast sugar (juice, "
            "glucose tablets).")
CHECK_OFTEN = ("Check blood sugar now if you have a meter, again in an hour, and before the "
               "next meal.")
WATCH_LONGER = (f"Watch for signs of low blood sugar ({LOW_SIGNS}) for the next 12 hours, "
                "longer than usual, unless the doctor says otherwise.")
NEXT_NORMAL = "The next dose stays the normal dose: nothing is made up or taken off."
ACTIVITIES = ("Avoid high-risk activities (cycling, swimming, climbing) for 2 to 3 hours after "
              "the dose (label 5.1).")
COUNTS = "The dose counts as given: do not give it again."

SIGNS: tuple[Sign, ...] = (
    # --- emergency services now
    Sign("unresponsive", "a seizure, fainting, or a child who does not respond", EMERGENCY,
         "on this medicine low blood sugar is the most likely cause (label 5.1)",
         ("Call emergency services now.",
          "Give nothing by mouth; give glucagon if it was prescribed.",
          "Ask the child's doctor before the next dose.")),
    Sign("anaphylaxis", "trouble breathing, or swelling of the face, lips or tongue, or "
         "hives all over", EMERGENCY, "a severe allergic reaction (label 5.2)",
         ("Call emergency services now.",
          "Treatment is interrupted after it: ask the child's doctor before the next dose.")),
    Sign("low-severe", "low blood sugar with a child who cannot swallow, or stays drowsy "
         "or confused after sugar", EMERGENCY, "a severe low (label 5.1)",
         ("Call emergency services now.",
          "Give nothing by mouth; give glucagon if it was prescribed.",
          "Ask the child's doctor before the next dose.")),
    # --- the child's doctor now
    Sign("too-much", "more medicine than prescribed (a second injection for one dose, two "
         "injections close together, or more than the dose)", DOCTOR_NOW,
         "low blood sugar is the risk in the next hours (label 5.1)",
         (FOOD_NOW, CHECK_OFTEN, "Call the child's doctor now and say what was given, and "
          "when.", WATCH_LONGER, NEXT_NORMAL)),
    Sign("very-low", "a blood sugar below 3.0 mmol/L (54 mg/dL)", DOCTOR_NOW,
         "a clinically important low (label 5.1)",
         ("If the child is awake and can swallow: " + FAST_SUGAR[0].lower() + FAST_SUGAR[1:],
          CANNOT_SWALLOW, RECHECK, "Call the child's doctor now.")),
    Sign("low-vomiting", "low blood sugar while the child is vomiting", DOCTOR_NOW,
         "sugar by mouth may not stay down (label 5.1)",
         ("While the child can swallow, give small sips of a sugary drink now.",
          "Call the child's doctor now.",
          "If the child cannot keep sugar down, or is drowsy or confused: call emergency "
          "services (glucagon if it was prescribed).")),
    Sign("low-after-too-much", "low blood sugar after more medicine than prescribed",
         DOCTOR_NOW, "the extra medicine is still acting (label 5.1)",
         (FAST_SUGAR, RECHECK, CANNOT_SWALLOW, "Call the child's doctor now.")),
    Sign("severe", "any other side effect that is severe", DOCTOR_NOW,
         "a severe reaction needs a doctor's eyes",
         ("If the child is very unwell (fainting, a seizure, trouble breathing): call "
          "emergency services now.",
          "Otherwise call the child's doctor now.")),
    # --- the doctor the same day
    Sign("raised-pressure", "a headache together with nausea, vomiting or a change in "
         "vision", TODAY,
         "it can be intracranial hypertension, raised pressure inside the head (label 5.3)",
         ("Call the child's doctor today; if the doctor cannot be reached today, go to "
          "emergency care.",
          "Do not give the next dose until the child's doctor says so.")),
    Sign("vision", "a change in vision", TODAY,
         "the eyes are checked on this medicine for raised pressure inside the head "
         "(label 5.3)", ("Call the child's doctor today.",)),
    Sign("hip", "a new limp, or pain in the hip or knee", TODAY,
         "fast growth can make the top of the thigh bone slip (slipped capital femoral "
         "epiphysis), which can lead to osteonecrosis (label 5.5, revised May 2025)",
         ("Call the child's doctor today.",)),
    Sign("allergy", "a rash, hives or swelling", TODAY,
         "it can be an allergic reaction (label 5.2)",
         ("If breathing is hard, or the face, lips or tongue swell: call emergency services "
          "now.", "Otherwise call the child's doctor today.")),
    Sign("low", "a blood sugar below 3.9 mmol/L (70 mg/dL), or signs of low blood sugar",
         TODAY,
         "a low at the usual dose despite food means the dose should be reduced (label 2.1)",
         (FAST_SUGAR, RECHECK, CANNOT_SWALLOW,
          "Call the child's doctor today: the doctor decides whether the dose is lowered.")),
    Sign("after-low", "a reading back up after a low", TODAY,
         "the low still counts: a low at the usual dose despite food means the dose should "
         "be reduced (label 2.1)",
         ("Give a snack or a meal with protein now if the child has not eaten.",
          "Check again before the next meal.",
          "Call the child's doctor today about the low: the doctor decides whether the dose "
          "is lowered.")),
    Sign("high-after-low", "a high reading after a low was treated", TODAY,
         "too much sugar after the low; the low still counts (label 2.1)",
         ("Give no more sugar.", "Check again before the next meal.",
          "Call the child's doctor today about the low and this high.")),
    Sign("very-high", "a blood sugar of 13.9 mmol/L (250 mg/dL) or more", TODAY,
         "tracker's line for a home meter; the label sets no upper limit",
         ("Wash and dry the child's hands and check again now: sugar on a finger reads "
          "high.", "If it is still this high, call the child's doctor today.")),
    Sign("prescription", "a prescription above the label's limits, or raised sooner or "
         "further than the label allows", TODAY,
         "the label raises a dose by 0.04 mg/kg only after a week that was well tolerated, "
         "and caps it at 0.12 mg/kg: higher doses were not studied, for the risk of low "
         "blood sugar (5.1) and of tumour growth (5.7) (label 2.1)",
         ("Before the first dose at the new level, check it with the child's doctor.",)),
    # --- the doctor within a few days
    Sign("vial", "a dose drawn from a vial that should not have been used (past its "
         "discard day, frozen, left out, cloudy, dropped or contaminated)", SOON,
         "a vial is used for 30 days after opening, kept at 2-8 C and never frozen "
         "(label 16)",
         (COUNTS, "Use a new vial for the next dose.",
          "Tell the pharmacist or the child's doctor within a few days which doses came "
          "from it, with its lot.")),
    Sign("high", "a blood sugar above 10.0 mmol/L (180 mg/dL)", SOON,
         "tracker's line for a home meter (the top of the usual 4-10 mmol/L range); the "
         "label sets no upper limit",
         ("Check again before the next meal.",
          "If it stays high, tell the child's doctor within a few days.")),
    Sign("lump", "a new lump or growth that is not at an injection site", SOON,
         "tumours, benign and malignant, have been reported in children on mecasermin "
         "(label 5.7, malignant neoplasia); in the EU and UK treatment is stopped if a "
         "tumour develops (MHRA advice)", ("Tell the child's doctor within a few days.",)),
    Sign("snoring", "new snoring, or pauses in breathing during sleep", SOON,
         "enlarged tonsils or adenoids (label 5.4)",
         ("Tell the child's doctor within a few days.",)),
    Sign("ear", "ear pain, a blocked ear or poorer hearing", SOON,
         "enlarged tonsils or adenoids (label 5.4)",
         ("Tell the child's doctor within a few days.",)),
    # --- the next visit
    Sign("back", "a back that seems to curve more as the child grows", VISIT,
         "scoliosis can get worse while a child grows fast (label 5.6)",
         ("Mention it at the next visit.",)),
    Sign("site-lumps", "lumps at injection sites that stay or spread", VISIT,
         "fat can build up where injections repeat (label 2.2: rotate the site)",
         ("Use another site every time.", "Mention it at the next visit.")),
    Sign("injection-site", "pain, redness, bruising or a lump where the injection went",
         VISIT, "common where an injection goes (label 6)",
         ("Use another site every time.", "Mention it at the next visit.")),
    Sign("no-meal", "a dose given without a meal or snack within 20 minutes", VISIT,
         "without food, low blood sugar is more likely (label 5.1)",
         (FOOD_NOW, f"Watch for signs of low blood sugar ({LOW_SIGNS}); check blood sugar "
          "if the child seems unwell.", ACTIVITIES,
          "Mention it at the next visit; call the doctor now if a low follows.")),
    Sign("vomiting-after-dose", "vomiting in the hours after a dose", VISIT,
         "the medicine is injected, not swallowed: the dose still acts, and a low is more "
         "likely while the child cannot eat (label 5.1)",
         (COUNTS, f"Watch for signs of low blood sugar ({LOW_SIGNS}) and check blood sugar "
          "if you can.", "Call the child's doctor if the vomiting goes on or the child "
          "cannot keep food or drink down.")),
    Sign("headache", "a headache on its own", VISIT,
         "a headache can be a sign of low blood sugar, or with nausea, vomiting or a change "
         "in vision of raised pressure inside the head (label 5.3)",
         ("Check blood sugar if you can.",
          "Watch in the next days for nausea, vomiting or a change in vision: with a "
          "headache they are a reason to call the doctor the same day.")),
    Sign("vomiting", "vomiting, or feeling sick, on its own", VISIT,
         "a child who cannot keep food down should not have a dose (label 2.1)",
         ("If the child still cannot eat when the next dose is due, withhold it then "
          "(not eating).", f"Watch for signs of low blood sugar ({LOW_SIGNS}).")),
    Sign("late", "a dose given late, as a make-up within its window", VISIT,
         "tracker counts a dose up to its window's end; a missed one is never made up "
         "(label 2.1)", ("Make sure the child eats within 20 minutes of it.", ACTIVITIES,
                         NEXT_NORMAL)),
    Sign("early", "a dose given well before its time", VISIT,
         "tracker's line: more than an hour early", ("Check it was meant for that dose.",
                                                     NEXT_NORMAL)),
    Sign("other", "anything else you noticed", VISIT, "the doctor wants the whole picture",
         ("Mention it at the next visit.",)),
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


def when_to_call() -> list[str]:
    """`tracker info when-to-call`: the whole table under its levels, most urgent first,
    each row with what it may be and its first step."""
    out = []
    for level in LEVELS:
        out.append(f"{HEADINGS[level]}:")
        out.append("\n".join(_("- {sign}: {why}. First: {lower}{steps}").format(
                                 sign=s.sign, why=s.why, lower=s.steps[0][:1].lower(),
                                 steps=s.steps[0][1:]) for s in SIGNS if s.urgency == level))
    return out


def emergencies() -> str:
    """The signs that call for emergency services first, in one phrase (the symptom
    command's help names them: a parent reads it before logging)."""
    signs = [s.sign for s in SIGNS if s.urgency == EMERGENCY]
    return "; ".join(signs[:-1]) + _("; or ") + signs[-1]
