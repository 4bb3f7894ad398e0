"""Whether reminders are on, said in words, and what works here when they cannot be.

A parent who goes to bed believing reminders are on when they are not misses a dose, so
every front (`remind install`, `remind status`, `doctor`) says the same thing the same
way: "Reminders are on" only when the service has checked the log lately, and otherwise
what is wrong and what works on this computer instead. It never sends a parent back to
a command that cannot work here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from tracker.i18n import N_, _, formats
from tracker.services.operations.autostart import Obstacle

# Only the command line reaches this module (tests/test_actions.py checks it): each step
# is the command to type, in the command line's own words.
RUN = "tracker remind run"
INSTALL = "tracker remind install"
DOCTOR = "tracker doctor"

FRESH_SECONDS = 150  # a running service checks the log every minute


class Step(NamedTuple):
    command: str
    what: str


class Standing(NamedTuple):
    on: bool
    sentence: str  # the first thing said: "Reminders are on: ..." or "... NOT on: ..."
    steps: list[Step]  # what to do about it, most useful first
    detail: str | None = None  # the technical reason, for --verbose and doctor


def what_works_here() -> list[Step]:
    """When the service cannot start at login: ways that need nothing of the computer."""
    return [
        Step(RUN, _("reminders in a window you leave open (Ctrl-C stops them)")),
        Step("tracker export --format ics -o doses.ics",
             _("the dose times with alarms, for your phone's calendar")),
        Step("tracker remind contact add NAME URL",
             _("a phone told when a dose is not logged (needs the reminders running "
               "somewhere)")),
    ]


def comes_up(heartbeat: Callable[[], datetime | None], now: Callable[[], datetime], *,
             within: float = 15.0, every: float = 0.5) -> bool:
    """After a start: whether the service checks the log within `within` seconds (it does
    within seconds). Only its heartbeat is read: asking the service manager again each
    time is not what says reminders are on."""
    import time

    deadline = time.monotonic() + within
    while True:
        if checked_lately(now(), heartbeat()):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(every)


# the first words wherever they are not, whatever the reason (tests/test_sentences_once.py):
# written once, N_; each sentence below is "{off}: why", with _(OFF) as {off}
OFF = N_("Reminders are NOT on")


def standing(
    *, running: bool, last_seen: str | None, installed: bool, obstacle: Obstacle | None
) -> Standing:
    """Reminders are on only when a service checked the log lately (`running`); else
    why not, in the order a parent can act on it."""
    if running:
        return Standing(True, _("Reminders are on: the reminder service is running"), [])
    if obstacle is not None:
        # TRANSLATORS: {off} is "Reminders are NOT on"; {reason}: what stops them here;
        # {when}: "2026-11-24 08:05"
        said = (_("{off}: {reason} (last seen {when})") if last_seen
                else _("{off}: {reason}"))
        return Standing(
            False,
            said.format(off=_(OFF), reason=obstacle.plain, when=last_seen),
            what_works_here(),
            obstacle.detail,
        )
    if installed:
        return Standing(
            False,
            # TRANSLATORS: {off} is "Reminders are NOT on"
            (_("{off}: they are set to start at login, but the service is not running (last "
               "seen {when})") if last_seen
             else _("{off}: they are set to start at login, but the service is not "
                    "running")).format(off=_(OFF), when=last_seen),
            [
                Step(RUN, _("start them now, in a window you leave open")),
                Step(DOCTOR, _("check the log the service reads")),
            ],
        )
    return Standing(
        False,
        # TRANSLATORS: {off} is "Reminders are NOT on"
        (_("{off}: nothing has started them on this computer yet (last seen {when})")
         if last_seen else _("{off}: nothing has started them on this computer yet")).format(
            off=_(OFF), when=last_seen),
        [
            Step(INSTALL, _("start them now and at every login on this computer")),
            Step(RUN, _("or: in a window you leave open")),
        ],
    )


def checked_lately(now: datetime, heartbeat: datetime | None) -> bool:
    """A service checked the log lately: the one condition for "Reminders are on"."""
    return heartbeat is not None and abs((now - heartbeat).total_seconds()) < FRESH_SECONDS


def look(now: datetime, heartbeat: datetime | None) -> Standing:
    """The standing of this computer now: the log's heartbeat, the login service's file,
    and what stops one here (asked of the service manager only when none is running)."""
    from tracker.services.operations import autostart

    if checked_lately(now, heartbeat):
        return standing(running=True, last_seen=None, installed=True, obstacle=None)
    platform, home, python = autostart.current()
    plan = autostart.plan(platform, home, python, autostart.env_file_path())
    try:
        installed = plan.path.exists()
    except OSError:  # a folder this user cannot read: not installed by this user
        installed = False
    return standing(
        running=False,
        last_seen=_("{day} {time}").format(day=formats.day(heartbeat.astimezone()),
                                           time=formats.clock(heartbeat.astimezone()))
        if heartbeat else None,
        installed=installed,
        obstacle=autostart.obstacle(platform),
    )
