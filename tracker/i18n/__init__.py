"""The reader's language: gettext catalogs, chosen per process, per page and per person.

Every sentence a person reads is written once in English, in the code, marked where it is
written: `_()` for a sentence, `ngettext()` where a number changes the words, `pgettext()`
where one English word means two things ("Given" the button, "given" the status), and
`N_()` for a sentence written at import time (a table, a constant) that is translated
where it is shown. Catalogs live beside this module (`locale/<lang>/LC_MESSAGES/tracker.po`,
compiled to `.mo` when the wheel is built) and are read with the standard library's
gettext, only when a language other than English is spoken: English, the language the
messages are written in, costs nothing at start-up.

Which language: a front says who it speaks to (`speaking(lang)` around a page, a
reminder, a contact's message or a report); anything else follows the process's choice
(`use()`), which the command line makes from the caregiver's setting, else LANGUAGE,
LC_ALL, LC_MESSAGES and LANG, as gettext does, without needing a system locale installed.

`qps` is a pseudo-language (the code Windows uses for one): every message comes out
visibly changed, so a test can find any English that did not pass through a catalog.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # English, the everyday case, never reads a catalog
    import gettext as _gettext

ENGLISH = "en"
PSEUDO = "qps"
# The languages tracker speaks, each in its own words (what a language menu shows).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "ar": "العربية",
}
RTL = frozenset({"ar"})
DOMAIN = "tracker"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_process: list[str | None] = [None]  # the process's choice, made once (use())
_current: ContextVar[str | None] = ContextVar("tracker_language", default=None)
_catalogs: dict[str, _gettext.NullTranslations] = {}


def pick(tag: str | None) -> str | None:
    """A language tracker speaks for a tag as people and systems write it, else None.

    "fr_FR.UTF-8", "fr-CA", "FR" and "fr" are French; "C" and "POSIX" are no choice;
    "pt_BR" is a language tracker does not speak yet.
    """
    if not tag:
        return None
    code = tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code == PSEUDO:
        return PSEUDO
    return code if code in LANGUAGES else None


def named(text: str) -> str | None:
    """A language chosen by its own name ("Français", "deutsch", "العربية")."""
    folded = text.strip().casefold()
    return next((code for code, name in LANGUAGES.items() if name.casefold() == folded), None)


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The terminal's language, read as gettext reads it: LANGUAGE (a list: "de:fr"),
    then LC_ALL, LC_MESSAGES and LANG; the first variable set decides, English if it
    names no language tracker speaks."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if not value:
            continue
        for tag in value.split(":"):
            found = pick(tag)
            if found:
                return found
        if name != "LANGUAGE":  # LC_ALL=C means C, whatever LANG says
            return ENGLISH
    return ENGLISH


def use(lang: str | None) -> None:
    """The process's language, for everything said outside a `speaking()` block."""
    _process[0] = pick(lang) or ENGLISH


def language() -> str:
    """The language being spoken now."""
    lang = _current.get()
    if lang:
        return lang
    chosen = _process[0]
    if chosen is None:
        chosen = _process[0] = from_environment()
    return chosen


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Say what is said inside in `lang` (None: the process's language)."""
    chosen = pick(lang) or language()
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def direction(lang: str | None = None) -> str:
    """"rtl" or "ltr": how the language's lines run (the page's dir, the PDF's layout)."""
    return "rtl" if (lang or language()) in RTL else "ltr"


def catalog(lang: str) -> _gettext.NullTranslations:
    """The language's catalog, read once per process and only when first needed."""
    found = _catalogs.get(lang)
    if found is None:
        found = _catalogs[lang] = _load(lang)
    return found


def _load(lang: str) -> _gettext.NullTranslations:
    import gettext as _gettext

    if lang == PSEUDO:
        from tracker.i18n.pseudo import PseudoTranslations

        return PseudoTranslations()
    if lang == ENGLISH:
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists():  # built with the package (hatch_build.py); a test keeps it the .po's
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po.exists():  # a source checkout that was never built: compile in memory
        from tracker.i18n.compile import translations_from_po

        return translations_from_po(po)
    return _gettext.NullTranslations()


def _(message: str) -> str:
    """The sentence in the reader's language."""
    lang = language()
    if lang == ENGLISH:
        return message
    return catalog(lang).gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The sentence whose words depend on a count, in the reader's language and its
    plural rules (Arabic has six forms)."""
    lang = language()
    if lang == ENGLISH:
        return singular if n == 1 else plural
    return catalog(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A word whose meaning the context decides ("button" Given, "status" given)."""
    lang = language()
    if lang == ENGLISH:
        return message
    return catalog(lang).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    lang = language()
    if lang == ENGLISH:
        return singular if n == 1 else plural
    return catalog(lang).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks a sentence written at import time for the catalog; `_()` where it is shown."""
    return message


def key_name(key: str, names: Mapping[str, str]) -> str:
    """A key's name in the reader's language (a site, a kind of side effect); the key
    itself where it has no name or its name is not translated yet: a key is what the
    command line always accepts, and English shows keys."""
    english = names.get(key)
    if english is None:
        return key
    name = _(english)
    return key if name == english else name


def available() -> list[str]:
    """The languages tracker speaks, English first."""
    return list(LANGUAGES)
