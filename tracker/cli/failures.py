"""Turning any failure into one line and an exit code.

A parent never sees a traceback for their own mistake or a broken environment. Database
driver errors are recognised by message (locked, read-only, damaged, unreachable); only
a genuine bug in tracker writes a traceback, to a private crash file, and says where.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from tracker.errors import StorageError, TrackerError, explain_db_error

if TYPE_CHECKING:
    from pathlib import Path

def translate(exc: BaseException) -> TrackerError | None:
    """A TrackerError for a failure of the environment, or None for a bug."""
    if isinstance(exc, TrackerError):
        return exc
    sa_exc = sys.modules.get("sqlalchemy.exc")
    texts = [str(exc).lower()]
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        texts.append(str(exc.orig).lower())
    elif not isinstance(exc, OSError) and type(exc).__module__ != "sqlite3":
        return None
    for t in texts:
        message = explain_db_error(t)
        if message is not None:
            return StorageError(message)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return StorageError(f"{exc.strerror or exc}{where}")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        return StorageError(f"the database failed: {str(exc.orig).splitlines()[0]}")
    return None


def crash_report(exc: BaseException) -> Path | None:
    """Write the traceback of a bug where a parent can send it to us."""
    import traceback
    from datetime import UTC, datetime
    from pathlib import Path

    try:
        from platformdirs import user_state_dir

        folder = Path(
            os.environ.get("TRACKER_CRASH_DIR") or user_state_dir("tracker", appauthor=False)
        )
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None
