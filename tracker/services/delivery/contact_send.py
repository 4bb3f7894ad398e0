"""Telling one contact, with a deadline that holds whatever the other end does.

Apprise's own timeouts are per socket read: a server that answers `200 OK` and then one
header line every two seconds never trips them, and a thread stuck in such a send cannot
be stopped (Python joins it at exit, so it even delays a stop). So each message goes out
from a child process that is killed at the deadline: connecting, the whole exchange and
any drip count together. The URL (which may hold a token) travels on the child's stdin,
never on its command line where `ps` would show it.

This module imports neither SQLAlchemy nor tracker's models: the child starts in about a
tenth of a second, and `masked` is cheap wherever a contact is shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit

from tracker import i18n
from tracker.i18n import N_, _, formats

SEND_LIMIT = 10.0  # seconds in all for one message: connect, exchange, answer
# Query keys that never hold a secret; any other value is masked.
_SAFE_KEYS = {"priority", "format", "mode", "method", "click", "tags", "title"}
# Schemes whose host is the topic itself when no server is named (ntfy://my-topic).
_TOPIC_HOST = ("ntfy", "ntfys")
# compared as it is (tracker.reminders.service); _(STOPPING) where a person reads it
STOPPING = N_("not sent: the reminder service was stopping")
SHOWN = 4  # characters of a secret path or topic left visible, to tell contacts apart


class Sent(NamedTuple):
    ok: bool
    error: str | None = None  # in words
    detail: str | None = None  # what the service said, with secrets masked


def _mask_part(part: str) -> str:
    """A path segment or topic as it may be shown: its first letters, then an ellipsis."""
    if not part or "****" in part or "..." in part or len(part) <= SHOWN:
        return part
    return part[:SHOWN] + "…"


def masked(url: str) -> str:
    """The URL with every secret hidden.

    Apprise masks passwords and the tokens it knows of; but an ntfy topic, a json://,
    xml:// or form:// path and a web hook's path are the secret themselves (anyone who
    knows an ntfy.sh topic reads the child's dose messages), and Apprise shows them
    whole. So every path segment is cut to its first letters (`ntfy://ntfy.sh/mia-…`),
    a topic written as the host too, and query values other than plain settings are
    hidden.
    """
    import apprise

    plugin = apprise.Apprise.instantiate(url.strip())
    if plugin is None:  # not a URL Apprise reads: its scheme only
        return url.split("://", 1)[0] + "://****" if "://" in url else "****"
    shown = plugin.url(privacy=True)  # type: ignore[no-untyped-call]
    parts = urlsplit(shown)
    scheme = parts.scheme.lower()
    host = parts.netloc
    path = "/".join(_mask_part(p) for p in parts.path.split("/"))
    user, at, hostport = host.rpartition("@")
    hostname = hostport.split(":", 1)[0]
    if scheme in _TOPIC_HOST and "." not in hostname and hostname != "localhost":
        hostport = _mask_part(hostname) + hostport[len(hostname):]
    query = url.split("?", 1)[1] if "?" in url else ""
    kept = [f"{k}={v if k.lower() in _SAFE_KEYS else '****'}" for k, v in parse_qsl(query)]
    return (f"{scheme}://{user}{at}{hostport}{path.rstrip('/')}"
            + ("?" + "&".join(kept) if kept else ""))


TAP_TARGET_SCHEMES = ("ntfy://", "ntfys://")  # services whose notification opens a link


def with_link(url: str, link: str | None) -> str:
    """The contact's URL with the household page as what a tap on the phone's notification
    opens, where the service supports one (ntfy's click)."""
    if not link or not url.startswith(TAP_TARGET_SCHEMES) or "click=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}click={quote(link, safe='')}"


def send_here(url: str, title: str, body: str, link: str | None = None,
              language: str | None = None) -> Sent:
    """Tell one contact from this process (the child's work); a failure is returned in
    words, never raised. `link` is the household page's Today, when it runs: said in the
    text, and the tap target."""
    import logging

    import apprise

    if link:
        with i18n.speaking(language):  # the contact's language, as the body is
            body = _("{body} Log it here: {link}").format(body=body, link=link)
        url = with_link(url, link)
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return Sent(False, _("the contact's address cannot be used"), masked(url))
    capture = apprise.LogCapture(level=logging.WARNING, fmt="%(message)s")  # type: ignore[no-untyped-call]
    with capture as said:
        try:
            ok = notifier.notify(title=title, body=body)
        except Exception as exc:  # a plugin's own fault: recorded, never fatal
            return Sent(False, _("the contact could not be reached"), type(exc).__name__)
    if ok:
        return Sent(True)
    reason = " ".join(said.getvalue().split())[:300]
    return Sent(False, _("the contact could not be reached"), _scrub(reason, url) or None)


def _scrub(text: str, url: str) -> str:
    """A message from Apprise with the URL and its secret parts taken out."""
    text = text.replace(url, masked(url))
    parts = urlsplit(url)
    secrets = [parts.password or "", *parts.path.split("/")]
    if parts.scheme.lower() in _TOPIC_HOST:
        secrets.append(parts.hostname or "")
    for secret in sorted(filter(lambda s: len(s) > SHOWN, secrets), key=len, reverse=True):
        text = text.replace(secret, _mask_part(secret))
    return text


class Sends:
    """The child processes sending right now, so that a stop can end them at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()
        self.closed = False

    def add(self, proc: subprocess.Popen[bytes]) -> bool:
        with self._lock:
            if self.closed:
                return False
            self._live.add(proc)
            return True

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(proc)

    def kill_all(self) -> None:
        """No new send starts, and every running one ends now."""
        with self._lock:
            self.closed = True
            live = list(self._live)
        for proc in live:
            with contextlib.suppress(OSError):  # it ended on its own meanwhile
                proc.kill()


def tell(url: str, title: str, body: str, link: str | None = None, *,
         limit: float = SEND_LIMIT, sends: Sends | None = None,
         python: str | None = None, language: str | None = None) -> Sent:
    """Tell one contact within `limit` seconds in all, or say that it did not answer.
    `language`: the contact's, for what the sender adds to the body (None: the process's)."""
    payload = json.dumps({"url": url, "title": title, "body": body, "link": link,
                          "language": language}).encode()
    try:
        proc = subprocess.Popen(
            [python or sys.executable, "-m", "tracker.services.delivery.contact_send"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    except OSError as exc:
        return Sent(False, _("the contact could not be reached"),
                    _("cannot start a sender: {error}").format(error=exc))
    if sends is not None and not sends.add(proc):
        proc.kill()
        proc.wait()
        return Sent(False, STOPPING)
    try:
        out, _unused = proc.communicate(payload, timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return Sent(False, _("the contact did not answer within {seconds} seconds").format(
                               seconds=formats.decimal(f"{limit:g}")),
                    _("stopped waiting for {address}").format(address=masked(url)))
    finally:
        if sends is not None:
            sends.discard(proc)
    if sends is not None and sends.closed and proc.returncode != 0:
        return Sent(False, STOPPING)
    try:
        answer = json.loads(out.decode("utf-8"))
        return Sent(bool(answer["ok"]), answer.get("error"), answer.get("detail"))
    except (ValueError, KeyError, TypeError):
        return Sent(False, _("the contact could not be reached"),
                    _("the sender ended with code {code}").format(code=proc.returncode))


def _main() -> None:
    """The child: one message from stdin, its result as JSON on stdout."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    sent = send_here(job["url"], job["title"], job["body"], job.get("link"),
                     job.get("language"))
    sys.stdout.write(json.dumps(sent._asdict()))
    sys.stdout.flush()


if __name__ == "__main__":
    _main()
