"""A pseudo-language for tests: every message visibly changed, placeholders kept.

"Do not give {name} this dose" becomes "⟦Ðö ñöţ ĝîṽé {name} ţĥîš ðöšé⟧": still readable,
its length and its placeholders intact, and any English left on a screen is English that
did not pass through a catalog.
"""

from __future__ import annotations

import gettext
import re

OPEN, CLOSE = "⟦", "⟧"
_LETTERS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Left as they are: placeholders ({name}, {0:.2f}, %(name)s, %s), markup (<b>, &amp;)
# and URLs, which must reach the code and the browser unchanged.
_KEEP = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|<[^<>]*>"
                   r"|&[a-z]+;|https?://\S+|--[a-z][a-z-]*")


def transform(message: str) -> str:
    if not message or message.startswith(OPEN):
        return message
    out, last = [], 0
    for m in _KEEP.finditer(message):
        out.append(message[last:m.start()].translate(_LETTERS))
        out.append(m.group(0))
        last = m.end()
    out.append(message[last:].translate(_LETTERS))
    return OPEN + "".join(out) + CLOSE


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return transform(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return transform(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return transform(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return transform(msgid1 if n == 1 else msgid2)
