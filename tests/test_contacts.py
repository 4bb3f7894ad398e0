"""The other caregiver's phone: a real Apprise URL to a receiver on 127.0.0.1.

`json://` makes Apprise POST the message as JSON to the address, as a phone service's web
hook would; the test's receiver is a plain HTTP server in a thread. The service runs its
ticks on the test's clock (no sleeping on the real one).
"""

from __future__ import annotations

import json
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from test_reminder_service import Recorder

from tracker.config import database_target
from tracker.db import migrate
from tracker.db.session import make_engine
from tracker.reminders.service import ReminderService

SECRET = "s3cret-t0ken"


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what is posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self) -> str:
        return f"json://sam:{SECRET}@127.0.0.1:{self.port}/hook"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def settled(service: ReminderService, now: datetime) -> None:
    """One tick, then until the contacts it handed to the outbox were told."""
    service.tick(now)
    assert service.outbox.wait(30), "a contact was still being told after 30 s"


@pytest.fixture
def service(mia):
    target = database_target()
    migrate.prepare(target)
    engine = make_engine(target.url)
    svc = ReminderService(engine, [Recorder()])
    yield svc
    engine.dispose()


def test_a_contact_is_told_once_when_a_dose_is_late_and_not_when_it_is_logged(
    mia, clock, service, receiver
):
    added = mia.ok("remind", "contact", "add", "Sam", receiver.url(), "--after", "30")
    assert SECRET not in added.out and "json://sam:****@127.0.0.1" in added.out
    settled(service, at("2026-11-24T19:30:05+01:00"))  # the dose reminder, on this desktop
    assert receiver.posts == []
    settled(service, at("2026-11-24T19:59:00+01:00"))
    assert receiver.posts == []  # not yet: 30 minutes after 19:30
    said = []
    service.on_sent = lambda item, results: said.append(item.title)
    settled(service, at("2026-11-24T20:00:05+01:00"))
    assert len(receiver.posts) == 1
    told = receiver.posts[0]
    assert told["title"] == "Mia: the 19:30 Increlex dose is not logged yet"
    assert "30 minutes after its time" in told["message"]
    assert "household page" in told["message"] and "tracker give" not in told["message"]
    assert "until 23:30" in told["message"]
    assert said == [
        "to Sam: Mia: the 19:30 Increlex dose is not logged yet"]
    # once per slot: later ticks and a second service on the same log say nothing more
    settled(service, at("2026-11-24T20:01:00+01:00"))
    other = ReminderService(make_engine(database_target().url), [Recorder()])
    settled(other, at("2026-11-24T20:02:00+01:00"))
    other.engine.dispose()
    assert len(receiver.posts) == 1
    # the morning dose is logged in time: Sam is not told
    clock.set("2026-11-25T07:35:00+01:00")
    mia.ok("give", "--site", "left-thigh")
    settled(service, at("2026-11-25T08:05:00+01:00"))
    settled(service, at("2026-11-25T08:30:00+01:00"))
    assert len(receiver.posts) == 1
    log = mia.ok("remind", "log", "--verbose").out
    assert "contact   ok  to Sam: Mia: the 19:30 Increlex dose is not logged yet" in log
    assert SECRET not in log


def test_a_failing_contact_is_recorded_and_never_stops_the_reminders(mia, service, receiver):
    mia.ok("remind", "contact", "add", "Gone", f"json://x:{SECRET}@127.0.0.1:{closed_port()}/")
    mia.ok("remind", "contact", "add", "Sam", receiver.url(), "--after", "45")
    settled(service, at("2026-11-24T19:30:05+01:00"))
    settled(service, at("2026-11-24T20:00:05+01:00"))  # Gone fails
    settled(service, at("2026-11-24T20:15:05+01:00"))  # Sam still told, the desktop still works
    assert len(receiver.posts) == 1
    assert any("not logged yet" in t for t, _ in service.channels[0].sent)
    log = mia.ok("remind", "log").out
    assert "contact   FAILED (the contact could not be reached)  to Gone:" in log
    verbose = mia.ok("remind", "log", "--verbose").out
    assert SECRET not in verbose
    test = mia("remind", "contact", "test", "Gone", "--verbose")
    assert test.code == 1 and "Not sent to Gone: the contact could not be reached" in test.out
    assert SECRET not in test.out + test.err


def test_contacts_are_listed_tested_and_removed_with_secrets_masked(mia, receiver):
    mia.ok("remind", "contact", "add", "Sam", receiver.url(), "--after", "20")
    header = f"json://127.0.0.1:{receiver.port}/h?-X-Token={SECRET}&format=text"
    mia.ok("remind", "contact", "add", "Rose", header)
    listed = mia.ok("remind", "contact", "list").out
    assert "Sam  after 20 min  json://sam:****@127.0.0.1" in listed
    assert "Rose  after 30 min" in listed and "-X-Token=****" in listed
    assert "format=text" in listed and SECRET not in listed
    tested = mia.ok("remind", "contact", "test", "Sam")
    assert "Sent a test message to Sam" in tested.out and SECRET not in tested.out
    assert receiver.posts[-1]["title"] == "tracker: test message"
    for args in (("remind", "status"), ("doctor",)):
        shown = mia(*args)
        assert SECRET not in shown.out + shown.err
        assert "Sam" in shown.out and "json://sam:****@" in shown.out
    again = mia.fails("remind", "contact", "add", "Sam", receiver.url(), code=2)
    assert "already a contact called 'Sam'" in again.err and SECRET not in again.err
    bad = mia.fails("remind", "contact", "add", "Eve", f"nosuch://eve:{SECRET}@x", code=2)
    assert "is not a notification address tracker can use" in bad.err and SECRET not in bad.err
    assert "Removed Sam" in mia.ok("remind", "contact", "remove", "Sam").out
    assert "no contact called 'Sam' (contacts: Rose)" in mia.fails(
        "remind", "contact", "remove", "Sam", code=3).err


def test_a_contact_by_e_mail_gets_the_late_dose(mia, service):
    """mailto:// to a real SMTP server (aiosmtpd) on 127.0.0.1."""
    from aiosmtpd.controller import Controller

    mails: list[str] = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            mails.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    port = closed_port()
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        mia.ok("remind", "contact", "add", "Grandma",
               f"mailto://127.0.0.1:{port}?from=tracker@example.org&to=rose@example.org"
               "&mode=insecure", "--after", "60")
        settled(service, at("2026-11-24T20:00:05+01:00"))
        assert mails == []
        settled(service, at("2026-11-24T20:30:05+01:00"))
        settled(service, at("2026-11-24T20:31:00+01:00"))
    finally:
        smtp.stop()
    assert len(mails) == 1
    assert "Subject: Mia: the 19:30 Increlex dose is not logged yet" in mails[0]
    assert "To: rose@example.org" in mails[0]


def test_while_the_page_runs_a_contact_gets_the_link_to_today(mia, service, receiver):
    from tracker.db.session import transaction
    from tracker.db.state import set_state
    from tracker.services.record.contacts import with_link

    mia.ok("remind", "contact", "add", "Sam", receiver.url())
    with transaction(service.engine, write=True) as session:  # as `tracker web --lan` does
        set_state(session, "web_url", "http://192.168.1.5:8765", at("2026-11-24T19:00:00+01:00"))
    settled(service, at("2026-11-24T20:00:05+01:00"))
    assert receiver.posts[0]["message"].endswith("Log it here: http://192.168.1.5:8765/#child-1")
    # ntfy opens the page when the phone's notification is tapped
    tapped = with_link("ntfy://ntfy.sh/mia-doses", "http://192.168.1.5:8765/#child-1")
    import apprise

    assert apprise.Apprise.instantiate(tapped).click == "http://192.168.1.5:8765/#child-1"
    assert with_link(receiver.url(), "http://x/") == receiver.url()  # json has no tap target
