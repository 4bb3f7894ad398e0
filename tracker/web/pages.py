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


USES: dict[str, Use] = {"symptom": _symptom, "glucose": _glucose, "measure": _measure,
                        "undo": _undo}


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
    from tracker.services import history, plan

    web: Web = request.app.state.web
    undone = request.query_params.get("undone") == "1"
    with web.sessions(True) as session:
        device = _device(web, request, session)
        if device is None:
            return unpaired(web)
        sections = []
        for child in plan.all_children(session):
            zone = plan.zone_of(child)
            items = history.history(session, child, start=None, end=None,
                                    include_void=undone)
            sections.append({"id": child.id, "name": child.name, "items": [
                {"ref": i.ref, "when": f"{i.when.astimezone(zone):%a %d %b %H:%M}",
                 "summary": i.summary, "voided": i.voided,
                 "edited": getattr(i, "edited", False)}
                for i in items[:200]]})
        form = csrf_token(device.token_hash)
    return web.page("history.html", sections=sections, csrf=form, undone=undone,
                    done=request.query_params.get("done"),
                    said=request.query_params.get("said"))


async def about_page(request: Request) -> Response:
    """tracker's own drug information (the `tracker info` pages), with its source."""
    from tracker import druginfo

    web: Web = request.app.state.web
    with web.sessions(False) as session:
        if _device(web, request, session) is None:
            return unpaired(web)
    content = druginfo.load()
    chosen = request.path_params.get("topic") or next(iter(content.topics))
    if chosen not in content.topics:
        return web.page("said.html", status=404, text=f"No page called {chosen!r}.")
    return web.page("about.html", content=content, topic=content.topics[chosen])


async def act(request: Request) -> Response:
    """A form of the Log or History page, through its use case (questions included)."""
    from tracker.errors import TrackerError
    from tracker.services import plan
    from tracker.services.questions import Answers, Question

    web: Web = request.app.state.web
    action = request.path_params["action"]
    use = USES.get(action)
    if use is None:
        return web.page("said.html", status=404, text="No such form.")
    form = await request.form()
    back = "/history" if action == "undo" else "/log"
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
