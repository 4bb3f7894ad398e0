"""Desktop notifications with buttons (desktop-notifier), answered where they appear.

desktop-notifier speaks each platform's own notification service (D-Bus on Linux through
dbus-fast, Notification Center on macOS, WinRT on Windows) and is asynchronous: a press
reaches its callback only while an asyncio loop runs in the process that sent the
notification. The reminder service is threaded (APScheduler), so this channel keeps one
loop in a thread of its own and hands it each notification; a press is handed back to a
worker thread, so a database write never blocks the loop that receives the next press.

When the library cannot run here (no session bus, no notification server), `start`
returns None and the service keeps its plain desktop channel, which says why in words:
a notification is always attempted and never silently lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tracker.domain.actions import Do, act, fill
from tracker.domain.reminders import CANNOT_SHOW
from tracker.i18n import _
from tracker.reminders.channels import (
    Action,
    Result,
    call_notifications,
    notification_service_error,
)
from tracker.reminders.say import without_buttons

if TYPE_CHECKING:
    from bidict import bidict
    from desktop_notifier import DesktopNotifier


@runtime_checkable
class _ServerIds(Protocol):
    """The D-Bus backend of desktop-notifier: the server's numbers of its notifications."""

    _platform_to_interface_notification_identifier: bidict[int, str]


SEND_TIMEOUT = 10.0
UNDO_SECONDS = 600  # as long as Undo works (services.reminder_answers.UNDO_WINDOW)


def _body_markup() -> bool:
    """Whether the Linux notification server takes the body as markup (freedesktop
    capability "body-markup", which desktop-notifier does not report)."""


    gdbus = shutil.which("gdbus") if sys.platform.startswith("linux") else None
    if gdbus is None:
        return False
    try:
        caps = call_notifications(gdbus, "GetCapabilities")
    except (OSError, subprocess.TimeoutExpired):
        return False
    return caps.returncode == 0 and "'body-markup'" in caps.stdout


def _close(server_id: int) -> None:
    """Close a notification on a freedesktop server (Linux); elsewhere the desktop does."""


    gdbus = shutil.which("gdbus") if sys.platform.startswith("linux") else None
    if gdbus is not None:

        with contextlib.suppress(OSError, subprocess.TimeoutExpired):  # it stays: untidy
            call_notifications(gdbus, "CloseNotification", str(server_id))


class ButtonDesktop:
    """The desktop channel with buttons; `buttons` is False where the server has none."""

    name = "desktop"

    def __init__(self, loop: asyncio.AbstractEventLoop, notifier: DesktopNotifier, buttons: bool,
                 markup: bool = False) -> None:
        self.loop = loop
        self.notifier = notifier
        self.buttons = buttons
        self.markup = markup  # the server reads the body as markup: "Mia & Leo" escaped
        self._on_screen: dict[str, str] = {}  # a dose's thread -> its notification now
        self._lock = threading.Lock()  # sends come from the tick and from presses

    @classmethod
    def start(cls, app_name: str = "tracker") -> ButtonDesktop | None:
        """The channel, once the notification server answered; None where it cannot run."""

        if notification_service_error() is not None:
            return None
        try:
            # only where a desktop session can show buttons (an optional backend)
            from desktop_notifier import Capability, DesktopNotifier
        except ImportError:
            return None
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="notifications", daemon=True).start()
        try:
            notifier = DesktopNotifier(app_name=app_name, app_icon=None)  # not a Python logo
            caps = asyncio.run_coroutine_threadsafe(notifier.get_capabilities(), loop).result(
                SEND_TIMEOUT
            )
        except Exception:  # no server after all: the plain channel says why
            loop.call_soon_threadsafe(loop.stop)
            return None
        return cls(loop, notifier, Capability.BUTTONS in caps, _body_markup())

    def _on_press(self, action: Action, shown: list[int]) -> Callable[[], None]:
        def run() -> None:
            if shown:  # answered: it leaves the screen first, then its outcome comes as its
                _close(shown[0])  # own (so nothing on screen offers the pressed dose again)
            action.run()

        def pressed() -> None:  # on the loop: the work goes to a worker thread
            self.loop.run_in_executor(None, run)

        return pressed

    def _server_id(self, identifier: str) -> int | None:
        """The server's own number for a notification. dunst keeps a notification on
        screen after one of its buttons was pressed, and desktop-notifier forgets it at the
        press, so it is closed by this number (freedesktop CloseNotification)."""
        try:
            backend = self.notifier._backend
            if not isinstance(backend, _ServerIds):  # another platform
                return None
            return int(backend._platform_to_interface_notification_identifier.inverse[identifier])
        except (AttributeError, KeyError, TypeError, ValueError):  # another platform
            return None

    def send(self, title: str, body: str, actions: Sequence[Action] = (), *,
             thread: str | None = None) -> Result:
        # loaded with the channel above, on a desktop that shows buttons
        from desktop_notifier import Button

        shown: list[int] = []  # the server's number for it, once it is on screen
        buttons = [Button(title=a.label, on_pressed=self._on_press(a, shown)) for a in actions]
        if actions and not self.buttons:  # the server shows no buttons: say how instead

            body = f"{body} " + without_buttons(
                fill(_("Log it with: {give} (or {skip})."),
                     give=act(Do.GIVE), skip=act(Do.SKIP)))
            buttons = []
        if self.markup:

            body = html.escape(body, quote=False)
        # a reminder to answer stays until it is answered or dismissed; a confirmation
        # stays as long as its Undo works; anything else as long as the desktop likes
        timeout = -1
        if buttons:
            timeout = UNDO_SECONDS if any(a.undo for a in actions) else 0
        future: Future[str] = asyncio.run_coroutine_threadsafe(
            self.notifier.send(title, body, buttons=buttons, timeout=timeout), self.loop
        )
        try:
            identifier = future.result(SEND_TIMEOUT)
        except Exception as exc:  # the server went away: said in words, detail kept
            return Result(self.name, False, _(CANNOT_SHOW), f"{type(exc).__name__}: {exc}")
        server_id = self._server_id(identifier)
        if server_id is not None:
            shown.append(server_id)
        if thread is not None:  # the new one is up: the earlier one of its dose goes
            with self._lock:
                earlier = self._on_screen.get(thread)
                self._on_screen[thread] = identifier
            if earlier is not None:
                self._clear(earlier)
        return Result(self.name, True)

    def withdraw(self, thread: str) -> None:
        """The dose was logged: its reminder leaves the screen."""
        with self._lock:
            identifier = self._on_screen.pop(thread, None)
        if identifier is not None:
            self._clear(identifier)

    def _clear(self, identifier: str) -> None:
        """Take a notification away (desktop-notifier, on every platform); one pressed
        or dismissed already is forgotten by the library, and that is fine."""

        future = asyncio.run_coroutine_threadsafe(self.notifier.clear(identifier), self.loop)
        with contextlib.suppress(Exception):
            future.result(SEND_TIMEOUT)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
