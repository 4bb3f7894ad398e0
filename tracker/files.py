"""Every file tracker creates is written one way, because each holds the child's health data
(or a secret to reach it).

- The data goes first to a temporary file with a random name in the destination folder,
  created with O_EXCL|O_NOFOLLOW and mode 0600 (tempfile.mkstemp): nobody can have created
  it in advance, put a symlink there, or read it while it is written.
- It is flushed and fsynced, then takes the final name atomically: a crash or a full disk
  never leaves half a file under the real name.
- The final name is never followed if it is a symlink (the link itself is replaced, with
  `force`), and an existing file is never replaced without `force`: without it the last
  step is a hard link, which fails if anything appeared there meanwhile.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import BinaryIO, Literal, TextIO, TypeVar, overload

from tracker.errors import InputError, StorageError
from tracker.i18n import _


def writable(path: Path, force: bool, or_else: str = "") -> Path:
    """`path` made absolute, once it is a file name that may be written (refused in words:
    one that exists, unless forced; a folder; a folder that does not exist). `or_else`: the
    caller's other way past a name that is taken (a backup has none; tracker.exports.files
    says how an export may replace a file)."""
    path = path.expanduser().absolute()
    try:
        if not force and (path.exists() or path.is_symlink()):
            if not or_else:
                raise InputError(_("{path} already exists: choose another name").format(
                    path=path))
            # TRANSLATORS: {other_way} is the caller's clause (", or add --force")
            raise InputError(_("{path} already exists: choose another name{other_way}").format(
                path=path, other_way=or_else))
        if path.is_dir():
            raise InputError(_("{path} is a folder: give a file name").format(path=path))
        if not path.parent.is_dir():
            raise InputError(_("the folder {folder} does not exist").format(folder=path.parent))
    except OSError as exc:  # a folder we may not even look into
        # TRANSLATORS: {folder} a folder; {problem} the system's own words
        raise StorageError(_("cannot write in {folder}: {problem}").format(
            folder=path.parent, problem=exc.strerror or exc)) from None
    return path


def _temporary(path: Path) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StorageError(_("cannot write in {folder}: {problem}").format(
            folder=path.parent, problem=exc.strerror or exc)) from None
    return fd, Path(name)


def _place(tmp: Path, path: Path, force: bool) -> None:
    """Give the finished temporary file its name: replace only with `force`."""
    if force:
        os.replace(tmp, path)  # a symlink at `path` is replaced, not followed
    else:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise InputError(_("{path} appeared meanwhile: nothing was overwritten").format(
                path=path)) from None
        tmp.unlink()
    try:  # the new name itself survives a power cut
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass  # some file systems refuse a directory fsync; the file itself is synced


@overload
def atomic(path: Path, *, force: bool = ..., binary: Literal[False] = ...,
           newline: str | None = ..., mode: int = ...) -> AbstractContextManager[TextIO]: ...
@overload
def atomic(path: Path, *, force: bool = ..., binary: Literal[True],
           newline: str | None = ..., mode: int = ...) -> AbstractContextManager[BinaryIO]: ...
@overload
def atomic(path: Path, *, force: bool = ..., binary: bool, newline: str | None = ...,
           mode: int = ...) -> AbstractContextManager[TextIO] | AbstractContextManager[BinaryIO]:
    ...
def atomic(
    path: Path,
    *,
    force: bool = False,
    binary: bool = False,
    newline: str | None = None,
    mode: int = 0o600,
) -> AbstractContextManager[TextIO] | AbstractContextManager[BinaryIO]:
    """A stream to `path`, written the one safe way (see the module's docstring)."""
    if binary:
        return _atomic(path, force, mode, lambda fd: os.fdopen(fd, "wb"))
    return _atomic(path, force, mode,
                   lambda fd: os.fdopen(fd, "w", encoding="utf-8", newline=newline))


Stream = TypeVar("Stream", TextIO, BinaryIO)


@contextmanager
def _atomic(path: Path, force: bool, mode: int,
            open_stream: Callable[[int], Stream]) -> Iterator[Stream]:
    path = writable(path, force)
    fd, tmp = _temporary(path)
    try:
        _private(fd, tmp, mode)
        with open_stream(fd) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _place(tmp, path, force)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, *, force: bool = False, newline: str | None = None) -> Path:
    with atomic(path, force=force, newline=newline) as fh:
        fh.write(text)
    return path.expanduser().absolute()


@contextmanager
def sqlite_destination(path: Path, *, force: bool = False) -> Iterator[Path]:
    """A private temporary file for SQLite to fill (a backup); then it takes `path`.

    SQLite opens files by name, so it gets the name of a file created the safe way; the
    journal files it may leave beside it are removed whatever happens.
    """
    path = writable(path, force)
    fd, tmp = _temporary(path)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        _place(tmp, path, force)
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)


def _private(fd: int, name: str | Path, mode: int) -> None:
    """Owner-only before a byte is written. Windows has no owner/group/other bits (a file
    in the user's profile is the user's): there only the read-only bit is set."""
    if sys.platform == "win32":
        os.chmod(name, mode)
    else:
        os.fchmod(fd, mode)


def unique(folder: Path, prefix: str, suffix: str, text: str) -> Path:
    """A new file with a name nobody else has (crash reports: two in one second keep two)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    _private(fd, name, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(name)
