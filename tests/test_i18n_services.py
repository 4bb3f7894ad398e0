"""The services' sentences go through the catalog (issue 33): status, Today, history and
the outcome of give, skip and undo, produced under the pseudo-language, leave no English
outside ⟦⟧; under French they are not the English (checked through the catalog, not by
wording, until the translators finish)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import Clock, Tracker
from pseudo import english_left
from sqlalchemy.orm import Session

from tracker import i18n
from tracker.db.models import Child
from tracker.db.session import make_engine, transaction
from tracker.domain.actions import said
from tracker.services.record import corrections, log
from tracker.services.record.outcome import Told
from tracker.services.views import briefing, history, plan, status, today
from tracker.services.views.entry_view import entry_view

NAMES = {"Mia", "Eli", "Europe", "Paris", "D1", "D2", "D3", "P1"}


def _shown(message: object) -> str:
    """A message as a front shows it: each action by the front's own name for it (the
    command line's command, the page's button: their words are the fronts' to mark)."""
    return said(message, lambda action: f"⟦{action.do.name}⟧")


def _told(told: Told) -> list[str]:
    return [_shown(told.headline), *(_shown(a.text) for a in told.said())]


def _own(told: Told) -> list[str]:
    """What the services themselves say after a write (not the judgement's advice)."""
    return [told.headline, *told.info, *told.warnings, told.next]


def _views(session: Session, child: Child, now: datetime) -> list[str]:
    report = status.status(session, child, now)
    zone = report.plan.zone
    out = [*report.problems, *report.warnings, *report.hold]
    out += [v.detail(zone) for v in report.slots]
    out.append(report.plan.describe_prescription())
    note = report.plan.weight_note()
    out.append(note or "")
    for kid in today.today(session, now):
        out += [kid.next or "", kid.draw, kid.precision or "", kid.stop or "",
                kid.ask_first or "", kid.meal, kid.site, *kid.warnings, *kid.hold]
        out += [f"{row.when} {row.detail}" for row in kid.slots]
        out += [j.said for j in kid.judged] + [s for j in kid.judged for s in j.steps]
    day = now.astimezone(zone).date()
    for item in history.history(session, child, start=day - timedelta(days=3), end=day,
                                include_void=True, now=now):
        out.append(item.summary)
        if item.ref:  # the entry's page: its fields, who wrote it, its corrections
            view = entry_view(session, corrections.get_entry(session, item.ref))
            out += [view.when, view.written, view.undone or "", *view.fields,
                    *(c.said for c in view.trail)]
    out += [b.draw for b in briefing.doses(session, child, report.plan,
                                           [v.slot for v in report.today], now)]
    return out


def _run(tracker: Tracker, clock: Clock, lang: str) -> list[str]:
    tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris",
               "--since", "2026-11-20")
    engine = make_engine(f"sqlite:///{tracker.db}")
    out: list[str] = []
    with i18n.speaking(lang):
        now = clock.now()
        with transaction(engine, write=True) as session:
            child = plan.all_children(session)[0]
            out += _views(session, child, now)
            given = log.give(session, child, at=now, now=now, by="Eli", site="left-thigh",
                             meal=True)
            out += _told(given)
        clock.advance(hours=1)
        now = clock.now()
        with transaction(engine, write=True) as session:
            child = plan.all_children(session)[0]
            entry = corrections.last_entry(session, child)
            out += _told(corrections.void(session, entry, now=now, by="Eli", reason=None))
            out += _views(session, child, now)
        with transaction(engine, write=True) as session:
            child = plan.all_children(session)[0]
            out += _told(log.skip(session, child, reason="ill", now=now, by="Eli"))
            out += _views(session, child, now)
        clock.advance(hours=30)
        with transaction(engine, write=False) as session:
            child = plan.all_children(session)[0]
            out += _views(session, child, clock.now())
    return [_shown(s) for s in out if s]


def test_services_speak_only_through_the_catalog(tracker: Tracker, clock: Clock) -> None:
    said = _run(tracker, clock, "qps")
    left = [(text, english_left(text, also=NAMES)) for text in said]
    assert [found for found in left if found[1]] == []


def test_the_other_records_speak_only_through_the_catalog(tracker: Tracker,
                                                          clock: Clock) -> None:
    """A weight, a reading, a side effect, the vials and their stock, a new dose, what
    doctor says of the log: the rest of what the services tell after a write. Only the
    services' own words are read here (the headline, what is said with it, supply and
    doctor): the judgements' advice is the domain's, read by its own test."""
    from tracker.services.operations import doctor, reminder_standing
    from tracker.services.record import headlines, setup, supply

    tracker.ok("init", "--child", "Mia", "--birth-date", "2018-05-01", "--weight", "20",
               "--dose-mg-per-kg", "0.04", "--timezone", "Europe/Paris",
               "--since", "2026-11-20")
    engine = make_engine(f"sqlite:///{tracker.db}")
    out: list[str] = []
    with i18n.speaking("qps"):
        now = clock.now()
        with transaction(engine, write=True) as session:
            child = plan.all_children(session)[0]
            out += _own(setup.measure(session, child, now=now, by="Eli", weight_kg=21.5,
                                       height_cm=118))
            out += _own(log.add_glucose(session, child, value=65, unit="mg/dL",
                                         at=now, now=now, by="Eli", before_meal=True))
            out += _own(log.add_symptom(session, child, kind="rash", severity="mild",
                                         at=now, now=now, by="Eli"))
            stocked = supply.change_stock(session, child, now=now, by="Eli", set_to=3)
            out += _own(headlines.stock_told(session, child, stocked))
            vial, said = supply.open_vial(session, child, at=now, now=now, by="Eli",
                                          lot="AB12")
            out += _own(headlines.vial_told(vial, child, said))
            out += [*supply.SupplyReport(session, child, now).warnings()]
            what, _advice = supply.discard_vial(session, child, reason="dropped", at=now,
                                             now=now, by="Eli")
            out.append(what)
            out += _own(setup.prescribe(session, child, now=now, by="Eli",
                                         dose_mg_per_kg=0.05, force_reason="the doctor"))
        standing = reminder_standing.standing(running=False, last_seen="x", installed=True,
                                              obstacle=None)
        out += [standing.sentence, *(s.what for s in standing.steps)]
        out += [c.what + " " + c.advice for c in doctor.check_sqlite(tracker.db)]
    said = [_shown(text) for text in out if text]
    left = [(text, english_left(text, also=NAMES | {"AB12"})) for text in said]
    assert [found for found in left if found[1]] == []


def test_setup_questions_speak_only_through_the_catalog() -> None:
    """The questions `tracker init` asks (and the help written from them)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tracker.services.record import interview

    env = interview.Env(datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/Paris")),
                        "Europe/Paris", None)
    said: list[str] = []
    with i18n.speaking("qps"):
        answers: dict[str, object] = {}
        while (step := interview.next_step(answers, env)) is not None:
            answers[step.key] = None
            said += [step.question, step.hint]
        said += [asked.help for asked in interview.ASKED.values()]
    left = [(text, english_left(text, also={"Europe", "Paris"})) for text in said]
    assert [found for found in left if found[1]] == []


def test_services_in_french_are_not_the_english(tracker: Tracker, clock: Clock,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The same paths in French run whole and come out in French's forms (its dates and
    numbers; its words once translated): the catalog and Babel are what speak, not the
    English. French wording is the translators' and is not asserted here."""
    start = clock.at
    english = _run(tracker, clock, "en")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "fr" / "tracker.db"))
    clock.at = start
    french = _run(Tracker(clock, tmp_path / "fr" / "tracker.db"), clock, "fr")
    assert len(french) == len(english)
    assert french != english
    assert any("déc." in line or "nov." in line for line in french)
