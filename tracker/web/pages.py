"""The household page beyond Today: logging a symptom, a glucose check or a measurement,
the history with undo, and the drug information. Each form posts to a use case of the
service layer, with the same questions and refusals as the command line."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tracker.web.app import Web, _answers, _device, csrf_token, unpaired

Use = Callable[[Session, Any, Any, datetime, str, Any], tuple[str, list[str]]]


def _number(form: Any, name: str) -> float | None:
    from tracker.domain.typed import number

    value = str(form.get(name) or "").strip()
    return number(value, name.replace("_", " ")) if value else None


def _when(form: Any, now: datetime, child: Any) -> datetime:
    from tracker.domain.timeparse import parse_when
    from tracker.services.plan import zone_of

    text = str(form.get("at") or "").strip()
    return parse_when(text, now, zone_of(child)) if text else now


def _give(session: Session, child: Any, form: Any, now: datetime, by: str,
          answers: Any) -> tuple[str, list[str]]:
    """Given on Today: `tracker give` now, at the site chosen, with its questions."""
    from tracker.domain.typed import number
    from tracker.services import log

    typed = str(form.get("dose_mg") or "").strip()  # "1,6" or "1.6 mg"
    amount = number(typed, "amount", "mg") if typed else None
    outcome = log.give(session, child, at=now, now=now, by=by,
                       site=str(form.get("site") or "") or None, dose_mg=amount,
                       answers=answers)
    return _logged(child, outcome), [*outcome.warnings, *(a.text for a in outcome.advice)]


def _withhold(session: Session, child: Any, form: Any, now: datetime, by: str,
              answers: Any) -> tuple[str, list[str]]:
    """Withheld on Today, with why (a reason of the list, or in the person's words)."""
    from tracker.services import log

    reason = str(form.get("reason") or "")
    if reason == "other":
        reason = str(form.get("other") or "").strip() or "other"
    outcome = log.skip(session, child, reason=reason, now=now, by=by)
    return _logged(child, outcome), [*outcome.warnings, *(a.text for a in outcome.advice)]


def _logged(child: Any, outcome: Any) -> str:
    """What was logged, in full, as the command line says it."""
    from tracker.db.models import Dose
    from tracker.services.plan import zone_of

    entry = outcome.entry
    assert isinstance(entry, Dose)
    if entry.status == "given" and entry.given_at is not None:
        return (f"Logged D{entry.id} for {child.name}: {entry.dose_mg:.2f} mg at "
                f"{entry.given_at.astimezone(zone_of(child)):%H:%M}"
                f"{', ' + entry.site if entry.site else ''}, by {entry.given_by}")
    return (f"Logged D{entry.id} for {child.name}: the {entry.slot_time} dose withheld "
            f"({entry.reason}), by {entry.given_by}")


def _symptom(session: Session, child: Any, form: Any, now: datetime, by: str,
             answers: Any) -> tuple[str, list[str]]:
    from tracker import config
    from tracker.services import log

    outcome = log.add_symptom(
        session, child, kind=str(form.get("kind") or ""), at=_when(form, now, child), now=now,
        by=by, severity=str(form.get("severity") or "") or None,
        glucose_value=_number(form, "glucose"), glucose_unit=config.glucose_unit(),
        note=str(form.get("note") or "") or None)
    return f"Logged S{outcome.entry.id} for {child.name}", [
        *(a.text for a in outcome.advice), *outcome.warnings]


def _glucose(session: Session, child: Any, form: Any, now: datetime, by: str,
             answers: Any) -> tuple[str, list[str]]:
    from tracker import config
    from tracker.errors import InputError
    from tracker.services import log

    value = _number(form, "reading")
    if value is None:
        raise InputError("type the reading, like 92")
    setting = config.glucose_unit_setting()
    outcome = log.add_glucose(session, child, value=value, unit=setting or "mg/dL",
                              at=_when(form, now, child), now=now, by=by,
                              before_meal=bool(form.get("before_meal")) or None,
                              unit_known=setting is not None, answers=answers)
    return f"Logged G{outcome.entry.id} for {child.name}", [
        *(a.text for a in outcome.advice), *outcome.warnings]


def _measure(session: Session, child: Any, form: Any, now: datetime, by: str,
             answers: Any) -> tuple[str, list[str]]:
    from tracker.services import setup

    outcome = setup.measure(session, child, now=now, by=by, weight_kg=_number(form, "weight"),
                            height_cm=_number(form, "height"),
                            note=str(form.get("note") or "") or None, answers=answers)
    assert outcome.entry is not None
    return f"Logged M{outcome.entry.id} for {child.name}", [
        *outcome.info, *outcome.warnings, *(a.text for a in outcome.advice)]


def _undo(session: Session, child: Any, form: Any, now: datetime, by: str,
          answers: Any) -> tuple[str, list[str]]:
    from tracker.services import corrections

    ref = str(form.get("entry") or "")
    entry = corrections.get_entry(session, ref, child)
    corrections.void(session, entry, now=now, by=by,
                     reason=str(form.get("why") or "") or "undone on the household page")
    return f"Undone {ref}: it stays in the history, marked undone", []


def _open_vial(session: Session, child: Any, form: Any, now: datetime, by: str,
               answers: Any) -> tuple[str, list[str]]:
    from tracker.domain import vials
    from tracker.domain.timeparse import parse_date
    from tracker.services import supply
    from tracker.services.plan import zone_of

    zone = zone_of(child)
    expires_text = str(form.get("expires") or "").strip()
    expires = parse_date(expires_text, now.astimezone(zone).date()) if expires_text else None
    entry, info = supply.open_vial(session, child, at=now, now=now, by=by,
                                   lot=str(form.get("lot") or "").strip() or None,
                                   expires_on=expires)
    discard = vials.discard_at(entry.opened_at, entry.expires_on, zone)
    return (f"Recorded V{entry.id} for {child.name}: discard it on "
            f"{discard.astimezone(zone):%a %d %b %Y %H:%M}", info)


def _stock(session: Session, child: Any, form: Any, now: datetime, by: str,
           answers: Any) -> tuple[str, list[str]]:
    from tracker.errors import InputError
    from tracker.services import supply

    text = str(form.get("count") or "").strip()
    if not text.isdigit():
        raise InputError(f"{text!r} is not a whole number of vials")
    how = str(form.get("how") or "set")
    entry = supply.change_stock(session, child, now=now, by=by,
                                set_to=int(text) if how == "set" else None,
                                add=int(text) if how == "add" else None)
    total = supply.stock(session, child)
    return f"Recorded K{entry.id}: {total} unopened vial{'s' if total != 1 else ''}", []


def _edit(session: Session, child: Any, form: Any, now: datetime, by: str,
          answers: Any) -> tuple[str, list[str]]:
    """A correction: only the fields filled in change; the old values stay in the trail."""
    from tracker.domain.timeparse import parse_when
    from tracker.services import corrections, history
    from tracker.services.plan import zone_of

    ref = str(form.get("entry") or "")
    entry = corrections.get_entry(session, ref, child)
    changes: dict[str, Any] = {}
    when = str(form.get("at") or "").strip()
    if when:
        changes["at"] = parse_when(when, now, zone_of(child))
    for field in ("site", "note"):
        value = str(form.get(field) or "").strip()
        if value:
            changes[field] = value
    done = corrections.edit(session, entry, changes, now=now, by=by,
                            reason=str(form.get("why") or "") or None)
    _, _, summary, _ = history.describe(done.entry, zone_of(child))
    return f"Corrected {ref}: {summary}", [*done.info, *done.warnings]


USES: dict[str, Use] = {"give": _give, "withhold": _withhold, "symptom": _symptom,
                        "glucose": _glucose, "measure": _measure, "undo": _undo,
                        "vial": _open_vial, "stock": _stock, "edit": _edit}
BACK = {"give": "/", "withhold": "/", "undo": "/history", "vial": "/medicine",
        "stock": "/medicine", "edit": "/history"}


async def entry_page(request: Request) -> Response:
    """One entry in full with its audit trail (`tracker show`), and a correction form."""
    from tracker.errors import TrackerError
    from tracker.services import corrections, history, plan

    web: Web = request.app.state.web
    ref = request.path_params["ref"]
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        try:
            entry = corrections.get_entry(session, ref)
        except TrackerError as exc:
            return web.page("said.html", status=404, text=str(exc))
        child = corrections.child_of(session, entry)
        zone = plan.zone_of(child)
        kind, when, summary, fields = history.describe(entry, zone)
        trail = [{"action": c.action, "at": f"{c.at.astimezone(zone):%Y-%m-%d %H:%M}",
                  "by": c.by, "reason": c.reason, "fields": c.fields}
                 for c in corrections.audit_trail(session, entry)]
        shown = {
            "ref": ref, "child": child.name, "child_id": child.id, "kind": kind,
            "when": f"{when.astimezone(zone):%Y-%m-%d %H:%M}", "summary": summary,
            "fields": {k: v for k, v in fields.items() if v is not None},
            "written": f"{entry.created_at.astimezone(zone):%Y-%m-%d %H:%M} by "
                       f"{entry.created_by or 'unknown'}",
            "undone": entry.voided_at is not None, "dose": ref.startswith("D"),
        }
        form = csrf_token(device.token_hash)
    return web.page("entry.html", entry=shown, trail=trail, csrf=form)


async def medicine_page(request: Request) -> Response:
    from tracker.services import plan, supply

    web: Web = request.app.state.web
    now = web.clock()
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        children = []
        for child in plan.all_children(session):
            try:
                report = supply.SupplyReport(session, child, now)
            except Exception:  # no prescription yet
                continue
            data = report.to_json(child.name, supply.stock(session, child))
            if report.state is not None:
                discard = report.state.discard_at.astimezone(report.zone)
                data["discard"] = f"{discard:%a %d %b %H:%M}"
            children.append({"id": child.id, **data})
        form = csrf_token(device.token_hash)
    return web.page("medicine.html", children=children, csrf=form,
                    done=request.query_params.get("done"),
                    said=request.query_params.get("said"))


async def report_page(request: Request) -> Response:
    from tracker.services import plan

    web: Web = request.app.state.web
    with web.sessions(True) as session:
        if _device(web, request, session) is None:
            return unpaired(web)
        children = [(c.id, c.name) for c in plan.all_children(session)]
    return web.page("report.html", children=children, said=request.query_params.get("said"))


async def download(request: Request) -> Response:
    """The clinic report (PDF) or an export, for a period: the same code as the command
    line's `report` and `export`, written to memory and sent as a download."""
    import io

    from tracker.errors import TrackerError
    from tracker.services import plan
    from tracker.services import report as reports

    web: Web = request.app.state.web
    what = request.path_params["what"]
    now = web.clock()
    q = request.query_params
    try:
        with web.sessions(False) as session:
            if _device(web, request, session, touch=False) is None:
                return unpaired(web)
            child = plan.child_by_id(session, int(q.get("child") or "0"))
            if what == "report.pdf":
                period = reports.period(session, child, q.get("from") or None,
                                        q.get("to") or None, now)
                buffer = io.BytesIO()
                reports.write(session, child, period.start, period.end, now, buffer)
                body, kind = buffer.getvalue(), "application/pdf"
                name = f"{child.name}-report-{period.end.isoformat()}.pdf"
            else:
                body, kind, name = _export(session, child, what, q, now)
    except TrackerError as exc:
        return RedirectResponse(f"/report?said={quote(str(exc))}", status_code=303)
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(body, media_type=kind, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})



async def log_page(request: Request) -> Response:
    from tracker.domain.symptoms import KINDS, SEVERITIES
    from tracker.services import plan

    web: Web = request.app.state.web
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        children = [(c.id, c.name) for c in plan.all_children(session)]
        form = csrf_token(device.token_hash)
    return web.page("log.html", children=children, csrf=form, kinds=KINDS,
                    severities=SEVERITIES, done=request.query_params.get("done"),
                    said=request.query_params.get("said"))


async def history_page(request: Request) -> Response:
    from tracker.domain.timeparse import parse_date
    from tracker.errors import TrackerError
    from tracker.services import history, plan

    web: Web = request.app.state.web
    q = request.query_params
    undone = q.get("undone") == "1"
    now = web.clock()
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        sections = []
        for child in plan.all_children(session):
            zone = plan.zone_of(child)
            today = now.astimezone(zone).date()
            try:  # a period, as people write dates; missed slots are lines too
                # the last 30 days by default, as `tracker history`
                end = parse_date(q["to"], today) if q.get("to") else None
                start = (parse_date(q["from"], today) if q.get("from")
                         else history.default_start(end or today))
            except TrackerError as exc:
                return RedirectResponse(f"/history?said={quote(str(exc))}", status_code=303)
            items = history.history(session, child, start=start, end=end,
                                    include_void=undone, now=now)
            sections.append({"id": child.id, "name": child.name, "items": [
                {"ref": i.ref, "when": f"{i.when.astimezone(zone):%a %d %b %H:%M}",
                 "summary": i.summary, "voided": i.voided,
                 "edited": getattr(i, "edited", False)}
                for i in items[:200]]})
        form = csrf_token(device.token_hash)
    return web.page("history.html", sections=sections, csrf=form, undone=undone,
                    period=(q.get("from") or "", q.get("to") or ""),
                    done=request.query_params.get("done"),
                    said=request.query_params.get("said"))


async def about_page(request: Request) -> Response:
    """tracker's own drug information (the `tracker info` pages), with its source."""
    from tracker import druginfo

    web: Web = request.app.state.web
    with web.sessions(False) as session:
        if _device(web, request, session, touch=False) is None:
            return unpaired(web)
    content = druginfo.load()
    chosen = request.path_params.get("topic") or next(iter(content.topics))
    if chosen not in content.topics:
        return web.page("said.html", status=404, text=f"No page called {chosen!r}.")
    return web.page("about.html", content=content, topic=content.topics[chosen])


async def act(request: Request) -> Response:
    """A form of any page (Given and Withheld on Today, the Log, History and Medicine
    forms), through its use case, its questions asked as pages."""
    from tracker.errors import TrackerError
    from tracker.services import plan
    from tracker.services.questions import Answers, Question

    web: Web = request.app.state.web
    action = request.path_params["action"]
    use = USES.get(action)
    if use is None:
        return web.page("said.html", status=404, text="No such form.")
    form = await request.form()
    back = BACK.get(action, "/log")
    now = web.clock()
    answers = _answers(form)
    try:
        with web.sessions(True) as session:
            device = _device(web, request, session)
            if device is None:
                return unpaired(web)
            if not hmac.compare_digest(str(form.get("csrf", "")),
                                       csrf_token(device.token_hash)):
                return web.page("said.html", status=403,
                                text="This form is out of date: open the page again.")
            child = plan.child_by_id(session, int(str(form.get("child") or "0")))
            done, notes = use(session, child, form, now, device.caregiver,
                              Answers(answers, can_ask=True))
    except Question as question:
        return web.page("question.html", question=question, action=f"do/{action}",
                        fields={k: v for k, v in form.items() if not k.startswith(("q_", "k_"))},
                        answered={k: ("yes" if v is True else "no" if v is False else v)
                                  for k, v in answers.items()},
                        kinds={k: str(form.get(f"k_{k}", "text")) for k in answers})
    except TrackerError as exc:
        return RedirectResponse(f"{back}?said={quote(str(exc))}", status_code=303)
    text = done + (". " + " ".join(notes) if notes else "")
    return RedirectResponse(f"{back}?done={quote(text)}", status_code=303)


EXPORTS = {  # download name -> (format, what, media type)
    "doses.csv": ("csv", "doses", "text/csv"),
    "symptoms.csv": ("csv", "symptoms", "text/csv"),
    "glucose.csv": ("csv", "glucose", "text/csv"),
    "growth.csv": ("csv", "growth", "text/csv"),
    "doses.json": ("json", "doses", "application/json"),
    "fhir.json": ("fhir", "doses", "application/fhir+json"),
    "schedule.ics": ("ics", "doses", "text/calendar"),
}


def _export(session: Session, child: Any, what: str, q: Any,
            now: datetime) -> tuple[bytes, str, str]:
    import io

    from tracker.errors import NotFound
    from tracker.services import exports

    if what not in EXPORTS:
        raise NotFound(f"no export called {what!r}")
    fmt, kind, media = EXPORTS[what]
    start, end = exports.period(child, q.get("from") or None, q.get("to") or None, now)
    out = io.StringIO(newline="" if fmt in ("csv", "ics") else None)
    exports.write(session, child, fmt, kind, start, end, now, out, bom=fmt == "csv")
    return out.getvalue().encode("utf-8"), media, f"{child.name}-{what}"
