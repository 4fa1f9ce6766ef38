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
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
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


def actor_rows_to_write(
    rows: list[dict[str, Any]], known: dict[str, tuple[bool, list[str]]]
) -> list[dict[str, Any]]:
    """The rows that would change something: new actors, curation, new aliases."""
    return [
        row
        for row in rows
        if row["slug"] not in known
        or (row["reviewed"] and not known[row["slug"]][0])
        or not set(row["aliases"]) <= set(known[row["slug"]][1])
    ]


async def _upsert_actors(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[str]:
    """Write the actor rows that change something; return the slugs whose name changes."""
    # ON CONFLICT ... DO UPDATE ... WHERE locks the conflicting row even when the
    # WHERE is false, so concurrent consumers queued on busy actors. Read first
    # (no lock) and write only what would change.
    known: dict[str, tuple[bool, list[str]]] = {}
    names: dict[str, str] = {}
    for slug, reviewed, aliases, name in await conn.execute(
        sa.select(actors.c.slug, actors.c.reviewed, actors.c.aliases, actors.c.name).where(
            actors.c.slug.in_([r["slug"] for r in rows])
        )
    ):
        known[slug], names[slug] = (reviewed, aliases), name
    rows = actor_rows_to_write(rows, known)
    if not rows:
        return []
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
    # A curated entry renames an unreviewed guess: the event documents naming it are stale.
    return [
        row["slug"] for row in rows
        if row["slug"] in known and row["reviewed"] and not known[row["slug"]][0]
        and row["name"] != names[row["slug"]]
    ]


def merge_event_rows(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Combine two reports of one event: keep what the first said, fill what it lacked.

    A source that states the amount or the product completes an event first seen
    without them; when both state different values, the event keeps the first and
    each source row keeps its own, so the conflict stays visible.
    """
    merged = dict(first)
    fills = (first["quantity_value"] is None and other["quantity_value"] is not None) or (
        first["product"] is None and other["product"] is not None
    )
    if first["quantity_value"] is None:
        merged["quantity_value"], merged["quantity_unit"] = (
            other["quantity_value"],
            other["quantity_unit"],
        )
    merged["product"] = first["product"] or other["product"]
    if fills:
        merged["summary"] = other["summary"]
    merged["confidence"] = max(first["confidence"], other["confidence"])
    return merged


async def _upsert_events(
    conn: AsyncConnection, rows: dict[uuid.UUID, dict[str, Any]]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Insert new events, complete or raise known ones; return (created, changed) ids."""
    stmt = insert(events)
    new, old = stmt.excluded, events.c
    fills_quantity = sa.and_(old.quantity_value.is_(None), new.quantity_value.isnot(None))
    fills_product = sa.and_(old.product.is_(None), new.product.isnot(None))
    # Same rule as merge_event_rows, in SQL. Only a real gain touches an existing row
    # (and its updated_at): a replay returns nothing. `xmax = 0` tells an insert.
    result = await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[old.id],
            set_={
                "confidence": sa.func.greatest(old.confidence, new.confidence),
                "quantity_value": sa.func.coalesce(old.quantity_value, new.quantity_value),
                "quantity_unit": sa.case(
                    (old.quantity_value.is_(None), new.quantity_unit), else_=old.quantity_unit
                ),
                "product": sa.func.coalesce(old.product, new.product),
                "summary": sa.case(
                    (sa.or_(fills_quantity, fills_product), new.summary), else_=old.summary
                ),
                "updated_at": sa.func.now(),
            },
            where=sa.or_(new.confidence > old.confidence, fills_quantity, fills_product),
        ).returning(old.id, sa.literal_column("xmax = 0").label("inserted")),
        [rows[k] for k in sorted(rows)],
    )
    created: set[uuid.UUID] = set()
    changed: set[uuid.UUID] = set()
    for event_id_, inserted in result.all():
        (created if inserted else changed).add(event_id_)
    return created, changed


async def persist_batch(conn: AsyncConnection, batch: Sequence[ArticleParsed]) -> int:
    """Upsert articles, actors, events, links and sources, and record what changed.

    Returns the number of new source rows. A change row is written only for an event
    that really changed: `created` (new), `merged` (a new article's source joined),
    `updated` (higher confidence, a filled-in amount or product, or a new actor).
    """
    if not batch:
        return 0
    article_rows = {m.article_id: _article_row(m) for m in batch}
    await conn.execute(
        insert(articles).on_conflict_do_nothing(),
        [article_rows[k] for k in sorted(article_rows)],
    )
    actor_rows = _actor_rows(batch)
    renamed = await _upsert_actors(conn, actor_rows) if actor_rows else []
    pairs = [(m, ev) for m in batch for ev in m.events]
    if not pairs:
        await _render_docs(conn, set(), renamed)
        return 0
    event_rows: dict[uuid.UUID, dict[str, Any]] = {}
    for _, ev in pairs:  # one article's report completes another's within a batch too
        row = _event_row(ev)
        known = event_rows.get(ev.event_id)
        event_rows[ev.event_id] = row if known is None else merge_event_rows(known, row)
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
    changed = await _record(conn, created, raised, set(new_sources), new_links)
    await _render_docs(conn, changed, renamed)
    return len(new_sources)


async def _render_docs(
    conn: AsyncConnection, changed: set[uuid.UUID], renamed: Sequence[str]
) -> None:
    """Re-render the stored JSON of every event this batch changed, in one statement.

    `events.doc` is what a timeline page serves (migration 0003's `newsline_event_doc`,
    also what rendered the events stored before it). The changed events are already
    locked by this transaction's writes. A renamed actor (curation) re-renders every
    event naming it: rare, but a hot actor's is 150k rows in this transaction.
    """
    if not changed and not renamed:
        return
    stmt = sa.update(events).values(doc=sa.func.newsline_event_doc(events.c.id))
    ids = sa.cast(sorted(changed), ARRAY(UUID(as_uuid=True)))
    where = events.c.id == sa.any_(ids)
    if renamed:
        where = sa.or_(where, events.c.id.in_(
            sa.select(event_actors.c.event_id).where(event_actors.c.actor_slug.in_(renamed))
        ))
    await conn.execute(stmt.where(where))


async def _record(
    conn: AsyncConnection,
    created: set[uuid.UUID],
    raised: set[uuid.UUID],
    sourced: set[uuid.UUID],
    new_links: Sequence[sa.Row[Any]],
) -> set[uuid.UUID]:
    """Record a change per changed event (and the actors' stats); return those events."""
    kinds: dict[uuid.UUID, str] = {}
    for ev_id in {*raised, *sourced, *(link.event_id for link in new_links)}:
        kinds[ev_id] = "merged" if ev_id in sourced else "updated"
    kinds.update(dict.fromkeys(created, "created"))
    if not kinds:
        return set()  # a replay: nothing changed, nothing to tell pollers
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
    return set(kinds)
