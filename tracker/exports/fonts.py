"""The report's fonts: this computer's own, chosen per script, embedded (subset) in the PDF.

Why the system's fonts and not fonts shipped in the wheel: covering Chinese, Japanese and
Korean alone takes over 20 MB, and every desktop already has fonts for the scripts its
people write. The Noto family (SIL Open Font License), made to cover every script in one
style, is looked for first: Debian and Ubuntu (fonts-noto-core, fonts-noto-cjk,
fonts-noto-color-emoji), Fedora and ChromeOS ship it. DejaVu Sans, then the fonts macOS
and Windows come with, are the fallback. A name whose script no font here covers is said
on the terminal (see `missing`), never silently printed as boxes.

Fonts are found with fontconfig (`fc-list`) where it exists, else in the usual folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tracker.i18n import _, pgettext

if TYPE_CHECKING:
    from fpdf import FPDF


class FontFile(NamedTuple):
    path: str
    number: int = 0  # the font's number within a .ttc collection


# What to look for, best first: fontconfig family names, then files in the usual folders.
BODY = ("Noto Sans", "DejaVu Sans", "Arial", "Liberation Sans", "Segoe UI")
_BODY_FILES = {
    "regular": (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
        "C:/Windows/Fonts/segoeui.ttf",
    ),
    "bold": (
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
        "C:/Windows/Fonts/segoeuib.ttf",
    ),
}
# Tried in order for the characters the body font lacks; only those that add some are used.
FALLBACKS = (
    (
        "Hebrew",
        ("Noto Sans Hebrew", "DejaVu Sans", "Arial"),
        ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", "C:/Windows/Fonts/arial.ttf"),
    ),
    (
        "Arabic",
        ("Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", "Arial"),
        ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", "C:/Windows/Fonts/arial.ttf"),
    ),
    # Chinese, Japanese and Korean: the variant whose glyph forms fit the text comes first
    (
        "CJK",
        (
            "Noto Sans CJK SC",
            "Noto Sans CJK TC",
            "Noto Sans CJK JP",
            "Noto Sans CJK KR",
            "WenQuanYi Zen Hei",
            "Droid Sans Fallback",
        ),
        (
            "/System/Library/Fonts/PingFang.ttc",
            "/System/Library/Fonts/STHeiti Light.ttc",
            "C:/Windows/Fonts/msyh.ttc",
            "C:/Windows/Fonts/YuGothM.ttc",
            "C:/Windows/Fonts/malgun.ttf",
        ),
    ),
    (
        "other scripts",
        (
            "Noto Sans Devanagari",
            "Noto Sans Thai",
            "Noto Sans Armenian",
            "Noto Sans Georgian",
            "Noto Sans Ethiopic",
            "Noto Sans Bengali",
            "Noto Sans Tamil",
        ),
        ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf",),
    ),
    ("emoji", ("Noto Color Emoji", "Twemoji", "Noto Emoji"), ("C:/Windows/Fonts/seguiemj.ttf",)),
    (
        "symbols",
        ("Noto Sans Symbols", "Noto Sans Symbols2", "DejaVu Sans", "Noto Sans Math"),
        ("C:/Windows/Fonts/seguisym.ttf",),
    ),
)
# The scripts each step is for (steps not named here take whatever is left).
_STEP_SCRIPTS = {
    "Hebrew": ("Hebrew",),
    "Arabic": ("Arabic",),
    "CJK": ("Chinese", "Japanese", "Korean"),
    "emoji": ("emoji",),
}
_REGULAR_STYLES = ("Regular", "Book", "Normal", "Roman", "Medium")


class FontPlan(NamedTuple):
    regular: FontFile | None  # None: no Unicode font at all (Helvetica, Latin-1 only)
    bold: FontFile | None
    fallbacks: list[tuple[str, FontFile]]  # (script, font) for characters body lacks
    missing: list[str]  # scripts used in the text that no font here covers


@cache
def _fontconfig() -> dict[tuple[str, str], FontFile]:
    """(family, style) -> file of every font fontconfig knows; empty without fontconfig."""
    fc = shutil.which("fc-list")
    if fc is None:
        return {}
    try:
        out = subprocess.run(
            [fc, "--format", "%{family}\t%{style}\t%{file}\t%{index}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[tuple[str, str], FontFile] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[2].lower().endswith((".ttf", ".otf", ".ttc")):
            continue
        families, styles, path, index = parts
        for family in families.split(","):
            for style in styles.split(","):
                key = (family.strip(), style.strip())
                if key not in found:
                    found[key] = FontFile(path, int(index) if index.isdigit() else 0)
    return found


def _by_family(family: str, bold: bool = False) -> FontFile | None:
    fonts = _fontconfig()
    for style in ("Bold",) if bold else _REGULAR_STYLES:
        if (family, style) in fonts:
            return fonts[family, style]
    return None


def _first_file(paths: Iterable[str]) -> FontFile | None:
    for path in paths:
        if os.path.isfile(path):
            return FontFile(path)
    return None


def _dejavu_file(bold: bool) -> FontFile | None:
    """DejaVu Sans where fontconfig is missing but the file is there (some containers)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return _first_file(
        [f"/usr/share/fonts/truetype/dejavu/{name}", f"/usr/share/fonts/dejavu/{name}"]
    )


def _body() -> tuple[FontFile | None, FontFile | None]:
    for family in BODY:
        regular = _by_family(family)
        if regular is not None:
            return regular, _by_family(family, bold=True)
    regular = _first_file(_BODY_FILES["regular"]) or _dejavu_file(False)
    bold = _first_file(_BODY_FILES["bold"]) or _dejavu_file(True)
    return regular, bold if regular else None


@cache
def _cmap(font: FontFile) -> frozenset[int]:
    """The characters a font has glyphs for (read lazily: only the cmap table)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(font.path, fontNumber=font.number, lazy=True) as tt:
            return frozenset(tt.getBestCmap() or {})
    except Exception:  # an unreadable font is no font: another one is tried
        return frozenset()


def _needs_glyph(ch: str) -> bool:
    """Characters that are drawn (not controls, marks of direction, spaces or joiners)."""
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn") or (
        unicodedata.category(ch) == "Mn" and ch not in "\ufe0e\ufe0f"
    )


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for word, script in (
        ("HEBREW", "Hebrew"),
        ("ARABIC", "Arabic"),
        ("CJK", "Chinese"),
        ("HIRAGANA", "Japanese"),
        ("KATAKANA", "Japanese"),
        ("HANGUL", "Korean"),
    ):
        if word in name:
            return script
    if 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF:  # CJK punctuation
        return "Chinese"
    if 0x1F000 <= ord(ch) <= 0x1FAFF:
        return "emoji"
    return "other scripts"


def choose(texts: Iterable[str]) -> FontPlan:
    """The fonts that print these texts: the body font, and a fallback per script it lacks."""
    regular, bold = _body()
    chars = {ch for text in texts for ch in text if _needs_glyph(ch)}
    if regular is None:
        beyond = sorted({_script_of(ch) for ch in chars if ord(ch) > 0xFF})
        return FontPlan(None, None, [], beyond)
    scripts = {_script_of(ch) for ch in chars if ord(ch) > 0x2E7F}
    cjk_first = (
        "Noto Sans CJK JP"
        if "Japanese" in scripts
        else "Noto Sans CJK KR"
        if "Korean" in scripts and "Chinese" not in scripts
        else "Noto Sans CJK SC"
    )
    todo = {ord(ch) for ch in chars} - _cmap(regular)
    fallbacks: list[tuple[str, FontFile]] = []
    used: set[FontFile] = {regular}
    for script, families, files in FALLBACKS:
        if not todo:
            break
        if script == "CJK":
            families = (cjk_first, *families)
        candidates = [f for f in (_by_family(name) for name in families) if f is not None]
        found = _first_file(files)
        if found is not None:
            candidates.append(found)
        wanted = _STEP_SCRIPTS.get(script)
        mine = todo if wanted is None else {c for c in todo if _script_of(chr(c)) in wanted}
        if not mine:
            continue
        for font in candidates:
            covered = mine & _cmap(font)
            if not covered:
                continue
            if font not in used:  # one already added draws these anyway
                fallbacks.append((script, font))
                used.add(font)
            mine = mine - covered
            todo -= covered
    for _script, font in fallbacks:  # punctuation of one script may sit in another's font
        todo -= _cmap(font)
    missing = sorted({_script_of(chr(c)) for c in todo})
    return FontPlan(regular, bold, fallbacks, missing)


def install(pdf: FPDF, plan: FontPlan) -> str:
    """Add the plan's fonts to an fpdf2 document; the family name to write with."""
    if plan.regular is None:
        return "helvetica"
    pdf.add_font("body", "", plan.regular.path, collection_font_number=plan.regular.number)
    bold = plan.bold or plan.regular
    pdf.add_font("body", "B", bold.path, collection_font_number=bold.number)
    names = []
    for i, (_script, font) in enumerate(plan.fallbacks):
        name = f"fallback{i}"
        pdf.add_font(name, "", font.path, collection_font_number=font.number)
        names.append(name)
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)
    pdf.set_text_shaping(True)
    return "body"


def install_hint() -> str:
    """Where the fonts for every script come from on this kind of computer."""
    platform: str = sys.platform  # a variable: mypy would judge the other branch dead
    if platform.startswith("linux"):
        return _("install the Noto fonts (Debian/Ubuntu: {command})").format(
            command="sudo apt install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji")
    return _("install the Noto fonts from {url}").format(url="https://fonts.google.com/noto")


def script_name(script: str) -> str:
    """A script `choose` names (FontPlan.missing), in the reader's language."""
    names = {
        "Hebrew": pgettext("script", "Hebrew"),
        "Arabic": pgettext("script", "Arabic"),
        "Chinese": pgettext("script", "Chinese"),
        "Japanese": pgettext("script", "Japanese"),
        "Korean": pgettext("script", "Korean"),
        "emoji": pgettext("script", "emoji"),
        "other scripts": pgettext("script", "other scripts"),
    }
    return names.get(script, script)


def describe(plan: FontPlan) -> list[str]:
    """The fonts used, for `tracker doctor`-style reporting and tests."""
    out = []
    if plan.regular is not None:
        out.append(f"body: {Path(plan.regular.path).name}")
    out += [f"{script}: {Path(f.path).name}" for script, f in plan.fallbacks]
    return out
