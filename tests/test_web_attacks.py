"""The household page, second adversarial pass (issue 29): what got through, now held.

Each test replays one attack against a real `tracker web` process on real sockets:
1. the log replaced under the running page (a backup moved over it, or deleted);
2. the phone's cookie sent to another program on another port of this computer;
3. a restore that brings back a revoked phone, or carries triggers of its own;
4. a folder others can write, with files planted in it;
5. one address taking every connection, pairing links and posts tying up the log's threads.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from conftest import run_tracker
from test_web_hostile import SERVER_NOW, Phone, rows, said, served  # noqa: F401 (fixture)


def wait_for_line(path: Path, words: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text()
        if words in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{words!r} not in {path.read_text()!r}")


GIVE = {"child": "1", "site": "left-thigh", "q_meal": "yes", "k_meal": "yesno"}
HEADACHE = {"child": "1", "kind": "headache", "severity": "mild"}


def test_a_backup_moved_over_the_running_pages_log_is_the_log_it_reads_and_writes(
        served, isolated, tmp_path):
    """The attack: `tracker backup -o copy.db`, then the copy moved over the log while the
    page runs; the computer logs the 19:30 dose in the new file; the phone's Given must be
    refused as a second dose, and what the phone records must be in the file at the path."""
    _port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    status, page = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "before the copy"})
    assert status == 200 and said(page).startswith("Recorded S1"), page
    copy = tmp_path / "copy.db"
    assert run_tracker("backup", "-o", str(copy), env=SERVER_NOW).returncode == 0
    # the page writes to the log after the copy was made: that entry goes with the old file
    status, page = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "after the copy"})
    assert status == 200 and said(page).startswith("Recorded S2"), page
    os.replace(copy, db)  # as a careful parent (or a sync tool) does
    given = run_tracker("give", "--child", "Mia", "--site", "right-thigh", env=SERVER_NOW)
    assert given.returncode == 0 and "Logged D1" in given.stdout, given.stderr

    # the phone still works on the new log (its device is in it) and sees the dose
    status, today = phone.get("/")
    assert status == 200 and "Mia" in today
    status, page = phone.post("/do/give", {"csrf": phone.tokens("/")["give"], **GIVE})
    assert status == 200 and "already given by Anna" in said(page), page
    status, page = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "on the new log"})
    assert status == 200 and said(page).startswith("Recorded S2"), page

    # every answer is true of the file at the path, which is whole and never met the old WAL
    assert rows(db, "SELECT count(*) FROM dose") == [(1,)]
    assert rows(db, "SELECT note FROM symptom ORDER BY id") == [("before the copy",),
                                                               ("on the new log",)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    wait_for_line(tmp_path / "web.out", f"the log {db} was replaced by another file")


def test_a_log_deleted_under_the_running_page_is_said_and_never_made_again(
        served, isolated, tmp_path):
    _port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    token = phone.tokens("/log")["symptom"]
    kept = tmp_path / "kept.db"
    assert run_tracker("backup", "-o", str(kept), env=SERVER_NOW).returncode == 0
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    status, page = phone.get("/")
    assert status == 503 and f"{db} is gone (deleted or moved)" in page, page
    status, page = phone.post("/do/symptom", {"csrf": token, **HEADACHE})
    assert status == 503 and "nothing was recorded" in page.lower(), page
    assert not db.exists()  # no new, empty log in its place
    # the log put back is read at once, and the kept form records once
    restored = run_tracker("restore", str(kept), env=SERVER_NOW)
    assert restored.returncode == 0, restored.stderr
    status, page = phone.post("/do/symptom", {"csrf": token, **HEADACHE})
    assert status == 200 and said(page).startswith("Recorded S1"), page
    assert rows(db, "SELECT count(*) FROM symptom") == [(1,)]
