"""vial discard: a vial that went wrong is taken out of use, with why

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vial", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discard_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vial", schema=None) as batch_op:
        batch_op.drop_column("discard_reason")
