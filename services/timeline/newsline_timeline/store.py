"""Persist a batch of `ArticleParsed` messages in one transaction, idempotently.

Every write is an upsert keyed by a deterministic id, so a redelivered batch
(at-least-once on the wire) changes nothing: exactly-once in effect. Writes are
set-based: one `INSERT ... SELECT` per table from the batch's rows (`unnest` of arrays, or
`json_to_recordset` of one JSON array for the big row sets), sorted by key so concurrent
consumers lock in the same order. Every statement touches only
the batch's own rows, so a batch costs the same on an empty database and a full one.
A new event is inserted with its document, so it is written once and never read
back; only events that existed before the batch are read and their documents folded.
The rules (rows, merging, curation, change kinds, the event document) are pure and
live in `rules.py`, `born.py` and `newsline_read_model`; this module only runs the SQL
of `statements.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson
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
from newsline_timeline import statements as sql
from newsline_timeline.retraction import withdraw_stale


def _json_rows(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> str:
    """`rows` as one JSON array of objects with `names`, for `json_to_recordset`."""
    return orjson.dumps([{name: row[name] for name in names} for row in rows]).decode()


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
    await pg.execute(sql.ARTICLES, *_columns([r for _, r in articles], (
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
    upserted = await pg.fetch(
        sql.EVENTS, _json_rows(ordered, sql.EVENT_FIELDS),
        [row["quantity_value"] for row in ordered],
        [born.born_document(row, now, actors_of[row["id"]], sources_of[row["id"]]).decode()
         for row in ordered])
    created = {r["id"] for r in upserted if r["inserted"]}
    raised = {r["id"] for r in upserted if not r["inserted"]}
    seq = {r["id"]: r["first_seen_seq"] for r in upserted}
    link_rows = [{"event_id": ev.event_id, "actor_slug": a.slug, "role": a.role, "date": ev.date,
                  "precision_rank": PRECISION_RANK[ev.date_precision],
                  "first_seen_seq": seq.get(ev.event_id)} for _, (ev, a) in links]
    new_links = await pg.fetch(sql.LINKS, _json_rows(link_rows, sql.LINK_FIELDS))
    source_rows = [rules.source_row(m, ev) for _, (m, ev) in sources]
    inserted = await pg.fetch(
        sql.SOURCES, _json_rows(source_rows, sql.SOURCE_FIELDS),
        [row["quantity_value"] for row in source_rows])
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
    for r in await pg.fetch(sql.KNOWN_ACTORS, [row["slug"] for row in rows]):
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
        await pg.execute(sql.ACTORS, *columns,
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
    rows = await pg.fetch(sql.EVENT_STATE, ids)
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
