"""The household page beyond Today: logging a symptom, a glucose check or a measurement,
the history with undo, and the drug information. Each form posts to a use case of the
service layer, with the same questions and refusals as the command line."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import quote, urlencode

from starlette.datastructures import QueryParams, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from tracker import druginfo
from tracker.domain.glucose import UNITS
from tracker.domain.symptoms import KINDS, SEVERITIES
from tracker.domain.timeparse import parse_date, parse_expiry, parse_when
from tracker.domain.typed import number
from tracker.errors import InputError, NotFound, StorageError, TrackerError
from tracker.i18n import N_, _
from tracker.services.clinic import exports
from tracker.services.clinic import report as reports
from tracker.services.record import corrections, headlines, log, setup, submissions, supply
from tracker.services.record.questions import Answers, Question
from tracker.services.views import history, meter, plan
from tracker.services.views.entry_view import entry_view
from tracker.services.views.plan import zone_of
from tracker.web import language
from tracker.web.base import (
    COOKIE,
    DeviceView,
    Web,
    answers_of,
    device_of,
    device_view,
    read_form,
    unpaired,
)
from tracker.web.forms import Message
from tracker.web.say import text
from tracker.web.say import text as page_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.db.models import Child
    from tracker.services.record.outcome import Told
    from tracker.services.record.questions import Answers
    from tracker.services.views.entry_view import Change, EntryView
    from tracker.services.views.meter import MeterUnit

Form = Mapping[str, str | UploadFile]  # a posted form or a query string, read as typed
Use = Callable[["Session", "Child", Form, datetime, str, "Answers"], "Told"]


# TRANSLATORS: a field of the Log page, named in a refusal ("... is not a number")
FIELDS = {"glucose": N_("glucose"), "reading": N_("reading"), "weight": N_("weight"),
          "height": N_("height")}


def _number(form: Form, name: str) -> float | None:

    value = str(form.get(name) or "").strip()
    return number(value, _(FIELDS[name]) if name in FIELDS else name) if value else None


def _unit(form: Form) -> str | None:
    """The unit chosen on a form; None when it is the one the form offered unchanged (a
    default, as when nothing was chosen: a reading it cannot decide is asked about)."""
    unit = str(form.get("unit") or "").strip()
    return unit if unit and unit != str(form.get("unit_offered") or "") else None


def _when(form: Form, now: datetime, child: Child) -> datetime:

    text = str(form.get("at") or "").strip()
    return parse_when(text, now, zone_of(child)) if text else now


def _give(session: Session, child: Child, form: Form, now: datetime, by: str,
          answers: Answers) -> Told:
    """Given on Today: `tracker give` now, at the site chosen, with its questions."""

    typed = str(form.get("dose_mg") or "").strip()  # "1,6" or "1.6 mg"
    amount = number(typed, "amount", "mg") if typed else None
    return log.give(session, child, at=now, now=now, by=by,
                    site=str(form.get("site") or "") or None, dose_mg=amount, answers=answers)


def _withhold(session: Session, child: Child, form: Form, now: datetime, by: str,
              answers: Answers) -> Told:
    """Withheld on Today, with why (a reason of the list, or in the person's words)."""

    reason = str(form.get("reason") or "")
    if reason == "other":
        reason = str(form.get("other") or "").strip() or "other"
    return log.skip(session, child, reason=reason, now=now, by=by, answers=answers)


def _symptom(session: Session, child: Child, form: Form, now: datetime, by: str,
             answers: Answers) -> Told:

    return log.add_symptom(
        session, child, kind=str(form.get("kind") or ""), at=_when(form, now, child), now=now,
        by=by, severity=str(form.get("severity") or "") or None,
        glucose_value=_number(form, "glucose"), glucose_unit=_unit(form),
        note=str(form.get("note") or "") or None, answers=answers)


def _glucose(session: Session, child: Child, form: Form, now: datetime, by: str,
             answers: Answers) -> Told:

    value = _number(form, "reading")
    if value is None:
        raise InputError(_("type the reading, like 92"))
    return log.add_glucose(session, child, value=value, unit=_unit(form),
                           at=_when(form, now, child), now=now, by=by,
                           before_meal=bool(form.get("before_meal")) or None, answers=answers)


def _measure(session: Session, child: Child, form: Form, now: datetime, by: str,
             answers: Answers) -> Told:

    return setup.measure(session, child, now=now, by=by, weight_kg=_number(form, "weight"),
                         height_cm=_number(form, "height"),
                         note=str(form.get("note") or "") or None, answers=answers)


def _undo(session: Session, child: Child, form: Form, now: datetime, by: str,
          answers: Answers) -> Told:
    """Undo, asked first by the use case (one tap must not lose a dose); it can be
    restored."""

    entry = corrections.get_entry(session, str(form.get("entry") or ""), child)
    # the reason the person would have typed, in their language
    why = str(form.get("why") or "") or _("undone on the household page")
    return corrections.void(session, entry, now=now, by=by, reason=why,
                            answers=answers)


def _restore(session: Session, child: Child, form: Form, now: datetime, by: str,
             answers: Answers) -> Told:
    """Take back an undo: the entry counts again."""

    ref = str(form.get("entry") or "")
    entry = corrections.get_entry(session, ref, child)
    done = corrections.restore(session, entry, now=now, by=by,
                               reason=_("restored on the household page"))
    return done


def _open_vial(session: Session, child: Child, form: Form, now: datetime, by: str,
               answers: Answers) -> Told:

    zone = zone_of(child)
    expires_text = str(form.get("expires") or "").strip()
    expires = (parse_expiry(expires_text, now.astimezone(zone).date(), zone)
               if expires_text else None)
    entry, info = supply.open_vial(session, child, at=now, now=now, by=by,
                                   lot=str(form.get("lot") or "").strip() or None,
                                   expires_on=expires)
    return headlines.vial_told(entry, child, info)


def _stock(session: Session, child: Child, form: Form, now: datetime, by: str,
           answers: Answers) -> Told:

    text = str(form.get("count") or "").strip()
    if not text.isdigit():
        raise InputError(_("{typed!r} is not a whole number of vials").format(typed=text))
    how = str(form.get("how") or "set")
    entry = supply.change_stock(session, child, now=now, by=by,
                                set_to=int(text) if how == "set" else None,
                                add=int(text) if how == "add" else None)
    return headlines.stock_told(session, child, entry)


def _edit(session: Session, child: Child, form: Form, now: datetime, by: str,
          answers: Answers) -> Told:
    """A correction: only the fields filled in change; the old values stay in the trail."""

    entry = corrections.get_entry(session, str(form.get("entry") or ""), child)
    typed = {field: str(form.get(field) or "").strip() for field in ("at", "site", "note")}
    done = corrections.edit_as_typed(session, entry, typed, now=now, by=by,
                                     reason=str(form.get("why") or "") or None)
    return done


USES: dict[str, Use] = {"give": _give, "withhold": _withhold, "symptom": _symptom,
                        "glucose": _glucose, "measure": _measure, "undo": _undo,
                        "restore": _restore, "vial": _open_vial, "stock": _stock,
                        "edit": _edit}
BACK = {"give": "/", "withhold": "/", "undo": "/history", "restore": "/history",
        "vial": "/medicine", "stock": "/medicine", "edit": "/history"}




def _child_id(form: Form) -> int:

    text = str(form.get("child") or "").strip()
    if not text.isdigit():
        raise InputError(_("choose a child"))
    return int(text)


class EntryPage(TypedDict):
    entry: EntryView
    trail: list[Change]


async def entry_page(request: Request) -> Response:
    """One entry in full with its audit trail (`tracker show`), and a correction form."""

    web: Web = request.app.state.web
    ref = request.path_params["ref"]

    def build(session: Session, _device: DeviceView) -> EntryPage | str:
        try:
            view = entry_view(session, corrections.get_entry(session, ref))
        except NotFound as exc:
            return str(exc)
        return {"entry": view, "trail": view.trail}

    found = await web.read(request, build)
    device, shown = found
    if isinstance(shown, str):
        return web.page("said.html", status=404, device=device, text=shown)
    return web.page("entry.html", device=device, request=request, **shown)


async def medicine_page(request: Request) -> Response:

    web: Web = request.app.state.web
    now = web.clock()
    found = await web.read(request, lambda session, _device: supply.medicine(session, now))
    return web.page("medicine.html", device=found[0], request=request, children=found[1])


def _names(session: Session, _device: DeviceView) -> list[tuple[int, str]]:

    return [(c.id, c.name) for c in plan.all_children(session)]


async def report_page(request: Request) -> Response:
    web: Web = request.app.state.web
    found = await web.read(request, _names)
    return web.page("report.html", device=found[0], request=request, children=found[1])


def content_disposition(name: str) -> str:
    """A download's file name: plain ASCII with quotes and backslashes replaced (a
    child's name may hold them), and the name as written in `filename*`."""
    ascii_name = name.encode("ascii", "replace").decode()
    for odd in ('"', "\\", "?", "\r", "\n"):
        ascii_name = ascii_name.replace(odd, "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


async def download(request: Request) -> Response:
    """The clinic report (PDF) or an export, for a period: the same code as the command
    line's `report` and `export`, written to memory and sent as a download."""


    web: Web = request.app.state.web
    what = request.path_params["what"]
    now = web.clock()
    q = request.query_params

    written: list[reports.Written] = []  # a report's, to remember where the next starts

    def build(session: Session, _device: DeviceView) -> tuple[bytes, str, str] | str:
        try:
            child = plan.child_by_id(session, _child_id(q))
            if what == "report.pdf":
                period = reports.period(session, child, q.get("from") or None,
                                        q.get("to") or None, now)
                buffer = io.BytesIO()
                written.append(reports.write(session, child, period, now, buffer))
                return buffer.getvalue(), "application/pdf", reports.file_name(child, period)
            return _export(session, child, what, q, now)
        except StorageError:
            raise  # the log is busy or broken: said as such (app.waited)
        except TrackerError as exc:

            return text(exc)

    found = await web.read(request, build)
    device, made = found
    if isinstance(made, str):
        return web.said(device, "/report", Message(False, made))
    for report in written:  # short, after the read: where the next report starts
        await web.pool.run(report.remember, write=True)
    body, kind, name = made
    return Response(body, media_type=kind, headers={
        "Content-Disposition": content_disposition(name), "Cache-Control": "no-store"})


def _log_view(session: Session, device: DeviceView) -> tuple[list[tuple[int, str]], MeterUnit]:
    """The children to choose from and the meter unit the forms read readings in."""

    return _names(session, device), meter.for_form(plan.all_children(session))


async def log_page(request: Request) -> Response:

    web: Web = request.app.state.web
    found = await web.read(request, _log_view)
    device, (children, meter) = found
    return web.page("log.html", device=device, request=request, children=children,
                    kinds=KINDS, severities=SEVERITIES, meter=meter, units=UNITS)


async def history_page(request: Request) -> Response:

    web: Web = request.app.state.web
    q = request.query_params
    undone = q.get("undone") == "1"
    now = web.clock()

    def build(session: Session, _device: DeviceView) -> list[dict[str, object]] | str:
        sections = []
        for child in plan.all_children(session):
            zone = plan.zone_of(child)
            today = now.astimezone(zone).date()
            try:  # a period, as people write dates; missed slots are lines too
                # the last 30 days to today by default, as `tracker history`
                start, end = history.period(child, q.get("from"), q.get("to"), now, end=today)
                assert start is not None and end is not None
                last = parse_date(q["before"], today, zone) if q.get("before") else end
            except TrackerError as exc:
                return str(exc)
            items, more = history.newest_page(session, child, start, min(last, end), undone, now)
            older = None
            if more is not None:
                older = f"{web.root}/history?" + urlencode({
                    "from": start.isoformat(), "to": end.isoformat(),
                    "before": more.isoformat(), **({"undone": "1"} if undone else {})})
            sections.append({"id": child.id, "name": child.name, "older": older, "items": [
                {"ref": i.ref, "when": language.day_time(i.when.astimezone(zone)),
                 "summary": i.summary, "voided": i.voided,
                 "edited": getattr(i, "edited", False)}
                for i in items]})
        return sections

    found = await web.read(request, build)
    device, sections = found
    if isinstance(sections, str):
        return web.said(device, "/history", Message(False, sections))
    return web.page("history.html", device=device, request=request, sections=sections,
                    undone=undone, period=(q.get("from") or "", q.get("to") or ""))


async def about_page(request: Request) -> Response:
    """tracker's own drug information (the `tracker info` pages), with its source."""

    web: Web = request.app.state.web
    content = druginfo.load()
    chosen = request.path_params.get("topic") or next(iter(content.topics))
    if chosen not in content.topics:
        return web.page("said.html", status=404, text=_("No page called {topic!r}.").format(
                                                          topic=chosen))
    return web.page("about.html", device=device_of(request), content=content,
                    topic=content.topics[chosen])


class NotPaired(Exception):
    """The device was revoked between the check and the write."""


async def act(request: Request) -> Response:
    """A form of any page (Given and Withheld on Today, the Log, History and Medicine
    forms), through its use case, its questions asked as pages.

    The device is checked before the body is read (by the gate, `paired`); the form's
    token must be this device's, for this form, and fresh; the form's one-time id is
    claimed with what it records, so a second post of it records nothing and is answered
    with the first result."""

    web: Web = request.app.state.web
    action = request.path_params["action"]
    use = USES.get(action)
    if use is None:
        return web.page("said.html", status=404, text=_("No such form."))
    device = device_of(request)
    form = await read_form(request)
    now = web.clock()
    once = web.signer.check(str(form.get("csrf", "")), device.id, action, now)
    if once is None:
        return web.page("said.html", status=403, device=device,
                        text=_("This form is out of date: open the page again."))
    answers = answers_of(form)
    back = BACK.get(action, "/log")
    token = request.cookies.get(COOKIE)

    def work(session: Session) -> tuple[submissions.Result, bool]:
        if device_view(session, token, now, touch=True) is None:
            raise NotPaired
        earlier = submissions.claim(session, once, device_id=device.id, action=action,
                                    now=now)
        if earlier is not None:
            return earlier, True
        child = plan.child_by_id(session, _child_id(form))
        told = use(session, child, form, now, device.caregiver,
                   Answers(answers, can_ask=True))
        result = submissions.Result.of(told, page_text)
        submissions.settle(session, once, result)
        return result, False

    try:
        result, again = await web.pool.run(work, write=True)
    except NotPaired:
        return unpaired(web)
    except Question as question:
        return web.page("question.html", device=device, question=question,
                        title=page_text(question.text),
                        before=[page_text(line) for line in question.before],
                        action=f"do/{action}",
                        fields={k: v for k, v in form.items() if not k.startswith(("q_", "k_"))},
                        answered={k: ("yes" if v is True else "no" if v is False else v)
                                  for k, v in answers.items()},
                        kinds={k: str(form.get(f"k_{k}", "text")) for k in answers})
    except StorageError:
        raise  # the log is busy or broken: said with the form kept (app.waited)
    except TrackerError as exc:
        return web.said(device, back, Message(False, page_text(exc)))
    headline = result.headline if result.headline.endswith(".") else result.headline + "."
    notes = list(result.notes)
    if again:
        notes.append(_("(This form was sent twice: it is recorded once.)"))
    return web.said(device, back, Message(True, headline, result.level, tuple(notes)))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {  # download name -> (format, what, media type)
    "doses.csv": ("csv", "doses", "text/csv"),
    "doses.xlsx": ("xlsx", "doses", XLSX),
    "symptoms.xlsx": ("xlsx", "symptoms", XLSX),
    "glucose.xlsx": ("xlsx", "glucose", XLSX),
    "growth.xlsx": ("xlsx", "growth", XLSX),
    "symptoms.csv": ("csv", "symptoms", "text/csv"),
    "glucose.csv": ("csv", "glucose", "text/csv"),
    "growth.csv": ("csv", "growth", "text/csv"),
    "doses.json": ("json", "doses", "application/json"),
    "fhir.json": ("fhir", "doses", "application/fhir+json"),
    "schedule.ics": ("ics", "doses", "text/calendar"),
}


def _export(session: Session, child: Child, what: str, q: QueryParams,
            now: datetime) -> tuple[bytes, str, str]:


    if what not in EXPORTS:
        raise NotFound(_("no export called {name!r}").format(name=what))
    fmt, kind, media = EXPORTS[what]
    start, end = exports.period(child, q.get("from") or None, q.get("to") or None, now)
    if fmt in exports.BINARY:
        raw = io.BytesIO()
        exports.write(session, child, fmt, kind, start, end, now, raw, bom=False)
        return raw.getvalue(), media, f"{child.name}-{what}"
    out = io.StringIO(newline="" if fmt in ("csv", "ics") else None)
    exports.write(session, child, fmt, kind, start, end, now, out, bom=fmt == "csv")
    return out.getvalue().encode("utf-8"), media, f"{child.name}-{what}"
