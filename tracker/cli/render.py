"""Text output for people: short lines that fit an 80-column terminal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click

from tracker.domain.schedule import format_span
from tracker.domain.sites import site_name
from tracker.i18n import _, formats
from tracker.services.views.words import slot_status

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from tracker.domain.guidance import Advice
    from tracker.services.record.outcome import Told
    from tracker.services.record.setup import SetupOutcome
    from tracker.services.views.briefing import Briefing
    from tracker.services.views.meter import MeterUnit
    from tracker.services.views.status import StatusReport


def span(delta: timedelta) -> str:
    return format_span(round(abs(delta).total_seconds() / 60))


def when(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    from tracker.services.record.headlines import when as said_when

    return said_when(at, zone, now)


WIDTH = 80


def _fill(line: str, first: str) -> str:
    import textwrap

    return textwrap.fill(
        line,
        WIDTH,
        initial_indent=first,
        subsequent_indent=" " * len(first) if first.strip() else first,
        break_on_hyphens=False,
    )


def messages(
    info: Iterable[str] = (), warnings: Iterable[str] = (), advice: Iterable[Advice] = ()
) -> None:
    """Advice and warnings, most urgent first, wrapped to fit an 80-column terminal.

    Emergency advice comes first (marked !!), then what calls for the doctor or for
    action now (!), then other warnings (!), then what to watch and plain notes.
    """
    from tracker.domain.guidance import in_order

    lines(in_order(info, warnings, advice))


def outcome(done: Told) -> None:
    """An outcome whole: what was recorded, then everything said about it, in order
    (the next dose last)."""
    from tracker.cli.say import text

    click.echo(text(done.headline))
    lines(done.said())


def lines(said: Iterable[Advice]) -> None:
    """Lines already in the one order of every front, each marked by its level: !! an
    emergency, ! what calls for the doctor or action now and other warnings, then what
    to watch and plain notes, indented."""
    from tracker.cli.say import text
    from tracker.domain.guidance import EMERGENCY, NOTE, WATCH

    for item in said:
        if item.level == EMERGENCY:
            click.secho(_fill(text(item.text), "  !! "), fg="red", bold=True)
        elif item.level in (WATCH, NOTE):
            click.echo(_fill(text(item.text), "  "))
        else:
            click.secho(_fill(text(item.text), "  ! "), fg="yellow")


def emit_json(data: object) -> None:
    """Anything json.dumps takes, with a message's actions named as commands."""
    import json

    from tracker.cli.say import text
    from tracker.domain.actions import Line

    def said(value: object) -> object:  # a message's actions named as commands, JSON or not
        if isinstance(value, Line):
            return text(value)
        if isinstance(value, dict):
            return {k: said(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [said(v) for v in value]
        return value

    click.echo(json.dumps(said(data), indent=2, ensure_ascii=False))


_COLOURS: dict[str, str | None] = {"given": "green", "withheld": "cyan", "due": "yellow",
                                   "missed": "red", "upcoming": None}


def _mark(status: str) -> tuple[str, str | None]:
    """A dose time's status word (in capitals where it asks for action) and its colour."""
    word = slot_status(status)
    return (word.upper() if status in ("due", "missed") else word), _COLOURS[status]


def status(report: StatusReport) -> None:
    zone, now = report.plan.zone, report.now
    local_now = now.astimezone(zone)
    # TRANSLATORS: the status's first line: "Mia - Tue 24 Nov 2026 19:35 (Europe/Paris)"
    click.secho(_("{name} - {day} {year} {time} ({zone})").format(
        name=report.child.name, day=formats.day_short(local_now), year=local_now.year,
        time=formats.clock(local_now), zone=zone.key), bold=True)
    draw = report.plan.draw
    if report.next is not None:
        slot = report.next.slot
        due = _("due now") if slot.at <= now else _("in {span}").format(span=span(slot.at - now))
        click.echo(_("Next dose: {when} ({due})").format(when=when(slot.at, zone, now), due=due))
        click.echo(_("  {describe}  ->  suggested site: {site}").format(
                       describe=draw.describe(), site=site_name(report.site)))
        dose = _dose_checks(report)
        from tracker.cli.say import text

        click.echo(_fill(text(dose.meal), "  "))
    else:
        click.echo(_("Dose: {describe}").format(describe=draw.describe()))
        _dose_checks(report)
    click.echo(_("Today:") if report.today else _("Today: no dose time since treatment started"))
    for view in report.today:
        label, colour = _mark(view.status.value)
        detail = view.detail(zone)
        click.echo(f"  {view.slot.name}  " + click.style(label, fg=colour) + detail)
    if report.last is not None and report.last.given_at is not None:
        ago, at = span(now - report.last.given_at), when(report.last.given_at, zone, now)
        if report.last.site:
            click.echo(_("Last dose: {span} ago ({when}, {site})").format(
                span=ago, when=at, site=site_name(report.last.site)))
        else:
            click.echo(_("Last dose: {span} ago ({when})").format(span=ago, when=at))
    else:
        click.echo(_("Last dose: none logged yet"))
    from tracker.services.views.treatment import describe

    click.echo(_("Treatment since {describe}.").format(describe=describe(report.child)))
    if report.advice:
        click.echo(_("Warnings:"))
        messages(advice=report.advice)
    from tracker.domain.safety import NOT_ADVICE

    click.secho(_(NOT_ADVICE), dim=True)


def _dose_checks(report: StatusReport) -> Briefing:
    """What is wrong with the next dose, next to it: before the injection, not after."""
    from tracker.services.views.briefing import of_report

    dose = of_report(report)
    for line in dose.checks:
        click.secho(_fill(line, "  ! "), fg="red", bold=True)
    return dose


def setup_summary(outcome: SetupOutcome, zone: str, by: str, meter: MeterUnit,
                  where: str) -> None:
    """What was set up, in words, and what to do next (reminders included)."""
    from tracker.domain.typed import in_words
    from tracker.services.record.setup import describe_growth
    from tracker.services.views.treatment import describe

    child = outcome.child
    click.echo(_("Set up {name} in {where}").format(name=child.name, where=where))
    click.echo(_fill(_("born {in_words}; {describe_growth}; time zone {zone}; treatment since "
                       "{describe} (every dose from then on counts: log the ones given, and "
                       "those nobody logs show as missed)").format(
                         in_words=in_words(child.birth_date),
                         describe_growth=describe_growth(child), zone=zone,
                         describe=describe(child)),
                     "  "))
    lines(outcome.said())
    if meter.known:
        readings = _("blood sugar readings are in {unit}").format(unit=meter.unit)
    else:  # no setting: the unit where the child lives, or none known there
        readings = (_("blood sugar readings are read in {unit}, usual where {name} lives").format(
                        unit=meter.unit, name=child.name) if meter.usual else
                    _("no meter unit is known where the child lives: a reading that could be "
                      "either unit is asked about"))
    click.echo(_fill(_("doses you log are written as given by {by}; {readings} (tracker config "
                       "glucose_unit mg/dL or mmol/L to set it)").format(
                         by=by, readings=readings), "  "))
    click.echo(_("Next:"))
    click.echo("  tracker                  " + _("what is due now, and where to inject"))
    click.echo("  tracker give             " + _("log an injection"))
    click.echo("  tracker remind install   " + _("turn on reminders on this computer"))
