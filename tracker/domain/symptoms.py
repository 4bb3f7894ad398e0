"""The kinds of side effect a parent can log, in the label's terms."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from tracker import i18n
from tracker.domain.sites import in_any_language, translated_names
from tracker.errors import InputError
from tracker.i18n import N_, _, pgettext

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
# The kinds' names as a person reads them (kind_name). English shows the key itself,
# which is also what every language's command line accepts.
# TRANSLATORS: the kinds of side effect a parent can log (a list and what is typed back)
KIND_NAMES: dict[str, str] = {
    "headache": N_("headache"),
    "dizziness": N_("dizziness"),
    "vomiting": N_("vomiting"),
    "low-blood-sugar": N_("low blood sugar"),
    "injection-site": N_("injection site"),
    "vision-change": N_("vision change"),
    "limp-or-joint-pain": N_("limp or joint pain"),
    "snoring": N_("snoring"),
    "ear-pain": N_("ear pain"),
    "rash-or-swelling": N_("rash or swelling"),
    "nausea": N_("nausea"),
    "seizure-or-unresponsive": N_("seizure or unresponsive"),
    "new-lump": N_("new lump"),
    "back-curve": N_("back curve"),
    "other": N_("other"),
}
SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
# A symptom is linked to the last dose when it began within this long after it.
LINK_WINDOW = timedelta(hours=6)


@cache
def _kinds_in(lang: str) -> dict[str, str]:
    return translated_names(KIND_NAMES, lang)


def _severity(key: str) -> str:
    if key == "mild":
        return pgettext("severity", "mild")
    if key == "moderate":
        return pgettext("severity", "moderate")
    if key == "severe":
        return pgettext("severity", "severe")
    return key


@cache
def _severities_in(lang: str) -> dict[str, str]:
    from tracker import i18n
    from tracker.domain.sites import fold

    with i18n.speaking(lang):
        return {fold(_severity(key)): key for key in SEVERITIES}


def kind_name(key: str) -> str:
    """A kind of side effect as the reader's language names it ("low-blood-sugar";
    "hypoglycémie" in French). An unknown key, or a name not yet translated, shows the
    key (which is always accepted)."""
    return i18n.key_name(key, KIND_NAMES)


def kind_words(key: str) -> str:
    """A kind of side effect inside a sentence ("low blood sugar"), in the reader's
    language; an unknown kind as written, its dashes spaces."""
    english = KIND_NAMES.get(key)
    return _(english) if english is not None else key.replace("-", " ")


def severity_name(key: str) -> str:
    """A severity ("mild", "moderate", "severe") in the reader's language."""
    return _severity(key)


def normalise_kind(text: str) -> str:
    """A kind of side effect as typed: the key, an English alias ("hypo", "rash"), or its
    name in any language tracker speaks (the other languages' catalogs are read only for
    what English does not name)."""
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
        key = in_any_language(text, _kinds_in) or key
    if key not in KINDS:
        raise InputError(_("unknown symptom {typed!r}: choose one of {kinds}").format(
            typed=text, kinds=", ".join(kind_name(k) for k in KINDS)))
    return key


def normalise_severity(text: str) -> str:
    key = text.strip().lower()
    if key not in SEVERITIES:
        key = in_any_language(text, _severities_in) or key
    if key not in SEVERITIES:
        raise InputError(_("unknown severity {typed!r}: choose {mild}, {moderate} or {severe}")
                         .format(typed=text, mild=severity_name("mild"),
                                 moderate=severity_name("moderate"),
                                 severe=severity_name("severe")))
    return key
