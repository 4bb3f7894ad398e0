"""The context every command shares: which database, which clock, whether to prompt.

Built by the root group; tests hand in their own (a fixed clock, a temporary database).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from tracker import clock

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from tracker.config import Target


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
        self._engine: Engine | None = None

    def now(self) -> datetime:
        return self.clock()

    def is_interactive(self) -> bool:
        if self.interactive is not None:
            return self.interactive
        return sys.stdin.isatty() and sys.stdout.isatty()

    def target(self) -> Target:
        from tracker.config import database_target

        return database_target(self.db)

    def engine(self) -> Engine:
        if self._engine is None:
            from tracker.db import migrate
            from tracker.db.session import make_engine

            target = self.target()
            backup = migrate.prepare(target)
            if backup:
                click.echo(f"Database upgraded; the old version was saved as {backup}", err=True)
            self._engine = make_engine(target.url)
            if target.path is not None:
                self.daily_backup(target.path)
        return self._engine

    def daily_backup(self, db: Path) -> None:
        """The first command of the day keeps a rolling daily backup; never fails a command."""
        from tracker import config
        from tracker.errors import TrackerError
        from tracker.services import backups

        try:
            keep = int(config.load_settings().get("keep_backups", backups.DEFAULT_KEEP))
            backups.daily(db, self.now().astimezone().date(), max(1, keep))
        except (TrackerError, OSError, ValueError) as exc:
            click.echo(f"tracker: note: the daily backup was not made ({exc})", err=True)

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        from tracker.db.session import transaction

        with transaction(self.engine(), write=write) as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


pass_app = click.make_pass_decorator(App, ensure=True)


def child_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--child",
        "child_name",
        envvar="TRACKER_CHILD",
        metavar="NAME",
        help="Which child (needed only when several share the log; env TRACKER_CHILD).",
    )(f)
