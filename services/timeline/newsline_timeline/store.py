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
from newsline_db import (
    PRECISION_RANK,
    actors,
    articles,
    documents,
    event_actors,
    event_sources,
    events,
)
from newsline_db.feed import ChangeDraft, StatDelta, record_changes
from newsline_read_model import (
    SOURCES_IN_PAGE,
    EventActorPublic,
    EventPublic,
    EvidencePublic,
    QuantityPublic,
    SourcePublic,
    fold,
)
from newsline_read_model import renamed as rename_actor


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
    Every statement touches only the batch's own rows, so a batch costs the same on an
    empty database and a full one; the change feed's lock is taken last.
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
    await _rename_in_documents(conn, renamed)
    pairs = [(m, ev) for m in batch for ev in m.events]
    if not pairs:
        return 0
    event_rows: dict[uuid.UUID, dict[str, Any]] = {}
    for _, ev in pairs:  # one article's report completes another's within a batch too
        row = _event_row(ev)
        known = event_rows.get(ev.event_id)
        event_rows[ev.event_id] = row if known is None else merge_event_rows(known, row)
    # The upsert locks every event row of the batch, in key order (ON CONFLICT DO
    # UPDATE locks a conflicting row even when its WHERE is false): the documents
    # read and rewritten below cannot change under this transaction.
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
            .returning(event_actors.c.event_id, event_actors.c.actor_slug, event_actors.c.date,
                       event_actors.c.role),
            [link_rows[k] for k in sorted(link_rows)],
        )
    ).all()
    source_rows = {(ev.event_id, m.article_id): _source_row(m, ev) for m, ev in pairs}
    result = await conn.execute(
        insert(event_sources).on_conflict_do_nothing().returning(
            event_sources.c.event_id, event_sources.c.article_id),
        [source_rows[k] for k in sorted(source_rows, key=str)],
    )
    new_sources = {(row[0], row[1]) for row in result.all()}
    kinds = _classify(created, raised, {ev_id for ev_id, _ in new_sources}, new_links)
    if not kinds:
        return 0  # a replay: nothing changed, nothing to tell pollers
    touched = sorted(set(kinds) - created - raised)
    if touched:  # a new source or actor changes what the event shows
        await conn.execute(
            sa.update(events).where(events.c.id.in_(touched)).values(updated_at=sa.func.now())
        )
    added = {key: _source_public(m, ev) for (m, ev) in pairs
             if (key := (ev.event_id, m.article_id)) in new_sources}
    await _fold_documents(conn, sorted(kinds), created, new_links, added)
    await _record(conn, kinds, new_links)
    return len(new_sources)


def _source_public(msg: ArticleParsed, ev: EventExtracted) -> SourcePublic:
    return SourcePublic(
        article_id=msg.article_id, title=msg.title, url=msg.url, source=msg.source,
        language=msg.language, published_at=msg.published_at,
        evidence=EvidencePublic(text=ev.evidence.text, start=ev.evidence.start,
                                end=ev.evidence.end),
        quantity=QuantityPublic(value=ev.quantity.value, unit=ev.quantity.unit)
        if ev.quantity else None,
        confidence=ev.confidence,
    )


async def _fold_documents(
    conn: AsyncConnection,
    ids: list[uuid.UUID],
    created: set[uuid.UUID],
    new_links: Sequence[sa.Row[Any]],
    added: dict[tuple[uuid.UUID, uuid.UUID], SourcePublic],
) -> None:
    """Bring the stored document of each changed event up to date from what the batch added.

    Reads each changed event's row and previous document (primary-key lookups), folds
    in the new actors and sources, and writes the documents back: no event's other
    sources are read, however many it has.
    """
    rows = (await conn.execute(documents.facts_select(ids))).mappings().all()
    names = dict((await conn.execute(
        sa.select(actors.c.slug, actors.c.name).where(
            actors.c.slug.in_({link.actor_slug for link in new_links}))
    )).all()) if new_links else {}
    links: dict[uuid.UUID, list[EventActorPublic]] = defaultdict(list)
    for link in new_links:
        links[link.event_id].append(EventActorPublic(
            slug=link.actor_slug, name=names.get(link.actor_slug, link.actor_slug),
            role=link.role))
    sources: dict[uuid.UUID, list[SourcePublic]] = defaultdict(list)
    for (event_id, _), source in added.items():
        sources[event_id].append(source)
    # An event stored without a document (by another writer) gets one full render.
    unrendered = [row["id"] for row in rows if row["doc"] is None and row["id"] not in created]
    full = await documents.load_documents(conn, unrendered, SOURCES_IN_PAGE)
    docs = []
    for row in rows:
        if row["id"] in full:
            doc = full[row["id"]]
        else:
            previous = EventPublic.model_validate_json(row["doc"]) if row["doc"] else None
            doc = fold(previous, documents.facts(row), links.get(row["id"], []),
                       sources.get(row["id"], []))
        docs.append({"b_id": row["id"], "b_doc": doc.model_dump_json()})
    await _write_documents(conn, docs)


async def _write_documents(conn: AsyncConnection, docs: list[dict[str, Any]]) -> None:
    if docs:
        await conn.execute(
            sa.update(events).where(events.c.id == sa.bindparam("b_id"))
            .values(doc=sa.bindparam("b_doc")),
            sorted(docs, key=lambda d: d["b_id"]),
        )


async def _rename_in_documents(conn: AsyncConnection, renamed: Sequence[str]) -> None:
    """A curated entry renames an unreviewed guess: patch the documents naming it.

    Rare (curation), but a hot actor's events are many: patched in chunks, each
    document rewritten, no sources read.
    """
    if not renamed:
        return
    names = dict((await conn.execute(
        sa.select(actors.c.slug, actors.c.name).where(actors.c.slug.in_(renamed)))).all())
    naming = (sa.select(event_actors.c.event_id)
              .where(event_actors.c.actor_slug.in_(renamed)).distinct())
    ids = sorted((await conn.execute(naming)).scalars().all())
    for chunk in range(0, len(ids), 1000):
        part = ids[chunk:chunk + 1000]
        rows = (await conn.execute(
            sa.select(events.c.id, events.c.doc).where(events.c.id.in_(part))
            .order_by(events.c.id).with_for_update())).all()
        docs = []
        for event_id, raw in rows:
            if raw is None:
                continue
            doc = EventPublic.model_validate_json(raw)
            for slug in renamed:
                doc = rename_actor(doc, slug, names[slug])
            docs.append({"b_id": event_id, "b_doc": doc.model_dump_json()})
        await _write_documents(conn, docs)


def _classify(
    created: set[uuid.UUID],
    raised: set[uuid.UUID],
    sourced: set[uuid.UUID],
    new_links: Sequence[sa.Row[Any]],
) -> dict[uuid.UUID, str]:
    """What happened to each event the batch changed: created, merged or updated."""
    kinds: dict[uuid.UUID, str] = {}
    for ev_id in {*raised, *sourced, *(link.event_id for link in new_links)}:
        kinds[ev_id] = "merged" if ev_id in sourced else "updated"
    kinds.update(dict.fromkeys(created, "created"))
    return kinds


async def _record(
    conn: AsyncConnection, kinds: dict[uuid.UUID, str], new_links: Sequence[sa.Row[Any]]
) -> None:
    """Record a change per changed event and the actors' stats: the transaction's tail."""
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
