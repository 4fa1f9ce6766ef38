"""Change feed, actor aliases, per-actor stats, an index for cross-actor reads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TSTZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "actors",
        sa.Column("aliases", ARRAY(sa.Text), server_default="{}", nullable=False),
    )
    op.create_index("ix_actors_aliases", "actors", ["aliases"], postgresql_using="gin")
    op.create_index("ix_actors_parent_slug", "actors", ["parent_slug"])
    op.create_index("ix_events_type_date", "events", ["type", "date"])
    op.create_table(
        "changes",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), nullable=False),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("actors", ARRAY(sa.Text), nullable=False),
        sa.Column("at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
        sa.CheckConstraint(
            "kind IN ('created', 'updated', 'merged', 'removed')", name=op.f("ck_changes_kind")
        ),
    )
    op.create_table(
        "actor_stats",
        sa.Column("actor_slug", sa.Text, nullable=False),
        sa.Column("event_count", sa.BigInteger, server_default="0", nullable=False),
        sa.Column("latest_event_date", sa.Date),
        sa.Column("last_change_id", sa.BigInteger, server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("actor_slug", name="pk_actor_stats"),
    )
    # Existing deployments: derive the stats once from the link rows (no changes yet).
    op.execute(
        "INSERT INTO actor_stats (actor_slug, event_count, latest_event_date) "
        "SELECT actor_slug, count(*), max(date) FROM event_actors GROUP BY actor_slug"
    )


def downgrade() -> None:
    op.drop_table("actor_stats")
    op.drop_table("changes")
    op.drop_index("ix_events_type_date", table_name="events")
    op.drop_index("ix_actors_parent_slug", table_name="actors")
    op.drop_index("ix_actors_aliases", table_name="actors")
    op.drop_column("actors", "aliases")
