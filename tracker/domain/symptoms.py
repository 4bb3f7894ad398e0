"""The kinds of side effect a parent can log, in the label's terms."""

from __future__ import annotations

from datetime import timedelta

from tracker.errors import InputError
from tracker.i18n import _

KINDS: tuple[str, ...] = (
    "headache",
    "dizziness",
    "vomiting",
    "low-blood-sugar",
    "injection-site",
    "vision-change",
    "limp-or-joint-pain",
    "snoring",
    "ear-pain",
    "rash-or-swelling",
    "nausea",
    "seizure-or-unresponsive",
    "new-lump",
    "back-curve",
    "other",
)
SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
# A symptom is linked to the last dose when it began within this long after it.
LINK_WINDOW = timedelta(hours=6)


def normalise_kind(text: str) -> str:
    key = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    key = {
        "hypoglycemia": "low-blood-sugar",
        "hypoglycaemia": "low-blood-sugar",
        "low-sugar": "low-blood-sugar",
        "hypo": "low-blood-sugar",
        "limp": "limp-or-joint-pain",
        "joint-pain": "limp-or-joint-pain",
        "hip-pain": "limp-or-joint-pain",
        "knee-pain": "limp-or-joint-pain",
        "rash": "rash-or-swelling",
        "hives": "rash-or-swelling",
        "swelling": "rash-or-swelling",
        "blurred-vision": "vision-change",
        "vision": "vision-change",
        "feeling-sick": "nausea",
        "sick": "nausea",
        "seizure": "seizure-or-unresponsive",
        "fit": "seizure-or-unresponsive",
        "convulsion": "seizure-or-unresponsive",
        "unresponsive": "seizure-or-unresponsive",
        "fainting": "seizure-or-unresponsive",
        "fainted": "seizure-or-unresponsive",
        "lump": "new-lump",
        "growth": "new-lump",
        "scoliosis": "back-curve",
        "curved-back": "back-curve",
    }.get(key, key)
    if key not in KINDS:
        raise InputError(_("unknown symptom {text!r}: choose one of {join}").format(
                             text=text, join=', '.join(KINDS)))
    return key


def normalise_severity(text: str) -> str:
    key = text.strip().lower()
    if key not in SEVERITIES:
        raise InputError(_("unknown severity {text!r}: choose mild, moderate or severe").format(
                             text=text))
    return key
