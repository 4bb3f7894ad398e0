"""The `tracker` command: a root group and one module per group of commands.

Commands are loaded lazily: `tracker give` imports only the module that defines `give`.
`--help` has to load them all (click asks each for its summary), so the command modules
import only click and our light modules at import time; the database layer is imported
inside the commands, and `tracker --help` never loads SQLAlchemy.
"""

from __future__ import annotations

import errno
import gc
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from tracker import __version__
from tracker.cli import app as app_module
from tracker.cli.app import DEFERRED_NOTES, App, release_signals
from tracker.cli.failures import crash_report, translate
from tracker.i18n import N_, _

# name -> (module in tracker.cli, attribute, summary for `tracker --help`). The summary is
# the first line of the command's own help (a test keeps them equal), so that the root
# --help can list commands without importing them all.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("setup_cmds", "init", N_("Set up a child and their prescription.")),
    "measure": ("setup_cmds", "measure", N_("Record a weight and/or height.")),
    "prescribe": (
        "setup_cmds",
        "prescribe",
        N_("Record a prescription change, or show the titration record."),
    ),
    "child": (
        "setup_cmds",
        "child_cmd",
        N_("List the children, or change one's time zone, syringe, charts or treatment start."),
    ),
    "config": ("setup_cmds", "config_cmd", N_("Show or change your settings.")),
    "give": ("logging_cmds", "give", N_("Log an injection.")),
    "skip": ("logging_cmds", "skip", N_("Record a withheld dose and why.")),
    "symptom": ("logging_cmds", "symptom", N_("Log a side effect.")),
    "glucose": ("logging_cmds", "glucose", N_("Record a blood-sugar check.")),
    "status": ("views", "status_cmd", N_("The next dose, today's doses, and warnings.")),
    "history": ("views", "history", N_("The log, newest first.")),
    "show": ("views", "show", N_("One entry in full, with every correction made to it.")),
    "info": (
        "info_cmds",
        "info",
        N_("Read about the medicine: what it is, dosing, giving, side effects..."),
    ),
    "backup": ("backup_cmds", "backup", N_("Make a consistent copy of the log, and check it.")),
    "restore": (
        "backup_cmds",
        "restore",
        N_("Replace the log with a backup FILE (the current log is kept aside first)."),
    ),
    "doctor": ("backup_cmds", "doctor", N_("Check the log and say what to do about each problem.")),
    "report": ("report_cmds", "report", N_("Write the clinic-visit report as a PDF.")),
    "export": (
        "export_cmds",
        "export",
        N_("Export the log as CSV or JSON, or the schedule as a calendar."),
    ),
    "remind": (
        "remind_cmds",
        "remind",
        N_("Desktop reminders for every dose, with follow-ups and a record."),
    ),
    "vial": ("vial_cmds", "vial", N_("Open a vial, count the stock, see what is left.")),
    "web": (
        "web_cmds",
        "web",
        N_("The household page: today's doses on every paired caregiver's phone."),
    ),
    "undo": ("corrections", "undo", N_("Undo the last entry you wrote (or the entry ID).")),
    "restore-entry": (
        "corrections",
        "restore_entry",
        N_("Take back an undo: the entry ID counts again (both stay in its audit trail)."),
    ),
    "edit": ("corrections", "edit", N_("Correct an entry; the old values are kept.")),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _unused = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"tracker.cli.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _shown(self):
            super().format_help_text(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _(summary))
                                for name, (_unused, _unused, summary) in COMMANDS.items()])


class LateOption(click.Option):
    """An option of the root group, which is built when this module is imported, before
    the caregiver's language is chosen (in _main): its help is translated when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        with _shown(self):
            return super().get_help_record(ctx)


@contextmanager
def _shown(thing: click.Command | click.Option) -> Iterator[None]:
    """`thing.help` (an N_ sentence) in the reader's language while it is written out."""
    written = thing.help
    thing.help = _(written) if written else written
    try:
        yield
    finally:
        thing.help = written


HELP = N_("""Log a child's Increlex (mecasermin) injections, withheld doses and side effects.

\b
Start:      tracker init          set up the child and the prescription
Every dose: tracker give          log an injection (site, who, when)
            tracker skip          log a withheld dose and why
At a glance: tracker              what is next, today's doses, warnings
Also:       symptom, glucose, measure, prescribe, history, undo, edit

The log is a local SQLite file (see --db). tracker is a record-keeping aid, not
medical advice: the child's doctor decides the dose.
""")


@click.group(
    cls=LazyGroup,
    help=HELP,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    cls=LateOption,
    metavar="PATH|URL",
    default=None,
    help=N_("The log to use: a file, or any SQLAlchemy URL. Default: $TRACKER_DATABASE_URL, then "
           "$TRACKER_DB, then a file in your user data folder."),
)
@click.version_option(__version__, "-V", "--version", prog_name="tracker", cls=LateOption,
                      help=N_("Show the version and exit."))
@click.pass_context
def root(ctx: click.Context, db: str | None) -> None:
    app = ctx.ensure_object(App)
    if db:
        app.db = db
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from tracker.cli.views import home

        ctx.invoke(home)


def _fail(message: str, code: int) -> None:
    from tracker.domain.text import one_line  # not on every command's start-up path

    click.echo(f"tracker: {one_line(message)}", err=True)
    sys.exit(code)


class OutputLost(Exception):
    """The answer could not be written: the reader went away, or the output is full."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class GuardedStdout:
    """Standard output whose failures are told apart from the log's own failures.

    A closed pipe (`| head -1`), a closed terminal or a full disk under `> file` happen
    after a write was committed: they must not be reported as a database failure.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as exc:
            raise OutputLost(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputLost(exc) from None

    def __getattr__(self, name: str) -> object:  # the rest of the stream, as it is
        return getattr(self._stream, name)


def _output_lost(exc: OutputLost, stream: TextIO) -> None:
    """The work is done; only its answer was lost. Say so on stderr unless the reader left."""
    try:  # the interpreter's last flush must not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, AttributeError, ValueError):
        pass
    if exc.error.errno != errno.EPIPE:
        if app_module.COMMITTED:
            said = _("tracker: note: done, but the answer could not be written: {exc}")
        else:
            said = _("tracker: note: nothing was changed, but the answer could not be written: "
                     "{exc}")
        click.echo(said.format(exc=exc), err=True)
    sys.exit(0 if app_module.COMMITTED or exc.error.errno == errno.EPIPE else 1)


def main(argv: list[str] | None = None, app: App | None = None) -> None:
    """Run tracker; every failure ends in one line on stderr and a non-zero exit code.

    `app` lets tests hand in their own clock and database. Signals held off by a commit
    (see App.session) are let through only here, once everything has been said.
    """
    real = sys.stdout
    sys.stdout = GuardedStdout(real)
    app_module.COMMITTED = False
    try:
        try:
            _main(argv, app)
        except OutputLost as exc:
            _output_lost(exc, real)
    finally:
        sys.stdout = real
        try:
            release_signals()  # a closed terminal, logout or Ctrl-C held off: now it may act
        except KeyboardInterrupt:
            sys.exit(130)


def _main(argv: list[str] | None, app: App | None) -> None:
    os.umask(0o077)  # the log, its backups and exports are the family's business only
    # A terminal that cannot show a name (a Latin-1 console, a Hebrew name) gets an escape
    # in its place, not a crash; files are written as UTF-8 whatever the terminal.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    # A command lives for a fraction of a second: the cycle collector's full passes over
    # SQLAlchemy's many objects only cost start-up time (~20 ms measured). A command that
    # runs for long (a service, a big export) must call gc.enable() itself.
    gc.disable()
    DEFERRED_NOTES.clear()
    for arg in sys.argv[1:] if argv is None else argv:
        # bytes the terminal's encoding cannot decode arrive as lone surrogates, which no
        # database or file can store: refuse them here, before anything is written
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            _fail(_("{arg!r} is not valid text: check the terminal's character encoding").format(
                      arg=arg), 2)
    try:
        from tracker import i18n
        from tracker.config import language

        # before any command module is imported: their help is written in this language
        i18n.use(language())
        from tracker.cli.click_words import speak

        speak()  # "Usage:", "Options", "Error: Missing option" in the same language
        app = app or App()
        result = root.main(args=argv, prog_name="tracker", standalone_mode=False, obj=app)
    except click.exceptions.Abort:
        _fail(_("stopped, nothing changed"), 1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = _(" (see '{command_path} --help')").format(command_path=exc.ctx.command_path)
        _fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
    except KeyboardInterrupt:
        _fail(_("interrupted, nothing changed"), 130)
    except OutputLost:
        raise
    except Exception as exc:
        if os.environ.get("TRACKER_DEBUG"):
            raise
        known = translate(exc, app.log_path() if app is not None else None)
        if known is not None:
            from tracker.cli.say import text

            _fail(text(known), known.exit_code)
        report = crash_report(exc)
        if report:
            said = _("internal error ({error}): this is a bug in tracker; details in {report}")
        else:
            said = _("internal error ({error}): this is a bug in tracker")
        _fail(said.format(error=type(exc).__name__, report=report), 70)
    if DEFERRED_NOTES:
        from tracker.domain.text import one_line

        for note in DEFERRED_NOTES:
            click.echo(_("tracker: note: {one_line}").format(one_line=one_line(note)), err=True)
    sys.stdout.flush()  # a full disk under `> file` shows here, not at exit
    sys.exit(result if isinstance(result, int) else 0)
