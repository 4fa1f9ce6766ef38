"""The one way to append to the change feed and keep `actor_stats` in step with it.

Every writer (the timeline store, the api's event removal) calls `record_changes`
inside the transaction that made the change, after all its other writes. `remove_event`
is the one way to delete an event (its links and sources with it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_db.tables import actor_stats, event_actors, event_sources, events

# Any constant works as long as every writer of `changes` uses this one.
CHANGE_FEED_LOCK = 0x4E4C4348  # "NLCH"


@dataclass(frozen=True)
class ChangeDraft:
    """A change about to be recorded: what happened to which event, and whose it is."""

    event_id: uuid.UUID
    kind: str
    actors: tuple[str, ...]


@dataclass
class StatDelta:
    """How one write moves an actor's figures: events added (or removed) and newest date."""

    count: int = 0
    latest: dt.date | None = None


async def driver(conn: AsyncConnection) -> Any:
    """The asyncpg connection under `conn`, inside the transaction `conn` has begun.

    Set-based writes (`INSERT ... SELECT FROM unnest(...)`) go straight to the driver:
    one round trip per table, none of SQLAlchemy's per-row parameter work.
    """
    raw = await conn.get_raw_connection()
    return raw.driver_connection


# The changes and the actors' figures in one statement: the stats rows are upserted in
# slug order (one lock order for every writer), each actor's last_change_id the highest
# id this statement gave a change naming it. The change ids come back in draft order.
_CHANGES_AND_STATS = """
WITH c AS (
    INSERT INTO changes (event_id, kind, actors)
    SELECT v.event_id, v.kind, ARRAY(SELECT jsonb_array_elements_text(v.actors))
    FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) WITH ORDINALITY
        AS v(event_id, kind, actors, n)
    ORDER BY v.n
    RETURNING id, actors
), last_change AS (
    SELECT slug, max(c.id) AS id FROM c, unnest(c.actors) AS slug GROUP BY slug
), stats AS (
    INSERT INTO actor_stats AS s (actor_slug, event_count, latest_event_date, last_change_id)
    SELECT coalesce(d.slug, l.slug), coalesce(d.count, 0), d.latest, coalesce(l.id, 0)
    FROM unnest($4::text[], $5::bigint[], $6::date[]) AS d(slug, count, latest)
    FULL JOIN last_change l ON l.slug = d.slug
    ORDER BY 1
    ON CONFLICT (actor_slug) DO UPDATE SET
        event_count = s.event_count + excluded.event_count,
        latest_event_date = greatest(s.latest_event_date, excluded.latest_event_date),
        last_change_id = greatest(s.last_change_id, excluded.last_change_id)
)
SELECT id FROM c ORDER BY id
"""


async def record_changes(
    conn: AsyncConnection, drafts: Sequence[ChangeDraft], deltas: Mapping[str, StatDelta]
) -> list[int]:
    """Append `drafts` to the feed, apply `deltas` to actor_stats; return the change ids.

    Call it last in the transaction: the lock it takes is held until commit.
    """
    if not drafts and not deltas:
        return []
    pg = await driver(conn)
    if drafts:
        # Why the lock: a sequence hands out ids at INSERT time, but rows become visible
        # at COMMIT time. Without it, transaction A could take id 7, B id 8, B commit, a
        # poller read 8 and move its cursor past 7, then A commit: 7 is never seen. Taken
        # here, just before the insert and held until commit, the lock makes "take an id
        # and commit" one critical section, so ids become visible in commit order. It
        # serialises only this tail of each write transaction, not the whole batch.
        await pg.execute("SELECT pg_advisory_xact_lock($1)", CHANGE_FEED_LOCK)
    slugs = sorted(deltas)
    rows = await pg.fetch(
        _CHANGES_AND_STATS, [d.event_id for d in drafts], [d.kind for d in drafts],
        [orjson.dumps(d.actors).decode() for d in drafts], slugs,
        [deltas[s].count for s in slugs], [deltas[s].latest for s in slugs])
    return [row["id"] for row in rows]


async def remove_event(conn: AsyncConnection, event_id: uuid.UUID) -> int | None:
    """Delete an event with its links and sources, record `removed`; None if absent.

    The only way events are deleted (the api's DELETE, re-extraction's removal). Links
    and sources have no foreign key to `events` (migration 0008), so they are deleted
    here, in the caller's transaction. The event's row is locked first: a consumer
    writing links or sources of it holds that lock (its events upsert) until commit, so
    the deletes below, each with a fresh snapshot, see every row it wrote.
    """
    found = await conn.execute(
        sa.select(events.c.id).where(events.c.id == event_id).with_for_update()
    )
    if found.first() is None:
        return None
    slugs = sorted(
        (await conn.execute(
            sa.delete(event_actors).where(event_actors.c.event_id == event_id)
            .returning(event_actors.c.actor_slug)
        )).scalars().all()
    )
    await conn.execute(sa.delete(event_sources).where(event_sources.c.event_id == event_id))
    await conn.execute(sa.delete(events).where(events.c.id == event_id))
    [change_id] = await record_changes(
        conn, [ChangeDraft(event_id, "removed", tuple(slugs))],
        {slug: StatDelta(count=-1) for slug in slugs},
    )
    if slugs:
        # The removed event may have been the newest: read the new newest off the index.
        newest = (
            sa.select(sa.func.max(event_actors.c.date))
            .where(event_actors.c.actor_slug == actor_stats.c.actor_slug)
            .scalar_subquery()
        )
        await conn.execute(
            sa.update(actor_stats)
            .where(actor_stats.c.actor_slug.in_(slugs))
            .values(latest_event_date=newest)
        )
    return change_id
