"""Files in a folder others can write (issue 29, finding 4), tried with a real second user.

A local user made for these tests (and removed after) plays the neighbour on a shared
drive: before the parent's tracker runs, they make the log, its `-wal`, a `backups/`
folder or the page's `web-secret` themselves, or plant symbolic links where tracker's lock
files go. Each attack keeps a hard link of its own to what it planted, as a neighbour
would, to read what tracker writes there afterwards. tracker must refuse in one line,
saying whose the file is and what to do, with a non-zero exit, no traceback, and nothing
written into the neighbour's files or through their links; `tracker doctor` names every
one of them by its owner, and `--fix` puts right what is the parent's own.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import MIA, run_tracker

NOW = {"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
EVENING = {"TRACKER_FAKE_NOW": "2026-11-24T19:31:00+01:00"}


def unavailable(why: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: the folder attacks need it under CI")
    pytest.skip(f"{why} (not under CI, where it fails instead)")


class User(NamedTuple):
    name: str
    uid: int
    gid: int

    def becomes(self) -> list[str]:
        """The command line prefix that runs a program as this user (setpriv, as the
        other tests that change user do)."""
        if shutil.which("setpriv") is None:
            unavailable("setpriv is not installed")
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups"]

    def run(self, script: str) -> None:
        """A shell script run as this user, with a umask that gives everyone everything."""
        subprocess.run(["sh", "-c", f"umask 000; {script}"], user=self.uid, group=self.gid,
                       extra_groups=[], check=True, timeout=30, cwd="/")


def local_user(prefix: str) -> Iterator[User]:
    """A local user made for these tests, removed after."""
    if os.geteuid() != 0:
        unavailable("making another user needs root")
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed")
    name = f"trk-{prefix}{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--no-create-home", "--user-group", "--shell",
                    "/usr/sbin/nologin", name], check=True, capture_output=True, timeout=30)
    try:
        import pwd

        entry = pwd.getpwnam(name)
        yield User(name, entry.pw_uid, entry.pw_gid)
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def neighbour() -> Iterator[User]:
    """The other user on the shared drive."""
    yield from local_user("n")


@pytest.fixture(scope="module")
def parent() -> Iterator[User]:
    """A parent who is not root (SQLite, run as root, gives the files it makes to the
    log's owner; a parent's tracker cannot)."""
    yield from local_user("p")


def everyones_folder(prefix: str) -> Iterator[Path]:
    """A folder every user may write in (sticky, like /tmp), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o1777)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user may write in, like a shared drive or /tmp (sticky)."""
    yield from everyones_folder("tracker-shared-")


@pytest.fixture
def theirs() -> Iterator[Path]:
    """Where the neighbour keeps hard links to what they planted."""
    yield from everyones_folder("tracker-theirs-")


def counted(figures: dict[str, int]) -> None:
    key = "folder attacks tried, none succeeded"
    figures[key] = figures.get(key, 0) + 1


def one_line(r: subprocess.CompletedProcess[str], code: int = 5) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: "), r.stderr
    return lines[0]


def files(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under a folder: owner, mode and content (what a refusal must not change)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        found[str(path.relative_to(folder))] = (st.st_uid, st.st_mode, data)
    return found


def log_in(folder: Path) -> Path:
    """The parent's own log, made in a folder of their own; the folder is shared later."""
    db = folder / "tracker.db"
    r = run_tracker("--db", str(db), *MIA, env=NOW)
    assert r.returncode == 0, r.stderr
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert not leftover.exists()  # the last connection closed: SQLite removed them
    return db


def test_a_log_made_first_by_someone_else_never_gets_the_childs_entries(
        neighbour, shared, theirs, figures):
    db = shared / "tracker.db"
    neighbour.run(f": > {db}; ln {db} {theirs}/copy")
    for args in (MIA, ("status",), ("give", "--site", "left-thigh"), ("backup",),
                 ("restore", str(db))):
        line = one_line(run_tracker("--db", str(db), *args, env=NOW))
        assert f"the log's folder {shared} can be written by other users (mode 1777" in line
        counted(figures)
    assert (theirs / "copy").read_bytes() == b""
    assert sorted(p.name for p in shared.iterdir()) == ["tracker.db"]

    shared.chmod(0o700)  # the parent makes the folder theirs alone: the file is still not
    line = one_line(run_tracker("--db", str(db), *MIA, env=NOW))
    assert line == (f"tracker: the log {db} belongs to {neighbour.name}, not to you (root): "
                    "tracker does not write the child's log into another person's file; if "
                    f"it holds your log, have it given to you (chown root {db}, as "
                    f"{neighbour.name} or an administrator), otherwise remove it")
    assert (theirs / "copy").read_bytes() == b""
    assert sorted(p.name for p in shared.iterdir()) == ["tracker.db"]
    counted(figures)


def test_a_wal_made_first_by_someone_else_never_gets_the_childs_entries(
        neighbour, tmp_path, theirs, figures):
    folder = Path(tempfile.mkdtemp(prefix="tracker-drive-"))
    try:
        db = log_in(folder)
        folder.chmod(0o1777)  # the parent's own folder, shared as a drive is
        neighbour.run(f": > {db}-wal; ln {db}-wal {theirs}/wal")
        before = files(folder)
        for args in (("give", "--site", "left-thigh"), ("status",), ("doctor",)):
            r = run_tracker("--db", str(db), *args, env=EVENING)
            if args == ("doctor",):
                assert r.returncode == 1
                assert (f"!!  the log's journal file {db}-wal belongs to {neighbour.name}, "
                        "not to you (root)") in r.stdout, r.stdout
                assert "chmod 600" not in r.stdout  # a file that is not the parent's
                assert "the log itself is checked once its place is yours alone" in r.stdout
            else:
                line = one_line(r)
                assert "can be written by other users (mode 1777, yours)" in line
                assert line.endswith(f"make it yours alone (chmod 700 {folder}), or let "
                                     "tracker do it: tracker doctor --fix"), line
            counted(figures)
        assert (theirs / "wal").read_bytes() == b""
        assert files(folder) == before
        conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
        assert conn.execute("SELECT count(*) FROM dose").fetchone() == (0,)
        conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_backups_folder_made_by_someone_else_gets_no_backup(neighbour, theirs, figures):
    folder = Path(tempfile.mkdtemp(prefix="tracker-drive-"))
    try:
        db = log_in(folder)
        shutil.rmtree(folder / "backups")  # as before the first command of the day
        folder.chmod(0o1777)
        neighbour.run(f"mkdir {folder}/backups")
        folder.chmod(0o755)  # the parent stops sharing the folder; their folder stays
        before = files(folder)
        for args in (("backup",), ("status",), ("give", "--site", "left-thigh")):
            line = one_line(run_tracker("--db", str(db), *args, env=EVENING))
            assert line == (f"tracker: the backups folder {folder}/backups belongs to "
                            f"{neighbour.name}, not to you (root): tracker does not put the "
                            "child's backups in another person's folder; move it aside (mv "
                            f"{folder}/backups {folder}/backups-{neighbour.name}), and "
                            "tracker makes its own"), line
            counted(figures)
        assert files(folder) == before and list((folder / "backups").iterdir()) == []
        # as the line says: moved aside, tracker makes its own
        (folder / "backups").rename(folder / f"backups-{neighbour.name}")
        r = run_tracker("--db", str(db), "backup", env=EVENING)
        assert r.returncode == 0, r.stderr
        made = folder / "backups"
        assert made.stat().st_uid == 0 and made.stat().st_mode & 0o777 == 0o700
        assert len(list(made.glob("*.db"))) == 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_lock_file_links_never_write_through(neighbour, tmp_path, figures):
    folder = Path(tempfile.mkdtemp(prefix="tracker-drive-"))
    victim = tmp_path / "notes.txt"
    victim.write_text("the parent's own notes\n")
    elsewhere = tmp_path / "made-by-tracker"
    try:
        db = log_in(folder)
        good = tmp_path / "good.db"
        assert run_tracker("--db", str(db), "backup", "-o", str(good), env=NOW).returncode == 0
        folder.chmod(0o1777)
        neighbour.run(f"ln -s {victim} {db}.remind.lock; ln -s {elsewhere} {db}.restore.lock")
        folder.chmod(0o700)  # the folder is the parent's again; the links stay
        before = files(folder)

        line = one_line(run_tracker("--db", str(db), "remind", "run", env=NOW))
        assert line == (f"tracker: the lock file {db}.remind.lock is a symbolic link to "
                        f"{victim} (owner {neighbour.name}): tracker does not write through "
                        "a link where it keeps its own files; remove the link (rm "
                        f"{db}.remind.lock), and tracker makes its own file")
        counted(figures)
        line = one_line(run_tracker("--db", str(db), "restore", str(good), env=NOW))
        assert f"the lock file {db}.remind.lock is a symbolic link" in line  # is it running?
        counted(figures)
        Path(f"{db}.remind.lock").unlink()
        line = one_line(run_tracker("--db", str(db), "restore", str(good), env=NOW))
        assert f"the lock file {db}.restore.lock is a symbolic link to {elsewhere}" in line
        counted(figures)
        assert victim.read_text() == "the parent's own notes\n"
        assert not elsewhere.exists()
        before.pop("tracker.db.remind.lock")
        assert files(folder) == before

        # the doctor names the one left and removes it; then a restore works
        doctor = run_tracker("--db", str(db), "doctor", env=NOW)
        assert f"!!  the lock file {db}.restore.lock is a symbolic link" in doctor.stdout
        fixed = run_tracker("--db", str(db), "doctor", "--fix", env=NOW)
        assert (f"fix: removed {db}.restore.lock, which was not tracker's own file"
                in fixed.stdout), fixed.stdout
        r = run_tracker("--db", str(db), "restore", str(good), env=NOW)
        assert r.returncode == 0, r.stderr
        lock = Path(f"{db}.restore.lock")
        assert not lock.is_symlink() and lock.stat().st_uid == 0
        assert not elsewhere.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_planted_page_secret_is_named_and_never_used(neighbour, figures):
    folder = Path(tempfile.mkdtemp(prefix="tracker-drive-"))
    known = "ab" * 32  # the neighbour knows it: forms signed with it could be forged
    try:
        db = log_in(folder)
        folder.chmod(0o1777)
        neighbour.run(f"echo {known} > {folder}/web-secret; chmod 600 {folder}/web-secret")
        folder.chmod(0o755)
        from test_web_hostile import free_port

        r = run_tracker("--db", str(db), "web", "--port", str(free_port()), env=NOW,
                        timeout=30)
        line = one_line(r)
        assert line == (f"tracker: the household page's secret {folder}/web-secret belongs "
                        f"to {neighbour.name}, not to you (root): tracker does not use another "
                        f"person's file for its own; remove it (rm {folder}/web-secret), and "
                        "tracker makes its own"), line
        assert (folder / "web-secret").read_text() == f"{known}\n"
        counted(figures)
        fixed = run_tracker("--db", str(db), "doctor", "--fix", env=NOW)
        assert f"fix: removed {folder}/web-secret" in fixed.stdout, fixed.stdout
        from tracker.web.forms import load_secret

        made = load_secret(folder)
        assert made != bytes.fromhex(known) and (folder / "web-secret").stat().st_uid == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_doctor_says_whose_each_file_is_and_fixes_what_is_the_parents(neighbour, figures):
    folder = Path(tempfile.mkdtemp(prefix="tracker-drive-"))
    try:
        db = log_in(folder)
        db.chmod(0o644)  # the parent's own, too open: theirs to fix
        folder.chmod(0o1777)
        neighbour.run(f": > {db}-shm; : > {folder}/web-secret")
        doctor = run_tracker("--db", str(db), "doctor", env=NOW)
        assert doctor.returncode == 1
        out = doctor.stdout
        assert f"!!  the log's folder {folder} can be written by other users (mode 1777" in out
        assert f"!!  the log's journal file {db}-shm belongs to {neighbour.name}" in out
        assert f"!!  the household page's secret {folder}/web-secret belongs to " \
               f"{neighbour.name}" in out
        assert f"chmod 600 {db}-shm" not in out  # never offered on the neighbour's file
        assert "!!  tracker.db is mode 644" in out and f"chmod 600 {db}, or let tracker do " \
               "it: tracker doctor --fix" in out

        fixed = run_tracker("--db", str(db), "doctor", "--fix", env=NOW)
        assert f"fix: {folder} is now yours alone (mode 700)" in fixed.stdout
        assert f"fix: {db} is now yours alone (mode 600)" in fixed.stdout
        assert f"fix: removed {folder}/web-secret" in fixed.stdout
        # the neighbour's journal file is theirs: named, never touched
        assert f"!!  the log's journal file {db}-shm belongs to {neighbour.name}" \
            in fixed.stdout
        assert Path(f"{db}-shm").stat().st_uid == neighbour.uid
        assert fixed.returncode == 1
        counted(figures)
        Path(f"{db}-shm").unlink()  # as the line says (the folder is the parent's now)
        done = run_tracker("--db", str(db), "doctor", env=NOW)
        assert "belongs to" not in done.stdout and "can be written by other" not in done.stdout
        assert run_tracker("--db", str(db), "give", "--site", "left-thigh", env=EVENING
                           ).returncode == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_of_the_parents_own_is_not_refused_for_its_group(tmp_path):
    """A user's private group (named after them, nobody else in it) writing their folder
    is no other user: a home folder made with umask 002 is not refused."""
    import grp
    import pwd

    from tracker import places

    me = pwd.getpwuid(os.geteuid()).pw_name
    folder = tmp_path / "group"
    folder.mkdir()
    os.chmod(folder, 0o770)
    private = [g.gr_gid for g in grp.getgrall() if g.gr_name == me and not set(g.gr_mem) - {me}]
    if private:
        os.chown(folder, -1, private[0])
        assert places.scan(folder / "tracker.db") == []
    others = [g.gr_gid for g in grp.getgrall() if g.gr_name != me]
    os.chown(folder, -1, others[0])
    assert [p.issue for p in places.scan(folder / "tracker.db")] == [places.OTHERS_WRITE]


def test_a_parent_who_is_not_root_meets_the_same_refusals(parent, neighbour, theirs, figures):
    """As a parent's own account: the neighbour's log and -wal get nothing, and the
    doctor's fix and the line's advice are enough to go on."""
    import sys

    home = Path(tempfile.mkdtemp(prefix="tracker-parent-"))
    shared = Path(tempfile.mkdtemp(prefix="tracker-shared-"))
    shared.chmod(0o1777)  # root's, like /tmp
    try:
        os.chown(home, parent.uid, parent.gid)
        home.chmod(0o755)  # the neighbour may look in, as in many homes
        env = {**os.environ, **EVENING, "HOME": str(home), "XDG_DATA_HOME": f"{home}/data",
               "XDG_CONFIG_HOME": f"{home}/config", "XDG_STATE_HOME": f"{home}/state",
               "TRACKER_CONFIG": f"{home}/settings.json", "TRACKER_CRASH_DIR": f"{home}/c"}
        env.pop("TRACKER_DB", None)

        def tracker(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*parent.becomes(), sys.executable, "-m", "tracker", *args],
                                  env=env, cwd="/", capture_output=True, text=True,
                                  timeout=60, check=False)

        planted = shared / "tracker.db"
        neighbour.run(f": > {planted}; ln {planted} {theirs}/log")
        line = one_line(tracker("--db", str(planted), *MIA))
        assert line == (f"tracker: the log's folder {shared} can be written by other users "
                        "(mode 1777, owner root): they could read the child's log or put "
                        "their own files in its place; keep the log in a folder that is "
                        "yours alone")
        assert (theirs / "log").read_bytes() == b""
        counted(figures)

        drive = home / "drive"
        db = drive / "tracker.db"
        made = tracker("--db", str(db), *MIA)
        assert made.returncode == 0, made.stderr
        drive.chmod(0o1777)  # the parent's own folder, shared as a drive is
        neighbour.run(f": > {db}-wal; ln {db}-wal {theirs}/wal")
        line = one_line(tracker("--db", str(db), "give", "--site", "left-thigh"))
        assert line.endswith(f"(mode 1777, yours): they could read the child's log or put "
                             f"their own files in its place; make it yours alone (chmod 700 "
                             f"{drive}), or let tracker do it: tracker doctor --fix"), line
        assert (theirs / "wal").read_bytes() == b""
        counted(figures)

        fixed = tracker("--db", str(db), "doctor", "--fix")
        assert f"fix: {drive} is now yours alone (mode 700)" in fixed.stdout, fixed.stdout
        assert (f"!!  the log's journal file {db}-wal belongs to {neighbour.name}, not to you "
                f"({parent.name})") in fixed.stdout
        line = one_line(tracker("--db", str(db), "give", "--site", "left-thigh"))
        assert f"the log's journal file {db}-wal belongs to {neighbour.name}" in line
        assert (theirs / "wal").read_bytes() == b""
        counted(figures)
        subprocess.run([*parent.becomes(), "rm", f"{db}-wal"], check=True)  # as it says
        given = tracker("--db", str(db), "give", "--site", "left-thigh")
        assert given.returncode == 0 and "Logged D1" in given.stdout, given.stderr
        assert (theirs / "wal").read_bytes() == b""

        # a page secret the parent cannot even read: said, whose it is, not a crash
        drive.chmod(0o1777)
        neighbour.run(f"echo {'cd' * 32} > {drive}/web-secret; chmod 600 {drive}/web-secret")
        drive.chmod(0o700)
        from test_web_hostile import free_port

        line = one_line(tracker("--db", str(db), "web", "--port", str(free_port())))
        assert line.startswith(f"tracker: the household page's secret {drive}/web-secret "
                               f"belongs to {neighbour.name}, not to you ({parent.name})"), line
        counted(figures)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(shared, ignore_errors=True)
