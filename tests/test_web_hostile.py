"""The household page under a hostile network and a stuck log (issue 21).

Each finding of the adversarial pass, against the real server (`tracker web` as its own
process on 127.0.0.1): a log locked by another program, a PostgreSQL server that stops
answering (SIGSTOP), a stolen cookie, a re-tapped form, a link that puts words in the
page's mouth, bodies and headers that arrive too big or too slowly, a child's name with a
quote in a download, and pairing guesses over the limit.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import MIA, run_tracker
from test_postgresql import cluster, pg_url  # noqa: F401  (fixtures: a real server)
from test_service_faults import hold_the_lock
from test_web import NOW, _serve, at, pair, pair_at, printed_address

SERVER_NOW = {"TRACKER_FAKE_NOW": "2026-11-24T19:31:00+01:00"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env: dict[str, str], out: Path) -> tuple[int, subprocess.Popen[bytes]]:
    port, server = _serve(env, out.open("w"))
    printed_address(port, out)
    return port, server


def stop(server: subprocess.Popen[bytes]) -> float:
    """SIGTERM, and how long the server took to end."""
    asked = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
    return time.monotonic() - asked


class Phone:
    """A paired device speaking plain HTTP to the page (cookies kept, redirects followed)."""

    def __init__(self, port: int, link: str) -> None:
        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        if link:
            with self.opener.open(urllib.request.Request(link, method="POST",
                                                         data=b"")):
                pass

    def url(self, path: str) -> str:
        """A page's address; a path the server gave (a redirect) is whole already."""
        root = urllib.parse.urlsplit(at(self.port, "")).path
        if path.startswith(f"{root}/"):
            return f"http://127.0.0.1:{self.port}{path}"
        return at(self.port, path)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.url(path), timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.url(path), data=data),
                                  timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def tokens(self, path: str) -> dict[str, str]:
        """Each form's action and token on a page (the first form of each action)."""
        _, html = self.get(path)
        found: dict[str, str] = {}
        for action, token in re.findall(
                r'action="/[a-z2-7]+/do/(\w+)"[^>]*>\s*'
                r'<input type="hidden" name="csrf" value="([^"]+)"',
                html):
            found.setdefault(action, token)
        return found


def said(html: str) -> str:
    """What the page says after a post: why nothing was recorded, or what was, with its
    notes (the box's headline and each line after it, as one text)."""
    found = re.search(r'id="said">(.*?)</p>', html, re.S) or re.search(
        r'id="done">(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def hidden_fields(html: str) -> dict[str, str]:
    import html as entities

    return {name: entities.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


@pytest.fixture
def served(tmp_path):
    """`tracker web` on Mia and Leo's log, with a paired phone."""
    for name in ("Mia", "Leo"):
        args = list(MIA)
        args[args.index("Mia")] = name
        assert run_tracker(*args, env={"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                           ).returncode == 0
    port, server = start(SERVER_NOW, tmp_path / "web.out")
    try:
        yield port, server, Phone(port, pair(port, "Eli's phone"))
    finally:
        if server.poll() is None:
            stop(server)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_locked_log_is_answered_in_words_with_the_form_kept_and_static_never_waits(
        served, isolated):
    _port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    token = phone.tokens("/log")["symptom"]
    form = {"csrf": token, "child": "1", "kind": "headache", "severity": "mild",
            "note": "after school"}
    holder = hold_the_lock(db)
    answer: dict[str, tuple[int, str]] = {}
    try:
        posting = threading.Thread(target=lambda: answer.update(post=phone.post("/do/symptom",
                                                                               form)))
        posting.start()
        time.sleep(0.5)  # the post now waits for the lock
        with urllib.request.urlopen(phone.url("/static/style.css"), timeout=60) as css:
            assert css.status == 200
        assert posting.is_alive(), "the style sheet waited for the log"
        # reading never waits for a writer: Today still shows
        status, today = phone.get("/")
        assert status == 200 and "Mia" in today
        assert posting.is_alive()
        posting.join(60)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    status, page = answer["post"]
    assert status == 503
    assert "nothing was recorded" in page.lower() and 'id="again"' in page
    assert f"pid {holder.pid}" in page  # who holds the log, as the command line says
    kept = hidden_fields(page)
    assert kept["csrf"] == token and kept["kind"] == "headache" and kept["note"] == "after school"
    assert rows(db, "SELECT count(*) FROM symptom") == [(0,)]
    # the log is free again: the kept form, sent again, records once
    status, page = phone.post("/do/symptom", kept)
    assert status == 200 and said(page).startswith("Recorded S1: Mia"), page
    status, page = phone.post("/do/symptom", kept)
    assert "sent twice: it is recorded once" in said(page)
    assert rows(db, "SELECT count(*) FROM symptom") == [(1,)]


def postgres_pids(url: str) -> list[int]:
    """The server's processes: its postmaster and every child of it."""
    base = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["host"][0]
    first = Path(base, "data", "postmaster.pid").read_text().split()[0]
    master = int(first)
    found = [master]
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(pid))
    return found


def test_a_paused_postgresql_server_is_said_in_seconds_and_the_page_still_stops(
        pg_url, tmp_path):  # noqa: F811 (the fixture)
    env = {**SERVER_NOW, "TRACKER_DATABASE_URL": pg_url}
    assert run_tracker(*MIA, env={**env, "TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                       ).returncode == 0
    port, server = start(env, tmp_path / "web.out")
    paused: list[int] = []
    try:
        phone = Phone(port, pair_at(port, "Eli's phone", env))
        assert phone.get("/")[0] == 200
        token = phone.tokens("/")["give"]
        paused = postgres_pids(pg_url)
        for pid in paused:
            os.kill(pid, signal.SIGSTOP)
        answers: dict[str, tuple[int, str]] = {}
        waiting = [threading.Thread(target=lambda p=p: answers.update({p: phone.get(p)}))
                   for p in ("/", "/history", "/pair/some-code")]
        waiting.append(threading.Thread(target=lambda: answers.update(give=phone.post(
            "/do/give", {"csrf": token, "child": "1", "site": "left-thigh", "q_meal": "yes",
                         "k_meal": "yesno"}))))
        for t in waiting:
            t.start()
        time.sleep(0.5)
        with urllib.request.urlopen(phone.url("/static/style.css"), timeout=60) as css:
            assert css.status == 200
        assert any(t.is_alive() for t in waiting), "the style sheet waited for the server"
        for t in waiting:
            t.join(60)
        for path, (status, page) in answers.items():
            assert status == 503, (path, status)
            assert "does not answer" in page or "did not confirm" in page, page
        kept = hidden_fields(answers["give"][1])  # the form, to send again when it answers
        assert 'id="again"' in answers["give"][1] and kept["site"] == "left-thigh"
        assert kept["csrf"] == token
        took = stop(server)
        assert server.returncode in (0, -15), (tmp_path / "web.out").read_text()
        assert took < 15, f"the page took {took:.1f} s to stop"  # the figure: bench/hostile.py
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
        if server.poll() is None:
            server.kill()
    history = json.loads(run_tracker("history", "--json", env=env).stdout)["entries"]
    assert not [e for e in history if e["kind"] == "dose"]  # given up: never committed later


def test_a_stolen_cookie_alone_cannot_make_a_form(served, isolated):
    import hashlib
    import hmac

    port, _server, phone = served
    tablet = Phone(port, pair(port, "Rose's tablet"))
    db = isolated / "log" / "tracker.db"
    secret = isolated / "log" / "web-secret"
    assert secret.exists() and (secret.stat().st_mode & 0o777) == 0o600
    mine = phone.tokens("/")["give"]
    stock = phone.tokens("/medicine")["stock"]
    (cookie,) = [c.value for c in phone.jar]
    old_style = hmac.new(hashlib.sha256(cookie.encode()).hexdigest().encode(), b"tracker-form",
                         "sha256").hexdigest()  # what the cookie alone used to compute
    base = {"child": "1", "site": "left-thigh", "q_meal": "yes", "k_meal": "yesno"}
    for token, who in ((old_style, phone), (mine, tablet), (stock, phone),
                       (mine[:-1] + ("0" if mine[-1] != "0" else "1"), phone)):
        status, page = who.post("/do/give", {**base, "csrf": token})
        assert status == 403 and "out of date" in page
    assert rows(db, "SELECT count(*) FROM dose") == [(0,)]
    assert phone.post("/do/give", {**base, "csrf": mine})[0] == 200
    assert rows(db, "SELECT count(*) FROM dose") == [(1,)]


def test_a_form_token_expires_and_names_its_device_and_form():
    from tracker.web.forms import FORM_VALID, Signer

    signer = Signer(b"k" * 32)
    now = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    token = signer.token(7, "give", now)
    assert signer.check(token, 7, "give", now) == token.split(".")[0]
    assert signer.check(token, 7, "give", now + timedelta(seconds=FORM_VALID - 1))
    assert signer.check(token, 7, "give", now + timedelta(seconds=FORM_VALID + 1)) is None
    assert signer.check(token, 8, "give", now) is None
    assert signer.check(token, 7, "withhold", now) is None
    assert Signer(b"x" * 32).check(token, 7, "give", now) is None
    assert signer.check("a.b.c", 7, "give", now) is None


def test_every_form_sent_twice_records_once(served, isolated):
    """A re-tap or a retry of each form of the page: the second post records nothing and
    is answered with the first's result."""
    _port, _server, phone = served
    db = isolated / "log" / "tracker.db"
    assert run_tracker("give", "--child", "Mia", "--site", "left-thigh", "--at", "07:35",
                       env=NOW).returncode == 0
    tables = ("dose", "symptom", "glucose", "measurement", "vial", "stock_change", "revision")

    def counts() -> dict[str, object]:
        return {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables} | {
            "voided": rows(db, "SELECT count(*) FROM symptom WHERE voided_at IS NOT NULL")[0][0]}

    cases = [
        ("/", "give", {"child": "1", "site": "left-thigh", "q_meal": "yes",
                       "k_meal": "yesno"}),
        ("/", "withhold", {"child": "2", "reason": "ill"}),
        ("/log", "symptom", {"child": "1", "kind": "headache", "severity": "mild"}),
        ("/log", "glucose", {"child": "1", "reading": "92"}),
        ("/log", "measure", {"child": "1", "height": "118.2"}),
        ("/medicine", "vial", {"child": "1", "lot": "AB1"}),
        ("/medicine", "stock", {"child": "1", "count": "3", "how": "add"}),
        ("/entry/D1", "edit", {"child": "1", "entry": "D1", "site": "right thigh",
                               "why": "wrong leg"}),
    ]
    for page, action, fields in cases:
        form = {"csrf": phone.tokens(page)[action], **fields}
        first_status, first = phone.post(f"/do/{action}", form)
        assert first_status == 200 and said(first), (action, first)
        before = counts()
        again_status, again = phone.post(f"/do/{action}", form)
        assert again_status == 200
        assert said(again).startswith(said(first).split(" (This form")[0]), action
        assert "recorded once" in said(again), action
        assert counts() == before, action
    # undo too: the symptom is undone once
    undo = {"csrf": phone.tokens("/history")["undo"], "child": "1", "entry": "S1",
            "q_undo": "yes", "k_undo": "yesno"}
    assert phone.post("/do/undo", undo)[0] == 200
    assert "recorded once" in said(phone.post("/do/undo", undo)[1])
    assert rows(db, "SELECT count(*) FROM revision WHERE action = 'void'") == [(1,)]
    # two posts of one form at the same moment: one of them records
    form = {"csrf": phone.tokens("/medicine")["stock"], "child": "2", "count": "4",
            "how": "add"}
    both = [threading.Thread(target=phone.post, args=("/do/stock", form)) for _ in range(2)]
    for t in both:
        t.start()
    for t in both:
        t.join(60)
    assert rows(db, "SELECT count(*), sum(change) FROM stock_change WHERE child_id = 2"
                ) == [(1, 4)]


def test_the_page_says_only_what_the_server_did(served):
    port, _server, phone = served
    for path in ("/?done=Logged D41 for Mia: 0.80 mg", "/?said=the dose was lost. Give it "
                 "again now", "/?msg=made-up", "/log?done=Logged", "/medicine?said=lost"):
        status, page = phone.get(urllib.parse.quote(path, safe="/?=&"))
        assert status == 200
        assert said(page) == "" and "Logged D41" not in page and "Give it again" not in page
    form = {"csrf": phone.tokens("/log")["symptom"], "child": "1", "kind": "dizziness"}
    data = urllib.parse.urlencode(form).encode()

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # keep the redirect to look at it
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(phone.jar), Stay)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(urllib.request.Request(phone.url("/do/symptom"), data=data))
    where = redirect.value.headers["Location"]
    assert redirect.value.code == 303 and "Logged" not in where and "msg=" in where
    other = Phone(port, pair(port, "Rose's tablet"))
    assert said(other.get(where)[1]) == ""  # another device's message is not shown to it
    assert said(phone.get(where)[1]).startswith("Recorded S1: Mia")  # shown once...
    assert said(phone.get(where)[1]) == ""  # ...and a bookmark of it says nothing


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def raw_post(port: int, path: str, body_size: int, cookie: str | None = None,
             sent: int = 1 << 20) -> bytes:
    """A POST announcing `body_size` bytes, of which `sent` are sent; the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        head = (f"POST {urllib.parse.urlsplit(at(port, path)).path} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {body_size}\r\n"
                + (f"Cookie: tracker_paired={cookie}\r\n" if cookie else "") + "\r\n")
        s.sendall(head.encode())
        try:
            chunk = b"a=" + b"x" * 65534 + b"&"
            for _ in range(min(sent, body_size) // len(chunk)):
                s.sendall(chunk)
        except OSError:
            pass  # the server answered and closed without reading it all: as it should
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                data = s.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
        return answer


def test_bodies_cost_nothing_before_the_device_is_known_and_are_capped_after(served):
    port, server, phone = served
    before = rss_kb(server.pid)
    for _ in range(3):  # 150 fields of 1 MB each, from no device
        answer = raw_post(port, "/do/symptom", 150 << 20, sent=8 << 20)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert rss_kb(server.pid) - before < 20_000, "an unpaired body was read into memory"
    (cookie,) = [c.value for c in phone.jar]
    assert raw_post(port, "/do/symptom", 1 << 20, cookie=cookie).startswith(b"HTTP/1.1 413")
    # without a length: counted as it arrives
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        path = urllib.parse.urlsplit(at(port, "/do/symptom")).path
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   f"Transfer-Encoding: chunked\r\nCookie: tracker_paired={cookie}\r\n\r\n"
                   ).encode())
        piece = b"x" * 32768
        try:
            for _ in range(4):
                s.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        except OSError:
            pass
        assert s.recv(65536).startswith(b"HTTP/1.1 413")


def test_a_request_whose_headers_drip_is_closed(served):
    port, _server, _phone = served
    from tracker.web.server import HEADER_WAIT

    with socket.create_connection(("127.0.0.1", port), timeout=HEADER_WAIT + 20) as s:
        s.sendall(b"GET / HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < HEADER_WAIT + 15:
            try:
                s.sendall(b"X")  # one byte of a header line every half second
            except OSError:
                closed = True
                break
            s.settimeout(0.5)
            try:
                if s.recv(1024) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
    assert closed, "a dripping client kept its connection"


def test_a_download_name_with_quotes_and_backslashes(isolated, tmp_path):
    from tracker.web.pages import content_disposition

    header = content_disposition('Zoë "Z" O\\Brien-doses.csv')
    assert header.startswith('attachment; filename="Zo_ _Z_ O_Brien-doses.csv"; ')
    assert header.endswith("filename*=UTF-8''Zo%C3%AB%20%22Z%22%20O%5CBrien-doses.csv")
    args = list(MIA)
    args[args.index("Mia")] = 'Zoë "Z"'
    assert run_tracker(*args, env={"TRACKER_FAKE_NOW": "2026-11-24T09:00:00+01:00"}
                       ).returncode == 0
    port, server = start(SERVER_NOW, tmp_path / "web.out")
    try:
        phone = Phone(port, pair(port, "Eli's phone"))
        with phone.opener.open(phone.url("/download/doses.csv?child=1")) as r:
            disposition = r.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="Zo_ _Z_-doses.csv"; ')
        assert disposition.count('"') == 2
    finally:
        stop(server)


def test_the_pairing_limit_is_checked_before_a_code_is_looked_up(served, isolated):
    port, _server, _phone = served
    link = pair(port, "Rose's tablet")
    codes = []
    for n in range(10):
        try:
            urllib.request.urlopen(at(port, f"/pair/guess{n}"))
        except urllib.error.HTTPError as exc:
            codes.append(exc.code)
    assert codes == [404] * 10
    for method in ("GET", "POST"):
        with pytest.raises(urllib.error.HTTPError) as limited:
            urllib.request.urlopen(urllib.request.Request(link, method=method, data=(
                b"" if method == "POST" else None)))
        assert limited.value.code == 429
    db = isolated / "log" / "tracker.db"
    assert rows(db, "SELECT used_at FROM pairing WHERE name = \"Rose's tablet\"") == [(None,)]


def test_the_signing_secret_is_owner_only_and_one_others_could_read_is_replaced(tmp_path):
    from tracker.web.forms import SECRET_FILE, load_secret

    first = load_secret(tmp_path / "log")
    path = tmp_path / "log" / SECRET_FILE
    assert (path.stat().st_mode & 0o777) == 0o600 and len(first) == 32
    assert load_secret(tmp_path / "log") == first  # the same secret at every start
    path.chmod(0o644)  # others could read it: forms signed with it are not trusted
    second = load_secret(tmp_path / "log")
    assert second != first and (path.stat().st_mode & 0o777) == 0o600
    path.write_text("not hex\n")
    path.chmod(0o600)
    assert load_secret(tmp_path / "log") not in (first, second)
