"""The reminder service's lock beside the log: one service per log, and restore refused
while it runs (a restore under a running service would have it write to the old log).

The lock file is next to a SQLite log; for a server's log (a URL), in tracker's data
folder under a name derived from the URL. Its content is the holder's pid.

Only the command line reaches this module (tests/test_actions.py holds it so): what it
suggests is written as the command to type.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tracker.config import Target, data_dir
from tracker.errors import StorageError
from tracker.i18n import _
from tracker.locks import try_lock
from tracker.places import UnsafePlace, open_own


def lock_path(target: Target) -> Path:
    if target.path is not None:
        return target.path.with_name(target.path.name + ".remind.lock")
    digest = hashlib.sha256(target.url.encode()).hexdigest()[:16]
    return Path(data_dir()) / f"remind-{digest}.lock"


def service_pid(lock: Path) -> int | None:
    """The pid of a reminder service holding the lock, if one does (a lock file that is
    not tracker's own is none: the doctor names it)."""
    try:
        with os.fdopen(open_own(lock, os.O_RDONLY, create=False), "r") as fh:
            if not try_lock(fh, shared=True):
                words = fh.read().split()
                return int(words[1]) if len(words) == 2 and words[1].isdigit() else None
    except (OSError, UnsafePlace):
        return None
    return None


def refuse_while_running(lock: Path) -> None:
    """Refused, changing nothing, while a reminder service holds the lock; a lock file
    that is not tracker's own (a link, another user's) is refused, naming it."""
    try:
        fd = open_own(lock, os.O_WRONLY, create=False)
    except FileNotFoundError:
        return
    with os.fdopen(fd, "w") as fh:
        if not try_lock(fh):
            raise StorageError(_("the reminder service is running on this log: stop it first "
                                 "(tracker remind uninstall, or Ctrl-C)"))
