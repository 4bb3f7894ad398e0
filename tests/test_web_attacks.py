"""The household page, second adversarial pass (issue 29): what got through, now held.

Each test replays one attack against a real `tracker web` process on real sockets:
1. the log replaced under the running page (a backup moved over it, another program's
   file moved over it, or the log deleted);
2. the phone's cookie sent to another program on another port of this computer (a real
   Chromium), a link to the page from another site, the pairing as printed;
5. one address taking every connection, posts and pairing links tying up the log's
   threads while another program holds the lock, wrong pairing links sent at once.
Findings 3 (a restore that reopens a door) and 4 (a folder others can write) are replayed
in tests/test_restore_attacks.py and tests/test_folder_attacks.py.
"""

# ruff: noqa: F811 (pytest fixtures imported from test_web and test_web_hostile are used
# as the parameters of the tests)
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from conftest import run_tracker
from test_web import DESKTOP, NOW, PHONE, at, browsers, page, pair, press, printed_address, shown  # noqa: F401 (fixtures: Chromium, `tracker web`)
from test_web_hostile import (
    SERVER_NOW,
    free_port,
    rows,
    said,
    served,  # noqa: F401 (fixture: a page and a paired phone)
)


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
    status, answer = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "before the copy"})
    assert status == 200 and said(answer).startswith("Recorded S1"), answer
    copy = tmp_path / "copy.db"
    assert run_tracker("backup", "-o", str(copy), env=SERVER_NOW).returncode == 0
    # the page writes to the log after the copy was made: that entry goes with the old file
    status, answer = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "after the copy"})
    assert status == 200 and said(answer).startswith("Recorded S2"), answer
    os.replace(copy, db)  # as a careful parent (or a sync tool) does
    given = run_tracker("give", "--child", "Mia", "--site", "right-thigh", env=SERVER_NOW)
    assert given.returncode == 0 and "Logged D1" in given.stdout, given.stderr

    # the phone still works on the new log (its device is in it) and sees the dose
    status, today = phone.get("/")
    assert status == 200 and "Mia" in today
    status, answer = phone.post("/do/give", {"csrf": phone.tokens("/")["give"], **GIVE,
                                             # asked "a second injection?": no
                                             "q_second-injection": "no",
                                             "k_second-injection": "yesno"})
    assert status == 200 and "already given by Anna" in said(answer), answer
    status, answer = phone.post("/do/symptom", {"csrf": phone.tokens("/log")["symptom"],
                                              **HEADACHE, "note": "on the new log"})
    assert status == 200 and said(answer).startswith("Recorded S2"), answer

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
    status, answer = phone.get("/")
    assert status == 503 and f"{db} is gone (deleted or moved)" in answer, answer
    status, answer = phone.post("/do/symptom", {"csrf": token, **HEADACHE})
    assert status == 503 and "nothing was recorded" in answer.lower(), answer
    assert not db.exists()  # no new, empty log in its place
    # the log put back (the parent letting the phone in again: with the log gone, nothing
    # says this household paired it) is read at once, and the kept form records once
    restored = run_tracker("restore", str(kept), "--let-in", "Eli's phone", env=SERVER_NOW)
    assert restored.returncode == 0, restored.stderr
    status, answer = phone.post("/do/symptom", {"csrf": token, **HEADACHE})
    assert status == 200 and said(answer).startswith("Recorded S1"), answer
    assert rows(db, "SELECT count(*) FROM symptom") == [(1,)]


# --- 2. the phone's login stays home ----------------------------------------------------

class Listener:
    """Another user's program on another port of this computer, on every address: it keeps
    every Cookie header it is sent, and serves a page with a link to `link` (another
    site's page, with a link to the household page in it)."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen = self.cookies = []
        self.link = ""
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append((self.headers.get("Host"), self.path,
                             self.headers.get("Cookie") or ""))
                body = (f'<!doctype html><title>mail</title><a id="go" href="{outer.link}">'
                        "the page</a>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("0.0.0.0", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    one = Listener()
    yield one
    one.close()


def lan_page(tmp_path: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """`tracker web --lan` on a free port: its printed address (the computer's address on
    the home network)."""
    port = free_port()
    out = tmp_path / "lan.out"
    server = subprocess.Popen([sys.executable, "-m", "tracker", "web", "--lan", "--port",
                               str(port)], env={**os.environ, **NOW},
                              stdout=out.open("w"), stderr=subprocess.STDOUT)
    return printed_address(port, out), server


@pytest.mark.parametrize("network", ["this computer", "home network"])
def test_the_devices_login_is_never_sent_to_another_program_on_this_computer(
        network, page, browsers, listener, tmp_path):
    """The attack: any web page the parent opens sends the paired browser to another
    port of this computer, where another user's program listens, under every name the
    page answers to. The program must get no cookie of the page's."""
    from selenium.webdriver.common.by import By

    browser = browsers(DESKTOP)
    server = None
    if network == "home network":
        address, server = lan_page(tmp_path)
        port = int(address.split(":")[2].split("/")[0])
        host = address.split("//")[1].split(":")[0]
        link = run_tracker("web", "pair", "--name", "Eli's phone", "--lan", "--port",
                           str(port), env=NOW).stdout.splitlines()[0]
        assert link.startswith(f"{address}/pair/"), (link, address)
        names = [host, "127.0.0.1", "localhost", "tracker.localhost"]
    else:
        link = pair(page, "Anna's laptop")
        names = ["tracker.localhost", "localhost", "127.0.0.1"]
    try:
        browser.get(link)
        press(browser, "pair")
        assert shown(browser, "today") == "Today"
        (cookie,) = browser.get_cookies()
        for name in names:
            for path in ("/", "/pair/x", "/do/give", "/static/style.css"):
                browser.get(f"http://{name}:{listener.port}{path}")
                assert browser.find_element(By.ID, "go")  # the program's page was reached
        reached = {(host.split(":")[0], path) for host, path, _ in listener.cookies}
        assert {(n, p) for n in names for p in ("/", "/pair/x", "/do/give")} <= reached
        assert not [c for c in listener.cookies if cookie["value"] in c[2]], listener.cookies
        assert cookie["httpOnly"] and cookie["path"] == urlsplit(link).path.split("/pair/")[0]
        browser.get(link.split("/pair/")[0] + "/")  # and the page itself still knows it
        assert shown(browser, "today") == "Today"
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)


def test_a_link_to_the_page_from_another_site_opens_it_paired(page, browsers, listener):
    """A message in a web mail or a chat with the page's address: a top-level visit from
    another site is a paired visit (the cookie is Lax); a form from there is not (its
    token), and a post from another site never carries the cookie."""
    browser = browsers(PHONE)
    browser.get(pair(page, "Eli's phone"))
    press(browser, "pair")
    listener.link = at(page, "/")
    browser.get(f"http://mail.localhost:{listener.port}/inbox")  # another site
    press(browser, "go")
    assert shown(browser, "today") == "Today"
    assert "This device is not paired" not in browser.page_source


def test_the_address_and_pairing_are_as_printed(page, tmp_path):
    """`tracker web --help`, the address the page prints and the pairing link agree; a
    phone is told it needs the page on the home network."""
    helped = run_tracker("web", "--help", env=NOW).stdout
    assert "http://127.0.0.1:8765/" in helped and "tracker.localhost" not in helped
    printed = (tmp_path / "web.out").read_text()
    assert re.search(rf"The household page: http://127\.0\.0\.1:{page}/[a-z2-7]{{26}}/ ",
                     printed), printed
    assert "For the household's phones, start the page on the home network instead: " \
           "tracker web --lan" in printed
    made = run_tracker("web", "pair", "--name", "Eli's phone", "--port", str(page), env=NOW)
    assert made.stdout.splitlines()[0].startswith(at(page, "/pair/"))
    assert "For a phone, start the page with tracker web --lan" in made.stdout
    address, server = lan_page(tmp_path)
    try:
        port = address.split(":")[2].split("/")[0]
        lan = run_tracker("web", "pair", "--name", "Rose's phone", "--lan", "--port", port,
                          env=NOW)
        assert lan.stdout.splitlines()[0].startswith(f"{address}/pair/")
        assert "For a phone" not in lan.stdout
        assert "Pair a phone: tracker web pair --name \"Eli's phone\" --port " in (
            tmp_path / "lan.out").read_text()
        # an unpaired phone is told the command for this page as it runs, which works as
        # typed and makes a link to this very page
        import html
        import shlex
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as unpaired:
            urllib.request.urlopen(f"{address}/", timeout=30)
        told = re.search(r"<pre>(.*?)</pre>", html.unescape(unpaired.value.read().decode()))
        assert unpaired.value.code == 401 and told is not None
        assert told.group(1) == f"tracker web pair --name \"Eli's phone\" --port {port} --lan"
        typed = run_tracker(*shlex.split(told.group(1))[1:], env=NOW)
        assert typed.returncode == 0 and typed.stdout.startswith(f"{address}/pair/")
    finally:
        server.terminate()
        server.wait(30)


# --- 5. a fair share for every phone ----------------------------------------------------

def from_address(port: int, address: str) -> socket.socket:
    """A connection to the page from another device (another loopback address here)."""
    return socket.create_connection(("127.0.0.1", port), timeout=10,
                                    source_address=(address, 0))


def test_one_device_holding_connections_open_locks_no_phone_out(served):
    """The attack: a device on the Wi-Fi opens connections and sends nothing, renewing each
    one the page closes. Every phone's page loads must still be answered."""
    import select
    import threading

    from tracker.web.server import FIRST_BYTE_WAIT, PER_ADDRESS

    port, _server, phone = served
    stop = threading.Event()
    opened = [0]

    def attacker() -> None:
        held: list[socket.socket] = []
        while not stop.is_set():
            while len(held) < 100:
                try:
                    held.append(from_address(port, "127.0.0.2"))
                    opened[0] += 1
                except OSError:
                    break
            ready, _, _ = select.select(held, [], [], 0.05)
            for gone in ready:  # closed by the page: renew it
                held.remove(gone)
                gone.close()
        for s in held:
            s.close()

    thread = threading.Thread(target=attacker)
    thread.start()
    try:
        time.sleep(1)
        answers = []
        for _ in range(12):
            answers.append(phone.get("/")[0])
            answers.append(phone.get("/changes")[0])
            time.sleep(0.4)
    finally:
        stop.set()
        thread.join(30)
    assert answers == [200] * 24, answers
    assert opened[0] > PER_ADDRESS  # the attacker did try for more than its share
    # a connection that says nothing is closed within seconds
    silent = from_address(port, "127.0.0.3")
    started = time.monotonic()
    silent.settimeout(FIRST_BYTE_WAIT + 5)
    assert silent.recv(10) == b""
    assert time.monotonic() - started < FIRST_BYTE_WAIT + 2
    silent.close()


def test_reads_never_wait_behind_writes_that_wait_for_the_lock(served, isolated):
    """The attack: while another program holds the log's write lock, 40 form posts and 30
    wrong pairing links (from 30 devices) at once. A paired phone's Today and its 3-second
    stamp are answered at once: reading never waits for a writer."""
    import http.client
    import threading

    from test_service_faults import hold_the_lock

    port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    token = phone.tokens("/log")["symptom"]
    pair_path = urlsplit(at(port, "/pair/")).path
    (cookie,) = [c.value for c in phone.jar]
    holder = hold_the_lock(db)
    crowd: list[threading.Thread] = []

    def send(address: str, path: str, body: str = "", cookie: str = "") -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                          source_address=(address, 0))
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            **({"Cookie": f"tracker_paired={cookie}"} if cookie else {})})
        conn.getresponse().read()
        conn.close()

    try:
        for n in range(40):  # a paired device's forms, each from a connection of its own
            body = urlencode({"csrf": token, **HEADACHE, "note": f"post {n}"})
            crowd.append(threading.Thread(target=send, args=(
                f"127.0.2.{n + 1}", urlsplit(at(port, "/do/symptom")).path, body, cookie)))
        for n in range(30):  # wrong pairing links from 30 devices
            crowd.append(threading.Thread(target=send, args=(
                f"127.0.1.{n + 1}", f"{pair_path}wrong-{n}")))
        for t in crowd:
            t.start()
        time.sleep(0.5)  # every one of them is now in the page
        for path in ("/", "/changes", "/", "/changes"):
            asked = time.monotonic()
            status, answer = phone.get(path)
            assert status == 200, (path, answer[:300])
            assert time.monotonic() - asked < 2, path
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
        for t in crowd:
            t.join(60)
    assert rows(db, "SELECT count(*) FROM symptom") in ([(0,)], [(1,)])  # once at most


def test_the_pairing_limit_counts_a_link_before_it_is_looked_up(served):
    """The attack: wrong pairing links from one address all at once (as many connections
    as it may hold). Only PAIR_TRIES of them are looked up; the rest wait a minute."""
    import http.client
    import threading

    from tracker.web.base import PAIR_TRIES
    from tracker.web.server import PER_ADDRESS

    port, _server, _phone = served
    pair_path = urlsplit(at(port, "/pair/")).path
    codes: list[int] = []
    start = threading.Barrier(PER_ADDRESS)

    def guesses(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                          source_address=("127.0.0.4", 0))
        start.wait()
        for m in range(4):
            conn.request("GET", f"{pair_path}guess-{n}-{m}")
            response = conn.getresponse()
            response.read()
            codes.append(response.status)
        conn.close()

    threads = [threading.Thread(target=guesses, args=(n,)) for n in range(PER_ADDRESS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(codes) == 4 * PER_ADDRESS
    assert codes.count(404) == PAIR_TRIES and codes.count(429) == len(codes) - PAIR_TRIES


def test_a_file_that_is_not_a_tracker_log_moved_over_the_log_is_refused_until_put_back(
        served, isolated, tmp_path):
    """Another program's database (or a trigger-carrying copy) put in place of the log:
    checked as any command checks the log it opens, refused in words, never written."""
    _port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    kept = tmp_path / "kept.db"
    assert run_tracker("backup", "-o", str(kept), env=SERVER_NOW).returncode == 0
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    os.chmod(other, 0o600)
    os.replace(other, db)
    status, answer = phone.get("/")
    assert status == 503 and "was replaced by a file that is not a tracker log" in answer
    status, answer = phone.post("/do/symptom", {"csrf": "x", **HEADACHE})
    assert status == 503 and "not a tracker log" in answer
    assert rows(db, "SELECT name FROM sqlite_master") == [("notes",)]  # never written
    os.replace(kept, db)  # the log put back: the page uses it at once
    status, answer = phone.get("/")
    assert status == 200 and "Mia" in answer, answer


def test_a_device_paired_before_the_private_path_is_moved_in_and_a_guess_learns_nothing(
        served):
    """A phone paired by an older tracker holds a cookie for every path (tracker_device).
    Its old bookmark still opens the page, its cookie moves to the private path and the
    old one is deleted; a made-up cookie at the old address learns nothing."""
    import http.client

    port, _server, phone = served
    (token,) = [c.value for c in phone.jar]
    root = urlsplit(at(port, "")).path

    def get(path: str, cookie: str) -> tuple[http.client.HTTPResponse, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Cookie": cookie})
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        return answer, body

    moved, _ = get("/history", f"tracker_device={token}")
    assert moved.status == 303 and moved.getheader("Location") == f"{root}/history"
    cookies = moved.headers.get_all("Set-Cookie")
    assert any(c.startswith(f"tracker_paired={token};") and f"Path={root}" in c
               for c in cookies), cookies
    assert any(c.startswith("tracker_device=") and "Max-Age=0" in c for c in cookies)
    inside, body = get(f"{root}/", f"tracker_device={token}")  # sent on every path
    assert inside.status == 200 and b"Mia" in body
    assert any(c.startswith(f"tracker_paired={token};")
               for c in inside.headers.get_all("Set-Cookie"))
    guessed, body = get("/", "tracker_device=made-up")
    assert guessed.status == 404 and root.encode() not in body
    assert guessed.getheader("Location") is None and guessed.getheader("Set-Cookie") is None
