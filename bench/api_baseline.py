"""The raw baseline: one bare ASGI endpoint, an asyncpg pool, orjson. No framework, no ORM.

`GET /timeline/{slug}?cursor=...` answers the same page the api's
`/v1/actors/{slug}/timeline` does: the same keyset query on the link row's sort key
(ix_event_actors_timeline), then the page's actors and sources, as JSON bytes.
Run: `uvicorn api_baseline:app --app-dir bench` with BENCH_DATABASE_URL set.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import orjson

LIMIT = 50

_PAGE = """
SELECT e.id, e.type, e.date, e.date_precision, e.date_basis, e.precision_rank,
       e.first_seen_seq, e.quantity_value, e.quantity_unit, e.product, e.summary,
       e.confidence, e.first_seen_at, e.updated_at
FROM (
    SELECT event_id, date, precision_rank, first_seen_seq FROM event_actors
    WHERE actor_slug = $1 {after}
    ORDER BY date, precision_rank, first_seen_seq, event_id LIMIT $2
) k JOIN events e ON e.id = k.event_id
ORDER BY k.date, k.precision_rank, k.first_seen_seq, k.event_id
"""
PAGE_FIRST = _PAGE.format(after="")
PAGE_AFTER = _PAGE.format(
    after="AND (date, precision_rank, first_seen_seq, event_id) > ($3, $4, $5, $6)"
)
ACTORS = """
SELECT ea.event_id, ea.actor_slug AS slug, a.name, ea.role
FROM event_actors ea JOIN actors a ON a.slug = ea.actor_slug
WHERE ea.event_id = ANY($1::uuid[])
ORDER BY ea.role <> 'subject', ea.role, ea.actor_slug
"""
SOURCES = """
SELECT s.event_id, s.article_id, a.title, a.url, a.source, s.language, a.published_at,
       s.evidence_text, s.evidence_start, s.evidence_end, s.quantity_value,
       s.quantity_unit, s.confidence
FROM event_sources s JOIN articles a ON a.id = s.article_id
WHERE s.event_id = ANY($1::uuid[])
ORDER BY s.event_id, s.confidence DESC, s.stored_at, s.article_id
"""


def _decode_cursor(cursor: str) -> tuple[dt.date, int, int, str]:
    date, rank, seq, event_id = json.loads(
        base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    )
    return dt.date.fromisoformat(date), rank, seq, str(uuid.UUID(event_id))


def _encode_cursor(row: asyncpg.Record) -> str:
    raw = json.dumps(
        [row["date"].isoformat(), row["precision_rank"], row["first_seen_seq"], str(row["id"])],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _quantity(row: asyncpg.Record) -> dict[str, Any] | None:
    if row["quantity_value"] is None or row["quantity_unit"] is None:
        return None
    return {"value": row["quantity_value"], "unit": row["quantity_unit"]}


async def page(pool: asyncpg.Pool, slug: str, cursor: str | None) -> bytes:
    """One timeline page as JSON bytes."""
    async with pool.acquire() as conn:
        if cursor:
            rows = await conn.fetch(PAGE_AFTER, slug, LIMIT + 1, *_decode_cursor(cursor))
        else:
            rows = await conn.fetch(PAGE_FIRST, slug, LIMIT + 1)
        rows, more = rows[:LIMIT], len(rows) > LIMIT
        ids = [row["id"] for row in rows]
        actor_rows = await conn.fetch(ACTORS, ids)
        source_rows = await conn.fetch(SOURCES, ids)
    actors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in actor_rows:
        actors[r["event_id"]].append({"slug": r["slug"], "name": r["name"], "role": r["role"]})
    sources: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in source_rows:
        sources[r["event_id"]].append(
            {
                "article_id": r["article_id"],
                "title": r["title"],
                "url": r["url"],
                "source": r["source"],
                "language": r["language"],
                "published_at": r["published_at"],
                "evidence": {
                    "text": r["evidence_text"],
                    "start": r["evidence_start"],
                    "end": r["evidence_end"],
                },
                "quantity": _quantity(r),
                "confidence": r["confidence"],
            }
        )
    data = []
    for row in rows:
        srcs = sources.get(row["id"], [])
        data.append(
            {
                "id": row["id"],
                "type": row["type"],
                "actors": actors.get(row["id"], []),
                "date": row["date"],
                "date_precision": row["date_precision"],
                "date_basis": row["date_basis"],
                "quantity": _quantity(row),
                "product": row["product"],
                "summary": row["summary"],
                "confidence": row["confidence"],
                "evidence": srcs[0]["evidence"] if srcs else None,
                "sources": srcs,
                "first_seen_at": row["first_seen_at"],
                "updated_at": row["updated_at"],
            }
        )
    next_cursor = _encode_cursor(rows[-1]) if more else None
    return orjson.dumps({"actor": slug, "data": data, "next_cursor": next_cursor})


_pool: asyncpg.Pool | None = None


async def _init(conn: asyncpg.Connection) -> None:
    # UUIDs as text: orjson serialises str natively (asyncpg's UUID type it does not).
    await conn.set_type_codec("uuid", encoder=str, decoder=str, schema="pg_catalog", format="text")


async def _send(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The ASGI entry point: lifespan opens the pool; one route."""
    global _pool
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _pool = await asyncpg.create_pool(
                    os.environ["BENCH_DATABASE_URL"], min_size=10, max_size=10, init=_init
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if _pool is not None:
                    await _pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    if scope["type"] != "http" or not path.startswith("/timeline/") or _pool is None:
        await _send(send, 404, b'{"error":"not_found"}')
        return
    query = parse_qs(scope["query_string"].decode())
    body = await page(_pool, path.removeprefix("/timeline/"), query.get("cursor", [None])[0])
    await _send(send, 200, body)
