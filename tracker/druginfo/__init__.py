"""tracker's own drug information: text kept as data (increlex.toml), laid out for a terminal.

The text is ours, written from the label's facts; every page carries the label it is based
on, the date of the information, and the reminder that it is not medical advice.

It is read in the language spoken when `load()` is called: each paragraph, title, summary,
the label's name and the disclaimer go through the catalog, in the same units that
tracker.i18n.extract gives the translators (each value's paragraphs, split on blank lines
and stripped; `name` and `info_date` are not text).
"""

from __future__ import annotations

import textwrap
from importlib import resources
from typing import NamedTuple

from tracker.errors import InputError
from tracker.i18n import _

WIDTH = 80


class Topic(NamedTuple):
    name: str
    title: str
    summary: str
    paragraphs: list[str]


class Content(NamedTuple):
    label: str
    info_date: str
    disclaimer: str
    topics: dict[str, Topic]


def load() -> Content:
    import tomllib

    # tomllib reads values of any type; the file is ours, its shape held by tests/test_info.py
    raw = tomllib.loads(
        resources.files("tracker.druginfo").joinpath("increlex.toml").read_text("utf-8")
    )
    meta = raw["meta"]
    topics = {
        t["name"]: Topic(
            t["name"],
            _text(t["title"]),
            _text(t["summary"]),
            _paragraphs(t["body"]),
        )
        for t in raw["topic"]
    }
    return Content(_text(meta["label"]), meta["info_date"], _text(meta["disclaimer"]), topics)


def _text(value: str) -> str:
    """A value in the reader's language, paragraph by paragraph (as the extractor splits it)."""
    return "\n\n".join(_(p.strip()) for p in value.strip().split("\n\n") if p.strip())


def _paragraphs(body: str) -> list[str]:
    """A topic's paragraphs; {{signs}} stands for the warning signs by urgency, from the
    one table the advice and the reminders read too (tracker.domain.urgency)."""
    from tracker.domain import urgency

    out: list[str] = []
    for p in (p.strip() for p in body.strip().split("\n\n")):
        if p == "{{signs}}":
            out += urgency.when_to_call()
        elif p:
            out.append(_(p))
    return out


def find(content: Content, name: str) -> Topic:
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    matches = [t for t in content.topics if t == key or t.startswith(key)]
    if len(matches) != 1:
        raise InputError(_("unknown topic {typed!r}: choose one of {topics}").format(
            typed=name, topics=", ".join(content.topics)))
    return content.topics[matches[0]]


def wrap(paragraph: str, width: int = WIDTH) -> list[str]:
    """A paragraph or a list as lines of at most `width` characters."""
    lines: list[str] = []
    for block in _blocks(paragraph):
        if block.startswith("- "):
            lines += textwrap.wrap(
                block[2:],
                width,
                initial_indent="  - ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        else:
            lines += textwrap.wrap(block, width, break_on_hyphens=False)
    return lines


def _blocks(paragraph: str) -> list[str]:
    """Split a paragraph into its lead text and list items (lines starting with '- ')."""
    blocks: list[str] = []
    for line in paragraph.splitlines():
        line = line.strip()
        if line.startswith("- ") or not blocks:
            blocks.append(line)
        else:
            blocks[-1] += " " + line
    return blocks


def render(
    content: Content, topic: Topic, extra: list[str] | None = None, width: int = WIDTH
) -> list[str]:
    lines = [topic.title.upper(), ""]
    if extra:
        for paragraph in extra:
            lines += [*wrap(paragraph, width), ""]
    for paragraph in topic.paragraphs:
        lines += [*wrap(paragraph, width), ""]
    lines += wrap(_based_on(content), width)
    lines += wrap(content.disclaimer, width)
    return lines


def _based_on(content: Content) -> str:
    """The label the information is based on, and its date (the locale's form)."""
    from datetime import date

    from tracker.i18n.formats import day

    try:
        when = day(date.fromisoformat(content.info_date))
    except ValueError:
        when = content.info_date
    # TRANSLATORS: {label} names the prescribing information; {day} a date
    return _("Based on: {label}. Information as of {day}.").format(label=content.label,
                                                                   day=when)


def index(content: Content, width: int = WIDTH) -> list[str]:
    lines = [_("Drug information about Increlex (mecasermin): tracker info TOPIC"), ""]
    for t in content.topics.values():
        lines += textwrap.wrap(f"{t.name:<13} {t.summary}", width, subsequent_indent=" " * 14)
    lines += [""]
    lines += wrap(_based_on(content), width)
    lines += wrap(content.disclaimer, width)
    return lines
