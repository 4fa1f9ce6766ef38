"""Persist a batch of `ArticleParsed` messages in one transaction, idempotently.

Every write is an upsert keyed by a deterministic id, so a redelivered batch
(at-least-once on the wire) changes nothing: exactly-once in effect. Rows are
sorted by key before writing so concurrent consumers lock in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_contracts import ArticleParsed, EventExtracted
from newsline_db import PRECISION_RANK, actors, articles, event_actors, event_sources, events


def _article_row(msg: ArticleParsed) -> dict[str, Any]:
    return {
        "id": msg.article_id,
        "content_hash": msg.content_hash,
        "title": msg.title,
        "url": msg.url,
        "source": msg.source,
        "language": msg.language,
        "published_at": msg.published_at,
        "received_at": msg.received_at,
        "text": msg.text,
    }


def _event_row(ev: EventExtracted) -> dict[str, Any]:
    return {
        "id": ev.event_id,
        "merge_key": ev.merge_key,
        "type": ev.type,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "date_basis": ev.date_basis,
        "precision_rank": PRECISION_RANK[ev.date_precision],
        "quantity_value": ev.quantity.value if ev.quantity else None,
        "quantity_unit": ev.quantity.unit if ev.quantity else None,
        "product": ev.product,
        "summary": ev.summary,
        "confidence": ev.confidence,
        "extractor_version": ev.extractor_version,
    }


def _source_row(msg: ArticleParsed, ev: EventExtracted) -> dict[str, Any]:
    return {
        "event_id": ev.event_id,
        "article_id": msg.article_id,
        "language": msg.language,
        "evidence_text": ev.evidence.text,
        "evidence_start": ev.evidence.start,
        "evidence_end": ev.evidence.end,
        "confidence": ev.confidence,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "date_basis": ev.date_basis,
        "quantity_value": ev.quantity.value if ev.quantity else None,
        "quantity_unit": ev.quantity.unit if ev.quantity else None,
        "product": ev.product,
        "actors": [a.model_dump() for a in ev.actors],
        "extractor_version": ev.extractor_version,
    }


def _actor_rows(batch: Sequence[ArticleParsed]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for msg in batch:
        for actor in msg.actors:
            rows.setdefault(actor.slug, actor.model_dump() | {"parent_slug": actor.parent})
        for ev in msg.events:
            for ea in ev.actors:  # an event may name an actor the article list missed
                rows.setdefault(
                    ea.slug,
                    {
                        "slug": ea.slug,
                        "name": ea.name,
                        "kind": "company",
                        "parent_slug": None,
                        "reviewed": False,
                    },
                )
    for row in rows.values():
        row.pop("parent", None)
    return [rows[k] for k in sorted(rows)]


async def persist_batch(conn: AsyncConnection, batch: Sequence[ArticleParsed]) -> int:
    """Upsert articles, actors, events, their actors and sources; return new source rows."""
    if not batch:
        return 0
    article_rows = {m.article_id: _article_row(m) for m in batch}
    await conn.execute(
        insert(articles).on_conflict_do_nothing(),
        [article_rows[k] for k in sorted(article_rows)],
    )
    actor_rows = _actor_rows(batch)
    if actor_rows:
        stmt = insert(actors)
        # A curated entry (reviewed) wins over an earlier unreviewed guess.
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[actors.c.slug],
                set_={
                    "name": stmt.excluded.name,
                    "kind": stmt.excluded.kind,
                    "parent_slug": stmt.excluded.parent_slug,
                    "reviewed": True,
                },
                where=sa.and_(stmt.excluded.reviewed, sa.not_(actors.c.reviewed)),
            ),
            actor_rows,
        )
    pairs = [(m, ev) for m in batch for ev in m.events]
    if not pairs:
        return 0
    event_rows = {ev.event_id: _event_row(ev) for _, ev in pairs}
    stmt = insert(events)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[events.c.id],
            set_={
                "confidence": sa.func.greatest(events.c.confidence, stmt.excluded.confidence),
                "updated_at": sa.func.now(),
            },
        ),
        [event_rows[k] for k in sorted(event_rows)],
    )
    seen = dict(
        (
            await conn.execute(
                sa.select(events.c.id, events.c.first_seen_seq).where(events.c.id.in_(event_rows))
            )
        ).all()
    )
    link_rows = {
        (ev.event_id, ea.slug): {
            "event_id": ev.event_id,
            "actor_slug": ea.slug,
            "role": ea.role,
            "date": ev.date,
            "precision_rank": PRECISION_RANK[ev.date_precision],
            "first_seen_seq": seen[ev.event_id],
        }
        for _, ev in pairs
        for ea in ev.actors
    }
    await conn.execute(
        insert(event_actors).on_conflict_do_nothing(), [link_rows[k] for k in sorted(link_rows)]
    )
    source_rows = {(ev.event_id, m.article_id): _source_row(m, ev) for m, ev in pairs}
    result = await conn.execute(
        insert(event_sources).on_conflict_do_nothing().returning(event_sources.c.event_id),
        [source_rows[k] for k in sorted(source_rows, key=str)],
    )
    return len(result.all())
