"""What is said beside a dose is decided once (services.briefing) and laid out by each
front: the reminder, status and the household page's Today (issue 32, part 2)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from conftest import Clock, Tracker

from tracker.domain.actions import plain

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"


def test_the_reminders_ask_the_service_layer_one_use_case() -> None:
    """reminders/due.py schedules and delivers: what a reminder says comes from the
    briefing, not from seven service modules put together in a front."""
    tree = ast.parse((PACKAGE / "reminders" / "due.py").read_text(encoding="utf-8"))
    typing_only = {id(node) for branch in ast.walk(tree)
                   if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
                   for node in ast.walk(branch)}
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module and id(node) not in typing_only]
    services = {node.module for node in imports
                if node.module and node.module.startswith("tracker.services")}
    services |= {f"{node.module}.{a.name}" for node in imports if node.module in (
        "tracker.services", "tracker.services.views") for a in node.names}
    assert services - {"tracker.services", "tracker.services.views"} == {
        "tracker.services.views.briefing"}


def test_a_dose_held_for_the_doctor_is_said_alike_by_the_reminder_status_and_today(
        mia: Tracker, clock: Clock) -> None:
    from tracker.config import database_target
    from tracker.db.session import make_engine, transaction
    from tracker.reminders import messages
    from tracker.services.views import briefing, status, today

    mia.ok("symptom", "headache", "--at", "08:00")
    clock.set("2026-11-25T09:00:00+01:00")
    mia.ok("symptom", "vomiting")
    now = datetime.fromisoformat("2026-11-25T19:30:05+01:00").astimezone(UTC)
    engine = make_engine(database_target().url)
    try:
        with transaction(engine, write=False) as session:
            child = briefing.children(session)[0]
            plan, infos = briefing.slots(session, child, now)
            slot = next(i.slot for i in infos if i.slot.at <= now and not i.logged
                        and i.slot.label == "19:30")
            [dose] = briefing.doses(session, child, plan, [slot], now)
            shown = briefing.of_report(status.status(session, child, now))
            [page] = today.today(session, now)
    finally:
        engine.dispose()
    ask = ("Ask the child's doctor before giving this dose: headache with vomiting was "
           "logged.")
    assert dose.ask_first == shown.ask_first == page.ask_first == ask
    assert dose.checks == shown.checks == [ask] and dose.can_give
    assert dose.draw == shown.draw == page.draw and dose.site == shown.site == page.site
    assert str(dose.meal) == str(shown.meal) == str(page.meal)
    title, body = messages.compose("due", dose)
    assert title == "Mia: Increlex dose due (19:30)" and body.startswith(ask)
    assert f"{dose.draw}, site {dose.site}. {plain(dose.meal)}" in body
