"""Column types that keep instants honest.

SQLite has no time-zone type: `DateTime(timezone=True)` silently drops the offset, so
08:00 in Berlin and 07:30 in New York would sort wrongly. Every instant is therefore
stored as UTC, a naive value is refused outright, and UTC is reattached on the way out.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import expression
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store a naive datetime {value!r}: give it a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class epoch_seconds(expression.FunctionElement[int]):
    """An instant column as whole seconds since 1970 UTC, computed by the database.

    Long exports compare and format a million instants: integers from SQL spare a Python
    datetime parse per value. Sub-second parts are dropped, as an export shows none.
    """

    type = Integer()
    inherit_cache = True
    name = "epoch_seconds"


# **kw below: the compiler's own options, passed through unread
@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: object) -> str:
    # stored as UTC text (see UTCDateTime); '%s' reads it as UTC
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds)
def _epoch_default(element: epoch_seconds, compiler: SQLCompiler, **kw: object) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"
