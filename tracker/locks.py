"""File locks, and who holds the log's write lock, on every system parents use.

One place for the locks tracker takes itself (one reminder service per log, one restore
at a time, a backup not taken mid-restore): `try_lock` is `flock` on Linux and macOS and
`msvcrt.locking` on Windows, where a shared lock is taken as exclusive (Windows has no
shared byte-range lock that a second process can test without waiting). Nothing here is
imported at module level that Windows lacks, so `tracker remind run`, `restore` and
`doctor` start everywhere.

Who holds the log's write lock, so that "the log is busy" can say who:

In WAL mode SQLite takes its write lock as a POSIX advisory lock on byte 120 of the
`-shm` file (WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK, sqlite3.c). F_GETLK asks the kernel
which process holds it, without taking anything. Linux and macOS only; anywhere else, or
if the layout of `struct flock` is not the one we expect, the answer is simply unknown.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import IO, Any

WAL_WRITE_LOCK_BYTE = 120


def try_lock(handle: IO[Any] | int, *, shared: bool = False) -> bool:
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
    """The pid holding the write lock of a WAL-mode SQLite file, or None (free, unknown)."""
    if sys.platform == "linux":
        import fcntl

        try:
            fd = os.open(f"{db}-shm", os.O_RDONLY)
        except OSError:
            return None
        try:
            # struct flock on Linux: short l_type, short l_whence, off_t l_start,
            # off_t l_len, pid_t l_pid (native alignment)
            request = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, WAL_WRITE_LOCK_BYTE,
                                  1, 0)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
            kind, _whence, _start, _length, pid = struct.unpack("hhqqi", answer)
        except OSError:
            return None
        finally:
            os.close(fd)
        return pid if kind != fcntl.F_UNLCK and pid > 0 else None
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
    return f"pid {pid}: {shown}" if shown else f"pid {pid}"


def who_writes(db: Path | None) -> str | None:
    """A few words on the process holding the log's write lock, if we can tell."""
    if db is None:
        return None
    pid = writer_pid(db)
    if pid is None or pid == os.getpid():
        return None
    return describe_process(pid)
