"""Commands that read: the home screen, status, history and one entry with its corrections."""

from __future__ import annotations

from datetime import date

import click

from tracker.cli import render
from tracker.cli.app import App, child_option, pass_app
from tracker.i18n import N_, _, formats, ngettext

WELCOME = N_("""Welcome to tracker: a log for a child's Increlex injections.

No child is set up yet. In a terminal, 'tracker init' asks what it needs, one question
at a time. Or give it all at once:
  tracker init --child NAME --birth-date 2019-06-12 --weight 21.5 --dose "0.04 mg/kg"
'tracker --help' lists everything.""")


@click.command(
    hidden=True,
    help=_(
        "What plain `tracker` shows: status, or how to start."
    ),
)
@pass_app
def home(app: App) -> None:
    from tracker.cli.app import has_log
    from tracker.services.views import plan, status

    if has_log(app.target()):
        with app.session(write=False) as session:
            empty = not plan.all_children(session)
    else:  # nothing set up on this machine yet: asked, and only `init` creates the log
        empty = True
    if empty:
        from tracker.cli.ask import confirm

        if not (
            app.is_interactive()
            and confirm(_("No child is set up yet. Set one up now?"), default=True)
        ):
            click.echo(_(WELCOME))
            return
        from tracker.cli.setup_cmds import init

        click.get_current_context().invoke(init)
        click.echo()
    with app.session(write=False) as session:
        for i, child in enumerate(plan.all_children(session)):
            if i:
                click.echo()
            render.status(status.status(session, child, app.now()))


@click.command(
    "status",
    help=_(
        "The next dose, today's doses, and warnings.\n"
        "\n"
        "When the next dose is due, how much (mg, mL and syringe units), where to inject, the\n"
        "state of today's doses, and the time since the last one. Plain `tracker` shows this."
    ),
)
@child_option
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_app
def status_cmd(app: App, child_name: str | None, as_json: bool) -> None:
    from tracker.services.views import plan, status

    with app.session(write=False) as session:
        report = status.status(session, plan.find_child(session, child_name), app.now())
        if as_json:
            render.emit_json(report.to_json())
        else:
            render.status(report)


@click.command(
    help=_(
        "The log, newest first.\n"
        "\n"
        "Doses, withheld doses, symptoms, glucose checks, measurements and prescriptions. Each\n"
        "line starts with the entry's id (D12, S3...), which 'tracker edit', 'tracker undo'\n"
        "and 'tracker show' take. Edited entries are marked *, undone ones (with --undone) x.\n"
        "A slot whose time passed with nothing logged is a line too: \"missed, nothing logged\"."
    ),
)
@child_option
@click.option("--from", "from_text", metavar="DATE", help=_("First day (YYYY-MM-DD)."))
@click.option("--to", "to_text", metavar="DATE", help=_("Last day (YYYY-MM-DD), inclusive."))
@click.option("--all", "everything", is_flag=True, help=_("The whole log (default: last 30 days)."))
@click.option("--undone", is_flag=True, help=_("Include entries that were undone."))
@click.option("--json", "as_json", is_flag=True, help=_("Machine-readable output."))
@pass_app
def history(
    app: App,
    child_name: str | None,
    from_text: str | None,
    to_text: str | None,
    everything: bool,
    undone: bool,
    as_json: bool,
) -> None:

    from tracker.domain.text import isolate
    from tracker.services.views import history as hist
    from tracker.services.views import plan

    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        zone = plan.zone_of(child)
        start, end = hist.period(child, from_text, to_text, app.now(), whole_log=everything)
        items = hist.history(
            session, child, start=start, end=end, include_void=undone, now=app.now()
        )
        if as_json:
            render.emit_json(
                {
                    "child": child.name,
                    "timezone": zone.key,
                    "from": start.isoformat() if start else None,
                    "to": end.isoformat() if end else None,
                    "entries": [i.to_json(zone) for i in items],
                }
            )
            return
        missed = sum(1 for i in items if i.kind == "missed")
        shown = hist.shown_start(child, start, items)
        click.echo(_heading(child.name, len(items) - missed, missed, shown, end, zone.key))
        for item in items:
            mark = "x" if item.voided else ("*" if item.edited else " ")
            local = item.when.astimezone(zone)
            stamp = formats.day(local) + " " + (
                " " * 5 if item.kind == "measurement" else formats.clock(local))
            note = f"  - {isolate(item.note)}" if item.note else ""
            click.echo(f"{stamp} {mark}{item.ref or '-':>6}  {item.summary}{note}")


def _heading(name: str, entries: int, missed: int, start: date | None, end: date | None,
             zone: str) -> str:
    """"Mia: 3 entries and 1 missed slot from 2026-11-24 (Europe/Paris)": whole sentences,
    so that a translation can order them its own way."""
    counts = ngettext("{n} entry", "{n} entries", entries).format(n=formats.decimal(f"{entries:,}"))
    if missed:
        # TRANSLATORS: "3 entries" and "1 missed slot", each already counted
        counts = _("{entries} and {missed}").format(
            entries=counts, missed=ngettext("{n} missed slot", "{n} missed slots", missed).format(
                n=formats.decimal(f"{missed:,}")))
    if start and end:
        return _("{name}: {counts} from {start} to {end} ({zone})").format(
            name=name, counts=counts, start=formats.day(start), end=formats.day(end), zone=zone)
    if start:
        return _("{name}: {counts} from {start} ({zone})").format(
            name=name, counts=counts, start=formats.day(start), zone=zone)
    if end:
        return _("{name}: {counts} to {end} ({zone})").format(
            name=name, counts=counts, end=formats.day(end), zone=zone)
    return _("{name}: {counts} ({zone})").format(name=name, counts=counts, zone=zone)


@click.command(
    help=_(
        "One entry in full, with every correction made to it.\n"
        "\n"
        "This is the audit trail: who changed what, when, and why."
    ),
)
@click.argument("entry_id", metavar="ID")
@pass_app
def show(app: App, entry_id: str) -> None:
    from tracker.services.record import corrections
    from tracker.services.views.entry_view import entry_view

    with app.session(write=False) as session:
        view = entry_view(session, corrections.get_entry(session, entry_id))
    click.echo(f"{view.ref}  {view.child}  {view.kind}  {view.when}")
    click.echo(f"  {view.summary}")
    for line in view.fields:
        click.echo(f"  {line}")
    click.echo("  " + _("written {written}").format(written=view.written))
    if view.note:
        click.echo("  " + _("note: {note}").format(note=view.note))
    if view.undone:
        # TRANSLATORS: in capitals: the entry no longer counts; then who undid it and when
        click.echo("  " + _("UNDONE {undone}").format(undone=view.undone))
    for change in view.trail:
        click.echo(f"  {change.said}")
        for line in change.lines:
            click.echo(f"    {line}")
