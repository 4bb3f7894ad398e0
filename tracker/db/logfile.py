"""The log a process holds is the log at its path, or it says why not.

A sync tool, a parent putting a backup copy in place (`mv copy.db tracker.db`) or a
restore by another program replaces the file under a process that keeps running (the
household page, the reminder service). SQLite keeps reading and writing the file it
opened, now deleted or moved: a dose given on the computer is not seen, a second one is
let through, and "Recorded" is said of an entry in no file. Worse, the old file's
`-wal` and `-shm` keep their names: the next process to open the new file reads the old
file's pages out of that WAL as if they were its own (tried here: a copy moved over a
log with a live connection came back with rows it never had).

So every transaction passes one gate, `LogFile.entered`, which compares the file at the
path with the one the process has been using (device and inode):
- the same: go on;
- another one: wait until no transaction of this process is in flight on the old file,
  close every connection to it (SQLite releases its locks on the shared `-shm` per
  process: an old connection closed after a new one opened would drop the new one's
  locks), check the new file as every command checks the log it opens (its place, that
  it is a tracker log holding nothing tracker did not make, its schema: the check is
  tracker.db.migrate.check_replacement, handed in by whoever opens the log), then use it;
- none: refuse, naming the log, and never create an empty one in its place.
A write checks again just before COMMIT: a file replaced while it was being written
rolls it back ("nothing was recorded") instead of committing into a deleted file.

The old WAL meeting a new file is prevented by the writes themselves: every write empties
the WAL once committed (tracker.db.session.empty_wal), so at rest it holds nothing, even
while the page and the reminder service keep their connections open. What remains: a
file replaced during the few milliseconds another process is committing; no file-level
check can close that, as the mover takes no lock.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.actions import Do, act, fill
from tracker.errors import StorageError
from tracker.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Identity = tuple[int, int]


class LogGone(StorageError):
    """The log's file was deleted or moved away, and nothing took its place."""

    def __init__(self, path: Path) -> None:
        super().__init__(fill(_("the log {path} is gone (deleted or moved): put it back "
                                "({command})"), path=path, command=act(Do.RESTORE)))
        self.path = path


class LogReplaced(StorageError):
    """The log's file was replaced while a write was in flight: it was rolled back."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("the log {path} was replaced by another file while this was being "
                           "recorded: nothing was recorded; do it again").format(path=path))
        self.path = path


def identity(path: Path) -> Identity | None:
    """(device, inode) of the file at `path`, None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def _say(line: str) -> None:
    print(f"tracker: {line}", file=sys.stderr, flush=True)


class LogFile:
    """The gate every transaction on one SQLite log passes (see the module's docstring)."""

    def __init__(self, path: Path, said: Callable[[str], None] | None = None,
                 check: Callable[[Path], None] | None = None) -> None:
        self.path = path
        self.identity = identity(path)
        self.said = said or _say
        self.check = check  # how a new file at the path is checked before it is used
        self._changed = threading.Condition()
        self._active = 0  # transactions in flight on the file in use
        self._switching = False
        self._mine = threading.local()  # a transaction inside another one, same thread

    @contextmanager
    def entered(self, engine: Engine) -> Iterator[None]:
        depth = getattr(self._mine, "depth", 0)
        if depth == 0:
            self._enter(engine)
        self._mine.depth = depth + 1
        try:
            yield
        finally:
            self._mine.depth = depth
            if depth == 0:
                with self._changed:
                    self._active -= 1
                    if self._active == 0:
                        self._changed.notify_all()

    def _enter(self, engine: Engine) -> None:
        while True:
            with self._changed:
                while self._switching:
                    self._changed.wait()
                now = identity(self.path)
                if now == self.identity:
                    self._active += 1
                    return
                if now is None:
                    raise LogGone(self.path)
                self._switching = True
                while self._active:
                    self._changed.wait()
            try:
                engine.dispose()  # nothing of the old file stays open
                if self.check is not None:
                    self.check(self.path)
                self.identity = now
                self.said(_("the log {path} was replaced by another file: using the new one "
                            "from now on").format(path=self.path))
            finally:
                with self._changed:
                    self._switching = False
                    self._changed.notify_all()

    def still_there(self) -> None:
        """Just before COMMIT: the file written is still the log."""
        if identity(self.path) != self.identity:
            raise LogReplaced(self.path)
