"""dose safety: the family's syringe, the weight a prescription was made for, flags

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

An mg/kg prescription used to follow the latest weight. From now on its mg are those of
the weight it was prescribed for, until a new prescription is confirmed. So that nobody's
dose changes at the upgrade itself, each existing prescription is given the last weight
measured while it was in force: the mg shown after the upgrade are the mg shown before.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("syringe", sa.String(length=16), nullable=True))
    with op.batch_alter_table("prescription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_kg", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("flags", sa.Text(), nullable=True))
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.Text(), nullable=True))
    _backfill_prescription_weights()


def _backfill_prescription_weights() -> None:
    conn = op.get_bind()
    prescriptions = conn.execute(
        sa.text(
            "SELECT id, child_id, starts_at FROM prescription WHERE voided_at IS NULL "
            "ORDER BY child_id, starts_at, id"
        )
    ).fetchall()
    weights = conn.execute(
        sa.text(
            "SELECT child_id, measured_on, weight_kg FROM measurement "
            "WHERE voided_at IS NULL AND weight_kg IS NOT NULL ORDER BY child_id, measured_on, id"
        )
    ).fetchall()
    by_child: dict[int, list[tuple[str, float]]] = {}
    for child_id, measured_on, kg in weights:
        by_child.setdefault(child_id, []).append((str(measured_on)[:10], kg))
    for i, (rx_id, child_id, _starts) in enumerate(prescriptions):
        following = prescriptions[i + 1] if i + 1 < len(prescriptions) else None
        ends = (
            str(following[2])[:10] if following is not None and following[1] == child_id else None
        )
        known = by_child.get(child_id, [])
        in_force = [kg for day, kg in known if ends is None or day < ends]
        basis = in_force[-1] if in_force else (known[0][1] if known else None)
        if basis is not None:
            conn.execute(
                sa.text("UPDATE prescription SET weight_kg = :kg WHERE id = :id"),
                {"kg": basis, "id": rx_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("dose", schema=None) as batch_op:
        batch_op.drop_column("flags")
    with op.batch_alter_table("prescription", schema=None) as batch_op:
        batch_op.drop_column("flags")
        batch_op.drop_column("weight_kg")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_column("syringe")
