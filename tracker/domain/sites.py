"""Injection sites and their rotation.

The label asks for a different site at every injection to prevent fatty lumps
(lipohypertrophy). We suggest the site used least recently and warn about a repeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tracker.errors import InputError

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

_ALIASES = {
    "left-arm": "left-upper-arm",
    "right-arm": "right-upper-arm",
    "left-belly": "left-abdomen",
    "right-belly": "right-abdomen",
    "left-tummy": "left-abdomen",
    "right-tummy": "right-abdomen",
    "left-bottom": "left-buttock",
    "right-bottom": "right-buttock",
    "left-leg": "left-thigh",
    "right-leg": "right-thigh",
}


def normalise_site(text: str) -> str:
    """Accept 'Left upper arm', 'left_upper_arm' or 'left-arm'; refuse anything else."""
    key = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    key = _ALIASES.get(key, key)
    if key not in SITES:
        raise InputError(f"unknown site {text!r}: choose one of {', '.join(SITES)}")
    return key


def suggest_site(last_used: Mapping[str, datetime]) -> str:
    """The site used least recently; a site never used comes first, in the order of SITES."""
    never = [s for s in SITES if s not in last_used]
    if never:
        return never[0]
    return min(SITES, key=lambda s: (last_used[s], SITES.index(s)))


def repeat_warning(chosen: str, last_site: str | None) -> str | None:
    if last_site is not None and chosen == last_site:
        return (
            f"{chosen} was also the site of the last injection: rotate sites to avoid "
            "lumps under the skin"
        )
    return None
