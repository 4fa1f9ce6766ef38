"""Timeline reads: one or several actors' events in timeline order, keyset-paginated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.cursor import TimelineKey
from newsline_db import actor_stats, actors, articles, event_actors, event_sources, events

# The timeline sort key as stored on the link row, matching ix_event_actors_timeline.
_SORT_KEY = (
    event_actors.c.date, event_actors.c.precision_rank,
    event_actors.c.first_seen_seq, event_actors.c.event_id,
)


@dataclass(frozen=True)
class TimelineFilters:
    """What narrows a timeline: types, inclusive dates, source language and name, confidence."""

    types: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    language: str | None = None
    source: str | None = None
    min_confidence: float | None = None


def _filtered(stmt: sa.Select[tuple[object, ...]], filters: TimelineFilters) -> sa.Select[
    tuple[object, ...]
]:
    if filters.types:
        stmt = stmt.where(events.c.type.in_(filters.types))
    if filters.date_from:
        stmt = stmt.where(event_actors.c.date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(event_actors.c.date <= filters.date_to)
    if filters.min_confidence is not None:
        stmt = stmt.where(events.c.confidence >= filters.min_confidence)
    if filters.language:
        stmt = stmt.where(sa.exists().where(
            event_sources.c.event_id == event_actors.c.event_id,
            event_sources.c.language == filters.language,
        ))
    if filters.source:
        # The article's source name, compared case-insensitively ("reuters" = "Reuters").
        stmt = stmt.where(sa.exists().where(
            event_sources.c.event_id == event_actors.c.event_id,
            articles.c.id == event_sources.c.article_id,
            sa.func.lower(articles.c.source) == filters.source.lower(),
        ))
    return stmt


def _branch(
    slug: str, filters: TimelineFilters, after: TimelineKey | None, limit: int
) -> sa.Select[tuple[object, ...]]:
    # One index range scan on (actor_slug, sort key), stopped after `limit` rows.
    stmt = (
        sa.select(*_SORT_KEY)
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
    return _filtered(stmt, filters)


async def timeline_rows(
    conn: AsyncConnection, slugs: Sequence[str], filters: TimelineFilters,
    after: TimelineKey | None, limit: int,
) -> Sequence[RowMapping]:
    """Up to `limit` events of any of `slugs` after the cursor, in timeline order, each once.

    Every link row of an event carries the same sort key, so a UNION of each actor's
    first `limit` keys drops an event named by two of the actors, and the merged order
    and cursor are those of a single timeline.
    """
    keys = _keys(slugs, filters, after, limit)
    stmt = (
        sa.select(events)
        .join(keys, keys.c.event_id == events.c.id)
        .order_by(keys.c.date, keys.c.precision_rank, keys.c.first_seen_seq, keys.c.event_id)
        .limit(limit)
    )
    return (await conn.execute(stmt)).mappings().all()


async def timeline_keys(
    conn: AsyncConnection, slugs: Sequence[str], filters: TimelineFilters,
    after: TimelineKey | None, limit: int,
) -> list[TimelineKey]:
    """The sort keys of `timeline_rows`' events, without reading the events."""
    keys = _keys(slugs, filters, after, limit)
    stmt = sa.select(*keys.c).order_by(*keys.c).limit(limit)
    return [
        TimelineKey(row.date, row.precision_rank, row.first_seen_seq, row.event_id)
        for row in await conn.execute(stmt)
    ]


def _keys(
    slugs: Sequence[str], filters: TimelineFilters, after: TimelineKey | None, limit: int
) -> sa.Subquery:
    branches = [_branch(slug, filters, after, limit) for slug in sorted(set(slugs))]
    return (branches[0] if len(branches) == 1 else sa.union(*branches)).subquery("keys")


def timeline_key(row: RowMapping) -> TimelineKey:
    """The row's place in the timeline, for the next page's cursor."""
    return TimelineKey(row["date"], row["precision_rank"], row["first_seen_seq"], row["id"])


async def family(
    conn: AsyncConnection, roots: Sequence[str], include_units: bool
) -> tuple[list[str], int]:
    """The roots (plus every unit under them when asked) and their newest change id.

    The change id is the timeline's version: any write to any of these actors' events
    records a change touching them, so an unchanged version means an unchanged page.
    """
    tree = sa.select(actors.c.slug).where(actors.c.slug.in_(roots)).cte("tree", recursive=True)
    if include_units:
        tree = tree.union(
            sa.select(actors.c.slug).join(tree, actors.c.parent_slug == tree.c.slug)
        )
    stmt = (
        sa.select(tree.c.slug, sa.func.coalesce(actor_stats.c.last_change_id, 0))
        .outerjoin(actor_stats, actor_stats.c.actor_slug == tree.c.slug)
        .order_by(tree.c.slug)
    )
    rows = (await conn.execute(stmt)).all()
    return [row[0] for row in rows], max((row[1] for row in rows), default=0)
