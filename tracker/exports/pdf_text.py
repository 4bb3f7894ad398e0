"""Text in any script on an fpdf2 page: wrapped (never cut), newlines kept, each piece of
right-to-left text in its own direction.

fpdf2 shapes text with HarfBuzz and runs the Unicode bidirectional algorithm, but within
a left-to-right line it places a right-to-left run's numbers after the letters
("fever חום 38.5" printed as "חום38.5"). So a line is cut here into direction runs first:
a right-to-left island (from a Hebrew or Arabic letter to before the next Latin one,
numbers included, as the algorithm resolves them) is drawn as its own right-to-left
piece, where fpdf2 orders it right. A user's own text (a note, a reason) given as a
`Piece(user=True)` takes the direction of its first letter, as a paragraph of its own.

A report in a right-to-left language (Arabic) is written the other way round
(`Writer(rtl=True)`): each line starts at the right edge of its box, its runs placed
from right to left in reading order; Arabic runs are shaped by HarfBuzz as Arabic, and
every left-to-right island (a Latin name, a unit, a number with its signs: "0.80",
"2026-11-20", "95%") is drawn left to right as one piece, so that fpdf2's own ordering
never has to place a number inside an Arabic run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fpdf import FPDF

_STRONG_R = frozenset(("R", "AL"))
_OPENING, _CLOSING = "([{", ")]}"
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


LRI, PDI = "\u2066", "\u2069"  # a left-to-right isolate: "0.80 mg" kept whole in Arabic


def rtl_islands(text: str) -> list[tuple[str, str]]:
    """As _rtl_islands, with each left-to-right isolate (LRI ... PDI, as the Arabic
    catalog puts around an amount and its unit) one island of its own, and neutral to
    the text around it, as the bidirectional algorithm treats an isolate."""
    out: list[tuple[str, str]] = []
    rest = text
    while LRI in rest:
        before, _lri, after = rest.partition(LRI)
        inside, _pdi, rest = after.partition(PDI)
        out += _rtl_islands(before)
        if inside:
            out.append((inside.replace(LRI, "").replace(PDI, ""), "ltr"))
    out += _rtl_islands(rest.replace(PDI, ""))
    merged: list[tuple[str, str]] = []
    for part, direction in out:
        if merged and merged[-1][1] == direction == "rtl":
            merged[-1] = (merged[-1][0] + part, direction)
        else:
            merged.append((part, direction))
    return merged


def _rtl_islands(text: str) -> list[tuple[str, str]]:
    """A right-to-left text cut into (text, direction) runs, in reading order, as the
    Unicode bidirectional algorithm resolves a right-to-left paragraph (its weak and
    neutral rules, brackets paired): Arabic and what lies between it and anything else
    is "rtl"; Latin words, with the numbers that follow them, and numbers on their own
    ("0.80", "2026-11-22", "95%") are "ltr" islands. The runs are placed from right to
    left; each island reads left to right."""
    n = len(text)
    if not n:
        return []
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    cls = ["L" if k == "L" else "R" if k in _STRONG_R else "EN" if k in ("EN", "AN")
           else "N" for k in kinds]
    for i in range(1, n):  # W1: a combining mark is of its letter's kind
        if kinds[i] == "NSM":
            cls[i] = cls[i - 1]
    for i in range(1, n - 1):  # W4: one separator between two digits is in the number
        if kinds[i] in ("ES", "CS") and cls[i - 1] == cls[i + 1] == "EN":
            cls[i] = "EN"
    for order in (range(n), range(n - 1, -1, -1)):  # W5: "%" or "$" beside a number
        near = False
        for i in order:
            if cls[i] == "EN":
                near = True
            elif kinds[i] == "ET" and near:
                cls[i] = "EN"
            else:
                near = False
    for i in range(n - 1):  # (not the algorithm's: a sign before digits is the number's,
        # so that "-2.5" reads "-2.5", not "2.5-")
        if kinds[i] in ("ES", "ET") and cls[i + 1] == "EN" and (i == 0 or cls[i - 1] != "EN"):
            cls[i] = "EN"
    last = "R"  # W7: a number after Latin words is read with them
    for i in range(n):
        if cls[i] in ("L", "R"):
            last = cls[i]
        elif cls[i] == "EN" and last == "L":
            cls[i] = "L"
    _pair_brackets(text, cls)
    i = 0
    while i < n:  # N1, N2: neutrals between two Latin are Latin, else right to left
        if cls[i] != "N":
            i += 1
            continue
        k = i
        while k < n and cls[k] == "N":
            k += 1
        before = "L" if i > 0 and cls[i - 1] == "L" else "R"
        after = "L" if k < n and cls[k] == "L" else "R"
        for m in range(i, k):
            cls[m] = "L" if before == after == "L" else "R"
        i = k
    out: list[tuple[str, str]] = []
    for ch, kind in zip(text, cls, strict=True):
        direction = "rtl" if kind == "R" else "ltr"
        if out and out[-1][1] == direction:
            out[-1] = (out[-1][0] + ch, direction)
        else:
            out.append((ch, direction))
    return out


def _pair_brackets(text: str, cls: list[str]) -> None:
    """N0, for a right-to-left paragraph: a pair of brackets around Arabic (or a number)
    is right to left; around Latin only, it is Latin when Latin comes before it too."""
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPENING:
            stack.append(i)
        elif ch in _CLOSING and stack and _OPENING.index(text[stack[-1]]) == _CLOSING.index(ch):
            start = stack.pop()
            inside = {c if c != "EN" else "R" for c in cls[start + 1 : i]}
            if "R" in inside:
                side = "R"
            elif "L" in inside:
                before = next((c for c in reversed(cls[:start]) if c != "N"), "R")
                side = "L" if before == "L" else "R"
            else:
                continue
            cls[start] = cls[i] = side


def _hard_lines(text: Text) -> list[list[Piece]]:
    pieces = [Piece(text)] if isinstance(text, str) else list(text)
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        # a person's text loses every direction control (one left open would reverse the
        # rest of the line); tracker's own keeps the isolates its Arabic catalog puts
        # around an amount, which rtl_islands reads
        own = piece.text.translate(_MARKS) if piece.user else piece.text
        parts = own.replace("\r\n", "\n").replace("\r", "\n")
        for n, part in enumerate(parts.split("\n")):
            if n:
                lines.append([])
            lines[-1].append(Piece(part, piece.user))
    return lines


class Writer:
    """Writes paragraphs on an fpdf2 document with the fonts tracker.exports.fonts chose."""

    def __init__(self, pdf: FPDF, family: str, rtl: bool = False) -> None:
        self.pdf = pdf
        self.family = family
        self.unicode = family != "helvetica"  # else the PDF's own Latin-1 font
        self.rtl = rtl and self.unicode  # lines run right to left (an Arabic report)
        self._widths: dict[tuple[str, str, float], float] = {}

    def _segments(self, line: list[Piece]) -> list[tuple[str, str]]:
        """One hard line's pieces as (text, direction) segments."""
        out: list[tuple[str, str]] = []
        for piece in line:
            if not piece.text:
                continue
            own = first_direction(piece.text) if piece.user else None
            if self.rtl and own == "ltr":
                out.append((piece.text, "ltr"))
            elif self.rtl:  # the total of pages (fpdf2's alias) kept whole, for fpdf2 to find
                alias = self.pdf.str_alias_nb_pages or "\x00"
                for n, part in enumerate(piece.text.split(alias)):
                    out += [(alias, "ltr")] * (n > 0) + rtl_islands(part)
            elif own == "rtl":
                out.append((piece.text, "rtl"))
            else:
                out += islands(piece.text.translate(_MARKS))
        return out

    def _shaping(self, text: str, direction: str) -> None:
        """HarfBuzz only where it changes something: Latin, Greek and Cyrillic without
        combining marks look the same unshaped, at a fraction of the cost (a year's log is
        thousands of lines); Arabic in an Arabic report is shaped as Arabic."""
        pdf = self.pdf
        if direction == "rtl" and self.rtl:
            pdf.set_text_shaping(True, direction="rtl", script="arab", language="ara")
        elif direction == "rtl" or not _SIMPLE.fullmatch(text):
            pdf.set_text_shaping(True, direction=direction)
        else:
            pdf.set_text_shaping(False)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def _clean(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def width(self, text: str, direction: str | None = None) -> float:
        """The width of `text` in the current font; in a right-to-left report, as it is
        drawn in `direction` (shaped Arabic is narrower than its letters one by one)."""
        pdf = self.pdf
        if self.rtl:
            direction = direction or ("rtl" if first_direction(text) == "rtl" else "ltr")
            key = (text, f"{pdf.font_style}{direction}", pdf.font_size_pt)
        else:
            key = (text, pdf.font_style, pdf.font_size_pt)
        found = self._widths.get(key)
        if found is None:
            if self.rtl and direction:
                self._shaping(text, direction)
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
            segments = self._segments(line) or [("", "ltr")]
            for visual in self._wrap(segments, width, indent, first):
                if breaks and pdf.will_page_break(line_height):
                    pdf.add_page()
                    if on_new_page is not None:
                        on_new_page()
                if self.rtl:  # from the right edge, the indent on the right
                    self._draw_rtl(visual, x + width - (0.0 if first else indent),
                                   line_height)
                else:
                    pdf.set_xy(x + (0.0 if first else indent), pdf.y)
                    for seg_text, direction in visual:
                        self._draw(seg_text, direction, line_height)
                pdf.set_xy(x, pdf.y + line_height)
                first = False

    def line(self, text: Text, *, x: float, width: float, line_height: float,
             align: str = "start") -> None:
        """One line of `text` in a box at the current y, never wrapped: at the box's
        "start" (its left, or its right in a right-to-left report), its "end", its
        "center", or its "left" or "right" in any language; the current position is left
        where it was."""
        pdf = self.pdf
        y = pdf.y
        segments = [s for hard in _hard_lines(text) for s in self._segments(hard)]
        used = sum(self.width(t, d) for t, d in segments)
        if align == "center":
            left = x + (width - used) / 2
        elif align == "right" or (align == "end") != (self.rtl and align != "left"):
            left = x + width - used
        else:
            left = x
        if self.rtl:
            self._draw_rtl(segments, left + used, line_height)
        else:
            pdf.set_xy(left, y)
            for seg_text, direction in segments:
                self._draw(seg_text, direction, line_height)
        pdf.set_xy(x, y)

    def height(self, text: Text, *, width: float, line_height: float, indent: float = 0.0) -> float:
        """How tall `paragraph` would make `text` with the current font."""
        lines, first = 0, True
        for line in _hard_lines(text):
            lines += len(self._wrap(self._segments(line) or [("", "ltr")], width, indent,
                                    first))
            first = False
        return lines * line_height

    def _wrap(
        self, segments: list[tuple[str, str]], width: float, indent: float, first: bool
    ) -> list[list[tuple[str, str]]]:
        """Visual lines of (text, direction) segments, filled word by word."""
        if self.rtl:
            whole_width = sum(self.width(t, d) for t, d in segments)
        else:
            whole_width = self.width("".join(t for t, _ in segments))
        if whole_width <= width - (0.0 if first else indent):
            return [segments]
        words = [(w, d, i) for i, (t, d) in enumerate(segments) for w in _WORD.findall(t)]
        lines: list[list[tuple[str, str, int]]] = [[]]
        used = 0.0
        avail = width - (0.0 if first else indent)
        for group in _unbroken(words):
            if len(group) > 1:  # runs of two directions with no space between: one word
                whole = sum(self.width(w, d) for w, d, _ in group)
                if whole <= width - indent:
                    last, direction, _ = group[-1]
                    tail = self.width(last, direction) - self.width(last.rstrip(), direction)
                    if lines[-1] and used + whole - tail > avail:
                        lines.append([])
                        used = 0.0
                        avail = width - indent
                    lines[-1] += group
                    used += whole
                    continue
            for word, direction, seg in group:
                w = self.width(word, direction)
                if lines[-1] and used + self.width(word.rstrip(), direction) > avail:
                    lines.append([])
                    used = 0.0
                    avail = width - indent
                    if not word.strip():
                        continue
                while w > avail and len(word) > 1:  # longer than a line: cut where it must
                    cut = self._fit(word, avail - used, direction)
                    if cut == 0:
                        lines.append([])
                        used = 0.0
                        avail = width - indent
                        cut = max(self._fit(word, avail, direction), 1)
                    lines[-1].append((word[:cut], direction, seg))
                    lines.append([])
                    used = 0.0
                    avail = width - indent
                    word = word[cut:]
                    w = self.width(word, direction)
                lines[-1].append((word, direction, seg))
                used += w
        return [_join(line) for line in lines if line]

    def _fit(self, word: str, room: float, direction: str | None = None) -> int:
        """How many characters of `word` fit in `room`."""
        n = 0
        while n < len(word) and self.width(word[: n + 1], direction) <= room:
            n += 1
        return n

    def _draw_rtl(self, segments: list[tuple[str, str]], right: float,
                  line_height: float) -> None:
        """One visual line of a right-to-left report, its segments (in reading order)
        placed leftwards from `right`."""
        pdf = self.pdf
        y = pdf.y
        for text, direction in segments:
            body = text.strip()
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            right -= self.width(lead, direction) if lead else 0.0
            if body:
                size = self.width(body, direction)
                right -= size
                pdf.set_xy(right, y)
                self._shaping(body, direction)
                pdf.cell(size, line_height, body)
                pdf.current_font_is_set_on_page = False  # (see _draw)
            right -= self.width(trail, direction) if trail else 0.0
        pdf.set_text_shaping(False)

    def _draw(self, text: str, direction: str, line_height: float) -> None:
        pdf = self.pdf
        if not text:
            return
        if self.unicode:
            self._shaping(text, direction)
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


def _unbroken(words: list[tuple[str, str, int]]) -> list[list[tuple[str, str, int]]]:
    """Words with no space between them (a date cut into runs of two directions, a name
    and its colon) as one group, which a line never breaks."""
    groups: list[list[tuple[str, str, int]]] = []
    for word in words:
        if groups and not groups[-1][-1][0][-1:].isspace():
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


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
