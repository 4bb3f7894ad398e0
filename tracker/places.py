"""Where tracker keeps the child's log: only in places nobody else can write.

In a folder other users can write (a shared drive, /tmp), another user can make the
files tracker is about to make before it does: the log itself, its `-wal` (SQLite writes
every entry there first, into whatever file has that name), a `backups/` folder, the
page's `web-secret`, or a symbolic link where a lock file goes. tracker would then write
the child's log into a file they can read, its backups into their folder, trust a secret
they know, or overwrite a file of the parent's that the link points at.

So one check, for every opener:
- the log's folder must belong to the user running tracker (or to root) and be writable
  by nobody else; then nobody else can put a file there, now or later. `backups/` must
  be the user's own, writable by nobody else;
- the log, its -wal, -shm and -journal, where they exist, must be plain files of the
  user's own (the log itself may be a link of the user's to the real file);
- the files tracker makes beside it (lock files, the page's secret) are opened without
  following a symbolic link, created exclusively when new, and checked with fstat when
  they exist: a plain file of the user's own with no other name (`open_own`).
A refusal says whose the file is and what to do, and changes nothing. Modes of the
user's own files that are looser than owner-only are not refused: the doctor names them
and can fix them. It costs a handful of stat calls. Windows has no owner and mode bits of
this kind (a file in the user's profile is the user's): nothing is checked there.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from tracker.errors import StorageError
from tracker.i18n import N_, _

JOURNALS = ("-wal", "-shm", "-journal")
LOCKS = (".remind.lock", ".restore.lock")
SECRET = "web-secret"  # the household page's signing secret (tracker.web.forms)

# What is wrong with a place
OTHERS_WRITE = "others-write"  # a folder other users can write in
NOT_YOURS = "not-yours"  # another user's file or folder
SYMLINK = "symlink"  # a symbolic link where tracker keeps a file of its own
NOT_A_FILE = "not-a-file"  # a folder, a pipe, a device... where a plain file goes
LINKED = "linked"  # a file with other names (hard links): writing it writes them
LOOSE = "loose"  # the user's own, but others may read or write it (the doctor fixes it)

# What the place is
FOLDER, BACKUPS, LOG, JOURNAL, LOCK, SECRET_FILE, BACKUP = (
    "folder", "backups", "log", "journal", "lock", "secret", "backup")
DATA = (FOLDER, BACKUPS, LOG, JOURNAL)  # where the child's entries go


class Problem(NamedTuple):
    path: Path
    role: str  # FOLDER, BACKUPS, LOG...
    issue: str  # OTHERS_WRITE, NOT_YOURS...
    owner: int
    mode: int

    @property
    def fixable(self) -> bool:
        """Whether the user running tracker can put it right alone: a mode of their own
        file or folder, or a lock file or secret at tracker's own name in their folder
        (which holds nothing: tracker makes a new one)."""
        if self.issue == LOOSE:
            return True
        if self.issue == OTHERS_WRITE:
            return self.owner == me()
        if self.role in (LOCK, SECRET_FILE):
            return _owner(self.path.parent) == me()
        return False

    def sentence(self) -> str:
        """What is wrong, whose it is and what to do, in one line."""
        return _sentence(self)


class UnsafePlace(StorageError):
    """The log's place, or a file tracker keeps there, could be another user's to read
    or to change: refused, naming whose it is and what to do."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.sentence())
        self.problem = problem


def me() -> int:
    """The user running tracker (root is 0; Windows: nobody to tell apart)."""
    if sys.platform == "win32":
        return 0
    else:
        return os.geteuid()


def _owner(path: Path) -> int | None:
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


def user_name(uid: int) -> str:
    """A login name, as `ls -l` shows it (the number when the system has no name for it)."""
    if sys.platform == "win32":
        return str(uid)
    else:
        import pwd

        try:
            return pwd.getpwuid(uid).pw_name
        except KeyError:
            return f"user {uid}"


def _only_mine(gid: int) -> bool:
    """A group that is the user's own private group (named after them, with nobody else
    in it), as many systems give each user: its write bit lets in nobody else."""
    if sys.platform == "win32":
        return True
    else:
        import grp

        try:
            group = grp.getgrgid(gid)
        except KeyError:
            return False
        name = user_name(me())
        return group.gr_name == name and set(group.gr_mem) <= {name}


def _others_can_write(st: os.stat_result) -> bool:
    mode = st.st_mode
    return bool(mode & stat.S_IWOTH) or bool(mode & stat.S_IWGRP and not _only_mine(st.st_gid))


def _folder(path: Path, role: str, full: bool) -> Iterator[Problem]:
    try:
        link = os.lstat(path)
        st = os.stat(path) if stat.S_ISLNK(link.st_mode) else link
    except OSError:  # not there yet (made owner-only when it is), or said by its opener
        return
    if not stat.S_ISDIR(st.st_mode):
        return  # a file where the folder should be: its opener says so
    mode = stat.S_IMODE(st.st_mode)
    owners = (me(), 0) if role == FOLDER else (me(),)
    if stat.S_ISLNK(link.st_mode) and link.st_uid not in (me(), 0):
        yield Problem(path, role, NOT_YOURS, link.st_uid, stat.S_IMODE(link.st_mode))
    elif st.st_uid not in owners:
        yield Problem(path, role, NOT_YOURS, st.st_uid, mode)
    elif _others_can_write(st):
        yield Problem(path, role, OTHERS_WRITE, st.st_uid, mode)
    elif full and mode & 0o077:
        yield Problem(path, role, LOOSE, st.st_uid, mode)


def _file(path: Path, role: str, full: bool, *, follow: bool = False) -> Iterator[Problem]:
    try:
        st = os.lstat(path)
        if follow and stat.S_ISLNK(st.st_mode):
            if st.st_uid != me():  # a link of someone else's naming the log
                yield Problem(path, role, NOT_YOURS, st.st_uid, stat.S_IMODE(st.st_mode))
                return
            st = os.stat(path)
    except OSError:  # not there (a missing log is said by its opener), or a dangling link
        return
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        yield Problem(path, role, SYMLINK, st.st_uid, mode)
    elif not stat.S_ISREG(st.st_mode):
        yield Problem(path, role, NOT_A_FILE, st.st_uid, mode)
    elif st.st_uid != me():
        yield Problem(path, role, NOT_YOURS, st.st_uid, mode)
    elif role in (LOCK, SECRET_FILE) and st.st_nlink > 1:
        yield Problem(path, role, LINKED, st.st_uid, mode)
    elif full and mode & 0o077:
        yield Problem(path, role, LOOSE, st.st_uid, mode)


def scan(db: Path, *, full: bool = False) -> list[Problem]:
    """What is wrong with the log's place: the folder, backups/, the log and its journal
    files. `full` (the doctor) adds modes looser than owner-only, the lock files, the
    page's secret and every backup; without it, only what tracker refuses to use."""
    if sys.platform == "win32":
        return []
    else:
        return _scan(db, full)


def _scan(db: Path, full: bool) -> list[Problem]:
    found: list[Problem] = []
    real = Path(os.path.realpath(db))
    folders = [db.parent] if real.parent == db.parent else [db.parent, real.parent]
    for folder in folders:
        found += _folder(folder, FOLDER, full)
    backups = db.parent / "backups"
    found += _folder(backups, BACKUPS, full)
    for base in dict.fromkeys((db, real)):
        found += _file(base, LOG, full, follow=True)
        for suffix in JOURNALS:
            found += _file(Path(f"{base}{suffix}"), JOURNAL, full)
    if full:
        for suffix in LOCKS:
            found += _file(db.with_name(db.name + suffix), LOCK, full)
        found += _file(db.parent / SECRET, SECRET_FILE, full)
        try:
            copies = sorted(backups.glob("*.db")) if not _in(found, backups) else []
        except OSError:
            copies = []
        for copy in copies:
            found += _file(copy, BACKUP, full)
    return list(dict.fromkeys(found))


def _in(found: list[Problem], path: Path) -> bool:
    return any(p.path == path and p.issue != LOOSE for p in found)


def refuse_unsafe(db: Path) -> None:
    """Refuse a log whose place another user could read or change (see the module's
    docstring); nothing is created or changed. A few stat calls."""
    for problem in scan(db):
        raise UnsafePlace(problem)


def refuse_folder(path: Path, role: str = BACKUPS) -> None:
    """Refuse a folder tracker keeps files in that is another user's or that others may
    write in (nothing when there is none, and nothing on Windows: see the docstring)."""
    if sys.platform != "win32":
        for problem in _folder(path, role, False):
            raise UnsafePlace(problem)


def private_folder(path: Path, role: str = BACKUPS) -> None:
    """A folder tracker keeps files in (backups/): made owner-only (0700) when new, and
    refused when it is another user's or others may write in it."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        # TRANSLATORS: {problem} is the system's own words
        raise StorageError(_("cannot create the folder {path}: {problem}").format(
            path=path, problem=exc.strerror or exc)) from None
    refuse_folder(path, role)


def open_own(path: Path, flags: int = os.O_RDWR, *, create: bool = True,
             role: str = LOCK) -> int:
    """A file descriptor on a file of tracker's own (a lock file, the page's secret).

    Never through a symbolic link; a new file is created exclusively, owner-only; an
    existing one must be a plain file of the user's own with no other name (checked with
    fstat on what was opened, so nothing can be swapped in between). Refused with
    UnsafePlace, naming whose it is; FileNotFoundError when it is not there and not
    `create`d.
    """
    extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if create:
        try:
            return os.open(path, flags | extra | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
    try:  # O_NONBLOCK: a pipe planted there must not hang the open
        fd = os.open(path, flags | extra | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except OSError:
        # a link (ELOOP), a socket (ENXIO), another user's file we may not even read
        # (EACCES): said as what it is; anything else as the system says it
        found = next(_file(path, role, False), None)
        if found is not None:
            raise UnsafePlace(found) from None
        raise
    if sys.platform != "win32":
        try:
            st = os.fstat(fd)
            issue = (NOT_A_FILE if not stat.S_ISREG(st.st_mode)
                     else NOT_YOURS if st.st_uid != me()
                     else LINKED if st.st_nlink > 1 else None)
            if issue is not None:
                raise UnsafePlace(_problem_of(path, role, st, issue))
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
    return fd


def _problem_of(path: Path, role: str, st: os.stat_result, issue: str) -> Problem:
    return Problem(path, role, issue, st.st_uid, stat.S_IMODE(st.st_mode))


# What each file or folder is to a person (N_: translated where said, in _sentence); each
# begins a sentence about it.
_ROLES = {
    FOLDER: N_("the log's folder"),
    BACKUPS: N_("the backups folder"),
    LOG: N_("the log"),
    JOURNAL: N_("the log's journal file"),
    LOCK: N_("the lock file"),
    SECRET_FILE: N_("the household page's secret"),
    BACKUP: N_("the backup"),
}


def _sentence(p: Problem) -> str:
    myself = user_name(me())
    # TRANSLATORS: who owns a file: yours, or owner NAME (a user's login name)
    whose = _("yours") if p.owner == me() else _("owner {user}").format(user=user_name(p.owner))
    role = _(_ROLES[p.role])
    mode = f"{p.mode:o}"
    # TRANSLATORS: {role} names a file or folder (the log's folder) and begins the sentence;
    # {mode} its permissions in octal (775)
    if p.issue == OTHERS_WRITE:
        fact = _("{role} {path} can be written by other users (mode {mode}, {whose}): they "
                 "could read the child's log or put their own files in its place").format(
            role=role, path=p.path, mode=mode, whose=whose)
        if p.owner == me():
            return _("{fact}; make it yours alone (chmod 700 {path})").format(
                       fact=fact, path=p.path)
        return _("{fact}; keep the log in a folder that is yours alone").format(fact=fact)
    if p.issue == LOOSE:
        kind = "folder" if p.role in (FOLDER, BACKUPS) else "file"
        return _("{role} {path} is mode {mode}: other users may read it; make it yours alone "
                 "(chmod {private} {path})").format(
            role=role, path=p.path, mode=mode, private="700" if kind == "folder" else "600")
    if p.issue == SYMLINK:
        try:
            target: str | None = os.readlink(p.path)
        except OSError:
            target = None
        if target is not None:
            return _("{role} {path} is a symbolic link to {target} ({whose}): tracker does not "
                     "write through a link where it keeps its own files; remove the link (rm "
                     "{path}), and tracker makes its own file").format(
                role=role, path=p.path, target=target, whose=whose)
        return _("{role} {path} is a symbolic link ({whose}): tracker does not write "
                 "through a link where it keeps its own files; remove the link (rm {path}), and "
                 "tracker makes its own file").format(role=role, path=p.path, whose=whose)
    if p.issue == NOT_A_FILE:
        return _("{role} {path} is not a plain file ({whose}): remove it, and tracker makes its "
                  "own file").format(
                    role=role, path=p.path, whose=whose)
    if p.issue == LINKED:
        return _("{role} {path} has other names on this disk (hard links): writing it would "
                  "change them too; remove it (rm {path}), and tracker makes its own").format(
                    role=role, path=p.path)
    owner = user_name(p.owner)
    fact = _("{role} {path} belongs to {owner}, not to you ({myself})").format(
               role=role, path=p.path, owner=owner, myself=myself)
    if p.role == FOLDER:
        return _("{fact}: {owner} could read the child's log or put their own files in its "
                  "place; keep the log in a folder that is yours alone").format(
                    fact=fact, owner=owner)
    if p.role == BACKUPS:
        return _("{fact}: tracker does not put the child's backups in another person's folder; "
                  "move it aside (mv {path} {path}-{owner}), and tracker makes its own").format(
                    fact=fact, path=p.path, owner=owner)
    if p.role in (LOCK, SECRET_FILE):
        return _("{fact}: tracker does not use another person's file for its own; remove it (rm "
                  "{path}), and tracker makes its own").format(
                    fact=fact, path=p.path)
    if p.role == BACKUP:
        return _("{fact}: anyone who owns it could have changed it; keep only backups tracker "
                  "made for you").format(
                    fact=fact)
    return _("{fact}: tracker does not write the child's log into another person's file; if it "
              "holds your log, have it given to you (chown {myself} {path}, as {owner} or an "
              "administrator), otherwise remove it").format(
                fact=fact, myself=myself, path=p.path, owner=owner)
