"""SQL-first reads: explicit Core selects shaped for the pages the api serves."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.schemas import (
    ActorPublic,
    EventActorPublic,
    EventPublic,
    EvidencePublic,
    QuantityPublic,
    SourcePublic,
)
from newsline_db import actor_stats, actors, articles, event_actors, event_sources, events


def _actor_stats() -> sa.Select[tuple[object, ...]]:
    # Figures come from actor_stats (maintained by the writers), never from counting links.
    return (
        sa.select(
            actors.c.slug, actors.c.name, actors.c.kind, actors.c.parent_slug.label("parent"),
            actors.c.reviewed, actors.c.aliases,
            sa.func.coalesce(actor_stats.c.event_count, 0).label("event_count"),
            actor_stats.c.latest_event_date,
        )
        .select_from(actors.outerjoin(actor_stats, actor_stats.c.actor_slug == actors.c.slug))
    )


async def list_actors(conn: AsyncConnection, q: str | None, limit: int) -> list[ActorPublic]:
    """Actors with event counts and latest dates, busiest first.

    `q` finds an actor by any of its names in any language: exactly (`百度`, an index
    probe on the GIN-indexed aliases) or as a case-insensitive part of name, slug or alias.
    """
    stmt = _actor_stats()
    if q:
        alias = sa.func.unnest(actors.c.aliases).table_valued("alias").render_derived()
        stmt = stmt.where(sa.or_(
            actors.c.aliases.contains(sa.cast([q], ARRAY(sa.Text))),
            actors.c.name.icontains(q, autoescape=True),
            actors.c.slug.icontains(q, autoescape=True),
            sa.exists().select_from(alias).where(alias.c.alias.icontains(q, autoescape=True)),
        ))
    stmt = stmt.order_by(sa.desc("event_count"), actors.c.name, actors.c.slug).limit(limit)
    return [ActorPublic.model_validate(row) for row in (await conn.execute(stmt)).mappings()]


async def get_actors(conn: AsyncConnection, slugs: Sequence[str]) -> dict[str, ActorPublic]:
    """The actors among `slugs` that exist, with their figures (primary-key lookups)."""
    stmt = _actor_stats().where(actors.c.slug.in_(slugs))
    return {
        row["slug"]: ActorPublic.model_validate(row)
        for row in (await conn.execute(stmt)).mappings()
    }


async def get_event_row(conn: AsyncConnection, event_id: uuid.UUID) -> RowMapping | None:
    """One event row, or None."""
    return (await conn.execute(sa.select(events).where(events.c.id == event_id))).mappings().first()


async def _actors_of(
    conn: AsyncConnection, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[EventActorPublic]]:
    stmt = (
        sa.select(event_actors.c.event_id, event_actors.c.actor_slug.label("slug"),
                  actors.c.name, event_actors.c.role)
        .join(actors, actors.c.slug == event_actors.c.actor_slug)
        .where(event_actors.c.event_id.in_(ids))
        # The one acting first, then the rest in a stable order.
        .order_by(event_actors.c.role != "subject", event_actors.c.role, event_actors.c.actor_slug)
    )
    found: dict[uuid.UUID, list[EventActorPublic]] = defaultdict(list)
    for row in (await conn.execute(stmt)).mappings():
        found[row["event_id"]].append(EventActorPublic.model_validate(row))
    return found


async def _sources_of(
    conn: AsyncConnection, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SourcePublic]]:
    s = event_sources.c
    stmt = (
        sa.select(s.event_id, s.article_id, articles.c.title, articles.c.url, articles.c.source,
                  s.language, articles.c.published_at, s.evidence_text, s.evidence_start,
                  s.evidence_end, s.quantity_value, s.quantity_unit, s.confidence)
        .join(articles, articles.c.id == s.article_id)
        .where(s.event_id.in_(ids))
        # Most confident first (ties: stored first): the first source lends the event its evidence.
        .order_by(s.event_id, s.confidence.desc(), s.stored_at, s.article_id)
    )
    found: dict[uuid.UUID, list[SourcePublic]] = defaultdict(list)
    for row in (await conn.execute(stmt)).mappings():
        found[row["event_id"]].append(SourcePublic(
            article_id=row["article_id"], title=row["title"], url=row["url"],
            source=row["source"], language=row["language"], published_at=row["published_at"],
            evidence=EvidencePublic(text=row["evidence_text"], start=row["evidence_start"],
                                    end=row["evidence_end"]),
            quantity=_quantity(row), confidence=row["confidence"],
        ))
    return found


def _quantity(row: RowMapping) -> QuantityPublic | None:
    if row["quantity_value"] is None or row["quantity_unit"] is None:
        return None
    return QuantityPublic(value=row["quantity_value"], unit=row["quantity_unit"])


async def load_events(conn: AsyncConnection, rows: Sequence[RowMapping]) -> list[EventPublic]:
    """Shape event rows into `EventPublic`, fetching all their actors and sources in two queries."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    actors_by_event = await _actors_of(conn, ids)
    sources_by_event = await _sources_of(conn, ids)
    shaped = []
    for row in rows:
        sources = sources_by_event.get(row["id"], [])
        shaped.append(EventPublic(
            id=row["id"], type=row["type"], actors=actors_by_event.get(row["id"], []),
            date=row["date"], date_precision=row["date_precision"],
            date_basis=row["date_basis"], quantity=_quantity(row), product=row["product"],
            summary=row["summary"], confidence=row["confidence"],
            evidence=sources[0].evidence if sources else None, sources=sources,
            first_seen_at=row["first_seen_at"], updated_at=row["updated_at"],
        ))
    return shaped
