"""The household page: today's doses on every paired caregiver's phone.

A Starlette application with Jinja2 templates, served by uvicorn (`tracker web`). It is a
front like the command line: it asks and shows, and every decision is the service
layer's. A use case that needs an answer raises a Question (tracker.services.questions);
the page shows it as a form and posts the use case again with the answer, as the command
line asks at the terminal. Core actions are plain forms and work without JavaScript.

Only paired devices get data (tracker.services.devices); the Host header is checked (DNS
rebinding), forms carry a token bound to the device (cross-site request forgery), and the
device's cookie is HttpOnly, SameSite=Strict, and Secure over TLS.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

COOKIE = "tracker_device"
HERE = Path(__file__).parent
REASONS = ("not eating", "ill", "vomiting", "no medicine", "other")
PAIR_TRIES = 10  # wrong pairing links per minute and address before a pause

Sessions = Callable[[bool], AbstractContextManager[Session]]


class Web:
    """What the pages need: the log's sessions, the clock, and how to set cookies."""

    def __init__(self, sessions: Sessions, clock: Callable[[], datetime], *, secure: bool) -> None:
        self.sessions = sessions
        self.clock = clock
        self.secure = secure
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"]))
        self.failed_pairings: dict[str, list[float]] = {}

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return HTMLResponse(self.templates.get_template(template).render(**values),
                            status_code=status)


def csrf_token(token_hash: str) -> str:
    """A form token bound to the device: a page from elsewhere cannot know it."""
    return hmac.new(token_hash.encode(), b"tracker-form", "sha256").hexdigest()


def _device(web: Web, request: Request, session: Session, *, touch: bool = True) -> Any:
    """The paired device making the request; `touch` (in a write transaction only)
    records its last use."""
    from tracker.services.devices import device_for

    return device_for(session, request.cookies.get(COOKIE), web.clock(), touch=touch)


def unpaired(web: Web) -> HTMLResponse:
    return web.page("unpaired.html", status=401)


def _children_today(session: Session, now: datetime) -> list[dict[str, Any]]:
    from tracker.domain.safety import do_not_give
    from tracker.domain.sites import SITES
    from tracker.services import plan, status

    out = []
    for child in plan.all_children(session):
        try:
            report = status.status(session, child, now)
        except Exception:  # no prescription yet: the child is listed with that said
            out.append({"id": child.id, "name": child.name, "error":
                        "no prescription yet: set one with tracker prescribe"})
            continue
        zone = report.plan.zone
        day = now.astimezone(zone).date()
        rows = []
        for view in report.slots:
            if (day - view.slot.day).days not in (0, 1):
                continue
            entry = view.entry
            who = ""
            if entry is not None and entry.status == "given" and entry.given_at:
                who = (f"given at {entry.given_at.astimezone(zone):%H:%M} by {entry.given_by}"
                       f"{', ' + entry.site if entry.site else ''} (D{entry.id})")
            elif entry is not None:
                who = f"withheld: {entry.reason}, by {entry.given_by} (D{entry.id})"
            rows.append({"when": f"{'today' if view.slot.day == day else 'yesterday'} "
                                 f"{view.slot.label}",
                         "status": view.status.value, "who": who})
        nxt = report.next
        out.append({
            "id": child.id,
            "name": child.name,
            "next": (f"{nxt.slot.label} {'today' if nxt.slot.day == day else 'tomorrow'}"
                     if nxt else None),
            "draw": report.plan.draw.describe(),
            "stop": do_not_give(report.problems),
            "hold": report.hold,
            "site": report.site,
            "sites": SITES,
            "slots": rows,
            "warnings": report.warnings,
        })
    return out


async def today(request: Request) -> Response:
    web: Web = request.app.state.web
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        from tracker.services.changes import stamp

        children = _children_today(session, web.clock())
        who, form, now_stamp = device.caregiver, csrf_token(device.token_hash), stamp(session)
    return web.page("today.html", children=children, caregiver=who, csrf=form, stamp=now_stamp,
                    done=request.query_params.get("done"),
                    said=request.query_params.get("said"), reasons=REASONS)


def _answers(form: Any) -> dict[str, Any]:
    """The answers a question page posted back: q_<key> with its kind in k_<key>."""
    given: dict[str, Any] = {}
    for name in form:
        if name.startswith("q_"):
            key = name[2:]
            value = form[name]
            given[key] = value == "yes" if form.get(f"k_{key}") == "yesno" else value
    return given


async def pair_page(request: Request) -> Response:
    """Showing the link uses nothing (a link preview must not spend it); the button does."""
    from tracker.services.devices import pairing_named

    web: Web = request.app.state.web
    with web.sessions(False) as session:
        found = pairing_named(session, request.path_params["code"], web.clock())
        name, who = (found.name, found.caregiver) if found else (None, None)
    if name is None:
        return _wrong_pairing(web, request)
    return web.page("pair.html", name=name, caregiver=who, code=request.path_params["code"])


def _wrong_pairing(web: Web, request: Request) -> HTMLResponse:
    address = request.client.host if request.client else "?"
    tries = [t for t in web.failed_pairings.get(address, []) if time.monotonic() - t < 60]
    tries.append(time.monotonic())
    web.failed_pairings[address] = tries
    if len(tries) > PAIR_TRIES:
        return web.page("said.html", status=429,
                        text="Too many wrong pairing links: wait a minute.")
    return web.page("said.html", status=404,
                    text="This pairing link was already used or has expired. Make a new one "
                         "on the computer that keeps the log: tracker web pair --name NAME")


async def pair(request: Request) -> Response:
    from tracker.services.devices import pair as use_pairing

    web: Web = request.app.state.web
    with web.sessions(True) as session:
        paired = use_pairing(session, request.path_params["code"], web.clock())
    if paired is None:
        return _wrong_pairing(web, request)
    token, _device_row = paired
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, max_age=400 * 24 * 3600, httponly=True,
                        samesite="strict", secure=web.secure)
    return response


async def changes(request: Request) -> Response:
    """The log's stamp, for the page to follow other caregivers' entries (live.js)."""
    from starlette.responses import JSONResponse

    from tracker.services.changes import stamp

    web: Web = request.app.state.web
    with web.sessions(False) as session:
        if _device(web, request, session, touch=False) is None:
            return JSONResponse({"paired": False}, status_code=401)
        return JSONResponse({"stamp": stamp(session)},
                            headers={"Cache-Control": "no-store"})


async def manifest(request: Request) -> Response:
    return Response((HERE / "static" / "manifest.webmanifest").read_bytes(),
                    media_type="application/manifest+json")


def create_app(sessions: Sessions, clock: Callable[[], datetime], *, hosts: list[str],
               secure: bool = False) -> Starlette:
    """The page for the hosts it is reached by (127.0.0.1, localhost, the LAN address)."""
    from tracker.web import charts, pages

    app = Starlette(
        routes=[
            Route("/", today),
            Route("/log", pages.log_page),
            Route("/history", pages.history_page),
            Route("/entry/{ref}", pages.entry_page),
            Route("/about", pages.about_page),
            Route("/about/{topic}", pages.about_page),
            Route("/do/{action}", pages.act, methods=["POST"]),
            Route("/medicine", pages.medicine_page),
            Route("/charts", charts.charts_page),
            Route("/report", pages.report_page),
            Route("/download/{what}", pages.download),
            Route("/pair/{code}", pair_page, methods=["GET"]),
            Route("/pair/{code}", pair, methods=["POST"]),
            Route("/changes", changes),
            Route("/manifest.webmanifest", manifest),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
    )
    app.state.web = Web(sessions, clock, secure=secure)
    return app


def iter_hosts(lan_address: str | None) -> Iterator[str]:
    yield from ("127.0.0.1", "localhost")
    if lan_address:
        yield lan_address
