"""`tracker report`: the clinic-visit report, as a PDF."""

from __future__ import annotations

from pathlib import Path

import click

from tracker import i18n
from tracker.cli.app import App, child_option, pass_app
from tracker.i18n import _


@click.command(help=_(
    "Write the clinic-visit report as a PDF.\n"
    "\n"
    "\b\n"
    "Page one: growth on the child's reference chart (height SDS, centile and\n"
    "velocity), each prescription as it was in force, adherence, what was withheld,\n"
    "missed or flagged, side effects, glucose, vials and sites, and the height chart.\n"
    "Then a month-by-month calendar of every dose slot, the flagged doses, the vials\n"
    "with their lots, and the full log (every missed slot in words).\n"
    "\n"
    "Names and notes print in any script with this computer's fonts (Noto, then\n"
    "DejaVu); a script with no font here is named on the terminal. --language writes\n"
    "it for a clinic that reads another language than yours (fr, es, de, ar: right to\n"
    "left); what the terminal says stays in yours."))
@child_option
@click.option("--from", "from_text", metavar="DATE",
              help=_("First day (default: the day after the last report, or 90 days ago; never "
                     "before the first day of the log)."))
@click.option("--to", "to_text", metavar="DATE", help=_("Last day, inclusive (default: today)."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_("The PDF to write (default: NAME-report-DATE.pdf here, or "
                     "NAME-report-DATE-2.pdf if that is taken)."))
@click.option("--force", is_flag=True, help=_("Replace the file if it exists."))
@click.option("--language", "lang", type=click.Choice(i18n.available(), case_sensitive=False),
              help=_("The report's language, for the clinic that reads it (default: yours)."))
@pass_app
def report(app: App, child_name: str | None, from_text: str | None, to_text: str | None,
           output: Path | None, force: bool, lang: str | None) -> None:
    from tracker.config import language
    from tracker.exports import files, fonts
    from tracker.services.clinic import report as reports
    from tracker.services.views import plan

    now = app.now()
    with app.session(write=False) as session:
        child = plan.find_child(session, child_name)
        period = reports.period(session, child, from_text, to_text, now)
        target = output or Path(reports.file_name(child, period))
        if output is None and not force:
            target = files.unused_name(target)
        with files.binary_output(target, force=force) as out, \
                i18n.speaking(lang.lower() if lang else language()):
            written = reports.write(session, child, period, now, out)
    with app.session(write=True) as session:  # short: only where the next report starts
        written.remember(session)
    click.echo(_("Wrote {target} ({start} to {end})").format(
        target=target, start=period.start, end=period.end))
    if period.note:
        click.echo(f"  {period.note}")
    if written.missing:
        click.echo(
            "  " + _("Some text could not be printed ({scripts}): no font for it on this "
                     "computer; {how}").format(scripts=", ".join(map(fonts.script_name,
                                                                     written.missing)),
                                              how=fonts.install_hint()),
            err=True,
        )
