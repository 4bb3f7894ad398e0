"""Notification channels report what happened instead of failing silently."""

from __future__ import annotations

import io

from tracker.reminders import channels


def test_no_session_bus_is_detected(monkeypatch):
    monkeypatch.setattr(channels.sys, "platform", "linux")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert "no D-Bus session bus" in (channels.notification_service_error() or "")
    result = channels.Desktop().send("t", "b")
    # a parent reads words; the technical reason is kept apart for --verbose and doctor
    assert result == channels.Result(
        "desktop", False, "this computer cannot show notifications right now",
        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)",
    )


def test_terminal_fallback_writes_the_reminder():
    out = io.StringIO()
    result = channels.Terminal(out).send("Mia: dose due", "0.80 mg")
    assert result.ok and "Mia: dose due" in out.getvalue() and "0.80 mg" in out.getvalue()


def test_macos_command_quotes_what_applescript_needs():
    cmd = channels.osascript_command('Don\'t forget "Mia"', "back\\slash")
    assert cmd[:2] == ["osascript", "-e"]
    assert cmd[2] == ('display notification "back\\\\slash" with title '
                      '"Don\'t forget \\"Mia\\""')
