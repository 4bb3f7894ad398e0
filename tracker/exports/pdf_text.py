"""Text in any script on an fpdf2 page: wrapped (never cut), newlines kept, each piece of
right-to-left text in its own direction.

fpdf2 shapes text with HarfBuzz and runs the Unicode bidirectional algorithm, but within
a left-to-right line it places a right-to-left run's numbers after the letters
("fever חום 38.5" printed as "חום38.5"). So a line is cut here into direction runs first:
a right-to-left island (from a Hebrew or Arabic letter to before the next Latin one,
numbers included, as the algorithm resolves them) is drawn as its own right-to-left
piece, where fpdf2 orders it right. A user's own text (a note, a reason) given as a
`Piece(user=True)` takes the direction of its first letter, as a paragraph of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fpdf import FPDF

_STRONG_R = frozenset(("R", "AL"))
_KEEPS_RTL = frozenset(("R", "AL", "EN", "AN"))  # what ends a right-to-left island
_WORD = re.compile(r"\S+\s*|\s+")
_SIMPLE = re.compile(r"[\u0000-\u02ff\u0370-\u058f\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]*")
_MARKS = str.maketrans("", "", "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e")


class Piece(NamedTuple):
    text: str
    user: bool = False  # typed by a person: takes its own direction


Text = str | Iterable[Piece]


def first_direction(text: str) -> str:
    """ "rtl" when the first letter with a direction is Hebrew, Arabic...; else "ltr"."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in _STRONG_R:
            return "rtl"
    return "ltr"


def islands(text: str) -> list[tuple[str, str]]:
    """A left-to-right text cut into (text, direction) runs, in reading order."""
    out: list[tuple[str, str]] = []
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    i, n = 0, len(text)
    while i < n:
        j = next((k for k in range(i, n) if kinds[k] in _STRONG_R), n)
        if j > i:
            out.append((text[i:j], "ltr"))
        if j == n:
            break
        k = next((m for m in range(j + 1, n) if kinds[m] == "L"), n)
        end = k
        while end > j and kinds[end - 1] not in _KEEPS_RTL:
            end -= 1  # spaces and punctuation before the next Latin word go with it
        out.append((text[j:end], "rtl"))
        i = end
    return out


def _segments(line: list[Piece]) -> list[tuple[str, str]]:
    """One hard line's pieces as (text, direction) segments."""
    out: list[tuple[str, str]] = []
    for piece in line:
        if not piece.text:
            continue
        if piece.user and first_direction(piece.text) == "rtl":
            out.append((piece.text, "rtl"))
        else:
            out += islands(piece.text)
    return out


def _hard_lines(text: Text) -> list[list[Piece]]:
    pieces = [Piece(text)] if isinstance(text, str) else list(text)
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.translate(_MARKS).replace("\r\n", "\n").replace("\r", "\n")
        for n, part in enumerate(parts.split("\n")):
            if n:
                lines.append([])
            lines[-1].append(Piece(part, piece.user))
    return lines


class Writer:
    """Writes paragraphs on an fpdf2 document with the fonts tracker.exports.fonts chose."""

    def __init__(self, pdf: FPDF, family: str) -> None:
        self.pdf = pdf
        self.family = family
        self.unicode = family != "helvetica"  # else the PDF's own Latin-1 font
        self._widths: dict[tuple[str, str, float], float] = {}

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def _clean(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def width(self, text: str) -> float:
        pdf = self.pdf
        key = (text, pdf.font_style, pdf.font_size_pt)
        found = self._widths.get(key)
        if found is None:
            found = float(pdf.get_string_width(self._clean(text)))
            if len(self._widths) < 50_000:
                self._widths[key] = found
        return found

    def paragraph(
        self,
        text: Text,
        *,
        x: float,
        width: float,
        line_height: float,
        indent: float = 0.0,
        on_new_page: Callable[[], object] | None = None,
        breaks: bool = True,
    ) -> None:
        """`text` from the current y, wrapped to `width`; later lines indented by `indent`.
        A line that would cross the bottom margin goes to a new page, unless `breaks` is
        False (a footer, which lives below that margin)."""
        pdf = self.pdf
        first = True
        for line in _hard_lines(text):
            segments = _segments(line) or [("", "ltr")]
            for visual in self._wrap(segments, width, indent, first):
                if breaks and pdf.will_page_break(line_height):
                    pdf.add_page()
                    if on_new_page is not None:
                        on_new_page()
                pdf.set_xy(x + (0.0 if first else indent), pdf.y)
                for seg_text, direction in visual:
                    self._draw(seg_text, direction, line_height)
                pdf.set_xy(x, pdf.y + line_height)
                first = False

    def height(self, text: Text, *, width: float, line_height: float, indent: float = 0.0) -> float:
        """How tall `paragraph` would make `text` with the current font."""
        lines, first = 0, True
        for line in _hard_lines(text):
            lines += len(self._wrap(_segments(line) or [("", "ltr")], width, indent, first))
            first = False
        return lines * line_height

    def _wrap(
        self, segments: list[tuple[str, str]], width: float, indent: float, first: bool
    ) -> list[list[tuple[str, str]]]:
        """Visual lines of (text, direction) segments, filled word by word."""
        whole = "".join(t for t, _ in segments)
        if self.width(whole) <= width - (0.0 if first else indent):
            return [segments]
        words = [(w, d, i) for i, (t, d) in enumerate(segments) for w in _WORD.findall(t)]
        lines: list[list[tuple[str, str, int]]] = [[]]
        used = 0.0
        avail = width - (0.0 if first else indent)
        for word, direction, seg in words:
            w = self.width(word)
            if lines[-1] and used + self.width(word.rstrip()) > avail:
                lines.append([])
                used = 0.0
                avail = width - indent
                if not word.strip():
                    continue
            while w > avail and len(word) > 1:  # longer than a line: cut where it must
                cut = self._fit(word, avail - used)
                if cut == 0:
                    lines.append([])
                    used = 0.0
                    avail = width - indent
                    cut = max(self._fit(word, avail), 1)
                lines[-1].append((word[:cut], direction, seg))
                lines.append([])
                used = 0.0
                avail = width - indent
                word = word[cut:]
                w = self.width(word)
            lines[-1].append((word, direction, seg))
            used += w
        return [_join(line) for line in lines if line]

    def _fit(self, word: str, room: float) -> int:
        """How many characters of `word` fit in `room`."""
        n = 0
        while n < len(word) and self.width(word[: n + 1]) <= room:
            n += 1
        return n

    def _draw(self, text: str, direction: str, line_height: float) -> None:
        pdf = self.pdf
        if not text:
            return
        if self.unicode:
            # HarfBuzz only where it changes something: Latin, Greek and Cyrillic without
            # combining marks look the same unshaped, at a fraction of the cost (a year's
            # log is thousands of lines).
            if direction == "rtl" or not _SIMPLE.fullmatch(text):
                pdf.set_text_shaping(True, direction=direction)
            else:
                pdf.set_text_shaping(False)
        lead = text[: len(text) - len(text.lstrip())]
        body = text.strip()
        trail = text[len(text.rstrip()) :]
        if lead:
            pdf.set_x(pdf.x + self.width(lead))
        if body:
            pdf.cell(self.width(body), line_height, self._clean(body))
            if self.unicode and not body.isascii():
                # fpdf2 2.8: after a cell that opens in a fallback font, the next cell on
                # the page is drawn at the size of an older font (overlapping letters)
                # unless the font is set again; say it is not set.
                pdf.current_font_is_set_on_page = False
        if trail:
            pdf.set_x(pdf.x + self.width(trail))
        if self.unicode and direction == "rtl":  # what others draw next is left to right
            pdf.set_text_shaping(False)


def _join(words: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """Adjacent words of one segment as one piece of text (the line's last one trimmed)."""
    out: list[tuple[str, str, int]] = []
    for word, direction, seg in words:
        if out and out[-1][2] == seg:
            out[-1] = (out[-1][0] + word, direction, seg)
        else:
            out.append((word, direction, seg))
    if out:
        last = out[-1]
        out[-1] = (last[0].rstrip(), last[1], last[2])
    return [(t, d) for t, d, _ in out]
