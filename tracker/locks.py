"""File locks, and who holds the log's write lock, on every system parents use.

One place for the locks tracker takes itself (one reminder service per log, one restore
at a time, a backup not taken mid-restore): `try_lock` is `flock` on Linux and macOS and
`msvcrt.locking` on Windows, where a shared lock is taken as exclusive (Windows has no
shared byte-range lock that a second process can test without waiting). Nothing here is
imported at module level that Windows lacks, so `tracker remind run`, `restore` and
`doctor` start everywhere.

Who holds the log's write lock, so that "the log is busy" can say who:

In WAL mode SQLite takes its write lock as a POSIX advisory lock on byte 120 of the
`-shm` file (WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK, sqlite3.c). The kernel's table of
locks says which process holds it, without opening the file (Linux; anywhere else the
answer is simply unknown).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.i18n import _

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

WAL_WRITE_LOCK_BYTE = 120


def try_lock(handle: FileDescriptorLike, *, shared: bool = False) -> bool:
    """Take a lock on an open file (or descriptor) without waiting: False when another
    process holds it. The lock lasts until the file is closed."""
    fd = handle if isinstance(handle, int) else handle.fileno()
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    else:
        import fcntl

        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def writer_pid(db: Path) -> int | None:
    """The pid holding the write lock of a WAL-mode SQLite file, or None (free, unknown).

    Read from the kernel's table of locks (/proc/locks), without opening the `-shm`: a
    process that opens and closes a file loses every POSIX lock it holds on it, so a
    page asking "who holds the log?" while its other threads read would silently drop
    their read locks (SQLite's own warning about POSIX locks and close()).
    """
    if sys.platform == "linux":
        try:
            st = os.stat(f"{db}-shm")
            table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
        except OSError:
            return None
        where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        for line in table.splitlines():
            # "1: POSIX  ADVISORY  WRITE 1234 fe:00:2156859 120 120" ("->": a waiter)
            words = line.split()
            if len(words) < 8 or "->" in words or words[1] != "POSIX" or words[3] != "WRITE":
                continue
            if words[5] != where or not words[4].isdigit():
                continue
            start, end = words[6], words[7]
            if start.isdigit() and int(start) <= WAL_WRITE_LOCK_BYTE and (
                    end == "EOF" or (end.isdigit() and int(end) >= WAL_WRITE_LOCK_BYTE)):
                return int(words[4])
        return None
    else:
        return None


def describe_process(pid: int) -> str:
    """'pid 123: tracker give --site left-thigh', as far as the system lets us see."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    words = [w.decode("utf-8", "replace").split("\n")[0] for w in raw.split(b"\0") if w]
    if len(words) >= 3 and words[1:3] == ["-m", "tracker"]:
        words = ["tracker", *words[3:]]
    elif words and Path(words[0]).name.startswith("python") and len(words) > 1:
        words = words[1:]
    if words:
        words[0] = Path(words[0]).name
    shown = " ".join(words)[:60]
    return _("pid {pid}: {shown}").format(pid=pid, shown=shown) if shown else f"pid {pid}"


def who_writes(db: Path | None) -> str | None:
    """A few words on the process holding the log's write lock, if we can tell."""
    if db is None:
        return None
    pid = writer_pid(db)
    if pid is None or pid == os.getpid():
        return None
    return describe_process(pid)
