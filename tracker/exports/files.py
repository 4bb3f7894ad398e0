"""Writing export files: the one safe way (tracker.files), and never over a database.

Only the command line reaches this module (tests/test_actions.py holds it so): what it
suggests is written as the command line's own words.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from tracker.errors import InputError
from tracker.files import atomic, writable
from tracker.i18n import _

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_database(path: Path) -> None:
    """--force replaces an old export, never a database: `-o` pointed at the log (or its
    journal) by a slip of the finger would otherwise destroy it."""
    journal = path.name.endswith(("-wal", "-shm", "-journal"))
    database = False
    if path.is_file():  # not a FIFO or a device: opening those could block
        try:
            with path.open("rb") as fh:
                database = fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
        except OSError:
            pass
    if database or (journal and path.with_name(path.name.rsplit("-", 1)[0]).exists()):
        raise InputError(
            _("{path} is a database (the log or a backup?): an export never replaces one").format(
                path=path)
        )


def unused_name(path: Path) -> Path:
    """`path`, or the first of NAME-2.pdf, NAME-3.pdf... not taken: a second report the
    same day gets its own file rather than an error (a name the user chose is theirs:
    it is refused when taken, not renamed)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


@contextmanager
def binary_output(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """Like `output`, for binary files (a PDF): the same atomic, owner-only writing."""
    with output(path, force=force, binary=True) as fh:
        yield fh  # type: ignore[misc]


@contextmanager
def output(
    path: Path | None, *, force: bool = False, newline: str | None = None, binary: bool = False
) -> Iterator[TextIO]:
    """A text stream to `path` (tracker.files.atomic), or to standard output when None."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    # an export may replace a file
    # TRANSLATORS: added to "{path} already exists: choose another name"
    path = writable(path, force, _(", or add --force"))
    _refuse_database(path)
    with atomic(path, force=force, binary=binary, newline=newline) as fh:
        yield fh  # type: ignore[misc]
