"""SQL-first reads: explicit Core selects shaped for the pages the api serves."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.cursor import TimelineKey
from newsline_api.schemas import (
    ActorPublic,
    EventActorPublic,
    EventPublic,
    EvidencePublic,
    QuantityPublic,
    SourcePublic,
)
from newsline_db import actors, articles, event_actors, event_sources, events

# The timeline sort key as stored on the link row, matching ix_event_actors_timeline.
_SORT_KEY = (
    event_actors.c.date, event_actors.c.precision_rank,
    event_actors.c.first_seen_seq, event_actors.c.event_id,
)


@dataclass(frozen=True)
class TimelineFilters:
    """What narrows a timeline: event types, an inclusive date range, a source language."""

    types: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    language: str | None = None


def _actor_stats() -> sa.Select[tuple[object, ...]]:
    return (
        sa.select(
            actors.c.slug, actors.c.name, actors.c.kind, actors.c.parent_slug.label("parent"),
            actors.c.reviewed,
            sa.func.count(event_actors.c.event_id).label("event_count"),
            sa.func.max(event_actors.c.date).label("latest_event_date"),
        )
        .select_from(actors.outerjoin(event_actors, event_actors.c.actor_slug == actors.c.slug))
        .group_by(actors.c.slug)
    )


async def list_actors(conn: AsyncConnection, q: str | None, limit: int) -> list[ActorPublic]:
    """Actors with event counts and latest dates, busiest first; `q` matches name or slug."""
    stmt = _actor_stats()
    if q:
        stmt = stmt.where(sa.or_(
            actors.c.name.icontains(q, autoescape=True),
            actors.c.slug.icontains(q, autoescape=True),
        ))
    stmt = stmt.order_by(sa.desc("event_count"), actors.c.name, actors.c.slug).limit(limit)
    return [ActorPublic.model_validate(row) for row in (await conn.execute(stmt)).mappings()]


async def get_actor(conn: AsyncConnection, slug: str) -> ActorPublic | None:
    """One actor with its event count and latest event date, or None."""
    row = (await conn.execute(_actor_stats().where(actors.c.slug == slug))).mappings().first()
    return ActorPublic.model_validate(row) if row else None


async def timeline_rows(
    conn: AsyncConnection, slug: str, filters: TimelineFilters,
    after: TimelineKey | None, limit: int,
) -> Sequence[RowMapping]:
    """Up to `limit` event rows of the actor's timeline after the cursor, in timeline order."""
    stmt = (
        # The link row's sort key equals the event's (the store copies it), so only the
        # event's columns are selected while order and keyset run on the indexed link row.
        sa.select(events)
        .select_from(event_actors.join(events, events.c.id == event_actors.c.event_id))
        .where(event_actors.c.actor_slug == slug)
        .order_by(*_SORT_KEY)
        .limit(limit)
    )
    if after is not None:
        # A row comparison PostgreSQL answers with a range scan on the timeline index.
        stmt = stmt.where(sa.tuple_(*_SORT_KEY) > sa.tuple_(
            *(sa.literal(value, col.type) for value, col in zip(after, _SORT_KEY, strict=True))
        ))
    if filters.types:
        stmt = stmt.where(events.c.type.in_(filters.types))
    if filters.date_from:
        stmt = stmt.where(event_actors.c.date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(event_actors.c.date <= filters.date_to)
    if filters.language:
        stmt = stmt.where(sa.exists().where(
            event_sources.c.event_id == event_actors.c.event_id,
            event_sources.c.language == filters.language,
        ))
    return (await conn.execute(stmt)).mappings().all()


def timeline_key(row: RowMapping) -> TimelineKey:
    """The row's place in the timeline, for the next page's cursor."""
    return TimelineKey(row["date"], row["precision_rank"], row["first_seen_seq"], row["id"])


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
