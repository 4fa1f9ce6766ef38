"""Persist a batch of `ArticleParsed` messages in one transaction, idempotently.

Every write is an upsert keyed by a deterministic id, so a redelivered batch
(at-least-once on the wire) changes nothing: exactly-once in effect. Rows are
sorted by key before writing so concurrent consumers lock in the same order.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_contracts import ArticleParsed, EventExtracted
from newsline_db import PRECISION_RANK, actors, articles, event_actors, event_sources, events
from newsline_db.feed import ChangeDraft, StatDelta, record_changes


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
            row = rows.setdefault(
                actor.slug,
                {
                    "slug": actor.slug,
                    "name": actor.name,
                    "kind": actor.kind,
                    "parent_slug": actor.parent,
                    "reviewed": actor.reviewed,
                    "aliases": [],
                },
            )
            row["aliases"] = sorted({*row["aliases"], *actor.aliases})
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
                        "aliases": [],
                    },
                )
    return [rows[k] for k in sorted(rows)]


async def _upsert_actors(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    stmt = insert(actors)
    # A curated entry (reviewed) wins over an earlier unreviewed guess; aliases accumulate.
    # Rows change only when one of those applies, so a replay rewrites nothing.
    curated = sa.and_(stmt.excluded.reviewed, sa.not_(actors.c.reviewed))
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[actors.c.slug],
            set_={
                "name": sa.case((curated, stmt.excluded.name), else_=actors.c.name),
                "kind": sa.case((curated, stmt.excluded.kind), else_=actors.c.kind),
                "parent_slug": sa.case(
                    (curated, stmt.excluded.parent_slug), else_=actors.c.parent_slug
                ),
                "reviewed": sa.or_(actors.c.reviewed, stmt.excluded.reviewed),
                "aliases": sa.literal_column(
                    "ARRAY(SELECT DISTINCT a FROM unnest(actors.aliases || excluded.aliases)"
                    " AS a ORDER BY a)"
                ),
            },
            where=sa.or_(curated, sa.not_(actors.c.aliases.contains(stmt.excluded.aliases))),
        ),
        rows,
    )


async def _upsert_events(
    conn: AsyncConnection, rows: dict[uuid.UUID, dict[str, Any]]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Insert new events, raise confidence of known ones; return (created, raised) ids."""
    stmt = insert(events)
    # Only a higher confidence touches an existing row (and its updated_at): a replay
    # returns nothing. `xmax = 0` tells a fresh insert from an update.
    result = await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[events.c.id],
            set_={"confidence": stmt.excluded.confidence, "updated_at": sa.func.now()},
            where=stmt.excluded.confidence > events.c.confidence,
        ).returning(events.c.id, sa.literal_column("xmax = 0").label("inserted")),
        [rows[k] for k in sorted(rows)],
    )
    created: set[uuid.UUID] = set()
    raised: set[uuid.UUID] = set()
    for event_id_, inserted in result.all():
        (created if inserted else raised).add(event_id_)
    return created, raised


async def persist_batch(conn: AsyncConnection, batch: Sequence[ArticleParsed]) -> int:
    """Upsert articles, actors, events, links and sources, and record what changed.

    Returns the number of new source rows. A change row is written only for an event
    that really changed: `created` (new), `merged` (a new article's source joined),
    `updated` (higher confidence or a new actor, no new source).
    """
    if not batch:
        return 0
    article_rows = {m.article_id: _article_row(m) for m in batch}
    await conn.execute(
        insert(articles).on_conflict_do_nothing(),
        [article_rows[k] for k in sorted(article_rows)],
    )
    actor_rows = _actor_rows(batch)
    if actor_rows:
        await _upsert_actors(conn, actor_rows)
    pairs = [(m, ev) for m in batch for ev in m.events]
    if not pairs:
        return 0
    event_rows = {ev.event_id: _event_row(ev) for _, ev in pairs}
    created, raised = await _upsert_events(conn, event_rows)
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
    new_links = (
        await conn.execute(
            insert(event_actors)
            .on_conflict_do_nothing()
            .returning(event_actors.c.event_id, event_actors.c.actor_slug, event_actors.c.date),
            [link_rows[k] for k in sorted(link_rows)],
        )
    ).all()
    source_rows = {(ev.event_id, m.article_id): _source_row(m, ev) for m, ev in pairs}
    result = await conn.execute(
        insert(event_sources).on_conflict_do_nothing().returning(event_sources.c.event_id),
        [source_rows[k] for k in sorted(source_rows, key=str)],
    )
    new_sources = [row[0] for row in result.all()]
    await _record(conn, created, raised, set(new_sources), new_links)
    return len(new_sources)


async def _record(
    conn: AsyncConnection,
    created: set[uuid.UUID],
    raised: set[uuid.UUID],
    sourced: set[uuid.UUID],
    new_links: Sequence[sa.Row[Any]],
) -> None:
    kinds: dict[uuid.UUID, str] = {}
    for ev_id in {*raised, *sourced, *(link.event_id for link in new_links)}:
        kinds[ev_id] = "merged" if ev_id in sourced else "updated"
    kinds.update(dict.fromkeys(created, "created"))
    if not kinds:
        return  # a replay: nothing changed, nothing to tell pollers
    touched = sorted(set(kinds) - created - raised)
    if touched:  # a new source or actor changes what the event shows
        await conn.execute(
            sa.update(events).where(events.c.id.in_(touched)).values(updated_at=sa.func.now())
        )
    owners: dict[uuid.UUID, list[str]] = defaultdict(list)
    for ev_id, slug in await conn.execute(
        sa.select(event_actors.c.event_id, event_actors.c.actor_slug)
        .where(event_actors.c.event_id.in_(kinds))
        .order_by(event_actors.c.event_id, event_actors.c.actor_slug)
    ):
        owners[ev_id].append(slug)
    deltas: dict[str, StatDelta] = defaultdict(StatDelta)
    for link in new_links:
        delta = deltas[link.actor_slug]
        delta.count += 1
        delta.latest = max(filter(None, (delta.latest, link.date)))
    drafts = [ChangeDraft(k, kinds[k], tuple(owners[k])) for k in sorted(kinds, key=str)]
    await record_changes(conn, drafts, deltas)
