"""The household page: today's doses on every paired caregiver's phone.

A Starlette application with Jinja2 templates, served by uvicorn (`tracker web`). It is a
front like the command line: it asks and shows, and every decision is the service
layer's. A use case that needs an answer raises a Question (tracker.services.record.questions);
the page shows it as a form and posts the use case again with the answer, as the command
line asks at the terminal. Core actions are plain forms and work without JavaScript.

What holds it together under a hostile network and a stuck log:
- the log's work runs in threads (tracker.web.pool), never on the event loop, and a page
  that waits on the log is answered in words within seconds (the form kept);
- only paired devices get data, and the device is checked before a form's body is read;
  bodies are capped and must arrive in time (tracker.web.server caps slow headers);
- forms carry a token signed with the server's own secret, bound to the device, the form
  and an expiry (tracker.web.forms), and a one-time id that makes a second post of the
  same form record nothing (tracker.services.record.submissions);
- what a post did is said by the server, once, never read from the URL;
- the Host header is checked (DNS rebinding), and the device's cookie is HttpOnly,
  SameSite=Strict, and Secure over TLS.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracker import i18n
from tracker.i18n import _
from tracker.web import language
from tracker.web.pool import LogWaits

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
from http.cookies import SimpleCookie

from sqlalchemy.exc import DBAPIError

from tracker.errors import StorageError, TrackerError, translate
from tracker.services.record.changes import stamp
from tracker.services.record.devices import pair as use_pairing
from tracker.services.record.devices import pairing_named
from tracker.services.views.today import today as today_of
from tracker.web import charts, pages
from tracker.web.base import (
    COOKIE,
    HERE,
    HOST_NAME,
    OLD_COOKIE,
    OLD_COOKIE_GONE,
    PAIRING,
    REASONS,
    TooLarge,
    Web,
    device_view,
    paired,
)
from tracker.web.say import text as page_text


async def today(request: Request) -> Response:

    web: Web = request.app.state.web
    now = web.clock()
    found = await web.read(request, lambda s, _d: (today_of(s, now), stamp(s)))
    device, (children, now_stamp) = found
    return web.page("today.html", device=device, request=request, children=children,
                    stamp=now_stamp, reasons=REASONS)


async def pair_page(request: Request) -> Response:
    """Showing the link uses nothing (a link preview must not spend it); the button does."""

    web: Web = request.app.state.web
    code, now = request.path_params["code"], web.clock()
    if not web.pairing_try(request):
        return web.too_many_pairings()

    def look(session: Session) -> tuple[str, str] | None:
        found = pairing_named(session, code, now)
        return (found.name, found.caregiver) if found else None

    found = await web.pool.run(look, write=False)
    if found is None:
        return web.wrong_pairing()
    web.pairing_worked(request)
    return web.page("pair.html", name=found[0], caregiver=found[1], code=code)


async def pair(request: Request) -> Response:
    """A wrong link is found out by a read: only a link that can still be used takes the
    log's write lock (a burst of wrong links never ties up the writers)."""

    web: Web = request.app.state.web
    code, now = request.path_params["code"], web.clock()
    if not web.pairing_try(request):
        return web.too_many_pairings()
    if not await web.pool.run(lambda s: pairing_named(s, code, now) is not None,
                              write=False):
        return web.wrong_pairing()

    def use(session: Session) -> str | None:
        paired = use_pairing(session, code, now)
        return None if paired is None else paired[0]

    token = await web.pool.run(use, write=True)
    if token is None:  # used by another tap meanwhile
        return web.wrong_pairing()
    web.pairing_worked(request)
    response = RedirectResponse(f"{web.root}/", status_code=303)
    web.set_device_cookie(response, token)
    return response


async def changes(request: Request) -> Response:
    """The log's stamp, for the page to follow other caregivers' entries (live.js)."""

    web: Web = request.app.state.web
    found = await web.read(request, lambda s, _d: stamp(s))
    return JSONResponse({"stamp": found[1]}, headers={"Cache-Control": "no-store"})


def unpaired_json(web: Web) -> Response:
    """The gate's answer to live.js on an unpaired device: no page, a flag."""
    return JSONResponse({"paired": False}, status_code=401)


async def choose_language(request: Request) -> Response:
    """The language menu's link: the device keeps its choice (no data, no gate)."""
    web: Web = request.app.state.web
    return language.choose(web.root, web.secure, request)


async def manifest(request: Request) -> Response:
    """The installed page's name in the device's language (English: the file as it is)."""
    raw = (HERE / "static" / "manifest.webmanifest").read_bytes()
    if i18n.language() != i18n.ENGLISH:
        found = json.loads(raw)
        # TRANSLATORS: the name of the household page once installed on a phone
        found["name"] = _("tracker: Increlex doses")
        found["lang"], found["dir"] = i18n.language(), i18n.direction()
        raw = json.dumps(found, ensure_ascii=False).encode("utf-8")
    return Response(raw, media_type="application/manifest+json")


async def waited(request: Request, exc: Exception) -> Response:
    """The log is busy or does not answer: said in words, within seconds, with the form
    kept to send again (safe: a form records once)."""

    web: Web = request.app.state.web
    posted = request.method == "POST"
    if isinstance(exc, LogWaits) and exc.recorded is None:
        text = _("The log did not confirm in time whether this was recorded. Look at Today or "
                  "History before giving anything again; sending this form again never records "
                  "it twice.")
    else:
        reason = (str(translate(exc, web.log) or StorageError(str(exc)))
                  if not isinstance(exc, LogWaits)
                  else _("the log is busy or does not answer right now; try again in a moment"))
        reason = f"{reason[:1].upper()}{reason[1:]}"
        # TRANSLATORS: {reason} is why the log could not be used, e.g. "The log is busy"
        text = (_("{reason}. Nothing was recorded.").format(reason=reason) if posted
                else f"{reason}.")
    form = getattr(request.state, "form", None)
    fields = dict(form.items()) if form is not None and posted else None
    return web.page("busy.html", status=503, text=text, fields=fields,
                    action=request.url.path)


async def refused(request: Request, exc: Exception) -> Response:
    """A mistake in what was asked (a child or entry that is not there, a bad date)."""
    web: Web = request.app.state.web

    said = page_text(exc)
    return web.page("said.html", status=400, text=f"{said[:1].upper()}{said[1:]}.")


async def bug(request: Request, exc: Exception) -> Response:
    """A fault of tracker's own: words, not a bare 500 (the traceback goes to the
    server's output)."""
    web: Web = request.app.state.web
    # answered outside the language's middleware (Starlette's last resort): chosen again
    with i18n.speaking(language.of_request(request)):
        return web.page("said.html", status=500,
                        text=_("Something went wrong inside tracker (a bug): nothing was "
                               "recorded. Open the page again; if it happens again, tell "
                               "whoever set tracker up."))


async def too_large(request: Request, exc: Exception) -> Response:
    web: Web = request.app.state.web
    # TRANSLATORS: {reason} says what was wrong with the form, e.g. "the form is too large"
    return web.page("said.html", status=413,
                    text=_("Not recorded: {reason}.").format(reason=exc))


async def outside(request: Request) -> Response:
    """An address without the page's private part (tracker.web.address). A device paired
    before the page had one (its cookie then went to every path) is moved in: its cookie is
    scoped to the private path and the old one deleted. Anyone else learns nothing: not the
    private part, not whether a child's log is here."""
    web: Web = request.app.state.web
    if request.url.path == web.root:
        return RedirectResponse(f"{web.root}/", status_code=308)
    token = request.cookies.get(OLD_COOKIE)
    if token and request.method in ("GET", "HEAD"):
        now = web.clock()
        if await web.pool.run(lambda s: device_view(s, token, now) is not None, write=False):
            query = f"?{request.url.query}" if request.url.query else ""
            response = RedirectResponse(f"{web.root}{request.url.path}{query}", status_code=303)
            web.set_device_cookie(response, token)
            response.headers.append("set-cookie", OLD_COOKIE_GONE)
            return response
    return web.page("outside.html", status=404)


class Private:
    """Every answer: no Referer leaves with the private path in it, no content sniffing.
    A request under the private path that still carries the old, every-path cookie has
    it moved to the private path (answered as if it had come with the new one)."""

    def __init__(self, app: ASGIApp, web: Web) -> None:
        self.app, self.web = app, web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        moved = self._moved(scope)
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"referrer-policy", b"no-referrer"),
                            (b"x-content-type-options", b"nosniff")]
                if moved:
                    headers += [(b"set-cookie", self.web.device_cookie(moved).encode("latin-1")),
                                (b"set-cookie", OLD_COOKIE_GONE.encode("latin-1"))]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)

    def _moved(self, scope: Scope) -> str | None:
        """The token of a request that came under the private path with only the old
        cookie (its header is given the new one too); None otherwise."""
        if not str(scope.get("path", "")).startswith(f"{self.web.root}/"):
            return None

        headers = scope.get("headers", [])
        raw = "; ".join(v.decode("latin-1") for k, v in headers if k == b"cookie")
        if OLD_COOKIE not in raw:
            return None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except Exception:  # a header we cannot read moves nothing
            return None
        if OLD_COOKIE not in jar or COOKIE in jar:
            return None
        token = jar[OLD_COOKIE].value
        scope["headers"] = [*headers, (b"cookie", f"{COOKIE}={token}".encode("latin-1"))]
        return token


def create_app(engine: Engine, clock: Callable[[], datetime], *, hosts: list[str],
               secret: bytes, secure: bool = False, wait: float | None = None,
               log: Path | None = None,
               pairing: str = PAIRING) -> Starlette:
    """The page for the hosts it is reached by (127.0.0.1, localhost, tracker.localhost,
    the LAN address), under its private path (tracker.web.address). `pairing` is the
    command that pairs a device with this page as it runs (its port, --lan, --tls), which
    an unpaired device is told to run."""


    web = Web(engine, clock, secret=secret, secure=secure, wait=wait, log=log,
              pairing=pairing)
    app = Starlette(
        routes=[
            Mount(web.root, routes=[  # every route that shows or records is `paired`
                Route("/", paired(today)),
                Route("/log", paired(pages.log_page)),
                Route("/history", paired(pages.history_page)),
                Route("/entry/{ref}", paired(pages.entry_page)),
                Route("/about", paired(pages.about_page)),
                Route("/about/{topic}", paired(pages.about_page)),
                Route("/do/{action}", paired(pages.act), methods=["POST"]),
                Route("/medicine", paired(pages.medicine_page)),
                Route("/charts", paired(charts.charts_page)),
                Route("/report", paired(pages.report_page)),
                Route("/download/{what}", paired(pages.download)),
                Route("/changes", paired(changes, refuse=unpaired_json)),
                Route("/pair/{code}", pair_page, methods=["GET"]),
                Route("/pair/{code}", pair, methods=["POST"]),
                Route("/language", choose_language, methods=["GET"]),
                Route("/manifest.webmanifest", manifest),
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
            ]),
            Route("/{rest:path}", outside, methods=["GET", "HEAD", "POST"]),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                    Middleware(Private, web=web),
                    Middleware(language.Speaking, root=web.root)],
        exception_handlers={LogWaits: waited, StorageError: waited, DBAPIError: waited,
                            TooLarge: too_large, TrackerError: refused, Exception: bug},
    )
    app.state.web = web
    return app


def iter_hosts(lan_address: str | None) -> Iterator[str]:
    yield from (HOST_NAME, "127.0.0.1", "localhost")
    if lan_address:
        yield lan_address
