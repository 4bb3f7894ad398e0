"""growth reference: the child's sex and the growth reference their charts use

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("growth_reference", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_column("growth_reference")
        batch_op.drop_column("sex")
