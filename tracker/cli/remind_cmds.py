"""`tracker remind`: the reminder service and what it did."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker import i18n
from tracker.cli.app import App, pass_app
from tracker.cli.options import Whole
from tracker.domain.reminders import CONTACT_AFTER, CONTACT_AFTER_RANGE  # no SQLAlchemy
from tracker.i18n import LANGUAGES, _, formats, pgettext
from tracker.services.record import snooze as snoozing  # its bounds only: no SQLAlchemy

if TYPE_CHECKING:
    from datetime import datetime


@click.group(
    help=_(
        "Desktop reminders for every dose, with follow-ups and a record.\n"
        "\n"
        "\b\n"
        "tracker remind run        run the reminder service here (Ctrl-C stops it)\n"
        "tracker remind install    turn reminders on: now and at every login\n"
        "tracker remind test       send a notification now and say how it went\n"
        "tracker remind status     are they on? the last reminder, the next one\n"
        "tracker remind log        every notification attempt\n"
        "tracker remind snooze 20  quiet the follow-ups for 20 minutes\n"
        "tracker remind contact    phones told when a dose is not logged\n"
        "\n"
        "A dose reminder has buttons: Given · site, Withheld, Snooze 15 min."
    ),
)
def remind() -> None:
    pass


@remind.command(
    "run",
    help=_(
        "Run the reminder service in the foreground.\n"
        "\n"
        "It notifies at each dose time, follows up when a dose is not logged, says when a dose\n"
        "was missed, and checks the vial once a day. Every attempt is recorded. Changes made\n"
        "with tracker while it runs take effect within a minute (or at once: kill -HUP)."
    ),
)
@click.option(
    "--follow-up",
    type=Whole("minutes", 5, 240, 30),
    default=30,
    show_default=True,
    metavar="MINUTES",
    help=_("Remind again this long after a dose time, then once more."),
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=_("Read where the log is from this owner-only file (written by 'remind install')."),
)
@click.option("--verbose", is_flag=True,
              help=_("Also say the technical reason each time a notification cannot be shown."))
@click.option("--with-web", is_flag=True,
              help=_("Also run the household page (tracker web) in this service."))
@click.option("--lan", is_flag=True, help=_("With --with-web: reachable from the home network."))
@click.option("--web-port", type=Whole("port", 1024, 65535, 8765), default=8765,
              show_default=True, help=_("With --with-web: the page's port."))
@pass_app
def run_cmd(app: App, follow_up: int, env_file: Path | None, verbose: bool, with_web: bool,
            lan: bool, web_port: int) -> None:
    """Reads its options and starts the service assembled in tracker.reminders (its help,
    for the reader, is the decorator's, in their language)."""
    from collections.abc import Callable
    from datetime import timedelta
    from functools import partial

    from tracker.reminders import assemble

    if env_file is not None:
        assemble.use_env_file(env_file)
    web: Callable[[], object] | None = None
    if with_web:
        from tracker.cli.web_cmds import serve

        web = partial(serve, app, port=web_port, lan=lan, in_thread=True)

    assemble.run(app, follow_up=timedelta(minutes=follow_up), verbose=verbose, web=web,
                 say=lambda line: click.echo(
                     _("tracker remind: {line}").format(line=line), err=True))


@remind.command(
    "test",
    help=_(
        "Send a notification now and say whether it could be shown, and if not, what works."
    ),
)
@click.option("--verbose", is_flag=True, help=_("Also say the technical reason of a failure."))
@pass_app
def test_cmd(app: App, verbose: bool) -> None:
    from tracker.reminders.channels import Desktop, Terminal, deliver
    from tracker.reminders.ledger import record

    title, body = _("tracker: test reminder"), _("If you can read this, dose reminders will reach "
                                              "you.")
    results = deliver([Desktop(), Terminal()], title, body)
    record(app.engine(), None, title, results, app.now())
    desktop = results[0]
    if desktop.ok:
        click.echo(_("A test notification was sent to this computer's desktop: did it appear?"))
        return
    click.echo(_("The test notification could not be shown: {error}.").format(error=desktop.error))
    if verbose and desktop.detail:
        click.echo(_("  (detail: {detail})").format(detail=desktop.detail))
    click.echo(
        _("Reminders still reach you as text, like the test reminder printed here, in the window "
          "where 'tracker remind run' runs, and every one is recorded: tracker remind log.")
    )
    if not verbose:
        click.echo(_("For the technical reason: tracker remind test --verbose, or tracker doctor."))


@remind.command(
    "snooze",
    help=_(
        "Quiet the follow-up reminders for MINUTES (default 15, as the Snooze button)."
    ),
)
@click.argument("minutes", type=Whole("minutes", 1, snoozing.LONGEST, snoozing.MINUTES),
                default=snoozing.MINUTES, required=False)
@pass_app
def snooze_cmd(app: App, minutes: int) -> None:
    from tracker.services.record.snooze import snooze

    with app.session(write=True) as session:
        said = snooze(session, app.now(), minutes)
    click.echo(said)


@remind.command(
    "log",
    help=_(
        "Every notification attempt, newest first: when, which channel, and how it went."
    ),
)
@click.option(
    "-n",
    "limit",
    type=Whole("attempts", 1, 10000, 20),
    default=20,
    show_default=True,
    help=_("How many attempts to show."),
)
@click.option("--verbose", is_flag=True, help=_("Also show the technical reason of each failure."))
@pass_app
def log_cmd(app: App, limit: int, verbose: bool) -> None:
    from tracker.services.delivery.deliveries import newest

    with app.session(write=False) as session:
        rows = newest(session, limit)
        if not rows:
            click.echo(_("No notification has been attempted yet."))
        for row in rows:
            why = (row.error or pgettext("delivery", "failed")) + (
                f" [{row.detail}]" if verbose and row.detail else "")
            # TRANSLATORS: a notification attempt's outcome in the delivery log
            state = pgettext("delivery", "ok") if row.ok else _("FAILED ({why})").format(why=why)
            click.echo(f"{_stamp(row.at.astimezone())}  {row.channel:<9} {state}  {row.title}")


@remind.command(
    "status",
    help=_(
        "Are reminders on, when did the last one come, and when is the next.\n"
        "\n"
        "When they are not on it says why in words and what works on this computer."
    ),
)
@click.option("--verbose", is_flag=True, help=_("Also say the technical reason they are not on."))
@pass_app
def status_cmd(app: App, verbose: bool) -> None:
    import json
    from datetime import datetime

    from tracker.db.state import get_state

    now = app.now()
    with app.session(write=False) as session:
        beat = get_state(session, "heartbeat")
        nxt = get_state(session, "next")
        last = get_state(session, "last_fired")
    from tracker.services.operations.reminder_standing import look

    standing = look(now, datetime.fromisoformat(beat) if beat else None)
    if standing.on and beat:
        checked = datetime.fromisoformat(beat).astimezone()
        click.echo(_("{sentence} (last check {time}).").format(
                       sentence=standing.sentence,
                       time=f"{checked:%H:%M:%S %Z}" if i18n.language() == i18n.ENGLISH
                       else f"{formats.clock(checked)} {checked:%Z}"))
    else:
        _say_standing(standing, verbose=verbose)
    if last:
        fired = json.loads(last)
        fired_at = datetime.fromisoformat(fired["at"]).astimezone()
        click.echo(_("last reminder: {when} {title}").format(
                       when=_stamp(fired_at), title=fired['title']))
    if nxt:
        click.echo(_("next reminder: {when}").format(
                       when=_stamp(datetime.fromisoformat(nxt).astimezone())))
    from tracker.services.record import contacts

    with app.session(write=False) as session:
        told = [(c.name, c.after_minutes, c.url) for c in contacts.all_contacts(session)]
    for name, after, url in told:
        click.echo(_("contact: {name}, told {after} min after a dose time if it is not logged "
                     "({masked})").format(
                       name=name, after=after, masked=contacts.masked(url)))


def _autostart(app: App, extra: tuple[str, ...] = ()) -> object:
    from tracker.services.operations import autostart

    platform, home, python = autostart.current()
    return autostart.plan(platform, home, python, autostart.env_file_path(), extra)


def _stamp(at: datetime) -> str:
    """A moment with its zone: "2026-11-24 19:30 CET", the day and time in the reader's
    words."""
    return f"{formats.day(at)} {formats.clock(at)} {at:%Z}"


def _say_standing(standing: object, *, verbose: bool = False) -> None:
    """Reminders on or not in one sentence first, then what to do, then (asked) why."""
    from tracker.services.operations.reminder_standing import Standing

    assert isinstance(standing, Standing)
    click.echo(f"{standing.sentence}.")
    if standing.steps:
        commands = [step.command for step in standing.steps]
        width = max(map(len, commands))
        click.echo(_("Next:") if standing.on else _("What works on this computer:"))
        for typed, step in zip(commands, standing.steps, strict=True):
            click.echo(f"  {typed.ljust(width)}   {step.what}")
    if standing.detail:
        click.echo(_("  (detail: {detail})").format(detail=standing.detail) if verbose
                   else _("For the technical reason: add --verbose, or run tracker doctor."))


NOT_ON = 6  # the exit code when reminders could not be turned on here


@remind.command(
    "install",
    help=_(
        "Turn reminders on: start the reminder service now and at every login.\n"
        "\n"
        "It uses the computer's own service manager (systemd on Linux, launchd on macOS, the\n"
        "Startup folder on Windows). Where that cannot work (a server reached over SSH, a\n"
        "container, no desktop login), it says so, changes nothing, exits with code 6, and\n"
        "lists what works instead: 'tracker remind run' in a window left open, or the dose\n"
        "times in the phone's calendar."
    ),
)
@click.option("--no-start", is_flag=True, help=_("Write the file only; do not start it now."))
@click.option("--verbose", is_flag=True, help=_("Also say the technical reason of a failure."))
@click.option("--with-web", is_flag=True,
              help=_("Also start the household page with it (needs the web extra)."))
@click.option("--lan", is_flag=True,
              help=_("With --with-web: the page reachable from the household's phones."))
@pass_app
def install_cmd(app: App, no_start: bool, verbose: bool, with_web: bool, lan: bool) -> None:
    from datetime import datetime

    from tracker.cli.say import text
    from tracker.db.state import get_state
    from tracker.services.operations import autostart, reminder_standing
    from tracker.services.operations.reminder_standing import standing

    extra = (("--with-web",) if with_web else ()) + (("--lan",) if with_web and lan else ())
    plan = _autostart(app, extra)
    assert isinstance(plan, autostart.Autostart)
    platform = autostart.current()[0]
    blocked = None if no_start else autostart.obstacle(platform)
    if blocked is not None:  # found before anything is written: nothing to undo
        _say_standing(standing(running=False, last_seen=None, installed=False,
                               obstacle=blocked), verbose=verbose)
        raise click.exceptions.Exit(NOT_ON)
    target = app.target()
    env = (
        {"TRACKER_DB": str(target.path)}
        if target.path is not None
        else {"TRACKER_DATABASE_URL": target.url}
    )
    env_file = autostart.env_file_path()
    problems = autostart.install(plan, env_file, env, start=not no_start)
    if problems:  # a failed start changed nothing: the files went back as they were
        failed = autostart.Obstacle(
            _("the service manager could not start the reminder service"), "; ".join(problems))
        _say_standing(standing(running=False, last_seen=None, installed=False,
                               obstacle=failed), verbose=verbose)
        raise click.exceptions.Exit(NOT_ON)
    click.echo(_("Wrote {path} and {env_file} (readable by you only).").format(
                   path=plan.path, env_file=env_file))
    if no_start or not plan.start:
        when = _("at your next login") if not no_start else _("when you log in again")
        click.echo(_("{OFF}: they start {when}. Until then: tracker remind run, in a window you "
                     "leave open.").format(
                       OFF=reminder_standing.OFF, when=when))
        return
    def beat() -> datetime | None:
        with app.session(write=False) as session:
            seen = get_state(session, "heartbeat")
        return datetime.fromisoformat(seen) if seen else None

    if reminder_standing.comes_up(beat, app.now):
        click.echo(_("Reminders are on: the service is running and starts again at every login. "
                     "'tracker remind test' shows what a reminder looks like."))
        return
    click.echo(_("The service was started but has not checked the log yet: run 'tracker remind "
                 "status' in a minute. To see why: {text}").format(
                   text=text(plan.check)))


@remind.command(
    "uninstall",
    help=_(
        "Stop starting the reminder service at login, and remove its file."
    ),
)
@pass_app
def uninstall_cmd(app: App) -> None:
    from tracker.services.operations.autostart import Autostart, run_all

    plan = _autostart(app)
    assert isinstance(plan, Autostart)
    if not plan.path.exists():
        click.echo(_("Nothing to remove: {path} does not exist.").format(path=plan.path))
        return
    for problem in run_all(plan.stop):
        click.echo(f"  ! {problem}")
    plan.path.unlink()
    click.echo(_("Removed {path}").format(path=plan.path))
    from tracker.services.operations.autostart import env_file_path

    env_file = env_file_path()
    if env_file.exists():
        env_file.unlink()
        click.echo(_("Removed {env_file}").format(env_file=env_file))


@remind.group(
    "contact",
    help=_(
        "People told on their phones when a dose is still not logged.\n"
        "\n"
        "\b\n"
        "tracker remind contact add Sam ntfy://ntfy.sh/mia-doses-7f3k --after 30\n"
        "tracker remind contact list\n"
        "tracker remind contact test Sam\n"
        "tracker remind contact remove Sam\n"
        "\n"
        "The address is an Apprise URL: ntfy, Pushover, Telegram, Signal, Matrix, e-mail and\n"
        "about a hundred more (https://github.com/caronc/apprise/wiki). A contact is told once\n"
        "per dose, by the reminder service, when nobody has logged it that many minutes after\n"
        "its time; not when it is logged. Tokens and passwords in the URL are kept in the log\n"
        "(readable by you only) and shown masked."
    ),
)
def contact() -> None:
    pass


@contact.command(
    "add",
    help=_(
        "Add NAME, told through URL when a dose is not logged (AFTER minutes late)."
    ),
)
@click.argument("name")
@click.argument("url")
@click.option("--after", type=Whole("minutes", *CONTACT_AFTER_RANGE, CONTACT_AFTER),
              default=CONTACT_AFTER, show_default=True,
              help=_("Tell them this many minutes after a dose time, if it is not logged."))
@click.option("--language", metavar="LANG",
              help=_("The language their messages are written in: en, fr, es, de or ar. "
                     "Default: the household's (tracker config language)."))
@pass_app
def contact_add(app: App, name: str, url: str, after: int, language: str | None) -> None:
    from tracker import config
    from tracker.services.record import contacts

    now = app.now()
    with app.session(write=True) as session:
        added = contacts.add(session, name=name, url=url, after=after, now=now,
                             by=config.caregiver(), language=language)
        shown, who, minutes = contacts.masked(added.url), added.name, added.after_minutes
    click.echo(_("Added {who} ({shown}): told when a dose is not logged {minutes} minutes after "
                 "its time.").format(
                   who=who, shown=shown, minutes=minutes))
    click.echo(_("Check that it reaches them: tracker remind contact test {who}").format(who=who))


@contact.command(
    "list",
    help=_(
        "Every contact, with its address masked."
    ),
)
@pass_app
def contact_list(app: App) -> None:
    from tracker.services.record import contacts

    with app.session(write=False) as session:
        rows = [(c.name, c.after_minutes, c.url, c.language)
                for c in contacts.all_contacts(session)]
    if not rows:
        click.echo(_("No contact yet: tracker remind contact add NAME URL"))
    for name, after, url, language in rows:
        # TRANSLATORS: one contact: name, minutes after a dose time, masked address
        line = _("{name}  after {after} min  {masked}").format(
            name=name, after=after, masked=contacts.masked(url))
        if language:
            line += "  " + LANGUAGES.get(language, language)
        click.echo(line)


@contact.command(
    "language",
    help=_(
        "Write NAME's messages in LANG (en, fr, es, de or ar); without LANG, in the\n"
        "household's language (tracker config language)."
    ),
)
@click.argument("name")
@click.argument("lang", required=False)
@pass_app
def contact_language(app: App, name: str, lang: str | None) -> None:
    from tracker.services.record import contacts

    with app.session(write=True) as session:
        changed = contacts.set_language(session, name, lang)
        who, language = changed.name, changed.language
    if language:
        click.echo(_("{who}'s messages are written in {language}.").format(
            who=who, language=LANGUAGES[language]))
    else:
        click.echo(_("{who}'s messages are written in the household's language.").format(
            who=who))


@contact.command(
    "remove",
    help=_(
        "Stop telling NAME."
    ),
)
@click.argument("name")
@pass_app
def contact_remove(app: App, name: str) -> None:
    from tracker.services.record import contacts

    with app.session(write=True) as session:
        said = contacts.remove(session, name)
    click.echo(said)


@contact.command(
    "test",
    help=_(
        "Send NAME a test message now, and say whether it went."
    ),
)
@click.argument("name")
@click.option("--verbose", is_flag=True, help=_("Also say what the service answered."))
@pass_app
def contact_test(app: App, name: str, verbose: bool) -> None:
    from tracker.reminders.channels import Result
    from tracker.reminders.ledger import record
    from tracker.services.record import contacts

    with app.session(write=False) as session:
        found = contacts.find(session, name)
        who, url, language = found.name, found.url, found.language
    # a child process with a deadline: a silent or dripping service ends the test in
    # seconds, and the answer says so; in the words the contact reads
    with i18n.speaking(language):
        title = _("tracker: test message")
        body = _("{who} will be told here when an Increlex dose is not logged.").format(who=who)
    sent = contacts.tell(url, title, body, language=language)
    record(app.engine(), None, _("to {who}: tracker: test message").format(who=who),
           [Result("contact", sent.ok, sent.error, sent.detail)], app.now())
    if sent.ok:
        click.echo(_("Sent a test message to {who} ({masked}): ask them if it came.").format(
                       who=who, masked=contacts.masked(url)))
        return
    click.echo(_("Not sent to {who}: {error}.").format(who=who, error=sent.error))
    if verbose and sent.detail:
        click.echo(_("  (detail: {detail})").format(detail=sent.detail))
    raise click.exceptions.Exit(1)
