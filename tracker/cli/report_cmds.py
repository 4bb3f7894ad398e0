"""`tracker report`: the one-page clinic-visit report, as a PDF."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, child_option, pass_app


@click.command()
@child_option
@click.option("--from", "from_text", metavar="DATE",
              help="First day (default: the day after the last report, or 90 days ago).")
@click.option("--to", "to_text", metavar="DATE", help="Last day, inclusive (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write (default: NAME-report-DATE.pdf here).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@pass_app
def report(app: App, child_name: str | None, from_text: str | None, to_text: str | None,
           output: Path | None, force: bool) -> None:
    """Write the clinic-visit report as a PDF.

    Page one: the child, growth, the prescription and its changes, adherence, a calendar
    of every dose slot, side effects, glucose, site rotation and vials. Then the full log.
    """
    from datetime import date, timedelta

    from tracker.domain.text import isolate
    from tracker.domain.timeparse import parse_period
    from tracker.exports import files, pdf, summary
    from tracker.reminders.service import get_state, set_state
    from tracker.services import history, plan

    now = app.now()
    with app.session(write=True) as session:
        child = plan.find_child(session, child_name)
        zone = plan.zone_of(child)
        today = now.astimezone(zone).date()
        last = get_state(session, f"last_report/{child.id}")

        def since_last_report(end: date) -> date:
            if last and date.fromisoformat(last) < end:
                return date.fromisoformat(last) + timedelta(days=1)
            return end - timedelta(days=89)

        start, end = parse_period(from_text, to_text, today, end=today, start=since_last_report)
        data = summary.summarise(session, child, start, end, now)
        items = history.history(session, child, start=start, end=end)
        lines = [f"{i.when.astimezone(zone):%Y-%m-%d %H:%M}  {i.ref:>6}  {i.summary}"
                 + (f"  - {isolate(i.fields['note'])}" if i.fields.get("note") else "")
                 for i in items]
        target = output or Path(f"{child.name}-report-{end.isoformat()}.pdf")
        with files.binary_output(target, force=force) as out:
            pdf.render(data, lines, out)
        set_state(session, f"last_report/{child.id}", end.isoformat(), now)
    click.echo(f"Wrote {target} ({start} to {end})")
