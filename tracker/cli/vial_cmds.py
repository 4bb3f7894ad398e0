"""The medicine supply: `tracker vial open | stock | add | status`."""

from __future__ import annotations

import math

import click

from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.cli.options import WHEN_HELP, Whole, at_option
from tracker.domain.dosing import format_ml
from tracker.i18n import _, formats, ngettext


@click.group(
    help=_(
        "Open a vial, count the stock, see what is left.\n"
        "\n"
        "\b\n"
        "tracker vial open --lot AB123 --expires 2027-06-30   a new vial is in use\n"
        "tracker vial stock 5                                 5 unopened vials in the fridge\n"
        "tracker vial add 3                                   3 more arrived\n"
        "tracker vial status                                  age, what is left, discard day\n"
        "tracker vial discard --reason \"left out\"             a vial that went wrong\n"
        "\n"
        "An opened vial is discarded after 30 days (or at its expiry, if sooner)."
    ),
)
def vial() -> None:
    pass


@vial.command(
    "open",
    help=_(
        "A new vial is in use (the previous one is closed)."
    ),
)
@child_option
@click.option("--lot", metavar="LOT", help=_("The lot number printed on the vial."))
@click.option("--expires", "expires_text", metavar="DATE",
              help=_("Its expiry as printed: a day (2027-06-30) or a month (2027-06, 06/2027, "
                     "06/27, JUN 27: its last day)."))
@at_option(_("When it was opened. ") + _(WHEN_HELP))
@click.option("--note", metavar="TEXT", help=_("Anything worth keeping with it."))
@pass_app
def open_cmd(
    app: App,
    child_name: str | None,
    lot: str | None,
    expires_text: str | None,
    at_text: str | None,
    note: str | None,
) -> None:
    from tracker import config
    from tracker.domain.timeparse import parse_expiry, parse_when
    from tracker.services.record import headlines, supply
    from tracker.services.views import plan

    now = app.now()
    with app.session(write=True) as session:
        child = plan.find_child(session, child_name)
        zone = plan.zone_of(child)
        at = parse_when(at_text, now, zone) if at_text else now
        expires = (parse_expiry(expires_text, now.astimezone(zone).date(), zone)
                   if expires_text else None)
        entry, info = supply.open_vial(
            session,
            child,
            at=at,
            now=now,
            by=config.caregiver(),
            lot=lot,
            expires_on=expires,
            note=note,
        )
        told = headlines.vial_told(entry, child, info)
    render.outcome(told)  # after the commit: "Recorded" only once it is


@vial.command(
    "discard",
    help=_(
        "Take a vial that went wrong out of use (kept in the record), and say what to do.\n"
        "\n"
        "\b\n"
        "tracker vial discard --reason \"left out\"           the open vial\n"
        "tracker vial discard --reason frozen --unopened    one from the fridge"
    ),
)
@child_option
@click.option("--reason", required=True, metavar="TEXT",
              help=_("Why: left out, frozen, dropped, cloudy, expired, contaminated, other."))
@click.option("--unopened", is_flag=True,
              help=_("An unopened vial from the fridge (taken from the stock), not the open one."))
@at_option(_("When. ") + _(WHEN_HELP))
@pass_app
def discard_cmd(app: App, child_name: str | None, reason: str, unopened: bool,
                at_text: str | None) -> None:
    from tracker import config
    from tracker.cli.say import text
    from tracker.domain.timeparse import parse_when
    from tracker.services.record import supply
    from tracker.services.views import plan

    now = app.now()
    with app.session(write=True) as session:
        child = plan.find_child(session, child_name)
        at = parse_when(at_text, now, plan.zone_of(child)) if at_text else now
        done, said = supply.discard_vial(session, child, reason=reason, at=at, now=now,
                                         by=config.caregiver(), unopened=unopened)
    click.echo(text(done + "."))  # after the commit: "Recorded" only once it is
    render.messages(said)


@vial.command(
    "stock",
    help=_(
        "Say how many unopened vials are in the fridge (a count you just took)."
    ),
)
@click.argument("count", type=Whole("vials", 0, 1000, 4))
@child_option
@pass_app
def stock_cmd(app: App, count: int, child_name: str | None) -> None:
    _change(app, child_name, set_to=count)


@vial.command(
    "add",
    help=_(
        "Add unopened vials that arrived (a delivery or a pharmacy pick-up)."
    ),
)
@click.argument("count", type=Whole("vials", 0, 1000, 4))
@child_option
@pass_app
def add_cmd(app: App, count: int, child_name: str | None) -> None:
    _change(app, child_name, add=count)


def _change(
    app: App, child_name: str | None, *, set_to: int | None = None, add: int | None = None
) -> None:
    from tracker import config
    from tracker.services.record import headlines, supply
    from tracker.services.views import plan

    now = app.now()
    with app.session(write=True) as session:
        child = plan.find_child(session, child_name)
        entry = supply.change_stock(
            session, child, now=now, by=config.caregiver(), set_to=set_to, add=add
        )
        told = headlines.stock_told(session, child, entry)
    render.outcome(told)


@vial.command(
    "status",
    help=_(
        "The open vial's age, what is left, its discard day, and how long the medicine lasts."
    ),
)
@child_option
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_app
def status_cmd(app: App, child_name: str | None, as_json: bool) -> None:
    from tracker.services.record import supply
    from tracker.services.views import plan

    now = app.now()
    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        report = supply.SupplyReport(session, child, now)
        unopened = supply.stock(session, child)
        zone = report.zone
        data = report.to_json(child.name, unopened)
        vial_json = data["vial"]
        if as_json:
            render.emit_json(data)
            return
        if vial_json is None:
            click.echo(_("No vial is recorded as open ('tracker vial open' when you open one)."))
        else:
            assert report.vial is not None and report.state is not None
            ago = render.span(now - report.vial.opened_at)
            if report.vial.lot:
                click.echo(_("Open vial V{id} lot {lot}: opened {span} ago").format(
                    id=report.vial.id, lot=report.vial.lot, span=ago))
            else:
                click.echo(_("Open vial V{id}: opened {span} ago").format(
                    id=report.vial.id, span=ago))
            n = report.state.doses_left
            click.echo("  " + ngettext("about {remaining_ml} mL left = {n} dose of {dose_ml} mL",
                                       "about {remaining_ml} mL left = {n} doses of {dose_ml} mL",
                                       n).format(
                remaining_ml=formats.decimal(format_ml(report.state.remaining_ml)), n=n,
                dose_ml=formats.decimal(format_ml(report.dose_ml))))
            discard = report.state.discard_at.astimezone(zone)
            click.echo("  " + _("discard on {day} {year} {time}").format(
                day=formats.day_short(discard), year=discard.year, time=formats.clock(discard)))
        if unopened is None:
            click.echo(_("Unopened vials: not counted yet"))
        else:
            click.echo(_("Unopened vials: {count}").format(count=unopened))
        if data["days_of_supply"] is not None and math.isfinite(report.days):
            days = math.floor(report.days)  # whole days: never more than there is
            click.echo(
                ngettext("The medicine at home lasts about {days} day at the current dose.",
                         "The medicine at home lasts about {days} days at the current dose.",
                         days).format(days=days)
            )
        render.messages(warnings=report.warnings())
