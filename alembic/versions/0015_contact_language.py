"""contact language: the language a contact's messages are written in

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

A contact (another caregiver told on their phone when a dose is not logged) may read a
language other than the caregiver's at the computer: a grandmother who reads Arabic in a
family whose computer speaks French. NULL, as every existing contact gets here, means the
household's language (the caregiver's setting, else the terminal's), as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("language")
