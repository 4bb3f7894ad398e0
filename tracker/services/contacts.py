"""The other caregiver's phone: people told when a dose is still not logged.

A contact is an Apprise URL (ntfy, Pushover, Telegram, Signal, Matrix, e-mail and about a
hundred more), so a household uses the service it already has. The URL may hold a token
or a password: it is kept in the log (owner-only) and shown masked everywhere. Apprise is
imported only when a contact exists or is added, so tracker opens no network connection
unless the user configured one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import parse_qsl

from sqlalchemy import select

from tracker.db.models import Contact
from tracker.domain import text
from tracker.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_AFTER = 30
SEND_TIMEOUT = 10  # seconds, for connecting and for the answer: a slow phone service
# must not hold the reminder service for long
_SAFE_KEYS = {"priority", "format", "mode", "method", "click", "tags", "title"}


class Sent(NamedTuple):
    ok: bool
    error: str | None = None  # in words
    detail: str | None = None  # what Apprise said, with secrets masked


def masked(url: str) -> str:
    """The URL with its secrets hidden: Apprise masks passwords and tokens in the path;
    query values it does not know (custom headers such as ?-X-Token=) are hidden here."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    shown_url = plugin.url(privacy=True) if plugin is not None else url  # type: ignore[no-untyped-call]
    base = shown_url.split("?", 1)[0]
    if plugin is None:  # not a URL Apprise reads: show its scheme only
        return url.split("://", 1)[0] + "://****"
    query = url.split("?", 1)[1] if "?" in url else ""
    shown = [
        f"{k}={v if k.lower() in _SAFE_KEYS else '****'}" for k, v in parse_qsl(query)
    ]
    return base + ("?" + "&".join(shown) if shown else "")


def check_url(url: str) -> str:
    """An Apprise URL that can be used, else refused in words."""
    import apprise

    url = url.strip()
    if apprise.Apprise.instantiate(url) is None:
        scheme = url.split("://", 1)[0] if "://" in url else url[:20]
        raise InputError(
            f"{scheme!r} is not a notification address tracker can use: write it as an "
            "Apprise URL, e.g. ntfy://ntfy.sh/your-topic or mailto://user:password@example.com"
        )
    return url


def add(session: Session, *, name: str, url: str, after: int, now: datetime, by: str) -> Contact:
    clean = text.clean_name(name, "the contact's name")
    if not 5 <= after <= 240:
        raise InputError(f"--after {after}: tell a contact 5 to 240 minutes after a dose time")
    if session.scalar(select(Contact).where(Contact.name == clean)) is not None:
        raise InputError(f"there is already a contact called {clean!r}: remove it first")
    contact = Contact(name=clean, url=check_url(url), after_minutes=after, created_at=now,
                      created_by=text.clean_name(by, "the caregiver's name"))
    session.add(contact)
    session.flush()
    return contact


def all_contacts(session: Session) -> list[Contact]:
    return list(session.scalars(select(Contact).order_by(Contact.name)))


def find(session: Session, name: str) -> Contact:
    found = session.scalar(select(Contact).where(Contact.name == name.strip()))
    if found is None:
        names = ", ".join(c.name for c in all_contacts(session)) or "none yet"
        raise NotFound(f"no contact called {name.strip()!r} (contacts: {names})")
    return found


TAP_TARGET_SCHEMES = ("ntfy://", "ntfys://")  # services whose notification opens a link


def with_link(url: str, link: str | None) -> str:
    """The contact's URL with the household page as what a tap on the phone's notification
    opens, where the service supports one (ntfy's click)."""
    from urllib.parse import quote

    if not link or not url.startswith(TAP_TARGET_SCHEMES) or "click=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}click={quote(link, safe='')}"


def send(url: str, title: str, body: str, link: str | None = None) -> Sent:
    """Tell one contact; a failure is returned in words, never raised. `link` is the
    household page's Today, when it runs: said in the text, and the tap target."""
    import apprise

    if link:
        body = f"{body} Log it here: {link}"
        url = with_link(url, link)
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return Sent(False, "the contact's address cannot be used", masked(url))
    import logging

    capture = apprise.LogCapture(level=logging.WARNING, fmt="%(message)s")  # type: ignore[no-untyped-call]
    with capture as said:
        try:
            ok = notifier.notify(title=title, body=body)
        except Exception as exc:  # a plugin's own fault: recorded, never fatal
            return Sent(False, "the contact could not be reached", type(exc).__name__)
    if ok:
        return Sent(True)
    reason = " ".join(said.getvalue().split())[:300]
    secret_free = reason.replace(url, masked(url))
    return Sent(False, "the contact could not be reached", secret_free or None)
