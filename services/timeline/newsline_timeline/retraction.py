"""Withdraw what a re-extracted article no longer says (`ArticleParsed.reextracted`).

When `newsline reextract` runs a newer engine over a stored article, the message lists
every event the article supports now. A source row of that article for any other
event is stale: it is deleted; an event left with no source is removed by
`remove_event`, links included (no foreign key cascades them; `removed` in the change
feed, its actors' figures lowered); an event that keeps other sources gets
its merged fields and actors recomputed from those sources and its document rendered
again from them (`updated`). Re-running with the same engine finds nothing stale.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_contracts import ArticleParsed
from newsline_db.documents import load_documents, write_documents
from newsline_db.feed import ChangeDraft, StatDelta, driver, record_changes, remove_event
from newsline_read_model import SOURCES_IN_PAGE

_STALE = """
DELETE FROM event_sources s
USING unnest($1::uuid[]) AS a(article_id)
WHERE s.article_id = a.article_id
  AND NOT ((s.event_id, s.article_id) IN (
      SELECT * FROM unnest($2::uuid[], $3::uuid[])))
RETURNING s.event_id
"""

# Merged fields from the sources that remain: the most confident one's confidence, the
# first stated amount and product (stored order), as the merge rule builds them.
_RECOMPUTE = """
UPDATE events e SET
    confidence = r.confidence,
    quantity_value = r.quantity_value, quantity_unit = r.quantity_unit,
    product = r.product, updated_at = now()
FROM (
    SELECT s.event_id, max(s.confidence) AS confidence,
           (array_agg(s.quantity_value ORDER BY s.stored_at, s.article_id)
               FILTER (WHERE s.quantity_value IS NOT NULL))[1] AS quantity_value,
           (array_agg(s.quantity_unit ORDER BY s.stored_at, s.article_id)
               FILTER (WHERE s.quantity_value IS NOT NULL))[1] AS quantity_unit,
           (array_agg(s.product ORDER BY s.stored_at, s.article_id)
               FILTER (WHERE s.product IS NOT NULL))[1] AS product
    FROM event_sources s WHERE s.event_id = ANY($1::uuid[]) GROUP BY s.event_id
) r
WHERE e.id = r.event_id
"""

# Links to actors no remaining source names (the subject is named by every source).
_DROP_LINKS = """
DELETE FROM event_actors l
WHERE l.event_id = ANY($1::uuid[])
  AND NOT EXISTS (
      SELECT 1 FROM event_sources s, jsonb_array_elements(s.actors) AS a
      WHERE s.event_id = l.event_id AND a->>'slug' = l.actor_slug)
RETURNING l.event_id, l.actor_slug
"""


async def withdraw_stale(conn: AsyncConnection, batch: Sequence[ArticleParsed]) -> int:
    """Delete the stale sources of the batch's re-extracted articles; return how many."""
    again = [m for m in batch if m.reextracted]
    if not again:
        return 0
    pg = await driver(conn)
    current = [(ev.event_id, m.article_id) for m in again for ev in m.events]
    stale = await pg.fetch(_STALE, sorted({m.article_id for m in again}),
                           [e for e, _ in current], [a for _, a in current])
    touched = sorted({row["event_id"] for row in stale})
    if not touched:
        return 0
    left = {row["event_id"] for row in await pg.fetch(
        "SELECT DISTINCT event_id FROM event_sources WHERE event_id = ANY($1::uuid[])",
        touched)}
    for event_id in (e for e in touched if e not in left):
        await remove_event(conn, event_id)
    kept = sorted(left)
    if kept:
        await _reshape(conn, pg, kept)
    return len(stale)


async def _reshape(conn: AsyncConnection, pg: Any, ids: list[uuid.UUID]) -> None:
    """Recompute the kept events from their remaining sources and record `updated`."""
    await pg.execute(_RECOMPUTE, ids)
    dropped = await pg.fetch(_DROP_LINKS, ids)
    docs = await load_documents(conn, ids, SOURCES_IN_PAGE)
    await write_documents(pg, docs.values())
    deltas: dict[str, StatDelta] = {}
    gone: dict[uuid.UUID, set[str]] = {}
    for row in dropped:  # the event leaves these actors' timelines
        deltas.setdefault(row["actor_slug"], StatDelta()).count -= 1
        gone.setdefault(row["event_id"], set()).add(row["actor_slug"])
    drafts = [ChangeDraft(d.id, "updated", tuple(sorted(
                  {a.slug for a in d.actors} | gone.get(d.id, set()))))
              for d in sorted(docs.values(), key=lambda d: str(d.id))]
    await record_changes(conn, drafts, deltas)
