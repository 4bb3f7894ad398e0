"""The `tracker` command: a root group and one module per group of commands.

The command modules import only click and our light modules at import time; the database
layer is imported inside the commands, so `tracker --help` never loads SQLAlchemy.
"""

from __future__ import annotations

import os
import sys

import click

from tracker import __version__
from tracker.cli import corrections, logging_cmds, setup_cmds, views
from tracker.cli.app import App
from tracker.cli.failures import crash_report, translate

HELP = """Log a child's Increlex (mecasermin) injections, withheld doses and side effects.

\b
Start:      tracker init          set up the child and the prescription
Every dose: tracker give          log an injection (site, who, when)
            tracker skip          log a withheld dose and why
At a glance: tracker              what is next, today's doses, warnings
Also:       symptom, glucose, measure, prescribe, history, undo, edit

The log is a local SQLite file (see --db). tracker is a record-keeping aid, not
medical advice: the child's doctor decides the dose.
"""


@click.group(help=HELP, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", metavar="PATH|URL", envvar="TRACKER_DB_OPTION", default=None,
              help="The log to use: a file, or any SQLAlchemy URL. Default: $TRACKER_DATABASE_URL, "
                   "then $TRACKER_DB, then a file in your user data folder.")
@click.version_option(__version__, "-V", "--version", prog_name="tracker")
@click.pass_context
def root(ctx: click.Context, db: str | None) -> None:
    app = ctx.ensure_object(App)
    if db:
        app.db = db
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(views.home)


for module in (setup_cmds, logging_cmds, views, corrections):
    for command in module.COMMANDS:
        root.add_command(command)


def _fail(message: str, code: int) -> None:
    click.echo(f"tracker: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None, app: App | None = None) -> None:
    """Run tracker; every failure ends in one line on stderr and a non-zero exit code.

    `app` lets tests hand in their own clock and database.
    """
    os.umask(0o077)  # the log, its backups and exports are the family's business only
    try:
        result = root.main(args=argv, prog_name="tracker", standalone_mode=False, obj=app)
    except click.exceptions.Abort:
        _fail("stopped, nothing changed", 1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        _fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted, nothing changed", 130)
    except Exception as exc:
        if os.environ.get("TRACKER_DEBUG"):
            raise
        known = translate(exc)
        if known is not None:
            _fail(str(known), known.exit_code)
        report = crash_report(exc)
        where = f"; details in {report}" if report else ""
        _fail(f"internal error ({type(exc).__name__}): this is a bug in tracker{where}", 70)
    sys.exit(result if isinstance(result, int) else 0)
