"""Writing export files: owner-only, atomic, and never over an existing file by surprise.

The data goes to a temporary file beside the target (mode 0600), is flushed to disk, and
only then takes the target's name, so a crash or a full disk never leaves half an export.
Without `force`, the final step is a hard link, which fails if the target appeared in the
meantime: no check-then-write race.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from tracker.errors import InputError, StorageError

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
            f"{path} is a database (the log or a backup?): an export never replaces one"
        )


@contextmanager
def binary_output(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """Like `output`, for binary files (a PDF): the same atomic, owner-only writing."""
    with output(path, force=force, binary=True) as fh:
        yield fh  # type: ignore[misc]


@contextmanager
def output(
    path: Path | None, *, force: bool = False, newline: str | None = None, binary: bool = False
) -> Iterator[TextIO]:
    """A text stream to `path` (atomic, 0600), or to standard output when path is None."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = path.expanduser().absolute()
    if path.exists() and not force:
        raise InputError(f"{path} already exists: choose another name, or add --force")
    _refuse_database(path)
    if not path.parent.is_dir():
        raise InputError(f"the folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StorageError(f"cannot write in {path.parent}: {exc.strerror or exc}") from None
    tmp_path = Path(tmp)
    try:
        os.fchmod(fd, 0o600)
        stream = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        )
        with stream as fh:
            yield fh  # type: ignore[misc]
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp_path, path)
        else:
            try:
                os.link(tmp_path, path)
            except FileExistsError:
                raise InputError(f"{path} appeared meanwhile: nothing was overwritten") from None
            tmp_path.unlink()
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
