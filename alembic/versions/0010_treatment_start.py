"""treatment start: a fact of the child, from which every slot counts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

A log set up with --since an earlier day counted slots only from the moment of setup,
so the backfilled days' missed doses vanished. Such a log now starts at its first
prescription's day; a log set up for today keeps starting at the moment it was set up.
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _aware(value):
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("treatment_start", sa.DateTime(timezone=True),
                                      nullable=True))
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    when = sa.DateTime(timezone=True)
    child = sa.table("child", sa.column("id", sa.Integer), sa.column("timezone", sa.String),
                     sa.column("created_at", when), sa.column("treatment_start", when))
    rx = sa.table("prescription", sa.column("child_id", sa.Integer),
                  sa.column("starts_at", when), sa.column("voided_at", when))
    for child_id, zone_name, created in conn.execute(
            sa.select(child.c.id, child.c.timezone, child.c.created_at)).all():
        first = conn.execute(sa.select(sa.func.min(rx.c.starts_at)).where(
            rx.c.child_id == child_id, rx.c.voided_at.is_(None))).scalar()
        zone = ZoneInfo(zone_name)
        created, first = _aware(created), _aware(first)
        start = created
        if first is not None and first.astimezone(zone).date() < created.astimezone(zone).date():
            start = first
        value = start.astimezone(UTC)
        conn.execute(child.update().where(child.c.id == child_id).values(
            treatment_start=value.replace(tzinfo=None) if sqlite else value))


def downgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_column("treatment_start")
