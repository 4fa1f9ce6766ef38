"""The raw baselines the write path is measured against, from plain asyncpg.

`raw_baseline`: the `INSERT ... SELECT unnest(...)` upsert of the events with their actor
links (../shared/notes/performance-baselines.md), the goal's denominator.
`raw_all_tables`: the same rows written to the seven tables the consumer writes (the
consumer's ratio to it is what its own logic costs). `backend_ticks` reads a local
PostgreSQL backend's CPU, for the per-batch figures here and in pipeline_ab.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from api_db import plain_dsn

from newsline_contracts import ArticleParsed
from newsline_db import PRECISION_RANK


async def raw_baseline(db_url: str, batch: list[ArticleParsed],
                       per_tx: int = 100) -> dict[str, Any]:
    """asyncpg unnest upserts of the same events and their actor links, 100 articles a tx."""
    conn = await asyncpg.connect(plain_dsn(db_url))
    await conn.execute("""
        DROP TABLE IF EXISTS raw_links, raw_events;
        CREATE TABLE raw_events (id uuid PRIMARY KEY, merge_key text UNIQUE NOT NULL,
            type text NOT NULL, date date NOT NULL, doc jsonb NOT NULL);
        CREATE TABLE raw_links (event_id uuid REFERENCES raw_events(id), actor_slug text,
            date date NOT NULL, PRIMARY KEY (event_id, actor_slug));
        CREATE INDEX ON raw_links (actor_slug, date, event_id);
    """)
    started = time.perf_counter()
    for i in range(0, len(batch), per_tx):
        events = {e.event_id: e for m in batch[i:i + per_tx] for e in m.events}
        links = {(e.event_id, a.slug): e.date for e in events.values() for a in e.actors}
        async with conn.transaction():
            await conn.execute("""
                INSERT INTO raw_events SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[],
                    $4::date[], $5::jsonb[]) ON CONFLICT DO NOTHING""",
                list(events), [e.merge_key for e in events.values()],
                [e.type for e in events.values()], [e.date for e in events.values()],
                [e.model_dump_json() for e in events.values()])
            await conn.execute("""
                INSERT INTO raw_links SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[])
                ON CONFLICT DO NOTHING""",
                [k[0] for k in links], [k[1] for k in links], list(links.values()))
    seconds = time.perf_counter() - started
    stored = await conn.fetchval("SELECT count(*) FROM raw_events")
    await conn.execute("DROP TABLE raw_links, raw_events")
    await conn.close()
    return {"events": stored, "seconds": round(seconds, 2), "events_per_s": round(stored / seconds)}


# raw_all_tables: the seven tables the consumer writes, from plain asyncpg. Rows go as
# one JSON array per table (json_to_recordset) or unnest of arrays, as the store's do.
_RAW_ARTICLES = """
INSERT INTO articles (id, content_hash, title, url, source, language, published_at,
                      received_at, text)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::timestamptz[], $9::text[])
ON CONFLICT (id) DO NOTHING"""
_RAW_ACTORS = """
INSERT INTO actors (slug, name, kind, parent_slug, reviewed, aliases)
SELECT v.slug, v.name, v.kind, v.parent_slug, v.reviewed,
       ARRAY(SELECT json_array_elements_text(v.aliases))
FROM json_to_recordset($1::json) AS v(slug text, name text, kind text, parent_slug text,
                                      reviewed bool, aliases json)
ON CONFLICT (slug) DO NOTHING"""
_RAW_EVENTS = """
INSERT INTO events AS e (id, merge_key, type, subtype, date, date_precision, date_basis,
                         precision_rank, quantity_value, quantity_unit, product, summary,
                         confidence, extractor_version, doc)
SELECT * FROM ROWS FROM (
    json_to_recordset($1::json) AS (id uuid, merge_key text, type text, subtype text,
        date date, date_precision text, date_basis text, precision_rank smallint,
        quantity_value float8, quantity_unit text, product text, summary text,
        confidence float8, extractor_version text),
    unnest($2::text[]))
ON CONFLICT (id) DO UPDATE SET confidence = excluded.confidence, updated_at = now()
WHERE excluded.confidence > e.confidence
RETURNING id, xmax = 0 AS inserted, first_seen_seq"""
_RAW_LINKS = """
INSERT INTO event_actors (event_id, actor_slug, role, date, precision_rank, first_seen_seq)
SELECT v.event_id, v.actor_slug, v.role, v.date, v.precision_rank,
       coalesce(v.first_seen_seq, (SELECT e.first_seen_seq FROM events e WHERE e.id = v.event_id))
FROM json_to_recordset($1::json) AS v(event_id uuid, actor_slug text, role text, date date,
                                      precision_rank smallint, first_seen_seq bigint)
ON CONFLICT DO NOTHING
RETURNING actor_slug, date"""
_RAW_SOURCES = """
INSERT INTO event_sources (event_id, article_id, language, evidence_text, evidence_start,
                           evidence_end, confidence, date, date_precision, date_basis,
                           quantity_value, quantity_unit, product, actors, extractor_version)
SELECT * FROM json_to_recordset($1::json) AS v(event_id uuid, article_id uuid,
    language text, evidence_text text, evidence_start int, evidence_end int,
    confidence float8, date date, date_precision text, date_basis text,
    quantity_value float8, quantity_unit text, product text, actors jsonb,
    extractor_version text)
ON CONFLICT DO NOTHING
RETURNING event_id"""
_RAW_DOCS = """
UPDATE events e SET doc = v.doc, updated_at = now()
FROM unnest($1::uuid[], $2::text[]) AS v(id, doc) WHERE e.id = v.id"""
_RAW_CHANGES = """
INSERT INTO changes (event_id, kind, actors)
SELECT v.event_id, v.kind, ARRAY(SELECT json_array_elements_text(v.actors))
FROM json_to_recordset($1::json) AS v(event_id uuid, kind text, actors json)
RETURNING id"""
_RAW_STATS = """
INSERT INTO actor_stats AS s (actor_slug, event_count, latest_event_date, last_change_id)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::date[], $4::bigint[])
ON CONFLICT (actor_slug) DO UPDATE SET
    event_count = s.event_count + excluded.event_count,
    latest_event_date = greatest(s.latest_event_date, excluded.latest_event_date),
    last_change_id = greatest(s.last_change_id, excluded.last_change_id)"""


def backend_ticks(pid: int) -> int | None:
    """utime + stime of a local PostgreSQL backend (clock ticks), None if not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


async def raw_all_tables(db_url: str, batch: list[ArticleParsed],
                         per_tx: int = 100) -> dict[str, Any]:
    """The fair ceiling: the seven tables the consumer writes, for the same rows, from
    plain asyncpg (one statement per table, 100 articles a transaction, into the
    migrated schema with its indexes): articles with their text, actors, events with a
    document, links, sources with evidence, the documents of events a batch adds a
    source to, the change feed (under its advisory lock) and actor_stats. No curation,
    merge rules or read model: the consumer's rate over this one is what its Python
    costs. PostgreSQL's backend CPU is read from /proc when the server is local."""

    from newsline_db.feed import CHANGE_FEED_LOCK

    conn = await asyncpg.connect(plain_dsn(db_url))
    pid = await conn.fetchval("SELECT pg_backend_pid()")
    ticks0 = backend_ticks(pid)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(batch), per_tx):
        chunk = batch[i:i + per_tx]
        arts = sorted({m.article_id: m for m in chunk}.items())
        actors: dict[str, dict[str, Any]] = {}
        for m in chunk:
            for a in m.actors:
                actors.setdefault(a.slug, {"slug": a.slug, "name": a.name, "kind": a.kind,
                                           "parent_slug": a.parent, "reviewed": a.reviewed,
                                           "aliases": list(a.aliases)})
            for e in m.events:
                for ea in e.actors:
                    actors.setdefault(ea.slug, {"slug": ea.slug, "name": ea.name,
                                                "kind": "company", "parent_slug": None,
                                                "reviewed": False, "aliases": []})
        events = dict(sorted({e.event_id: e for m in chunk for e in m.events}.items()))
        event_rows = [{
            "id": e.event_id, "merge_key": e.merge_key, "type": e.type, "subtype": e.subtype,
            "date": e.date, "date_precision": e.date_precision, "date_basis": e.date_basis,
            "precision_rank": PRECISION_RANK[e.date_precision],
            "quantity_value": e.quantity.value if e.quantity else None,
            "quantity_unit": e.quantity.unit if e.quantity else None, "product": e.product,
            "summary": e.summary, "confidence": e.confidence,
            "extractor_version": e.extractor_version} for e in events.values()]
        docs = {k: e.model_dump_json() for k, e in events.items()}
        sources = sorted({(e.event_id, m.article_id): (m, e) for m in chunk
                          for e in m.events}.items(), key=lambda kv: (str(kv[0][0]),
                                                                      str(kv[0][1])))
        source_rows = [{
            "event_id": e.event_id, "article_id": m.article_id, "language": m.language,
            "evidence_text": e.evidence.text, "evidence_start": e.evidence.start,
            "evidence_end": e.evidence.end, "confidence": e.confidence, "date": e.date,
            "date_precision": e.date_precision, "date_basis": e.date_basis,
            "quantity_value": e.quantity.value if e.quantity else None,
            "quantity_unit": e.quantity.unit if e.quantity else None, "product": e.product,
            "actors": [{"slug": a.slug, "name": a.name, "role": a.role} for a in e.actors],
            "extractor_version": e.extractor_version} for (_, _), (m, e) in sources]
        async with conn.transaction():
            await conn.execute(_RAW_ARTICLES, *(list(col) for col in zip(*[
                (m.article_id, m.content_hash, m.title, m.url, m.source, m.language,
                 m.published_at, m.received_at, m.text) for _, m in arts], strict=True)))
            await conn.execute(_RAW_ACTORS, orjson.dumps(
                [actors[k] for k in sorted(actors)]).decode())
            upserted = await conn.fetch(_RAW_EVENTS, orjson.dumps(event_rows).decode(),
                                        list(docs.values()))
            seq = {r["id"]: r["first_seen_seq"] for r in upserted}
            created = {r["id"] for r in upserted if r["inserted"]}
            links = sorted({(e.event_id, a.slug): (e, a) for e in events.values()
                            for a in e.actors}.items())
            new_links = await conn.fetch(_RAW_LINKS, orjson.dumps([{
                "event_id": e.event_id, "actor_slug": a.slug, "role": a.role, "date": e.date,
                "precision_rank": PRECISION_RANK[e.date_precision],
                "first_seen_seq": seq.get(e.event_id)} for _, (e, a) in links]).decode())
            gained = {r["event_id"] for r in await conn.fetch(
                _RAW_SOURCES, orjson.dumps(source_rows).decode())}
            merged = sorted(gained - created)
            await conn.execute(_RAW_DOCS, merged, [docs[k] for k in merged])
            kinds = {k: "created" for k in created} | {k: "merged" for k in merged}
            await conn.execute("SELECT pg_advisory_xact_lock($1)", CHANGE_FEED_LOCK)
            ids = await conn.fetch(_RAW_CHANGES, orjson.dumps([{
                "event_id": str(k), "kind": kinds[k],
                "actors": sorted({a.slug for a in events[k].actors})}
                for k in sorted(kinds, key=str)]).decode())
            stats: dict[str, list[Any]] = {}
            for link in new_links:
                count, latest = stats.get(link["actor_slug"], (0, link["date"]))
                stats[link["actor_slug"]] = [count + 1, max(latest, link["date"])]
            last = max((r["id"] for r in ids), default=0)
            slugs = sorted(stats)
            await conn.execute(_RAW_STATS, slugs, [stats[k][0] for k in slugs],
                               [stats[k][1] for k in slugs], [last] * len(slugs))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ticks1 = backend_ticks(pid)
    counts = {t: await conn.fetchval(f"SELECT count(*) FROM {t}")
              for t in ("articles", "actors", "events", "event_actors", "event_sources",
                        "changes", "actor_stats")}
    await conn.close()
    per_100 = len(batch) / per_tx
    pg_cpu = None
    if ticks0 is not None and ticks1 is not None:
        pg_cpu = round((ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") * 1000 / per_100, 1)
    return {"events": counts["events"], "seconds": round(seconds, 2),
            "events_per_s": round(counts["events"] / seconds),
            "wall_ms_per_100_articles": round(seconds * 1000 / per_100, 1),
            "python_cpu_ms_per_100_articles": round(cpu * 1000 / per_100, 1),
            "pg_backend_cpu_ms_per_100_articles": pg_cpu, "rows": counts}
