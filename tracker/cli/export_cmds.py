"""`tracker export`: the log for a clinic or another program."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.app import App, child_option, pass_app


@click.command()
@child_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "ics"]),
    default="csv",
    show_default=True,
    help="csv for a spreadsheet, json for a program, ics for a calendar (the schedule).",
)
@click.option(
    "--what",
    type=click.Choice(["doses", "symptoms"]),
    default="doses",
    show_default=True,
    help="One row per dose slot, or one per symptom.",
)
@click.option(
    "--from",
    "from_text",
    metavar="DATE",
    help="First day, in the child's time zone (default: 90 days ago).",
)
@click.option("--to", "to_text", metavar="DATE", help="Last day, inclusive (default: today).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (owner-only). Default: standard output.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@pass_app
def export(
    app: App,
    child_name: str | None,
    fmt: str,
    what: str,
    from_text: str | None,
    to_text: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Export the log as CSV or JSON, or the schedule as a calendar.

    Doses: one row per dose slot (scheduled time; given, withheld, missed or due; the time
    given and minutes early or late; mg and mL; site; who; reason; note). Times are ISO
    8601 with the child's UTC offset. The file is written whole or not at all.

    \b
    tracker export -o mia-doses.csv
    tracker export --what symptoms --from 2026-09-01 -o mia-symptoms.csv
    tracker export --format json --from 2026-01-01 --to 2026-06-30 > first-half.json
    tracker export --format ics -o mia-doses.ics   (import into a phone's calendar)
    """
    from datetime import timedelta

    from sqlalchemy import select

    from tracker.db.models import Dose
    from tracker.domain.timeparse import parse_date
    from tracker.errors import InputError
    from tracker.exports import files, rows, tabular
    from tracker.services import plan

    now = app.now()
    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        zone = plan.zone_of(child)
        today = now.astimezone(zone).date()
        end = parse_date(to_text, today) if to_text else today
        start = parse_date(from_text, today) if from_text else end - timedelta(days=89)
        if start > end:
            raise InputError(f"--from {start} is after --to {end}")
        header = {
            "child": child.name,
            "timezone": zone.key,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "generated": now.astimezone(zone).isoformat(),
        }
        if fmt == "ics":
            from tracker.exports.ics import calendar

            text = calendar(session, child, now).decode("utf-8")
            with files.output(output, force=force, newline="") as out:
                out.write(text)
            if output is not None:
                click.echo(f"Wrote the dose schedule to {output}", err=True)
            return
        if what == "doses":
            fields = tabular.DOSE_FIELDS
            records = (
                tabular.dose_record(r, zone)
                for r in rows.slot_rows(session, child, start, end, now)
            )
        else:
            found = list(rows.symptoms(session, child, start, end))
            ids = [s.dose_id for s in found if s.dose_id is not None]
            given = {
                i: at
                for i, at in session.execute(select(Dose.id, Dose.given_at).where(Dose.id.in_(ids)))
                if at is not None
            }
            fields = tabular.SYMPTOM_FIELDS
            records = (tabular.symptom_record(s, zone, given) for s in found)
        with files.output(output, force=force, newline="" if fmt == "csv" else None) as out:
            if fmt == "csv":
                count = tabular.write_csv(out, fields, records)
            else:
                count = tabular.write_json(out, header, what, records)
    if output is not None:
        click.echo(f"Wrote {count} {what if count != 1 else what[:-1]} to {output}", err=True)
