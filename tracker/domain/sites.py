"""Injection sites and their rotation.

The label asks for a different site at every injection to prevent fatty lumps
(lipohypertrophy). We suggest the site used least recently and warn about a repeat.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache

from tracker import i18n
from tracker.errors import InputError
from tracker.i18n import N_, _

SITES: tuple[str, ...] = (
    "left-upper-arm",
    "right-upper-arm",
    "left-thigh",
    "right-thigh",
    "left-abdomen",
    "right-abdomen",
    "left-buttock",
    "right-buttock",
)

# The sites' names as a person reads them (site_name). English shows the key itself,
# which is also what every language's command line accepts.
SITE_NAMES: dict[str, str] = {
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "left-upper-arm": N_("left upper arm"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "right-upper-arm": N_("right upper arm"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "left-thigh": N_("left thigh"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "right-thigh": N_("right thigh"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "left-abdomen": N_("left abdomen"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "right-abdomen": N_("right abdomen"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "left-buttock": N_("left buttock"),
    # TRANSLATORS: an injection site, shown in lists and accepted when typed back
    "right-buttock": N_("right buttock"),
}
# The languages whose names are read back by normalise_site / normalise_kind.
SHIPPED: tuple[str, ...] = ("en", "fr", "es", "de", "ar")

_SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}
_PARTS = {
    "upper-arm": "upper-arm", "arm": "upper-arm",
    "thigh": "thigh", "leg": "thigh",
    "abdomen": "abdomen", "belly": "abdomen", "tummy": "abdomen", "stomach": "abdomen",
    "buttock": "buttock", "bottom": "buttock", "bum": "buttock",
}


def fold(text: str) -> str:
    """A name as typed, compared without case, accents, punctuation or extra spaces:
    "Cuisse  GAUCHE" and "cuisse-gauche" and "cuissé gauche" are one name."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain.casefold()).split())


def translated_names(names: Mapping[str, str], lang: str) -> dict[str, str]:
    """The folded name in `lang` of each key of a table of N_ names -> the key."""
    with i18n.speaking(lang):
        return {fold(_(name)): key for key, name in names.items()}


@cache
def _sites_in(lang: str) -> dict[str, str]:
    return translated_names(SITE_NAMES, lang)


def in_any_language(text: str, table: Callable[[str], dict[str, str]]) -> str | None:
    """The key whose name, in any shipped language or the one spoken, is `text`."""
    folded = fold(text)
    if not folded:
        return None
    for lang in dict.fromkeys((*SHIPPED, i18n.language())):
        found = table(lang).get(folded)
        if found is not None:
            return found
    return None


def site_name(key: str) -> str:
    """A site as the reader's language names it ("left-thigh"; "cuisse gauche" in French).
    An unknown key, or a name not yet translated, shows the key (which is always accepted)."""
    return i18n.key_name(key, SITE_NAMES)


def normalise_site(text: str) -> str:
    """Accept a site as a tired person types it: 'Left upper arm', 'left_upper_arm',
    'thigh left', 'L thigh', 'right tummy'; the side is a word of its own, in any place.
    A site's name in any language tracker speaks is accepted too ("cuisse gauche"); the
    other languages' catalogs are read only for what English does not name.
    Refused when the side or the part is missing or unknown, naming what was missing."""
    words = text.strip().lower().replace("_", " ").replace("-", " ").split()
    sides = {_SIDES[w] for w in words if w in _SIDES}
    part = "-".join(w for w in words if w not in _SIDES)
    place = _PARTS.get(part.removesuffix("s"))  # no part's name ends in s: "arms" is "arm"
    if place is not None and len(sides) == 1:
        return f"{sides.pop()}-{place}"
    named = in_any_language(text, _sites_in)
    if named is not None:
        return named
    if place is not None and not sides:
        # TRANSLATORS: {typed} is what the person typed; {left} and {right} are the sites
        raise InputError(_("which side, for {typed!r}? {left} or {right}").format(
            typed=text.strip(), left=site_name(f"left-{place}"),
            right=site_name(f"right-{place}")))
    raise InputError(_("unknown site {typed!r}: choose one of {sites}").format(
        typed=text, sites=", ".join(site_name(s) for s in SITES)))


def suggest_site(last_used: Mapping[str, datetime]) -> str:
    """The site used least recently; a site never used comes first, in the order of SITES."""
    never = [s for s in SITES if s not in last_used]
    if never:
        return never[0]
    return min(SITES, key=lambda s: (last_used[s], SITES.index(s)))


def repeat_warning(chosen: str, last_site: str | None) -> str | None:
    if last_site is not None and chosen == last_site:
        return _("{site} was also the site of the last injection: rotate sites to avoid lumps "
                 "under the skin").format(site=site_name(chosen))
    return None
