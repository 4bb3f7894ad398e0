"""The other caregiver's phone: people told when a dose is still not logged.

A contact is an Apprise URL (ntfy, Pushover, Telegram, Signal, Matrix, e-mail and about a
hundred more), so a household uses the service it already has. The URL may hold a token
or a password: it is kept in the log (owner-only) and shown masked everywhere. Apprise is
imported only when a contact exists or is added, so tracker opens no network connection
unless the user configured one. Sending is `contact_send.tell`: a child process with a
deadline, so a slow phone service never holds anything up.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.db.models import Contact
from tracker.domain import text
from tracker.domain.reminders import CONTACT_AFTER, CONTACT_AFTER_RANGE
from tracker.errors import InputError, NotFound
from tracker.i18n import _
from tracker.services.delivery.contact_send import Sent, masked, tell, with_link

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_AFTER = CONTACT_AFTER  # every front's default (the option's, the page's)


def check_url(url: str) -> str:
    """An Apprise URL that can be used, else refused in words."""
    import apprise

    url = url.strip()
    if apprise.Apprise.instantiate(url) is None:
        scheme = url.split("://", 1)[0] if "://" in url else url[:20]
        raise InputError(
            # TRANSLATORS: the addresses are examples, typed as they are
            _("{scheme} is not a notification address tracker can use: write it as an Apprise "
              "URL, e.g. ntfy://ntfy.sh/your-topic or mailto://user:password@example.com").format(
                scheme=repr(scheme))
        )
    return url


def check_language(language: str | None) -> str | None:
    """A language a contact can be written to in (its code), None for the household's."""
    from tracker import i18n

    if language is None or not language.strip():
        return None
    found = i18n.pick(language) or i18n.named(language)
    if found is None or found == i18n.PSEUDO:
        raise InputError(_("language {language!r}: tracker speaks {known}").format(
                             language=language, known=", ".join(i18n.available())))
    return found


def set_language(session: Session, name: str, language: str | None) -> Contact:
    """The language a contact's messages are written in (None: the household's)."""
    found = find(session, name)
    found.language = check_language(language)
    return found


def add(session: Session, *, name: str, url: str, after: int, now: datetime, by: str,
        language: str | None = None) -> Contact:
    clean = text.clean_name(name, _("the contact's name"))
    soonest, latest = CONTACT_AFTER_RANGE
    if not soonest <= after <= latest:
        raise InputError(_("{after} minutes: tell a contact {soonest} to {latest} minutes after "
                           "a dose time").format(
                             after=after, soonest=soonest, latest=latest))
    if session.scalar(select(Contact).where(Contact.name == clean)) is not None:
        raise InputError(_("there is already a contact called {name}: remove it first").format(
                             name=repr(clean)))
    contact = Contact(name=clean, url=check_url(url), after_minutes=after, created_at=now,
                      created_by=text.clean_name(by, _("the caregiver's name")),
                      language=check_language(language))
    session.add(contact)
    session.flush()
    return contact


def all_contacts(session: Session) -> list[Contact]:
    return list(session.scalars(select(Contact).order_by(Contact.name)))


def find(session: Session, name: str) -> Contact:
    found = session.scalar(select(Contact).where(Contact.name == name.strip()))
    if found is None:
        names = ", ".join(c.name for c in all_contacts(session))
        raise NotFound((_("no contact called {name} (contacts: {names})") if names
                        else _("no contact called {name} (contacts: none yet)")).format(
                           name=repr(name.strip()), names=names))
    return found


def remove(session: Session, name: str) -> str:
    """Stop telling a contact; what was done, in one sentence."""
    found = find(session, name)
    session.delete(found)
    return _("Removed {name}: they are no longer told.").format(name=found.name)


__all__ = ["Sent", "add", "all_contacts", "check_language", "check_url", "find", "masked",
           "remove", "set_language", "tell", "with_link"]
