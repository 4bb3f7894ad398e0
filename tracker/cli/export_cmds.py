"""`tracker export`: the log for a clinic or another program."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker import i18n
from tracker.cli.app import App, child_option, pass_app
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.exports.tabular import Record


@click.command(
    help=_(
        "Export the log as CSV or JSON, or the schedule as a calendar.\n"
        "\n"
        "Doses: one row per dose slot (scheduled time; given, withheld, missed or due; the time\n"
        "given and minutes early or late; mg, mL and syringe units as drawn; the prescribed mg;\n"
        "site; who; reason; note; override reason and flags; the vial's lot). Times are ISO\n"
        "8601 with the child's UTC offset. The file is written whole or not at all; a CSV file\n"
        "starts with the byte-order mark Excel needs to show any script.\n"
        "\n"
        "To open in a spreadsheet, use the Excel file (--format xlsx): LibreOffice reads a CSV\n"
        "file as Windows-1252 unless told otherwise. The CSV file is for programs.\n"
        "\n"
        "\b\n"
        "tracker export -o mia-doses.csv\n"
        "tracker export --what symptoms --from 2026-09-01 -o mia-symptoms.csv\n"
        "tracker export --format json --from 2026-01-01 --to 2026-06-30 > first-half.json\n"
        "tracker export --format xlsx -o mia-doses.xlsx (opens as it is in Excel or LibreOffice)\n"
        "tracker export --format ics -o mia-doses.ics   (import into a phone's calendar)"
    ),
)
@child_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json", "fhir", "ics"]),
    default="csv",
    show_default=True,
    help=_("csv for a spreadsheet, xlsx for Excel or LibreOffice as it is (dates as dates, any "
           "script), json for a program, fhir (R4 Bundle) for health records, ics for a calendar "
           "(the schedule)."),
)
@click.option(
    "--what",
    type=click.Choice(["doses", "symptoms", "glucose", "growth"]),
    default="doses",
    show_default=True,
    help=_("One row per dose slot, per symptom, per glucose check or per measurement."),
)
@click.option(
    "--from",
    "from_text",
    metavar="DATE",
    help=_("First day, in the child's time zone (default: 90 days ago)."),
)
@click.option("--to", "to_text", metavar="DATE", help=_("Last day, inclusive (default: today)."))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("File to write (owner-only). Default: standard output."),
)
@click.option("--force", is_flag=True, help=_("Replace the file if it exists."))
@click.option("--language", "lang", type=click.Choice(i18n.available(), case_sensitive=False),
              help=_("The language of what a person reads in an xlsx or ics file (its "
                     "headings, the events' words; default: yours). csv, json and fhir files "
                     "are the same in every language."))
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
    lang: str | None,
) -> None:
    from tracker.config import language
    from tracker.exports import files
    from tracker.services.clinic import exports
    from tracker.services.views import plan

    now = app.now()
    binary = fmt in exports.BINARY
    if binary and output is None:
        from tracker.errors import InputError

        raise InputError(_("an Excel file needs a name: add -o FILE.{fmt}").format(fmt=fmt))
    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        start, end = exports.period(child, from_text, to_text, now)
        newline = "" if fmt in ("csv", "ics") else None
        # files for programs are the same in every language; a person's, in theirs
        spoken = (lang.lower() if lang else language()) if fmt in FOR_PEOPLE else i18n.ENGLISH
        with files.output(output, force=force, newline=newline, binary=binary) as out, \
                i18n.speaking(spoken):
            written = exports.write(
                session, child, fmt, what, start, end, now, out,
                bom=output is not None,  # a file gets the mark Excel needs; stdout not
                progress=(lambda r: _with_progress(r, start, (end - start).days + 1))
                if output is not None else None,
                tmpdir=output.expanduser().absolute().parent if output is not None else None,
            )
    if output is None:
        return
    click.echo(written.said(output), err=True)


FOR_PEOPLE = ("xlsx", "ics")  # the formats with words for a person (csv, json, fhir: programs)


def _with_progress(records: Iterator[Record], start: date, days: int) -> Iterator[Record]:
    """A progress bar on a terminal for long exports; nothing when stderr is not one.

    Progress is the local day reached (each record starts with its local ISO time), so
    the bar moves evenly whatever the number of doses a day, and ends at 100%.
    """
    import sys

    if days < 365 or not sys.stderr.isatty():
        yield from records
        return
    with click.progressbar(length=days, label=_("Exporting"), file=sys.stderr) as bar:
        reached = start.isoformat()
        for record in records:
            day = str(record[0])[:10]  # each record starts with its local ISO time
            if day > reached:
                reached = day
                bar.update(min(days, (date.fromisoformat(reached) - start).days) - bar.pos)
            yield record
        bar.update(days - bar.pos)
