"""Actor reads: the list (by any name or alias) and actors by slug, with their figures."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.actors.shapes import ActorPublic
from newsline_db import actor_stats, actors


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
