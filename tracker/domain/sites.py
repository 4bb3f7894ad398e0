"""Injection sites and their rotation.

The label asks for a different site at every injection to prevent fatty lumps
(lipohypertrophy). We suggest the site used least recently and warn about a repeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tracker.errors import InputError
from tracker.i18n import _

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

_SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}
_PARTS = {
    "upper-arm": "upper-arm", "arm": "upper-arm",
    "thigh": "thigh", "leg": "thigh",
    "abdomen": "abdomen", "belly": "abdomen", "tummy": "abdomen", "stomach": "abdomen",
    "buttock": "buttock", "bottom": "buttock", "bum": "buttock",
}


def normalise_site(text: str) -> str:
    """Accept a site as a tired person types it: 'Left upper arm', 'left_upper_arm',
    'thigh left', 'L thigh', 'right tummy'; the side is a word of its own, in any place.
    Refused when the side or the part is missing or unknown, naming what was missing."""
    words = text.strip().lower().replace("_", " ").replace("-", " ").split()
    sides = {_SIDES[w] for w in words if w in _SIDES}
    part = "-".join(w for w in words if w not in _SIDES)
    place = _PARTS.get(part.removesuffix("s"))  # no part's name ends in s: "arms" is "arm"
    if place is not None and not sides:
        raise InputError(_("which side, for {strip!r}? left-{place} or right-{place}").format(
                             strip=text.strip(), place=place))
    if place is None or len(sides) != 1:
        raise InputError(_("unknown site {text!r}: choose one of {join}").format(
                             text=text, join=', '.join(SITES)))
    return f"{sides.pop()}-{place}"


def suggest_site(last_used: Mapping[str, datetime]) -> str:
    """The site used least recently; a site never used comes first, in the order of SITES."""
    never = [s for s in SITES if s not in last_used]
    if never:
        return never[0]
    return min(SITES, key=lambda s: (last_used[s], SITES.index(s)))


def repeat_warning(chosen: str, last_site: str | None) -> str | None:
    if last_site is not None and chosen == last_site:
        return _("{chosen} was also the site of the last injection: rotate sites to avoid lumps "
              "under the skin").format(
                chosen=chosen)
    return None
