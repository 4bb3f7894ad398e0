"""Commands that log what happened: give, skip, symptom, glucose."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.cli.options import WHEN_HELP, Number, at_option, force_options, force_reason
from tracker.domain.sites import SITES
from tracker.domain.symptoms import KINDS
from tracker.domain.urgency import emergencies
from tracker.i18n import _

EMERGENCIES = emergencies()

if TYPE_CHECKING:
    from tracker.services.record.log import Outcome
    from tracker.services.record.questions import Answers


@click.command(
    help=_(
        "Log an injection.\n"
        "\n"
        "It is matched to the nearest of today's and yesterday's dose times. An injection\n"
        "that was given is always recorded: what breaks a label rule (more than prescribed,\n"
        "above 0.12 mg/kg, no meal, late, soon after the last one) is flagged on the entry and\n"
        "you are told what to do now. Only a second dose in a slot is refused (--force with\n"
        "--reason records it as an extra dose). In a terminal it shows the dose to draw, asks\n"
        "for the site and whether the child eats within 20 minutes, and double-checks a late\n"
        "or unusual dose.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  tracker give --site left-thigh\n"
        "  tracker give --at \"yesterday 19:40\" --site right-abdomen --by Sam"
    ),
)
@child_option
@at_option(_(WHEN_HELP))
@click.option("--site", metavar="SITE",
              help=_("Where: {join} ('thigh left' or 'L leg' work too).").format(
                       join=', '.join(SITES)))
@click.option(
    "--dose-mg",
    type=Number("dose", "mg"),
    metavar="X",
    help=_("Amount given, if not the prescribed dose."),
)
@click.option("--by", metavar="NAME", help=_("Who gave it. Default: your caregiver name."))
@click.option("--note", metavar="TEXT", help=_("Anything worth keeping with it."))
@click.option(
    "--meal/--no-meal",
    default=None,
    help=_("Whether the child eats within 20 minutes of the injection."),
)
@force_options
@pass_app
def give(
    app: App,
    child_name: str | None,
    at_text: str | None,
    site: str | None,
    dose_mg: float | None,
    by: str | None,
    note: str | None,
    meal: bool | None,
    force: bool,
    force_reason_text: str | None,
) -> None:
    from tracker.cli import ask

    reason = force_reason(force, force_reason_text)
    now = app.now()

    def work(answers: Answers) -> Outcome:
        from tracker import config
        from tracker.domain.timeparse import parse_when
        from tracker.services.record import log
        from tracker.services.views import plan

        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            at = parse_when(at_text, now, plan.zone_of(child)) if at_text else now
            return log.give(
                session,
                child,
                at=at,
                now=now,
                by=by or config.caregiver(),
                site=site,
                dose_mg=dose_mg,
                meal=meal,
                note=note,
                force_reason=reason,
                answers=answers,
            )

    outcome = ask.run(app, work)
    # Only now, after the commit: a closed pipe or terminal cannot undo the entry.
    render.outcome(outcome)


@click.command(
    help=_(
        "Record a withheld dose and why.\n"
        "\n"
        "A withheld dose is not made up later: the next dose is the normal dose."
    ),
)
@child_option
@at_option(_("Which slot, e.g. 19:30 or 'yesterday 07:30'. Default: the one due now (asked, or "
             "refused naming the slots, when none is)."))
@click.option(
    "--reason", metavar="TEXT", help=_("Why it is withheld: not eating, ill, vomiting, no "
                                       "medicine...")
)
@click.option("--by", metavar="NAME", help=_("Who decided. Default: your caregiver name."))
@click.option("--note", metavar="TEXT", help=_("Anything worth keeping with it."))
@pass_app
def skip(
    app: App,
    child_name: str | None,
    at_text: str | None,
    reason: str | None,
    by: str | None,
    note: str | None,
) -> None:
    from tracker import config
    from tracker.cli import ask
    from tracker.domain.timeparse import parse_when
    from tracker.services.record import log
    from tracker.services.views import plan

    now = app.now()

    def work(answers: Answers) -> Outcome:
        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            zone = plan.zone_of(child)
            slot_at = parse_when(at_text, now, zone, past=False) if at_text else None
            outcome = log.skip(
                session,
                child,
                reason=reason,
                now=now,
                by=by or config.caregiver(),
                slot_at=slot_at,
                note=note,
                answers=answers,
            )
            return outcome

    render.outcome(ask.run(app, work))  # after the commit: nothing printed can undo it


@click.command(
    help=_("Log a side effect.\n"
           "\n"
           "KIND is one of: {kinds}.\n"
           "\n"
           "Call emergency services first, then log it, for {emergencies}.\n"
           "\n"
           "It is linked to the last dose when one was given in the hours before. A blood-sugar\n"
           "reading given with --glucose is recorded too.").format(
             kinds=", ".join(KINDS), emergencies=EMERGENCIES)
)
@click.argument("kind", metavar="KIND")
@child_option
@click.option(
    "--severity", type=click.Choice(["mild", "moderate", "severe"]), help=_("How bad it is.")
)
@at_option(_("When it began. ") + _(WHEN_HELP))
@click.option(
    "--glucose",
    "glucose_value",
    type=Number("reading"),
    metavar="VALUE",
    help=_("A blood-sugar reading taken with it."),
)
@click.option("--unit", metavar="UNIT",
              help=_("mg/dL or mmol/L. Default: your setting, else the unit usual where the "
                     "child lives."))
@click.option("--note", metavar="TEXT", help=_("What you saw."))
@pass_app
def symptom(
    app: App,
    kind: str,
    child_name: str | None,
    severity: str | None,
    at_text: str | None,
    glucose_value: float | None,
    unit: str | None,
    note: str | None,
) -> None:
    from tracker import config
    from tracker.cli import ask
    from tracker.domain.timeparse import parse_when
    from tracker.services.record import log
    from tracker.services.views import plan

    now = app.now()

    def work(answers: Answers) -> Outcome:
        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            at = parse_when(at_text, now, plan.zone_of(child)) if at_text else now
            return log.add_symptom(
                session,
                child,
                kind=kind,
                at=at,
                now=now,
                by=config.caregiver(),
                severity=severity,
                glucose_value=glucose_value,
                glucose_unit=unit,
                note=note,
                answers=answers,
            )

    render.outcome(ask.run(app, work))


@click.command(
    help=_(
        "Record a blood-sugar check.\n"
        "\n"
        "A low value is flagged with what to do. The label asks for checks before meals while\n"
        "the dose is being found."
    ),
)
@click.argument("value", type=Number("reading"))
@child_option
@click.option("--unit", metavar="UNIT",
              help=_("mg/dL or mmol/L. Default: your setting, else the unit usual where the "
                     "child lives (asked when a number could be either)."))
@at_option(_(WHEN_HELP))
@click.option(
    "--before-meal",
    is_flag=True,
    default=None,
    help=_("Taken before a meal (the label asks for these while the dose is set)."),
)
@click.option("--note", metavar="TEXT", help=_("Anything worth keeping with it."))
@pass_app
def glucose(
    app: App,
    value: float,
    child_name: str | None,
    unit: str | None,
    at_text: str | None,
    before_meal: bool | None,
    note: str | None,
) -> None:
    from tracker import config
    from tracker.cli import ask
    from tracker.domain.timeparse import parse_when
    from tracker.services.record import log
    from tracker.services.views import plan

    now = app.now()

    def work(answers: Answers) -> Outcome:
        with app.session(write=True) as session:
            child = plan.find_child(session, child_name)
            at = parse_when(at_text, now, plan.zone_of(child)) if at_text else now
            outcome = log.add_glucose(
                session,
                child,
                value=value,
                unit=unit,
                at=at,
                now=now,
                by=config.caregiver(),
                before_meal=before_meal,
                note=note,
                answers=answers,
            )
            return outcome

    render.outcome(ask.run(app, work))
