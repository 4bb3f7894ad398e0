"""Turning any failure into one line and an exit code.

A parent never sees a traceback for their own mistake or a broken environment. Database
driver errors are recognised by message (locked, read-only, damaged, unreachable); only
a genuine bug in tracker writes a traceback, to a private crash file, and says where.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tracker.errors import translate

__all__ = ["crash_report", "translate"]

if TYPE_CHECKING:
    from pathlib import Path

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
        from tracker import files

        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        text = "".join(traceback.format_exception(exc))
        return files.unique(folder, f"crash-{stamp}-", ".txt", text)
    except OSError:
        return None
