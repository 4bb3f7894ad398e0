"""form submissions: each household page form records once, whatever the network does

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_submission",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"],
                                name=op.f("fk_form_submission_device_id_device")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submission")),
    )
    op.create_index("ix_form_submission_created_at", "form_submission", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_form_submission_created_at", table_name="form_submission")
    op.drop_table("form_submission")
