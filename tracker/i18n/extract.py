"""Babel's extractor for the drug information (tracker/druginfo/*.toml): every text a
person reads in it (a title, a paragraph, a list item) is one message, so translators
work on it in the same catalog as the rest (babel.cfg names this function)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

# Keys whose values are identifiers or sources, not sentences.
NOT_TEXT = frozenset({"key", "id", "name", "info_date", "source", "sources", "ref", "url",
                      "slug", "aliases"})


def texts(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if key in NOT_TEXT:
            return
        for paragraph in value.strip().split("\n\n"):  # as tracker.druginfo reads them
            if paragraph.strip() and not paragraph.strip().startswith("{{"):
                yield paragraph.strip()
    elif isinstance(value, list):
        for item in value:
            yield from texts(item, key)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts(v, k)


def extract_toml(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                 options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for text in texts(data):
        yield 0, "_", text, []
