"""How urgent each warning sign is: one table for every place that says it.

The symptom advice, `tracker info when-to-call`, the holds said beside the next dose and
in its reminders, and the report all read their urgency from here, so "a new limp"
cannot be "soon" in one place and "the same day" in another. Four levels, the ones a
parent acts on: emergency services now, the child's doctor the same day, the doctor
within a few days, and the next visit.

Each sign carries the label section it comes from (the US label, Eton, May 2025, unless
an EU or UK source is named), and what else to do: ask before the next dose, or go to
emergency care when the doctor cannot be reached.
"""

from __future__ import annotations

from typing import NamedTuple

NOW = "now"
TODAY = "today"
SOON = "soon"
VISIT = "visit"
LEVELS = (NOW, TODAY, SOON, VISIT)  # most urgent first
HEADINGS = {
    NOW: "Call emergency services now",
    TODAY: "Call the child's doctor the same day, as soon as you can",
    SOON: "Tell the child's doctor within a few days",
    VISIT: "Mention it at the next visit",
}
SAY = {  # the same, inside a sentence
    NOW: "call emergency services now",
    TODAY: "call the child's doctor the same day",
    SOON: "tell the child's doctor within a few days",
    VISIT: "mention it at the next visit",
}


class Sign(NamedTuple):
    key: str
    sign: str  # as a parent sees it
    urgency: str
    why: str  # what it may be, with the source
    also: str = ""  # ask before the next dose; emergency care when the doctor is unreachable


SIGNS: tuple[Sign, ...] = (
    Sign("unresponsive", "a seizure, fainting, or a child who does not respond", NOW,
         "on this medicine low blood sugar is the most likely cause (label 5.1)",
         "give nothing by mouth; give glucagon if it was prescribed; ask the doctor before "
         "the next dose"),
    Sign("anaphylaxis", "trouble breathing, or swelling of the face, lips or tongue, or "
         "hives all over", NOW, "a severe allergic reaction (label 5.2)",
         "treatment is interrupted after it: ask the doctor before the next dose"),
    Sign("low-severe", "low blood sugar with a child who cannot swallow, or stays drowsy "
         "or confused after sugar", NOW, "a severe low (label 5.1)",
         "give nothing by mouth; glucagon if it was prescribed"),
    Sign("raised-pressure", "a headache together with nausea, vomiting or a change in vision",
         TODAY,
         "it can be intracranial hypertension, raised pressure inside the head (label 5.3)",
         "ask the doctor before giving the next dose; if the doctor cannot be reached today, "
         "go to emergency care"),
    Sign("vision", "a change in vision", TODAY,
         "the eyes are checked on this medicine for raised pressure inside the head "
         "(label 5.3)"),
    Sign("hip", "a new limp, or pain in the hip or knee", TODAY,
         "fast growth can make the top of the thigh bone slip (slipped capital femoral "
         "epiphysis), which can lead to osteonecrosis (label 5.5, revised May 2025)"),
    Sign("allergy", "a rash, hives or swelling", TODAY,
         "it can be an allergic reaction (label 5.2)",
         "trouble breathing or a swollen face, lips or tongue: emergency services now"),
    Sign("low-again", "low blood sugar that happens again, or at the usual dose despite "
         "food", TODAY, "the dose may need to be lower (label 2.1)"),
    Sign("too-much", "more medicine than prescribed given by mistake (a double dose, two "
         "doses close together, above 0.12 mg/kg)", TODAY,
         "low blood sugar is the risk (label 5.1)",
         "give food now and check blood sugar"),
    Sign("lump", "a new lump or growth that is not at an injection site", SOON,
         "tumours, benign and malignant, have been reported in children on mecasermin "
         "(label 5.7, malignant neoplasia); in the EU and UK treatment is stopped if a "
         "tumour develops (MHRA advice)"),
    Sign("snoring", "new snoring, or pauses in breathing during sleep", SOON,
         "enlarged tonsils or adenoids (label 5.4)"),
    Sign("ear", "ear pain, a blocked ear or poorer hearing", SOON,
         "enlarged tonsils or adenoids (label 5.4)"),
    Sign("back", "a back that seems to curve more as the child grows", VISIT,
         "scoliosis can get worse while a child grows fast (label 5.6)"),
    Sign("site-lumps", "lumps at injection sites that stay or spread", VISIT,
         "fat can build up where injections repeat (label 2.2: rotate the site)"),
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
}


def sentence(key: str) -> str:
    """One sign as advice: what it is, what it may be, how urgent, what else to do."""
    s = BY_KEY[key]
    also = f"; {s.also}" if s.also else ""
    return f"{s.sign[:1].upper()}{s.sign[1:]}: {s.why}. {SAY[s.urgency][:1].upper()}" \
           f"{SAY[s.urgency][1:]}{also}."


def of_kind(kind: str) -> str | None:
    """The urgency of a symptom kind, as a few words (the report's lists)."""
    key = KIND_SIGN.get(kind)
    return None if key is None else SAY[BY_KEY[key].urgency]


def when_to_call() -> list[str]:
    """`tracker info when-to-call`: every sign under its urgency, most urgent first."""
    out = []
    for level in LEVELS:
        out.append(f"{HEADINGS[level]}:")
        out.append("\n".join(f"- {s.sign}: {s.why}" + (f"; {s.also}" if s.also else "") + ";"
                             for s in SIGNS if s.urgency == level))
    return out


def emergencies() -> str:
    """The signs that call for emergency services first, in one phrase (the symptom
    command's help names them: a parent reads it before logging)."""
    signs = [s.sign for s in SIGNS if s.urgency == NOW]
    return "; ".join(signs[:-1]) + "; or " + signs[-1]
