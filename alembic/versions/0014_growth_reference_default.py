"""growth reference default: a reference nobody chose is no longer stored

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

Until now, setting up a child stored the default reference of their time zone (CDC in a
list of United States zones, else UK-WHO) as if it had been chosen, and the log keeps no
record of whether `--growth-reference` was given (the revision table records entries'
edits, not the child's settings). A stored value equal to what that old rule gives for
the child's zone is therefore taken as the old default and cleared: the default now
follows the zone's country (UK-WHO in the United Kingdom, CDC in the United States, the
WHO's elsewhere). A value that differs from it was chosen (or came from a zone the
child has since left; that cannot be told) and is kept. A family that had chosen the
same as the old default (uk-who in Paris) chooses it again with
`tracker child NAME --growth-reference uk-who`.

Downgrading keeps NULL (the older program reads it as its default) and clears "who",
which the older program does not know.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The old rule's zones, as tracker.domain.growth had them before this revision (frozen:
# a migration must not follow later code).
OLD_US_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Phoenix", "America/Anchorage", "America/Detroit", "America/Boise",
    "America/Indiana/Indianapolis", "America/Kentucky/Louisville", "Pacific/Honolulu",
    "America/Adak", "America/Juneau", "America/Puerto_Rico",
)


def upgrade() -> None:
    child = sa.table("child", sa.column("timezone", sa.String),
                     sa.column("growth_reference", sa.String))
    us = sa.or_(child.c.timezone.in_(OLD_US_ZONES), child.c.timezone.like("US/%"))
    op.execute(
        child.update()
        .where(sa.or_(sa.and_(child.c.growth_reference == "cdc", us),
                      sa.and_(child.c.growth_reference == "uk-who", sa.not_(us))))
        .values(growth_reference=None)
    )


def downgrade() -> None:
    child = sa.table("child", sa.column("growth_reference", sa.String))
    op.execute(child.update().where(child.c.growth_reference == "who")
               .values(growth_reference=None))
