"""Initial schema: actors, articles, events, event_actors, event_sources.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TSTZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("event_seen_seq")))
    op.create_table(
        "actors",
        sa.Column("slug", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("parent_slug", sa.Text, nullable=True),
        sa.Column("reviewed", sa.Boolean, nullable=False),
        sa.Column("first_seen_at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_actors"),
    )
    op.create_table(
        "articles",
        sa.Column("id", UUID(as_uuid=True), nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("published_at", TSTZ),
        sa.Column("received_at", TSTZ, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("stored_at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_table(
        "events",
        sa.Column("id", UUID(as_uuid=True), nullable=False),
        sa.Column("merge_key", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("date_precision", sa.Text, nullable=False),
        sa.Column("date_basis", sa.Text, nullable=False),
        sa.Column("precision_rank", sa.SmallInteger, nullable=False),
        sa.Column("quantity_value", sa.Float),
        sa.Column("quantity_unit", sa.Text),
        sa.Column("product", sa.Text),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor_version", sa.Text, nullable=False),
        sa.Column(
            "first_seen_seq",
            sa.BigInteger,
            nullable=False,
            server_default=sa.text("nextval('event_seen_seq')"),
        ),
        sa.Column("first_seen_at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("merge_key", name="uq_events_merge_key"),
    )
    op.create_table(
        "event_actors",
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("actor_slug", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("precision_rank", sa.SmallInteger, nullable=False),
        sa.Column("first_seen_seq", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "actor_slug", name="pk_event_actors"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_actors_event_id_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_slug"],
            ["actors.slug"],
            name="fk_event_actors_actor_slug_actors",
        ),
    )
    op.create_index(
        "ix_event_actors_timeline",
        "event_actors",
        ["actor_slug", "date", "precision_rank", "first_seen_seq", "event_id"],
    )
    op.create_table(
        "event_sources",
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("article_id", UUID(as_uuid=True), nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("date_precision", sa.Text, nullable=False),
        sa.Column("date_basis", sa.Text, nullable=False),
        sa.Column("quantity_value", sa.Float),
        sa.Column("quantity_unit", sa.Text),
        sa.Column("product", sa.Text),
        sa.Column("actors", JSONB, nullable=False),
        sa.Column("extractor_version", sa.Text, nullable=False),
        sa.Column("stored_at", TSTZ, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "article_id", name="pk_event_sources"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_sources_event_id_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_event_sources_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_event_sources_article_id", "event_sources", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_event_sources_article_id", table_name="event_sources")
    op.drop_table("event_sources")
    op.drop_index("ix_event_actors_timeline", table_name="event_actors")
    op.drop_table("event_actors")
    op.drop_table("events")
    op.drop_table("articles")
    op.drop_table("actors")
    op.execute(sa.schema.DropSequence(sa.Sequence("event_seen_seq")))
