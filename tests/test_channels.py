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


def test_a_desktop_without_buttons_says_how_to_log_instead():
    """Where the server shows no buttons (its capabilities say so), the reminder still goes
    out, and its text says how to log the dose."""
    import asyncio
    import threading

    from tracker.reminders.buttons import ButtonDesktop
    from tracker.reminders.channels import Action

    class Server:  # stands in for desktop-notifier's DesktopNotifier.send
        def __init__(self) -> None:
            self.sent: list[tuple[str, str, list]] = []

        async def send(self, title, message, buttons=(), timeout=-1):
            self.sent.append((title, message, list(buttons)))
            return "1"

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    server = Server()
    actions = [Action("Given · left-thigh", lambda: None), Action("Withheld", lambda: None)]
    plain = ButtonDesktop(loop, server, buttons=False, markup=True)
    assert plain.send("Mia: dose due", "0.80 mg & a snack", actions).ok
    _title, body, buttons = server.sent[-1]
    assert buttons == [] and body.endswith("Log it with: tracker give (or tracker skip).")
    assert "0.80 mg &amp; a snack" in body  # the server reads markup
    with_buttons = ButtonDesktop(loop, server, buttons=True)
    assert with_buttons.send("Mia: dose due", "0.80 mg", actions).ok
    assert [b.title for b in server.sent[-1][2]] == ["Given · left-thigh", "Withheld"]
    assert "tracker give" not in server.sent[-1][1]
    loop.call_soon_threadsafe(loop.stop)
