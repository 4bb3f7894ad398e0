"""The context every command shares: which database, which clock, whether to prompt.

Built by the root group; tests hand in their own (a fixed clock, a temporary database).
"""

from __future__ import annotations

import io
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

import click

from tracker import clock
from tracker.i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from click.decorators import FC
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.config import Target
    from tracker.places import UnsafePlace


# Notes for the user that must not turn a failure into two lines: main() says them only
# after the command succeeded (a failed command's next run will meet them again).
DEFERRED_NOTES: list[str] = []
# Whether this command has begun committing a write (what a lost answer leaves behind).
COMMITTED = False


class App:
    """Shared by every command (a plain class: dataclasses would cost --help 10 ms)."""

    def __init__(
        self,
        db: str | None = None,
        clock: Callable[[], datetime] = clock.now,
        interactive: bool | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.interactive = interactive
        self.may_create = False  # `init` may start a log where one vanished; nothing else
        self._engine: Engine | None = None

    def now(self) -> datetime:
        return self.clock()

    def is_interactive(self) -> bool:
        if self.interactive is not None:
            return self.interactive
        return sys.stdin.isatty() and sys.stdout.isatty()

    def log_path(self) -> Path | None:
        """The log's file, when it is one and can be named (for error messages)."""
        try:
            return self.target().path
        except Exception:  # a bad URL is reported on its own
            return None

    def target(self) -> Target:
        from tracker.config import database_target

        return database_target(self.db)

    def engine(self) -> Engine:
        if self._engine is None:
            from tracker.db import migrate
            from tracker.db.session import make_engine
            from tracker.places import UnsafePlace

            target = self.target()
            self.check_place()
            if target.path is not None and not self.may_create:
                refuse_a_vanished_log(target.path)
                refuse_a_missing_log(target)
            try:
                backup = migrate.prepare(target, create=self.may_create)
            except UnsafePlace as exc:  # its folder was someone else's first
                raise said_with_fix(exc) from None
            if backup:
                click.echo(_("Database upgraded; the old version was saved as {backup}").format(
                               backup=backup), err=True)
            self._engine = make_engine(target.url, check=migrate.check_replacement)
            if target.path is not None:
                DEFERRED_NOTES.extend(self.daily_backup(target.path))
        return self._engine

    def check_place(self) -> None:
        """Refuse a SQLite log whose place another user could read or change (a folder
        others may write, a file of theirs: tracker.places), before anything is opened or
        made there; what is the user's own to put right names the doctor's fix."""
        target = self.target()
        if target.path is not None:
            from tracker.places import UnsafePlace, refuse_unsafe

            try:
                refuse_unsafe(target.path)
            except UnsafePlace as exc:
                raise said_with_fix(exc) from None

    def daily_backup(self, db: Path) -> list[str]:
        """The first command of the day keeps a rolling daily backup; never fails a command.

        Returns notes for the user: a backup not made, or unreadable settings (the backup
        is made anyway, keeping the default number: a backup beats none).
        """
        from tracker import config
        from tracker.errors import TrackerError
        from tracker.services.operations import backups

        notes = []
        keep = backups.DEFAULT_KEEP
        try:
            keep = max(1, int(config.load_settings().get("keep_backups", keep)))
        except (TrackerError, ValueError) as exc:
            notes.append(_("{exc} (daily backups: keeping the last {keep})").format(
                             exc=exc, keep=keep))
        try:
            backups.daily(db, self.now().astimezone().date(), keep)
        except (TrackerError, OSError) as exc:
            notes.append(_("the daily backup was not made ({exc})").format(exc=exc))
        return notes

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        """A short transaction. What a command says inside a writing one is held back and
        said only after the commit, with signals held off from just before the commit until
        the command has finished speaking: "Logged" is never printed for something that was
        not logged, and nothing that happens to the output afterwards (a closed pipe, a
        closed terminal, a logout) can undo it.
        """
        from tracker.db.session import transaction

        if not write:
            with transaction(self.engine(), write=False) as session:
                yield session
            return
        real = sys.stdout
        held = HeldOutput(real)
        sys.stdout = held
        try:
            with transaction(self.engine(), write=True, before_commit=hold_signals) as session:
                yield session
        finally:
            sys.stdout = real
        real.write(held.getvalue())  # committed: now it may be said

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def said_with_fix(exc: UnsafePlace) -> Exception:
    """An unsafe place the user can put right alone is said with the fix that does it."""
    if exc.problem.fixable:
        from tracker.domain.actions import Do, act, fill
        from tracker.errors import StorageError

        # TRANSLATORS: {problem} is a whole sentence saying what is wrong with the log
        return StorageError(fill(_("{problem}, or let tracker do it: {fix}"), problem=str(exc),
                                 fix=act(Do.FIX)))
    return exc


def refuse_a_vanished_log(db: Path) -> None:
    """A log that was there (its backups say so) and is gone is not silently replaced by a
    new, empty one: a household would split its record in two without noticing."""
    if db.exists():
        return
    folder = db.parent / "backups"
    try:
        copies = sorted(folder.glob(f"{db.stem}-*.db"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return
    if copies:
        from tracker.errors import StorageError

        raise StorageError(
            _("the log {db} is missing, but it has backups: put the newest back with 'tracker "
              "restore {copies}', or start a new log with 'tracker init'").format(
                db=db, copies=copies[-1])
        )


def refuse_a_missing_log(target: Target) -> None:
    """Only `tracker init` starts a log. A mistyped path (`TRACKER_DB=/typo/x.db`) must not
    quietly become a second, empty log with folders and a backup, inviting a parent to set
    the child up again there; it is said, naming where the path came from."""
    from tracker.errors import NotFound

    if target.path is None or target.path.exists():
        return
    if target.source is None:  # the default place, on a machine where nothing is set up
        raise NotFound(_("no child is set up yet: run 'tracker init' first"))
    raise NotFound(
        _("there is no log at {describe} (from {source}): check the path, or start a new log "
          "there with 'tracker init'").format(
            describe=target.describe(), source=target.source)
    )


def has_log(target: Target) -> bool:
    """Whether a SQLite log is there to be read (a server's database is asked instead)."""
    return target.path is None or target.path.exists()


class HeldOutput(io.StringIO):
    """Output kept until a commit, looking like the terminal it will go to (for colours)."""

    def __init__(self, real: TextIO) -> None:
        super().__init__()
        self._real = real

    def isatty(self) -> bool:
        return bool(getattr(self._real, "isatty", lambda: False)())


HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)


def hold_signals() -> None:
    """Hold off a closed terminal, a logout and Ctrl-C until the command has answered.

    From just before a commit: a signal then arrives after the answer was said (main()
    lets it through at the very end), so the entry exists if and only if it was said.
    """
    global COMMITTED
    COMMITTED = True
    if sys.platform != "win32":  # Windows has no signal mask: Ctrl-C is the only one there
        if threading.current_thread() is threading.main_thread():
            signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)


def release_signals() -> None:
    if sys.platform != "win32":
        if threading.current_thread() is threading.main_thread():
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)


pass_app = click.make_pass_decorator(App, ensure=True)


def child_option(f: FC) -> FC:
    return click.option(
        "--child",
        "child_name",
        envvar="TRACKER_CHILD",
        metavar="NAME",
        help=_("Which child (needed only when several share the log; env TRACKER_CHILD)."),
    )(f)
