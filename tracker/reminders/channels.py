"""Ways to reach a parent, each returning an explicit result.

On Linux the notification server is called directly (gdbus, the freedesktop protocol):
plyer's notify-send backend ignores failures and its gdbus backend breaks on a quote, so
neither can tell whether a notification was shown; the server's own answer can. plyer
remains the desktop channel elsewhere (Windows), and on Linux without gdbus. Whatever
happens on the desktop, the reminder is also written to the terminal the service runs in
(and the service's log), so a failure is never silent.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol, TextIO, runtime_checkable

from tracker.domain.reminders import CANNOT_SHOW  # one sentence, said by doctor too
from tracker.i18n import _

NOTIFICATIONS = "org.freedesktop.Notifications"


class Action(NamedTuple):
    """A button on a notification: its label, and what a press does (run in a worker
    thread). Here, beside the channels that show it, so buttons and channels depend one
    way only."""

    label: str  # in the reader's language
    run: Callable[[], None]
    undo: bool = False  # the Undo after a press: shown as long as it works


class Result(NamedTuple):
    channel: str
    ok: bool
    error: str | None = None  # in words a parent understands (kept in the delivery log)
    detail: str | None = None  # the technical reason: --verbose and tracker doctor


class Channel(Protocol):
    name: str

    def send(self, title: str, body: str, actions: Sequence[Action] = ()) -> Result: ...


@runtime_checkable
class Threaded(Protocol):
    """A channel that keeps one notification on screen per dose: a later reminder of the
    same dose takes the place of the earlier one, and a dose logged takes it away, so the
    screen never holds a button that would only be refused."""

    name: str

    def send(self, title: str, body: str, actions: Sequence[Action] = (), *,
             thread: str | None = None) -> Result: ...

    def withdraw(self, thread: str) -> None: ...


def withdraw(channels: list[Channel], thread: str) -> None:
    """Take a dose's notification off every screen that can (best effort: it is only
    tidiness, and a press on it would be refused in words anyway)."""

    for channel in channels:
        if isinstance(channel, Threaded):
            with contextlib.suppress(Exception):
                channel.withdraw(thread)


def notification_service_error() -> str | None:
    """Why a desktop notification cannot be shown here, or None when it can (Linux)."""
    if sys.platform == "linux":
        return _session_bus_error()
    else:  # elsewhere the notification itself says whether it could be shown
        return None


def _session_bus_error() -> str | None:
    """Linux: the session bus and a notification daemon on it."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return _("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    gdbus = shutil.which("gdbus")
    if gdbus is None:
        return None  # cannot ask; plyer will try
    try:
        out = subprocess.run(
            [
                gdbus,
                "call",
                "--session",
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.NameHasOwner",
                NOTIFICATIONS,
            ],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _("cannot ask the session bus: {exc}").format(exc=exc)
    if out.returncode != 0:
        return _("the session bus does not answer: {value}").format(
                   value=out.stderr.strip() or out.returncode)
    if "true" not in out.stdout:
        return _("no notification daemon is running on the session bus")
    return None


def osascript_command(title: str, body: str) -> list[str]:
    """macOS: plyer's notifier does nothing outside an app bundle; AppleScript works."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return ["osascript", "-e", f"display notification {quoted(body)} with title {quoted(title)}"]


def gvariant_string(text: str) -> str:
    """A string in GVariant's text format: quotes and backslashes escaped, so a name like
    D'Arcy or a note with a quote reaches the server as typed."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def call_notifications(gdbus: str, method: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [gdbus, "call", "--session", "--dest", NOTIFICATIONS, "--object-path",
         "/org/freedesktop/Notifications", "--method", f"{NOTIFICATIONS}.{method}", "--", *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def freedesktop_notify(gdbus: str, title: str, body: str) -> Result:
    """Notify through the notification server itself, and read its answer.

    The body is markup where the server says it takes markup ("Mia & Leo" would break it,
    "<b>" would restyle it), so it is escaped there; the title is plain text by the
    specification. "ok" means the server answered with the notification's id, not that a
    bus was there.
    """
    caps = call_notifications(gdbus, "GetCapabilities")
    if caps.returncode == 0 and "'body-markup'" in caps.stdout:
        body = html.escape(body, quote=False)
    done = call_notifications(gdbus, "Notify", gvariant_string("tracker"), "0",
                              gvariant_string(""), gvariant_string(title), gvariant_string(body),
                              "[]", "{}", "-1")
    if done.returncode != 0 or not done.stdout.strip().startswith("(uint32"):
        return Result("desktop", False, _("the desktop refused to show the notification"),
                      done.stderr.strip() or done.stdout.strip())
    return Result("desktop", True)


class Desktop:
    """Without buttons: where desktop-notifier cannot run, or says there are none."""

    name = "desktop"

    def send(self, title: str, body: str, actions: Sequence[Action] = ()) -> Result:
        if sys.platform == "darwin":
            try:
                done = subprocess.run(osascript_command(title, body), capture_output=True,
                                      text=True, timeout=10, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return Result(self.name, False, _(CANNOT_SHOW), str(exc))
            if done.returncode != 0:
                return Result(self.name, False, _(CANNOT_SHOW), done.stderr.strip() or None)
            return Result(self.name, True)
        else:
            return self._elsewhere(title, body)

    def _elsewhere(self, title: str, body: str) -> Result:
        """Linux through the notification server; anywhere else through plyer."""
        problem = notification_service_error()
        if problem:
            return Result(self.name, False, _(CANNOT_SHOW), problem)
        gdbus = shutil.which("gdbus") if sys.platform.startswith("linux") else None
        if gdbus is not None:
            try:
                return freedesktop_notify(gdbus, title, body)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return Result(self.name, False, _(CANNOT_SHOW),
                              _("the notification server did not answer: {exc}").format(exc=exc))
        try:

            # only when a desktop notification is sent (plyer probes the platform on import)
            from plyer import notification

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # plyer warns when dbus-python is missing
                notification.notify(title=title, message=body, app_name="tracker", timeout=0)
        except Exception as exc:  # plyer raises anything from NotImplementedError to DBus errors
            return Result(self.name, False, _(CANNOT_SHOW),
                          f"{type(exc).__name__}: {exc}".strip(": "))
        return Result(self.name, True)


class Terminal:
    """The fallback that always exists: the service's own output (a terminal or a journal)."""

    name = "terminal"

    def __init__(self, stream: TextIO | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.stream = stream
        self.clock = clock or datetime.now  # the service's clock, not the machine's

    def send(self, title: str, body: str, actions: Sequence[Action] = ()) -> Result:
        stream = self.stream or sys.stderr
        try:
            stamp = self.clock().astimezone().strftime("%H:%M")
            stream.write(f"\a[{stamp}] {title}\n        {body}\n")
            stream.flush()
        except (OSError, ValueError) as exc:
            return Result(self.name, False, str(exc))
        return Result(self.name, True)


def deliver(
    channels: list[Channel], title: str, body: str, actions: Sequence[Action] = (), *,
    thread: str | None = None,
) -> list[Result]:
    """Send through every channel; one failing never stops the others. Buttons go only
    where they can be pressed (the desktop with buttons); the rest ignore them. `thread`
    names the dose a reminder is about (see Threaded)."""
    results = []
    for channel in channels:
        try:
            if thread is not None and isinstance(channel, Threaded):
                results.append(channel.send(title, body, actions, thread=thread))
            else:
                results.append(channel.send(title, body, actions))
        except Exception as exc:  # a channel must never take the service down
            results.append(Result(channel.name, False, _("the {name} channel failed").format(
                                                           name=channel.name),
                                  f"{type(exc).__name__}: {exc}"))
    return results
