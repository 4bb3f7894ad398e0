"""dose slot index: a slot's doses, live or undone, found without scanning the child's

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

The unique index on a slot's live dose is partial (voided_at IS NULL AND extra = 0), so
SQLite uses it only when a query repeats that condition word for word; looking for the
undone doses of a slot (every Today, every reminder) scanned every dose of the child.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_dose_child_slot", "dose", ["child_id", "slot_date", "slot_time"])


def downgrade() -> None:
    op.drop_index("ix_dose_child_slot", table_name="dose")
