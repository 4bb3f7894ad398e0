"""Free text a parent types (names, notes, reasons): kept as typed, within sane limits.

Control characters are refused rather than stored: they can corrupt a terminal or an
export. Right-to-left and other Unicode text is welcome.
"""

from __future__ import annotations

import unicodedata

from tracker.errors import InputError
from tracker.i18n import _

NAME_MAX = 80
NOTE_MAX = 2000


def clean(
    value: str | None, what: str, limit: int = NOTE_MAX, *, multiline: bool = True
) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
            # TRANSLATORS: {what} names the text (the name, the note); {character} as code
            raise InputError(_("{what} contains a control character ({character!r}): remove it")
                             .format(what=what, character=ch))
    if len(text) > limit:
        raise InputError(_("{what} is {length} characters long: keep it under {limit}").format(
            what=what, length=len(text), limit=limit))
    return text


# Embedding, override and isolate controls: one left open in a name reverses the rest of
# every line that prints it (the amount, the time, the site). Right-to-left letters need
# none of them; the terminal and the PDF lay them out by themselves.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(value: str | None, what: str | None = None) -> str:
    """`what` names the text in the reader's language (default: "the name")."""
    what = what or _("the name")
    text = clean(value, what, NAME_MAX, multiline=False)
    if text is None:
        raise InputError(_("{what} cannot be empty").format(what=what))
    bidi = [ch for ch in text if ch in BIDI_CONTROLS]
    if bidi:
        raise InputError(
            _("{what} contains a text-direction control ({character!r}): remove it; "
              "right-to-left letters are fine").format(what=what, character=bidi[0])
        )
    return text


def isolate(value: str) -> str:
    """User text to print beside other text: in its own direction isolate (FSI ... PDI),
    so that direction controls inside it cannot reverse what follows on the line."""
    return f"\u2068{value}\u2069" if any(ch in BIDI_CONTROLS for ch in value) else value


MESSAGE_MAX = 1000


# Kept as they are: the no-break spaces French puts before ":" and "?", and the direction
# isolates an Arabic sentence puts around "0.80 mg" (an isolate cannot reverse what
# follows it, unlike the overrides and embeddings that are shown escaped).
_KEPT = frozenset("\u00a0\u202f\u2066\u2067\u2068\u2069")


def one_line(message: str) -> str:
    """An error message fit for one terminal line, whatever the user's input echoed in it.

    A newline, an escape sequence or a right-to-left override typed into an argument
    would otherwise split the line, recolour the terminal or disguise the text; they are
    shown escaped instead (\\n, \\x1b, \\u202e). Very long input is cut.
    """
    shown = "".join(
        ch if ch.isprintable() or ch in _KEPT else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )
    return shown if len(shown) <= MESSAGE_MAX else shown[: MESSAGE_MAX - 1] + "…"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """"1 dose slot", "2 dose slots": a count as a person writes it in English (for
    files and developers; a sentence shown to a person uses ngettext instead)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def ordinal(n: float) -> str:
    """1st, 2nd, 3rd, 11th, 12th, 13th, 21st, 91st, 0.4th, 99.6th: a centile's name.

    The suffix follows the last digit as it is said ("ninety-first", "point four-th"),
    but 11, 12 and 13 take "th" ("eleventh"); a whole number is written without ".0".
    """
    shown = f"{n:g}"
    if "." in shown:
        last = int(shown[-1])
        teen = False
    else:
        last, teen = int(shown) % 10, 10 <= int(shown) % 100 <= 13
    from tracker import i18n

    if i18n.language() != i18n.ENGLISH:
        from tracker.i18n import pgettext
        from tracker.i18n.formats import decimal

        # TRANSLATORS: a centile's rank written with digits (3rd, 0.4th): 3e, 3., 3.º
        return pgettext("ordinal", "{n}th").format(n=decimal(shown))
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
    return f"{shown}{suffix}"


def signed(value: float, places: int = 2) -> str:
    """A change or an SDS with its sign: "+0.41", "-3.03"; rounded first, so a change
    too small to print is "0.00", never "-0.00" (which reads as a loss that did not
    happen)."""
    rounded = round(value, places)
    if rounded == 0:
        return f"{0:.{places}f}"
    return f"{rounded:+.{places}f}"
