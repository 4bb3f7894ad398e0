"""What every page of the household page shares: the paired device making a request,
the application's state (the log, the clock, templates, the form signer), the limits on
a form, and the answer to an unpaired device. The routes live in app, pages and charts,
each importing from here, never from one another.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar
from urllib.parse import parse_qsl

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tracker import i18n
from tracker.domain.dosing import format_ml
from tracker.domain.safety import NOT_ADVICE
from tracker.errors import InputError
from tracker.i18n import _, formats
from tracker.services.record.devices import device_for, who_has
from tracker.services.record.log import WITHHELD_REASONS
from tracker.web import language, say
from tracker.web.address import root
from tracker.web.forms import Message, Messages, Signer
from tracker.web.pool import LogWaits, Pool
from tracker.web.say import shown

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

T = TypeVar("T")
COOKIE = "tracker_paired"  # scoped to the page's private path (tracker.web.address)
OLD_COOKIE = "tracker_device"  # before the private path: for every path, moved once
# the Set-Cookie header that deletes the old cookie once it is moved
OLD_COOKIE_GONE = f"{OLD_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie (RFC 6265bis)
# what an unpaired device is told to run, unless the page is told how it runs
PAIRING = 'tracker web pair --name "Eli\'s phone"'
HOST_NAME = "tracker.localhost"  # the old address's name, still answered (moved cookies)
HERE = Path(__file__).parent
REASONS = WITHHELD_REASONS  # why a dose is withheld: the one list of every front
PAIR_TRIES = 10  # wrong pairing links per minute and address before a pause
BODY_LIMIT = 64 * 1024  # bytes of a form: the longest note fits many times over
BODY_WAIT = 10.0  # seconds for a form's body to arrive
FIELDS_LIMIT = 200


class DeviceView(NamedTuple):
    """The paired device making a request, as the pages need it (no database object)."""

    id: int
    name: str
    caregiver: str


class Web:
    """What the pages need: the log (through its thread pool), the clock, the signer of
    forms, the messages waiting for their page, and how to set cookies."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], *, secret: bytes,
                 secure: bool, wait: float | None = None, log: Path | None = None,
                 pairing: str = PAIRING) -> None:

        self.root = root(secret)  # every page's path starts here
        self.pool = Pool(engine) if wait is None else Pool(engine, wait=wait)
        self.log = log  # the log's file, to name who holds it when it is busy
        self.clock = clock
        self.secure = secure
        self.signer = Signer(secret)
        self.messages = Messages()

        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"]),
                                     finalize=shown,  # a sentence's actions as this page's
                                     auto_reload=False,  # no file check at every page
                                     extensions=["jinja2.ext.i18n"])
        # the functions follow the language being spoken (language.Speaking sets it per
        # request): one Environment serves every language
        self.templates.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=i18n.gettext, ngettext=i18n.ngettext, pgettext=i18n.pgettext,
            npgettext=i18n.npgettext, newstyle=True)
        self.templates.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
        # a text that is data elsewhere (the drug information's): translated where shown,
        # and escaped as any value (the installed `_` takes its text as the page's markup)
        self.templates.globals["tr"] = i18n.gettext
        self.templates.globals["lang"] = i18n.language
        self.templates.globals["direction"] = i18n.direction
        self.templates.globals["languages"] = language.menu
        self.templates.globals["say"] = say.name  # a site, a kind, a reason, in words
        self.templates.globals["status"] = say.status
        self.templates.filters["shown"] = shown  # a Line inside {% trans %} (no finalize there)
        self.templates.filters["day"] = formats.day
        self.templates.filters["day_short"] = formats.day_short
        self.templates.filters["clock"] = formats.clock
        self.templates.filters["number"] = formats.number
        self.templates.filters["decimal"] = formats.decimal

        # said once, on every front (in the page's language where it is shown)
        self.templates.globals["not_advice"] = lambda: _(NOT_ADVICE)

        # amounts as every front rounds them, in the page's decimal mark
        self.templates.filters["ml"] = lambda ml: formats.decimal(format_ml(ml))
        self.templates.globals["root"] = self.root
        self.templates.globals["pairing"] = pairing  # the command, as this page runs
        self.pairing = pairing
        self.pair_tries: dict[str, list[float]] = {}

    def page(self, template: str, status: int = 200, *, device: DeviceView | None = None,
             request: Request | None = None, **values: object) -> HTMLResponse:
        """A page; for a paired device its forms get tokens, and the message its last post
        left (only to the device it was made for, once)."""
        if device is not None:
            now = self.clock()
            values.setdefault("token",
                              lambda action: self.signer.token(device.id, action, now))
            values.setdefault("caregiver", device.caregiver)
            if request is not None:
                said = self.messages.take(request.query_params.get("msg"), device.id)
                if said is not None:
                    values["done" if said.ok else "said"] = said.text
                    values["done_level"], values["done_notes"] = said.level, said.notes
        return HTMLResponse(self.templates.get_template(template).render(**values),
                            status_code=status, headers={"Cache-Control": "no-store"})

    async def read(self, request: Request,
                   build: Callable[[Session, DeviceView], T]) -> tuple[DeviceView, T]:
        """A page's data for the paired device the gate let in (`paired`), in one read
        transaction. A read never records the device's use: it must never turn into a
        write that waits for a lock."""
        device = device_of(request)
        return device, await self.pool.run(lambda session: build(session, device),
                                           write=False)

    async def device(self, request: Request) -> DeviceView | None:
        """The paired device making the request, None when it is not one (the gate's
        question; a read, as `read`)."""
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        now = self.clock()
        return await self.pool.run(lambda session: device_view(session, token, now),
                                   write=False)

    def said(self, device: DeviceView, back: str, message: Message) -> RedirectResponse:
        """After a post: back to its page, which says `message` once."""
        key = self.messages.put(device.id, message)
        return RedirectResponse(f"{self.root}{back}{'&' if '?' in back else '?'}msg={key}",
                                status_code=303)

    def pairing_try(self, request: Request) -> bool:
        """Count a pairing link's try before it is looked up: False over the limit.

        Counted at once, on the event loop (nothing else runs between the check and the
        count), so that many links sent at the same moment are not all looked up."""
        address = _address(request)
        now = time.monotonic()
        tries = [t for t in self.pair_tries.get(address, []) if now - t < 60]
        if len(tries) >= PAIR_TRIES:
            self.pair_tries[address] = tries
            return False
        tries.append(now)
        self.pair_tries[address] = tries
        return True

    def pairing_worked(self, request: Request) -> None:
        """A link that was right is not held against its address."""
        tries = self.pair_tries.get(_address(request))
        if tries:
            tries.pop()

    def wrong_pairing(self) -> HTMLResponse:
        return self.page("said.html", status=404,
                         text=_("This pairing link was already used or has expired. Make a new "
                                "one on the computer that keeps the log: {command}").format(
                                  command=self.pairing))

    def device_cookie(self, token: str) -> str:
        """The Set-Cookie header of the device's login: sent back only to the page's own
        private path (see tracker.web.address), never to script, and over TLS only when
        the page has it. Lax, not Strict: a link to the page from a message or a mail
        opens it paired; forms are protected by their signed tokens, and Lax never sends
        it with a post from another site. Written once, for the pairing and for a device
        moved in from the old cookie alike."""
        return (f"{COOKIE}={token}; Max-Age={COOKIE_DAYS * 24 * 3600}; Path={self.root}; "
                f"HttpOnly; SameSite=Lax{'; Secure' if self.secure else ''}")

    def set_device_cookie(self, response: Response, token: str) -> None:
        response.headers.append("set-cookie", self.device_cookie(token))

    def too_many_pairings(self) -> HTMLResponse:
        return self.page("said.html", status=429,
                         text=_("Too many wrong pairing links: wait a minute."))


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def device_view(session: Session, token: str | None, now: datetime, *,
                touch: bool = False) -> DeviceView | None:
    """The paired device a cookie's token belongs to; `touch` (writes only) records its
    use."""

    if not touch:
        seen = who_has(session, token)
        return None if seen is None else DeviceView(*seen)
    found = device_for(session, token, now, touch=True)
    return None if found is None else DeviceView(found.id, found.name, found.caregiver)


def unpaired(web: Web) -> Response:
    return web.page("unpaired.html", status=401)


View = Callable[[Request], Awaitable[Response]]


def paired(view: View, *, refuse: Callable[[Web], Response] = unpaired) -> View:
    """The one gate of every route that shows or records anything: `view` runs only for
    a paired device, found before anything else of the request is read (a form's body
    included); any other request is answered `refuse` (the pairing page's words). The
    view finds the device with `device_of` (Web.read does)."""

    @functools.wraps(view)
    async def gated(request: Request) -> Response:
        web: Web = request.app.state.web
        try:
            device = await web.device(request)
        except LogWaits:
            if request.method == "POST":
                # the log cannot say who this is: the form (capped) is kept for Try again,
                # as for a paired device; it is read, never used, until the device is known
                await read_form(request)
            raise
        if device is None:
            return refuse(web)
        request.state.device = device
        return await view(request)

    return gated


def device_of(request: Request) -> DeviceView:
    """The paired device the gate let in; a view outside the gate fails here, loudly."""
    device = getattr(request.state, "device", None)
    if not isinstance(device, DeviceView):
        raise RuntimeError(f"{request.url.path} is not behind the pairing gate (paired)")
    return device


async def read_form(request: Request) -> FormData:
    """The posted form, within limits: a body larger than BODY_LIMIT, slower than
    BODY_WAIT, or not a plain form is refused before it costs memory or time."""



    kind = request.headers.get("content-type", "application/x-www-form-urlencoded")
    if not kind.startswith("application/x-www-form-urlencoded"):
        raise TooLarge(_("this page takes plain forms only"))
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > BODY_LIMIT:
        raise TooLarge(_("the form is too large"))
    body = bytearray()
    try:
        with anyio.fail_after(BODY_WAIT):
            async for chunk in request.stream():
                body += chunk
                if len(body) > BODY_LIMIT:
                    raise TooLarge(_("the form is too large"))
    except TimeoutError:
        raise TooLarge(_("the form arrived too slowly")) from None
    try:
        fields: list[tuple[str, str | UploadFile]] = [*parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=FIELDS_LIMIT)]
    except (UnicodeDecodeError, ValueError):
        raise InputError(_("the form could not be read: open the page again")) from None
    form = FormData(fields)
    request.state.form = form  # kept for "the log is busy: try again"
    return form


class TooLarge(Exception):
    pass



def answers_of(form: FormData) -> dict[str, str | bool]:
    """The answers a question page posted back: q_<key> with its kind in k_<key> (a file
    is never an answer)."""
    given: dict[str, str | bool] = {}
    for name in form:
        value = form[name]
        if name.startswith("q_") and isinstance(value, str):
            key = name[2:]
            given[key] = value == "yes" if form.get(f"k_{key}") == "yesno" else value
    return given
