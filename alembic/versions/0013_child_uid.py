"""child uid: an identity of the child that no other household's log shares

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

The FHIR export named a child by the row's id (1 in nearly every log), so two families'
children had the same Patient fullUrl. Each child now gets a random UUID when it is set
up; an existing child gets a fresh one here, kept from then on (a restored backup keeps
it too).
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
    conn = op.get_bind()
    child = sa.table("child", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    for (child_id,) in conn.execute(sa.select(child.c.id)).all():
        conn.execute(child.update().where(child.c.id == child_id)
                     .values(uid=str(uuid.uuid4())))
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_child_uid"), ["uid"])


def downgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_child_uid"), type_="unique")
        batch_op.drop_column("uid")
