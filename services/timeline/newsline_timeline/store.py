"""Persist a batch of `ArticleParsed` messages in one transaction, idempotently.

Every write is an upsert keyed by a deterministic id, so a redelivered batch
(at-least-once on the wire) changes nothing: exactly-once in effect. Writes are
set-based: one `INSERT ... SELECT FROM unnest(...)` per table, with the rows sorted
by key so concurrent consumers lock in the same order. Every statement touches only
the batch's own rows, so a batch costs the same on an empty database and a full one.
A new event is inserted with its document, so it is written once and never read
back; only events that existed before the batch are read and their documents folded.
The rules (rows, merging, curation, change kinds, the event document) are pure and
live in `rules.py`, `born.py` and `newsline_read_model`; this module only runs SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_contracts import ArticleParsed
from newsline_db import PRECISION_RANK, documents
from newsline_db.feed import ChangeDraft, StatDelta, driver, record_changes
from newsline_read_model import (
    SOURCES_IN_PAGE,
    EventActorPublic,
    EventPublic,
    SourcePublic,
    fold,
)
from newsline_read_model import renamed as rename_actor
from newsline_timeline import born, rules
from newsline_timeline.retraction import withdraw_stale

_ARTICLES = """
INSERT INTO articles (id, content_hash, title, url, source, language, published_at,
                      received_at, text)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::timestamptz[], $9::text[])
ON CONFLICT DO NOTHING
"""

_KNOWN_ACTORS = "SELECT slug, reviewed, aliases, name FROM actors WHERE slug = ANY($1::text[])"

# A curated entry (reviewed) wins over an earlier unreviewed guess; aliases accumulate.
# Rows change only when one of those applies, so a replay rewrites nothing.
_ACTORS = """
INSERT INTO actors AS a (slug, name, kind, parent_slug, reviewed, aliases)
SELECT v.slug, v.name, v.kind, v.parent_slug, v.reviewed,
       ARRAY(SELECT jsonb_array_elements_text(v.aliases))
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::jsonb[])
    AS v(slug, name, kind, parent_slug, reviewed, aliases)
ON CONFLICT (slug) DO UPDATE SET
    name = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.name ELSE a.name END,
    kind = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.kind ELSE a.kind END,
    parent_slug = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.parent_slug
                       ELSE a.parent_slug END,
    reviewed = a.reviewed OR excluded.reviewed,
    aliases = ARRAY(SELECT DISTINCT x FROM unnest(a.aliases || excluded.aliases) AS x ORDER BY x)
WHERE (excluded.reviewed AND NOT a.reviewed) OR NOT (a.aliases @> excluded.aliases)
"""

# Same rule as rules.merge_event_rows, against the stored row. Only a real gain
# touches an existing row (and its updated_at): a replay returns nothing. `xmax = 0`
# tells an insert. ON CONFLICT DO UPDATE locks every conflicting row, even when the
# WHERE is false: the batch's events are locked, in key order, from here to commit.
_GAINS = """(excluded.confidence > e.confidence
    OR (e.quantity_value IS NULL AND excluded.quantity_value IS NOT NULL)
    OR (e.product IS NULL AND excluded.product IS NOT NULL)
    OR (e.subtype IS NULL AND excluded.subtype IS NOT NULL))"""
# A new event is inserted with its document (`doc`, rendered from this batch alone), so
# it is written once; an existing one keeps its document here and gets it folded below.
_EVENTS = f"""
INSERT INTO events AS e (id, merge_key, type, date, date_precision, date_basis,
                         precision_rank, quantity_value, quantity_unit, product, summary,
                         confidence, extractor_version, subtype, doc)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
                     $7::smallint[], $8::float8[], $9::text[], $10::text[], $11::text[],
                     $12::float8[], $13::text[], $14::text[], $15::text[])
ON CONFLICT (id) DO UPDATE SET
    subtype = coalesce(e.subtype, excluded.subtype),
    confidence = greatest(e.confidence, excluded.confidence),
    quantity_value = coalesce(e.quantity_value, excluded.quantity_value),
    quantity_unit = CASE WHEN e.quantity_value IS NULL THEN excluded.quantity_unit
                         ELSE e.quantity_unit END,
    product = coalesce(e.product, excluded.product),
    summary = CASE WHEN (e.quantity_value IS NULL AND excluded.quantity_value IS NOT NULL)
                     OR (e.product IS NULL AND excluded.product IS NOT NULL)
                   THEN excluded.summary ELSE e.summary END,
    updated_at = now()
WHERE {_GAINS}
RETURNING e.id, xmax = 0 AS inserted, e.first_seen_seq
"""

# Read only for events that existed before the batch and changed in it (their rows are
# locked since the upsert): the facts and document to fold the batch into.
_EVENT_STATE = """
SELECT id, type, subtype, date, date_precision, date_basis, quantity_value, quantity_unit,
       product, summary, confidence, first_seen_at, updated_at, doc
FROM events WHERE id = ANY($1::uuid[])
"""

# The link row carries the event's sort key; an event the batch did not insert (and did
# not raise) has its first_seen_seq looked up here instead of read back beforehand.
_LINKS = """
INSERT INTO event_actors (event_id, actor_slug, role, date, precision_rank, first_seen_seq)
SELECT v.event_id, v.actor_slug, v.role, v.date, v.precision_rank,
       coalesce(v.seq, (SELECT e.first_seen_seq FROM events e WHERE e.id = v.event_id))
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::smallint[], $6::bigint[])
    AS v(event_id, actor_slug, role, date, precision_rank, seq)
ON CONFLICT DO NOTHING
RETURNING event_id, actor_slug, date
"""

_SOURCES = """
INSERT INTO event_sources (event_id, article_id, language, evidence_text, evidence_start,
                           evidence_end, confidence, date, date_precision, date_basis,
                           quantity_value, quantity_unit, product, actors, extractor_version)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[],
                     $7::float8[], $8::date[], $9::text[], $10::text[], $11::float8[],
                     $12::text[], $13::text[], $14::jsonb[], $15::text[])
ON CONFLICT DO NOTHING
RETURNING event_id, article_id
"""

def _columns(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> list[list[Any]]:
    return [[row[name] for row in rows] for name in names]


async def persist_batch(conn: AsyncConnection, batch: Sequence[ArticleParsed]) -> int:
    """Upsert articles, actors, events, links and sources, and record what changed.

    Returns the number of new source rows. A change row is written only for an event
    that really changed (rules.classify); the change feed's lock is taken last.
    """
    if not batch:
        return 0
    # The first statement opens the transaction the driver-level statements join.
    now: dt.datetime = (await conn.execute(sa.select(sa.func.now()))).scalar_one()
    pg = await driver(conn)
    await withdraw_stale(conn, batch)  # re-extracted articles: what they no longer say
    articles = sorted({m.article_id: rules.article_row(m) for m in batch}.items())
    await pg.execute(_ARTICLES, *_columns([r for _, r in articles], (
        "id", "content_hash", "title", "url", "source", "language", "published_at",
        "received_at", "text")))
    names, renamed = await _upsert_actors(pg, rules.actor_rows(batch))
    await _rename_in_documents(conn, renamed, names)
    pairs = [(m, ev) for m in batch for ev in m.events]
    if not pairs:
        return 0
    event_rows: dict[uuid.UUID, dict[str, Any]] = {}
    for _, ev in pairs:  # one article's report completes another's within a batch too
        row = rules.event_row(ev)
        known = event_rows.get(ev.event_id)
        event_rows[ev.event_id] = row if known is None else rules.merge_event_rows(known, row)
    links = sorted({(ev.event_id, a.slug): (ev, a) for _, ev in pairs for a in ev.actors}.items())
    sources = sorted({(ev.event_id, m.article_id): (m, ev) for m, ev in pairs}.items(),
                     key=lambda kv: (str(kv[0][0]), str(kv[0][1])))
    # What the batch says of each event, as its document shows it (plain dicts: models
    # are built only for the few events that existed before, see _fold_documents).
    actors_of: dict[uuid.UUID, list[dict[str, str]]] = defaultdict(list)
    for (event_id, slug), (_, a) in links:
        actors_of[event_id].append({"slug": slug, "name": names.get(slug, slug), "role": a.role})
    sources_of: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for (event_id, _), (m, ev) in sources:
        sources_of[event_id].append(born.source_fields(m, ev))
    ordered = [event_rows[k] for k in sorted(event_rows)]
    upserted = await pg.fetch(_EVENTS, *_columns(ordered, (
        "id", "merge_key", "type", "date", "date_precision", "date_basis", "precision_rank",
        "quantity_value", "quantity_unit", "product", "summary", "confidence",
        "extractor_version", "subtype")),
        [born.born_document(row, now, actors_of[row["id"]], sources_of[row["id"]]).decode()
         for row in ordered])
    created = {r["id"] for r in upserted if r["inserted"]}
    raised = {r["id"] for r in upserted if not r["inserted"]}
    seq = {r["id"]: r["first_seen_seq"] for r in upserted}
    link_rows = [{"event_id": ev.event_id, "actor_slug": a.slug, "role": a.role, "date": ev.date,
                  "precision_rank": PRECISION_RANK[ev.date_precision],
                  "first_seen_seq": seq.get(ev.event_id)} for _, (ev, a) in links]
    new_links = await pg.fetch(_LINKS, *_columns(link_rows, (
        "event_id", "actor_slug", "role", "date", "precision_rank", "first_seen_seq")))
    source_rows = [rules.source_row(m, ev) for _, (m, ev) in sources]
    inserted = await pg.fetch(_SOURCES, *_columns(source_rows, (
        "event_id", "article_id", "language", "evidence_text", "evidence_start", "evidence_end",
        "confidence", "date", "date_precision", "date_basis", "quantity_value", "quantity_unit",
        "product", "actors", "extractor_version")))
    new_sources = {(r["event_id"], r["article_id"]) for r in inserted}
    kinds = rules.classify(created, raised, {e for e, _ in new_sources},
                           {link["event_id"] for link in new_links})
    if not kinds:
        return 0  # a replay: nothing changed, nothing to tell pollers
    # Events that existed before the batch: fold what it added into their documents.
    new_link_keys = {(link["event_id"], link["actor_slug"]) for link in new_links}
    existing = sorted(k for k in kinds if k not in created)
    docs = await _fold_documents(
        conn, pg, existing, now,
        {k: [EventActorPublic(**a) for a in actors_of[k] if (k, a["slug"]) in new_link_keys]
         for k in existing},
        {k: [SourcePublic.model_validate(s) for s in sources_of[k]
             if (k, s["article_id"]) in new_sources] for k in existing})
    await documents.write_documents(pg, docs, now)
    deltas: dict[str, StatDelta] = defaultdict(StatDelta)
    for link in new_links:
        delta = deltas[link["actor_slug"]]
        delta.count += 1
        delta.latest = max(filter(None, (delta.latest, link["date"])))
    slugs = {k: tuple(sorted({a["slug"] for a in actors_of[k]})) for k in created}
    slugs |= {d.id: tuple(sorted(a.slug for a in d.actors)) for d in docs}
    drafts = [ChangeDraft(k, kinds[k], slugs[k]) for k in sorted(kinds, key=str)]
    await record_changes(conn, drafts, deltas)
    return len(new_sources)


async def _upsert_actors(
    pg: Any, rows: list[dict[str, Any]]
) -> tuple[dict[str, str], list[str]]:
    """Write the actor rows that change something; (name per slug, slugs renamed)."""
    # ON CONFLICT ... DO UPDATE ... WHERE locks the conflicting row even when the
    # WHERE is false, so concurrent consumers queued on busy actors. Read first
    # (no lock) and write only what would change.
    known: dict[str, tuple[bool, list[str]]] = {}
    names: dict[str, str] = {}
    for r in await pg.fetch(_KNOWN_ACTORS, [row["slug"] for row in rows]):
        known[r["slug"]], names[r["slug"]] = (r["reviewed"], list(r["aliases"])), r["name"]
    to_write = rules.actor_rows_to_write(rows, known)
    renamed = []
    for row in to_write:
        if row["slug"] not in known or rules.curates(row, known):
            if row["slug"] in names and row["name"] != names[row["slug"]]:
                renamed.append(row["slug"])
            names[row["slug"]] = row["name"]
    if to_write:
        columns = _columns(to_write, ("slug", "name", "kind", "parent_slug", "reviewed"))
        await pg.execute(_ACTORS, *columns,
                         [json.dumps(row["aliases"], ensure_ascii=False) for row in to_write])
    return names, renamed


async def _fold_documents(
    conn: AsyncConnection,
    pg: Any,
    ids: list[uuid.UUID],
    now: dt.datetime,
    actors_added: dict[uuid.UUID, list[EventActorPublic]],
    added: dict[uuid.UUID, list[SourcePublic]],
) -> list[EventPublic]:
    """Each changed event's document, folded from the one it had and what the batch added.

    No event's other sources are read, however many it has. An event stored without a
    document (by another writer) gets one full render from its stored sources.
    """
    if not ids:
        return []
    rows = await pg.fetch(_EVENT_STATE, ids)
    full = await documents.load_documents(conn, [r["id"] for r in rows if r["doc"] is None],
                                          SOURCES_IN_PAGE)
    docs = []
    for row in rows:
        if row["id"] in full:
            docs.append(full[row["id"]].model_copy(update={"updated_at": now}))
            continue
        facts = documents.facts(dict(row) | {"updated_at": now})
        docs.append(fold(EventPublic.model_validate_json(row["doc"]), facts,
                         actors_added[row["id"]], added[row["id"]]))
    return docs


async def _rename_in_documents(
    conn: AsyncConnection, renamed: Sequence[str], names: dict[str, str]
) -> None:
    """A curated entry renames an unreviewed guess: patch the documents naming it.

    Rare (curation), but a hot actor's events are many: patched in chunks of
    primary-key lookups, no sources read.
    """
    if not renamed:
        return
    pg = await driver(conn)
    ids = sorted(r["event_id"] for r in await pg.fetch(
        "SELECT DISTINCT event_id FROM event_actors WHERE actor_slug = ANY($1::text[])",
        list(renamed)))
    for chunk in range(0, len(ids), 1000):
        rows = await pg.fetch(
            "SELECT id, doc FROM events WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE",
            ids[chunk:chunk + 1000])
        patched = []
        for row in rows:
            if row["doc"] is None:
                continue
            doc = EventPublic.model_validate_json(row["doc"])
            for slug in renamed:
                doc = rename_actor(doc, slug, names[slug])
            patched.append(doc)
        await documents.write_documents(pg, patched)
