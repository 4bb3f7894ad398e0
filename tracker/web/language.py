"""The language each page is spoken in: the device's own choice (the language menu at the
foot of every page, kept in a cookie), else what the phone asks for (Accept-Language),
else English. One process serves every language: each request is answered inside
`i18n.speaking(lang)`, which reaches the log's threads (tracker.web.pool copies the
context) and Starlette's threadpool alike.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from tracker import i18n
from tracker.i18n import formats

COOKIE = "lang"  # the device's choice of language (not a secret: host-only, every path)
COOKIE_DAYS = 400
# the pages the language menu brings a device back to (any other: Today)
PAGES = frozenset({"/", "/log", "/history", "/medicine", "/charts", "/report", "/about"})
# the page being shown, relative to the page's private path: where the menu comes back to
_here: ContextVar[str] = ContextVar("tracker_web_here", default="/")


def negotiate(header: str | None) -> str | None:
    """The language tracker speaks that an Accept-Language header prefers most
    ("fr-CH, fr;q=0.9, en;q=0.8" is French), None when it names none of them."""
    if not header:
        return None
    offered: list[tuple[float, int, str]] = []
    for n, part in enumerate(header.split(",")[:32]):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        found = i18n.pick(tag)
        if found and weight > 0:
            offered.append((-weight, n, found))
    return min(offered)[2] if offered else None


def _cookie(raw: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return i18n.pick(morsel.value) if morsel is not None else None


def chosen(scope: Scope) -> str:
    """The request's language: the device's cookie beats the phone's Accept-Language."""
    headers = scope.get("headers", [])
    cookies = "; ".join(v.decode("latin-1") for k, v in headers if k == b"cookie")
    if COOKIE in cookies:
        picked = _cookie(cookies)
        if picked:
            return picked
    accept = next((v.decode("latin-1") for k, v in headers if k == b"accept-language"), None)
    return negotiate(accept) or i18n.ENGLISH


def of_request(request: Request) -> str:
    return chosen(request.scope)


class Speaking:
    """Every request answered in its language (and knowing its own page, for the menu)."""

    def __init__(self, app: ASGIApp, root: str) -> None:
        self.app, self.root = app, root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        here = path[len(self.root):] if path.startswith(f"{self.root}/") else "/"
        token = _here.set(here or "/")
        try:
            with i18n.speaking(chosen(scope)):
                await self.app(scope, receive, send)
        finally:
            _here.reset(token)


def english() -> bool:
    return i18n.language() == i18n.ENGLISH


def on_day(d: date) -> str:
    """"05 Dec 2026"; "5 déc. 2026" in French."""
    return formats.skeleton(d, "yMMMd", "%d %b %Y")


def day_month(d: date) -> str:
    """"05 Dec"; "5 déc." in French."""
    return formats.skeleton(d, "MMMd", "%d %b")


def month_year(d: date) -> str:
    """"Dec 2026"; "déc. 2026" in French."""
    return formats.skeleton(d, "yMMM", "%b %Y")


def day_time(at: datetime) -> str:
    """A moment as the history lists it: "Sat 05 Dec 2026 19:30"; "sam. 5 déc. 2026 19:30"
    in French."""
    if english():
        return at.strftime("%a %d %b %Y %H:%M")
    return f"{formats.skeleton(at.date(), 'yMMMEd', '')} {formats.clock(at)}"


def menu() -> list[dict[str, object]]:
    """The language menu: each language in its own name, with the link that chooses it
    and brings the device back to the page it is on."""
    back = _here.get()
    if back not in PAGES:  # never the address asked for echoed back (an entry, a code)
        back = "/"
    spoken = i18n.language()
    return [{"code": code, "name": name, "current": code == spoken,
             "dir": i18n.direction(code),
             "query": urlencode({"to": code, "back": back})}
            for code, name in i18n.LANGUAGES.items()]


def cookie_header(lang: str, secure: bool) -> str:
    return (f"{COOKIE}={lang}; Max-Age={COOKIE_DAYS * 24 * 3600}; Path=/; SameSite=Lax"
            + ("; Secure" if secure else ""))


def choose(root: str, secure: bool, request: Request) -> Response:
    """The menu's link: the device keeps the language, and goes back to its page (only a
    page of this site: never a redirect elsewhere)."""
    lang = i18n.pick(request.query_params.get("to")) or i18n.ENGLISH
    back = request.query_params.get("back") or "/"
    if back not in PAGES:
        back = "/"
    response = RedirectResponse(f"{root}{back}", status_code=303)
    response.headers.append("set-cookie", cookie_header(lang, secure))
    response.headers["cache-control"] = "no-store"
    return response
