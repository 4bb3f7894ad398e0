"""Who may open the household page: devices paired once, through a one-time link.

`tracker web pair --name "Eli's phone"` makes a link valid for ten minutes and for one
use; opening it on the phone pairs it, and the phone keeps a long random token in a
cookie. Only hashes of links and tokens are stored, so a copy of the log (a backup, an
export of the file) lets no one in. A revoked device is refused at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, bindparam, select

from tracker.db.models import Device, Pairing
from tracker.db.session import columns
from tracker.domain import text
from tracker.domain.actions import Do, act, fill
from tracker.errors import InputError, NotFound
from tracker.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAIRING_VALID = timedelta(minutes=10)
SEEN_EVERY = timedelta(minutes=1)  # last use is written at most this often


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def caregiver_of(device: str, fallback: str) -> str:
    """Who uses a device, from its name when it says so ("Eli's phone": Eli)."""
    for apostrophe in ("'s ", "\u2019s "):  # typed, or as a phone's keyboard writes it
        if apostrophe in device:
            return device.split(apostrophe)[0].strip() or fallback
    return fallback


def new_pairing(session: Session, *, name: str, caregiver: str, now: datetime) -> str:
    """A one-time pairing code for a device called `name`, used by `caregiver`."""
    clean = text.clean_name(name, _("the device's name"))
    who = text.clean_name(caregiver, _("the caregiver's name"))
    live = session.scalar(select(Device).where(Device.name == clean,
                                               Device.revoked_at.is_(None)))
    if live is not None:
        # TRANSLATORS: {command}: how to unpair that device (a command or a button)
        raise InputError(fill(_("a device called {name} is already paired: {command} first, "
                                "or choose another name"), name=repr(clean),
                              command=act(Do.REVOKE, name=clean)))
    code = secrets.token_urlsafe(24)
    session.add(Pairing(code_hash=digest(code), name=clean, caregiver=who, created_at=now,
                        expires_at=now + PAIRING_VALID))
    return code


def pairing_named(session: Session, code: str, now: datetime) -> Pairing | None:
    """The pairing a link names, if it can still be used."""
    found = session.scalar(select(Pairing).where(Pairing.code_hash == digest(code)))
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    return found


def pair(session: Session, code: str, now: datetime) -> tuple[str, Device] | None:
    """Use a pairing link: a new device and its token, or None (unknown, used, expired)."""
    found = pairing_named(session, code, now)
    if found is None:
        return None
    found.used_at = now
    token = secrets.token_urlsafe(32)
    device = Device(name=found.name, caregiver=found.caregiver, token_hash=digest(token),
                    created_at=now, last_used_at=now)
    session.add(device)
    session.flush()
    return token, device


@cache
def _device_of_token() -> Select[Device]:
    """Built once: every request of every open page asks it."""
    return select(Device).where(Device.token_hash == bindparam("token_hash"),
                                Device.revoked_at.is_(None))


def device_for(session: Session, token: str | None, now: datetime, *,
               touch: bool = True) -> Device | None:
    """The paired device a cookie's token belongs to (None: not paired, or revoked).

    `touch` records its last use; only in a write transaction: a read (the stamp every
    open page asks for every 3 s) must never turn into a write that waits for a lock."""
    if not token:
        return None
    found = session.scalar(_device_of_token(), {"token_hash": digest(token)})
    if touch and found is not None and (found.last_used_at is None
                                        or now - found.last_used_at >= SEEN_EVERY):
        found.last_used_at = now
    return found


@cache
def _who_has_token() -> Select[int, str, str]:
    return select(Device.id, Device.name, Device.caregiver).where(
        Device.token_hash == bindparam("token_hash"), Device.revoked_at.is_(None))


def who_has(session: Session, token: str | None) -> tuple[int, str, str] | None:
    """(id, name, caregiver) of the paired device a cookie's token belongs to, read only:
    what every request of every open page asks first, without loading the device."""
    if not token:
        return None
    row = columns(session, _who_has_token(), {"token_hash": digest(token)}).first()
    return None if row is None else (row[0], row[1], row[2])


def all_devices(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).where(Device.revoked_at.is_(None))
                                .order_by(Device.name)))


def revoke(session: Session, name: str, now: datetime) -> Device:
    found = session.scalar(select(Device).where(Device.name == name.strip(),
                                                Device.revoked_at.is_(None)))
    if found is None:
        names = ", ".join(d.name for d in all_devices(session))
        raise NotFound((_("no paired device called {name} (paired: {names})") if names
                        else _("no paired device called {name} (paired: none)")).format(
                           name=repr(name.strip()), names=names))
    found.revoked_at = now
    return found
