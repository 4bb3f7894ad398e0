"""Starting the service at login: the files written for each system."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tracker.reminders import autostart

ENV = {"TRACKER_DB": "/home/anna/.local/share/tracker/tracker.db"}


def test_systemd_unit(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    plan = autostart.plan("linux", tmp_path, "/opt/venv/bin/python", ENV)
    assert plan.path == tmp_path / "cfg" / "systemd" / "user" / "tracker-remind.service"
    assert 'ExecStart="/opt/venv/bin/python" -m tracker remind run' in plan.content
    assert f'Environment="TRACKER_DB={ENV["TRACKER_DB"]}"' in plan.content
    assert "WantedBy=default.target" in plan.content
    assert ["systemctl", "--user", "enable", "--now", "tracker-remind.service"] in plan.start


def test_launchd_agent_is_valid_xml(tmp_path):
    import plistlib

    plan = autostart.plan("darwin", tmp_path, "/opt/venv/bin/python", {"TRACKER_DB": "a&b"})
    data = plistlib.loads(plan.content.encode())
    assert data["ProgramArguments"] == ["/opt/venv/bin/python", "-m", "tracker", "remind", "run"]
    assert data["EnvironmentVariables"] == {"TRACKER_DB": "a&b"}
    assert data["RunAtLoad"] is True


def test_windows_startup_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    plan = autostart.plan("win32", tmp_path, r"C:\venv\Scripts\python.exe", ENV)
    assert plan.path.name == "tracker-remind.cmd" and "Startup" in plan.path.parts
    assert r'"C:\venv\Scripts\pythonw.exe" -m tracker remind run' in plan.content


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="writes a systemd user unit")
def test_install_and_uninstall_through_the_cli(tracker, isolated):
    tracker.ok("remind", "install", "--no-start")
    unit = Path(isolated / "home" / "config" / "systemd" / "user" / "tracker-remind.service")
    assert unit.is_file() and stat.S_IMODE(unit.stat().st_mode) == 0o600
    assert str(tracker.db) in unit.read_text()
    r = tracker.ok("remind", "uninstall")
    assert "Removed" in r.out and not unit.exists()
    assert "Nothing to remove" in tracker.ok("remind", "uninstall").out
