"""English that did not pass through a catalog, found in text shown under the pseudo-language.

Under `qps` every message comes out as ⟦Ţĥîš⟧: any run of plain English words left on a
screen, a page, a notification or a report was written without `_()`. Names a parent
typed, commands and option names, units and the program's own name are not English
sentences and are let through.
"""

from __future__ import annotations

import re

from tracker.i18n.pseudo import CLOSE, OPEN

# tokens that are the same in every language: units, the medicine, commands, codes
ALLOWED = {
    "tracker", "Increlex", "mecasermin", "mg", "mL", "ml", "kg", "cm", "mmol", "dL", "mg/dL",
    "mmol/L", "IGF-1", "IGF", "SDS", "PDF", "CSV", "JSON", "FHIR", "ICS", "UTC", "URL",
    "mcg", "µg", "OK", "ID", "WHO", "UK-WHO", "CDC", "EU", "US", "UK", "E", "coli",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def outside(text: str) -> str:
    """The text with every ⟦translated⟧ part taken out (nested ones too)."""
    out, depth = [], 0
    for ch in text:
        if ch == OPEN:
            depth += 1
            out.append(" ")
        elif ch == CLOSE and depth:
            depth -= 1
            out.append(" ")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def english_left(text: str, also: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Runs of two or more English-looking words outside the catalog's marks, or one
    capitalised word of four letters or more ("Given"); `also` are words the test knows
    are data (a child's name, a caregiver's, a path)."""
    allowed = ALLOWED | set(also)
    found = []
    for line in outside(text).splitlines():
        line = re.sub(r"(?:--|-)[a-z][\w-]*|\S+[/\\]\S+|https?://\S+|\b\w+@\w+", " ", line)
        line = re.sub(r"\btracker(?:\s+[a-z][a-z-]+)+", " ", line)  # a command as typed
        words = [w for w in _WORD.findall(line) if w not in allowed]
        if len(words) >= 2 or any(len(w) >= 4 and w[0].isupper() for w in words):
            found.append(line.strip())
    return found
