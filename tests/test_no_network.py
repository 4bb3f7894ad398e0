"""tracker opens no network connection unless a database URL asks for one."""

from __future__ import annotations

import socket

import pytest
from conftest import MIA


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, *a, **k: refuse(None, address))
    return attempts


def test_everyday_commands_open_no_socket(no_network, tracker, clock, tmp_path):
    tracker.ok(*MIA)
    tracker.ok("give", "--site", "left-thigh", "--at", "07:40")
    for args in (("status",), ("history",), ("symptom", "headache"), ("glucose", "90"),
                 ("measure", "--weight", "20.5"), ("vial", "open"), ("vial", "status"),
                 ("info", "dosing"), ("export",), ("export", "--format", "fhir"),
                 ("export", "--format", "ics"), ("report", "-o", str(tmp_path / "r.pdf")),
                 ("backup", "-o", str(tmp_path / "b.db")), ("undo",), ("remind", "log")):
        tracker.ok(*args)
    assert no_network == []


def test_the_reminder_service_without_contacts_opens_no_socket(no_network, mia, clock):
    """Apprise is not even imported without a contact: a tick reaches no network."""
    import sys
    from datetime import datetime

    from test_reminder_service import Recorder

    from tracker.config import database_target
    from tracker.db import migrate
    from tracker.db.session import make_engine
    from tracker.reminders.service import ReminderService

    loaded = "apprise" in sys.modules  # another test may have imported it already
    target = database_target()
    migrate.prepare(target)
    service = ReminderService(make_engine(target.url), [Recorder()])
    for moment in ("2026-11-24T19:30:05+01:00", "2026-11-24T20:00:05+01:00",
                   "2026-11-24T23:31:00+01:00"):
        service.tick(datetime.fromisoformat(moment))
    service.engine.dispose()
    assert no_network == []
    assert ("apprise" in sys.modules) == loaded
