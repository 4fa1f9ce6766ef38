"""The PostgreSQL schema as SQLAlchemy Core tables (migrations are written by hand to match)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

# The value of `precision_rank` (day before month before year), defined with the vocabulary.
from newsline_vocabulary import PRECISION_RANK as PRECISION_RANK

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# Orders events by when Newsline first saw them: the timeline's tie-breaker
# after date and precision. A sequence, never the wall clock.
event_seen_seq = sa.Sequence("event_seen_seq", metadata=metadata)

TIMESTAMPTZ = sa.DateTime(timezone=True)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("slug", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("parent_slug", sa.Text, nullable=True),
    sa.Column("reviewed", sa.Boolean, nullable=False),
    sa.Column("first_seen_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
    # Every name the knowledge files give the actor, in any language (`百度`, `Baidu`).
    # GIN-indexed so an exact alias lookup (`aliases @> ARRAY[q]`) is an index probe.
    sa.Column("aliases", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Index("ix_actors_aliases", "aliases", postgresql_using="gin"),
    sa.Index("ix_actors_parent_slug", "parent_slug"),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("published_at", TIMESTAMPTZ),
    sa.Column("received_at", TIMESTAMPTZ, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("stored_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("merge_key", sa.Text, nullable=False, unique=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("subtype", sa.Text),
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
        event_seen_seq,
        nullable=False,
        server_default=event_seen_seq.next_value(),
    ),
    sa.Column("first_seen_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
    # The event's public JSON (EventPublic with the most confident few sources, exactly
    # the bytes a timeline page serves), kept up to date by the timeline consumer
    # (newsline_read_model.fold). NULL only between an insert and its batch's end.
    sa.Column("doc", sa.Text),
    # Cross-actor reads by kind and period (responses to a block): range scans per type.
    sa.Index("ix_events_type_date", "type", "date"),
)

# The link row carries the timeline sort key so a hot actor's page is an index
# range scan, not a join-then-sort (see notes/performance-baselines.md).
event_actors = sa.Table(
    "event_actors",
    metadata,
    # No foreign keys (migrations 0007 and 0008): the store upserts the event and every
    # actor a link names in the link's own transaction, nothing deletes actors, and
    # newsline_db.feed.remove_event deletes an event's links with it.
    sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("actor_slug", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("precision_rank", sa.SmallInteger, nullable=False),
    sa.Column("first_seen_seq", sa.BigInteger, nullable=False),
    sa.Index(
        "ix_event_actors_timeline",
        "actor_slug",
        "date",
        "precision_rank",
        "first_seen_seq",
        "event_id",
    ),
)

event_sources = sa.Table(
    "event_sources",
    metadata,
    # No foreign keys (migrations 0007 and 0008): the store upserts the event and inserts
    # the article in the source's own transaction (or fails the batch), nothing deletes
    # articles, and newsline_db.feed.remove_event deletes an event's sources with it.
    sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("article_id", UUID(as_uuid=True), primary_key=True),
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
    sa.Column("stored_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
    sa.Index("ix_event_sources_article_id", "article_id"),
)

CHANGE_KINDS = ("created", "updated", "merged", "removed")

# The change feed pollers read with `id > cursor`. Writers take a transaction-level
# advisory lock before inserting here (newsline_db.feed), so ids become visible in
# order and a poller never sees a lower id appear after a higher one.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    # No foreign key: a `removed` change outlives its event.
    sa.Column("event_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("actors", ARRAY(sa.Text), nullable=False),
    sa.Column("at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("kind IN ('created', 'updated', 'merged', 'removed')", name="kind"),
)

# Per-actor figures the store maintains with each write, so neither the actor list
# nor a timeline page counts 150k link rows, and a timeline's ETag is one PK lookup.
actor_stats = sa.Table(
    "actor_stats",
    metadata,
    sa.Column("actor_slug", sa.Text, primary_key=True),
    sa.Column("event_count", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("latest_event_date", sa.Date),
    sa.Column("last_change_id", sa.BigInteger, nullable=False, server_default="0"),
)
