"""Export reads: every source of a page's events, in keyset chunks of bounded size.

A timeline page's stored documents carry only the most confident few sources; an export
carries them all, rendered by the read model's `render` exactly as `/v1/events/{id}`
renders them. Sources are read in the page's timeline order, `SOURCE_CHUNK` rows a query,
each on a pooled connection returned right after, so memory holds one chunk or one
event's sources, whichever is larger, never a page's worth of a hot event's sources.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_db import event_sources
from newsline_db.documents import actor_of, actors_select, facts, group, source_of, sources_select
from newsline_read_model import EventPublic, SourcePublic, render

SOURCE_CHUNK = 2000
_UUIDS = ARRAY(UUID(as_uuid=True))


def _sources_chunk(ids: Sequence[uuid.UUID], after: RowMapping | None,
                   limit: int) -> sa.Select[Any]:
    # The page's ids with their positions: sources come out in timeline order, and within
    # an event as the read model ranks them (most confident, then as stored).
    given = sa.cast(sa.literal(list(ids), _UUIDS), _UUIDS)
    page = (sa.func.unnest(given).table_valued("event_id", with_ordinality="pos")
            .render_derived("page"))
    s = event_sources.c
    stmt = (
        sources_select(ids)
        .add_columns(page.c.pos, s.stored_at)
        .join(page, page.c.event_id == s.event_id)
        .order_by(None)
        .order_by(page.c.pos, s.confidence.desc(), s.stored_at, s.article_id)
        .limit(limit)
    )
    if after is not None:
        # The keyset (pos, confidence descending, stored_at, article_id) past the last row.
        stmt = stmt.where(sa.or_(
            page.c.pos > after["pos"],
            sa.and_(page.c.pos == after["pos"], sa.or_(
                s.confidence < after["confidence"],
                sa.and_(s.confidence == after["confidence"],
                        sa.tuple_(s.stored_at, s.article_id)
                        > sa.tuple_(after["stored_at"], after["article_id"])),
            )),
        ))
    return stmt


async def full_documents(engine: AsyncEngine,
                         rows: Sequence[RowMapping]) -> AsyncIterator[EventPublic]:
    """The documents of timeline rows, in their order, each with every source."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    async with engine.connect() as conn:
        by_actor = group((await conn.execute(actors_select(ids))).mappings(), actor_of)

    def document(index: int, sources: list[SourcePublic]) -> EventPublic:
        row = rows[index]
        return render(facts(dict(row)), by_actor.get(row["id"], []), sources)

    index, after = 0, None
    pending: list[SourcePublic] = []
    while True:
        async with engine.connect() as conn:
            chunk = (await conn.execute(
                _sources_chunk(ids, after, SOURCE_CHUNK))).mappings().all()
        for source in chunk:
            while source["pos"] - 1 > index:  # every source of rows[index] has come
                yield document(index, pending)
                index, pending = index + 1, []
            pending.append(source_of(source))
        if len(chunk) < SOURCE_CHUNK:
            break
        after = chunk[-1]
    for last in range(index, len(rows)):
        yield document(last, pending if last == index else [])
