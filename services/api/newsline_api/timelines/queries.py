"""Timeline reads: one or several actors' events in timeline order, keyset-paginated.

Two kinds: SQLAlchemy Core selects for filtered and merged pages (their keys), and the
raw statements of the hot path, run on asyncpg directly (`page`): a page's events as
the JSON documents stored at write time, joined in PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.timelines.order import LINK_ORDER, after_key, order_sql
from newsline_db import actor_stats, actors, articles, event_actors, event_sources, events
from newsline_vocabulary import EventType, TimelineKey


@dataclass(frozen=True)
class TimelineFilters:
    """What narrows a timeline: types, inclusive dates, source language and name, confidence."""

    types: tuple[EventType, ...] = ()
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
        sa.select(*LINK_ORDER)
        .select_from(event_actors.join(events, events.c.id == event_actors.c.event_id))
        .where(event_actors.c.actor_slug == slug)
        .order_by(*LINK_ORDER)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(after_key(LINK_ORDER, after))
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
        .order_by(*keys.c)
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
    return [TimelineKey(*row) for row in await conn.execute(stmt)]


def _keys(
    slugs: Sequence[str], filters: TimelineFilters, after: TimelineKey | None, limit: int
) -> sa.Subquery:
    branches = [_branch(slug, filters, after, limit) for slug in sorted(set(slugs))]
    return (branches[0] if len(branches) == 1 else sa.union(*branches)).subquery("keys")


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


# ---- the hot path's raw statements (asyncpg, `page`) ----------------------------------

# `page` yields the page's keys (the TimelineKey columns); the
# statement returns one row, `data`: the events' stored documents in timeline order
# joined by commas (UTF-8 bytes, so neither side decodes and re-encodes 50 kB of text).
_PAGE = f"""
SELECT convert_to(coalesce(string_agg(e.doc, ','
           ORDER BY {order_sql("k")}), ''), 'UTF8')
           AS data
FROM page k
JOIN events e ON e.id = k.event_id
"""

# The actor row as ActorPublic has it, and its newest change id (the ETag's version).
ACTOR_FIELDS = (
    "slug", "name", "kind", "parent", "reviewed", "aliases", "event_count",
    "latest_event_date", "version",
)
_ACTOR_COLUMNS = """
a.slug, a.name, a.kind, a.parent_slug AS parent, a.reviewed, a.aliases,
coalesce(st.event_count, 0) AS event_count, st.latest_event_date,
coalesce(st.last_change_id, 0) AS version
"""

# The actors with their figures and versions: all a 304 needs, by primary key.
ACTORS_WITH_VERSION = f"""
SELECT {_ACTOR_COLUMNS}
FROM actors a LEFT JOIN actor_stats st ON st.actor_slug = a.slug
WHERE a.slug = ANY($1::text[])
"""

# One actor, no filters: an index range scan on ix_event_actors_timeline stopped after
# $2 + 1 rows ($1 slug, $2 page size, then the cursor's key, $3..$6). `found` > $2
# means another page follows `last`, this page's last key. With the actor's columns
# (for a request without If-None-Match, which cannot be answered 304) the actor row
# and the page come in one round trip and one snapshot; no row: no such actor.
_ONE_ACTOR = f"""
WITH k AS MATERIALIZED (
    SELECT {order_sql()} FROM event_actors
    WHERE actor_slug = $1 {{after}}
    ORDER BY {order_sql()} LIMIT $2 + 1
), page AS (
    SELECT * FROM k ORDER BY {order_sql()} LIMIT $2
)
SELECT {{actor_columns}}
       (SELECT count(*) FROM k) AS found,
       (SELECT ROW({order_sql()}) FROM page ORDER BY {order_sql(descending=True)}
        LIMIT 1) AS last,
       j.data
FROM ({{page_json}}) j {{actor_join}}
"""
_AFTER = f"AND ({order_sql()}) > ($3, $4, $5, $6)"
_WITH_ACTOR = {
    "actor_columns": _ACTOR_COLUMNS + ",",
    "actor_join": """
CROSS JOIN actors a LEFT JOIN actor_stats st ON st.actor_slug = a.slug WHERE a.slug = $1""",
}
_WITHOUT_ACTOR = {"actor_columns": "", "actor_join": ""}
ONE_ACTOR_FIRST = _ONE_ACTOR.format(after="", page_json=_PAGE, **_WITHOUT_ACTOR)
ONE_ACTOR_AFTER = _ONE_ACTOR.format(after=_AFTER, page_json=_PAGE, **_WITHOUT_ACTOR)
ACTOR_AND_PAGE_FIRST = _ONE_ACTOR.format(after="", page_json=_PAGE, **_WITH_ACTOR)
ACTOR_AND_PAGE_AFTER = _ONE_ACTOR.format(after=_AFTER, page_json=_PAGE, **_WITH_ACTOR)

# A page whose keys another query found (several actors, filters): $1..$4 the key
# columns in TimelineKey's order.
GIVEN_KEYS = f"""
WITH page AS (
    SELECT {order_sql()}
    FROM unnest($1::date[], $2::smallint[], $3::bigint[], $4::uuid[]) AS g({order_sql()})
)
""" + _PAGE
