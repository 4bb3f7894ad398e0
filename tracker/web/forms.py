"""What makes a form of the household page trustworthy, and what a post says afterwards.

Form tokens. Each form carries a token that the server signs with a secret of its own,
kept in a file beside the log that only its owner can read: it names the device, the
form (give, withhold, symptom...), a one-time id and an expiry. A page elsewhere cannot
know it, a device's cookie alone cannot compute it (as the old token could, an HMAC of
the cookie's hash with a fixed key), a token of one device or one form is refused for
another, and an old one expires. The one-time id is also what makes the form record
once (tracker.services.record.submissions).

Messages. What a post did is said once, after its redirect, from the server: the redirect
carries only a random id of a short-lived message kept here, bound to the device. Text in
a URL is never shown, so a link cannot make the page claim a dose was logged or lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import threading
import time
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from tracker import files
from tracker.config import ensure_private_dir
from tracker.errors import InputError, StorageError
from tracker.i18n import _
from tracker.places import SECRET_FILE as ROLE
from tracker.places import open_own

FORM_VALID = 24 * 3600  # seconds: a page left open overnight still works in the morning
SECRET_FILE = "web-secret"
MESSAGE_VALID = 600.0  # seconds a message waits for its page
MESSAGES_KEPT = 1000


def load_secret(folder: Path) -> bytes:
    """The page's signing secret, made on first use: owner-only, beside the log.

    Read only from a plain file of the user's own, never through a symbolic link and
    never another user's (tracker.places.open_own): such a file is refused with a
    StorageError saying whose it is and what to do, and the page does not start (forms
    signed with a secret someone else knows could be forged). One of the user's own that
    others could read (or that is damaged) is replaced by a new one: the only cost is
    that forms already open must be opened again."""

    path = folder / SECRET_FILE
    found = _read_secret(path)
    if found is not None and found[1]:
        return found[0]
    ensure_private_dir(folder)
    # another server may make it at the same moment: theirs is as good
    with contextlib.suppress(InputError):
        files.write_text(path, secrets.token_hex(32) + "\n", force=found is not None)
    made = _read_secret(path)
    if made is None or not made[0]:

        raise StorageError(_("the household page's secret {path} could not be made: check that "
                             "its folder is yours and can be written").format(
                               path=path))
    return made[0]


def _read_secret(path: Path) -> tuple[bytes, bool] | None:
    """(the secret, whether it can be used as it is), or None when there is no file."""


    try:
        fd = open_own(path, os.O_RDONLY, create=False, role=ROLE)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        private = not stat.S_IMODE(os.fstat(fh.fileno()).st_mode) & 0o077
        raw = fh.read(4096)
    try:
        secret = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        return b"", False
    return (secret, private) if len(secret) >= 32 else (b"", False)


class Signer:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, device_id: int, action: str, once: str, expires: int) -> str:
        message = f"{device_id}|{action}|{once}|{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def token(self, device_id: int, action: str, now: datetime) -> str:
        """A new form's token: its one-time id, its expiry and the signature."""
        once = secrets.token_hex(16)
        expires = int(now.timestamp()) + FORM_VALID
        return f"{once}.{expires}.{self._sign(device_id, action, once, expires)}"

    def check(self, token: str, device_id: int, action: str, now: datetime) -> str | None:
        """The form's one-time id when the token is this device's, for this form, and
        not expired; else None."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[0]) != 32:
            return None
        once, expires, signature = parts[0], int(parts[1]), parts[2]
        if not hmac.compare_digest(signature, self._sign(device_id, action, once, expires)):
            return None
        if expires < now.timestamp():
            return None
        return once


class Message(NamedTuple):
    ok: bool  # True: what was recorded; False: why nothing was
    text: str
    level: str = ""  # the judgement's level (tracker.domain.urgency), "" for routine
    notes: tuple[str, ...] = ()  # said after the headline, in order (the steps among them)


class Messages:
    """Short-lived messages for the page a post redirects to, each shown once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[int, float, Message]] = OrderedDict()

    def put(self, device_id: int, message: Message) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            self._kept[key] = (device_id, time.monotonic(), message)
            while len(self._kept) > MESSAGES_KEPT:
                self._kept.popitem(last=False)
        return key

    def take(self, key: str | None, device_id: int) -> Message | None:
        """The message, once, to the device it was made for, while it is fresh."""
        if not key:
            return None
        with self._lock:
            found = self._kept.get(key)
            if found is None or found[0] != device_id:
                return None
            del self._kept[key]
        if time.monotonic() - found[1] > MESSAGE_VALID:
            return None
        return found[2]
