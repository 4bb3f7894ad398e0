"""Commands that correct the log without losing anything: undo and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.cli.options import WHEN_HELP, Number
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.services.record.questions import Answers


@click.command(
    help=_(
        "Undo the last entry you wrote (or the entry ID).\n"
        "\n"
        "Nothing is deleted: the entry is marked undone and stays visible with\n"
        "'tracker history --undone' and 'tracker show ID'. In a terminal you are asked first."
    ),
)
@click.argument("entry_id", metavar="[ID]", required=False)
@child_option
@click.option("--why", metavar="TEXT", help=_("Why it is undone (kept in the audit trail)."))
@pass_app
def undo(app: App, entry_id: str | None, child_name: str | None, why: str | None) -> None:
    from tracker import config
    from tracker.cli import ask
    from tracker.services.record import corrections
    from tracker.services.views import plan

    now = app.now()

    def work(answers: Answers) -> corrections.Correction:
        with app.session(write=True) as session:
            if entry_id:
                entry = corrections.get_entry(session, entry_id)
            else:
                entry = corrections.last_entry(session, plan.find_child(session, child_name))
            return corrections.void(session, entry, now=now, by=config.caregiver(),
                                    reason=why, answers=answers)

    render.outcome(ask.run(app, work))  # after the commit: nothing printed can undo it


@click.command(
    "restore-entry",
    help=_(
        "Take back an undo: the entry ID counts again (both stay in its audit trail).\n"
        "\n"
        "For a dose undone by mistake, when the injection was given after all. A slot that was\n"
        "logged again meanwhile is refused, naming the entry that holds it."
    ),
)
@click.argument("entry_id", metavar="ID")
@click.option("--why", metavar="TEXT", help=_("Why it is restored (kept in the audit trail)."))
@pass_app
def restore_entry(app: App, entry_id: str, why: str | None) -> None:
    from tracker import config
    from tracker.services.record import corrections

    now = app.now()
    with app.session(write=True) as session:
        entry = corrections.get_entry(session, entry_id)
        done = corrections.restore(session, entry, now=now, by=config.caregiver(), reason=why)
    render.outcome(done)


@click.command(
    help=_(
        "Correct an entry; the old values are kept.\n"
        "\n"
        "See them with 'tracker show ID'.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  tracker edit D12 --site right-thigh --why \"wrong leg\"\n"
        "  tracker edit D12 --at 07:35\n"
        "  tracker edit G4 --value 4.2 --unit mmol/L"
    ),
)
@click.argument("entry_id", metavar="ID")
@click.option("--at", "at_text", metavar="WHEN", help=_("New time. ") + _(WHEN_HELP))
@click.option("--site", metavar="SITE", help=_("New site (doses)."))
@click.option("--dose-mg", type=Number("dose", "mg"), metavar="X", help=_("New amount (doses)."))
@click.option("--by", metavar="NAME", help=_("Who gave it (doses)."))
@click.option("--reason", metavar="TEXT", help=_("Why it was withheld (withheld doses)."))
@click.option("--meal/--no-meal", default=None, help=_("Eaten within 20 minutes (doses)."))
@click.option("--kind", metavar="KIND", help=_("Symptom kind (symptoms)."))
@click.option("--severity", metavar="LEVEL", help=_("mild, moderate or severe (symptoms)."))
@click.option("--value", type=Number("reading"), metavar="X", help=_("Reading (glucose)."))
@click.option("--unit", metavar="UNIT", help=_("mg/dL or mmol/L (glucose)."))
@click.option("--before-meal/--not-before-meal", default=None, help="(glucose)")
@click.option("--weight", type=Number("weight", "kg"), metavar="KG", help="(measurements)")
@click.option("--height", type=Number("height", "cm"), metavar="CM", help="(measurements)")
@click.option("--on", "on_text", metavar="DATE", help=_("Day measured (measurements)."))
@click.option("--note", metavar="TEXT", help=_("New note (any entry)."))
@click.option("--why", metavar="TEXT", help=_("Why it is corrected (kept in the audit trail)."))
@pass_app
def edit(
    app: App,
    /,
    entry_id: str,
    at_text: str | None,
    on_text: str | None,
    why: str | None,
    **fields: object,
) -> None:
    from tracker import config
    from tracker.services.record import corrections

    with app.session(write=True) as session:
        entry = corrections.get_entry(session, entry_id)
        done = corrections.edit_as_typed(session, entry, {**fields, "at": at_text, "on": on_text},
                                         now=app.now(), by=config.caregiver(), reason=why)
    render.outcome(done)
