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
