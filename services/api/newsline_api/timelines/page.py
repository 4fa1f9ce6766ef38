"""Serve a timeline page (one actor's or several merged) with a version-derived ETag.

SQL-first: a 304 is one primary-key statement, and a one-actor page without filters is
one more (the only one when no If-None-Match was sent), whose events are the JSON
documents the store rendered at write time, joined by PostgreSQL (`queries`). They
run on the pooled connection's asyncpg driver directly (its statement cache prepares
them once per connection), skipping SQLAlchemy's per-statement work on the api's
hottest path. Filtered and merged pages find their keys with
SQLAlchemy (`timeline_keys`), then fetch the same documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson
from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.actors.shapes import ActorPublic
from newsline_api.cursor import encode_cursor
from newsline_api.errors import ApiError
from newsline_api.etag import etag_matches, json_answer, not_modified
from newsline_api.timelines import queries
from newsline_api.timelines.etags import actor_part, timeline_etag
from newsline_api.timelines.params import TimelineParams
from newsline_api.timelines.queries import TimelineFilters, family, timeline_keys
from newsline_vocabulary import TimelineKey

_NO_FILTERS = TimelineFilters()
# What a dropped or refused connection raises from asyncpg itself (SQLAlchemy would
# have wrapped it): the connection is discarded and the client gets the 503.
_CONNECTION_LOST = (
    OSError, asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.PostgresConnectionError, asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
)


async def _fetch(conn: AsyncConnection, sql: str, *args: Any) -> list[asyncpg.Record]:
    # Still SQLAlchemy's pooled connection: only the statement skips its layers.
    raw: Any = (await conn.get_raw_connection()).driver_connection
    try:
        rows: list[asyncpg.Record] = await raw.fetch(sql, *args)
    except _CONNECTION_LOST as exc:
        await conn.invalidate()
        raise ConnectionError(f"database connection lost: {exc!r}") from exc
    return rows


async def serve_timeline(
    conn: AsyncConnection, request: Request, roots: Sequence[str], params: TimelineParams,
    limit: int, if_none_match: str | None, *, merged: bool,
) -> Response:
    """The page, or 304 decided by primary-key lookups before any page query.

    The ETag is read first and the page second: if an event lands in between, the page
    is newer than its tag and the next poll simply gets a 200 again; never the reverse.
    (A plain page asked without If-None-Match reads both in one statement, one snapshot.)
    """
    # One actor, its own events, unfiltered: the api's hot path (see _page_row).
    plain = len(roots) == 1 and not params.include_units and params.filters == _NO_FILTERS
    page_row: asyncpg.Record | None = None
    if plain and not if_none_match:
        # No validator sent, so no 304 to decide first: actor and page in one statement.
        rows = await _page_row(conn, roots[0], params.after, limit, with_actor=True)
        page_row = rows[0] if rows else None
        found = {row["slug"]: row for row in rows}
    else:
        found = {
            row["slug"]: row for row in await _fetch(conn, queries.ACTORS_WITH_VERSION, roots)
        }
    missing = [slug for slug in roots if slug not in found]
    if missing:
        raise ApiError(
            404, "actor_not_found",
            f"No actor '{missing[0]}'. GET /v1/actors lists them.",
            [{"missing": missing}] if len(missing) > 1 else None,
        )
    if params.include_units:
        included, version = await family(conn, roots, True)
    else:
        # The roots alone: family() without its query.
        included = sorted(found)
        version = max(row["version"] for row in found.values())
    # The actor rows as read (figures, names, aliases): they are on the page too.
    shown = (actor_part(found[slug]) for slug in sorted(found))
    etag = timeline_etag(version, shown, included, request.query_params.multi_items())
    if etag_matches(if_none_match, etag):
        return not_modified(etag)

    if plain and page_row is None:
        [page_row] = await _page_row(conn, roots[0], params.after, limit, with_actor=False)
    data, next_key = await _events_json(conn, included, params, limit, page_row)
    actors = [
        ActorPublic.model_validate({f: found[slug][f] for f in queries.ACTOR_FIELDS})
        .model_dump_json()
        for slug in (roots if merged else roots[:1])
    ]
    head = f'{{"actors":[{",".join(actors)}]' if merged else f'{{"actor":{actors[0]}'
    cursor = orjson.dumps(encode_cursor(next_key) if next_key else None).decode()
    return json_answer(
        b"".join((
            f'{head},"included":{orjson.dumps(included).decode()},"data":['.encode(), data,
            f'],"next_cursor":{cursor}}}'.encode(),
        )),
        etag,
    )


async def _page_row(
    conn: AsyncConnection, slug: str, after: TimelineKey | None, limit: int, *, with_actor: bool
) -> list[asyncpg.Record]:
    if with_actor:
        first, rest = queries.ACTOR_AND_PAGE_FIRST, queries.ACTOR_AND_PAGE_AFTER
    else:
        first, rest = queries.ONE_ACTOR_FIRST, queries.ONE_ACTOR_AFTER
    if after is None:
        return await _fetch(conn, first, slug, limit)
    return await _fetch(conn, rest, slug, limit, *after)


async def _events_json(
    conn: AsyncConnection, included: list[str], params: TimelineParams, limit: int,
    page_row: asyncpg.Record | None,
) -> tuple[bytes, TimelineKey | None]:
    """The page's events as comma-joined JSON objects, and the last key when more follow.

    `page_row` is the one-actor page statement's answer, when the page is that simple.
    """
    next_key: TimelineKey | None = None
    if page_row is not None:
        row = page_row
        if row["found"] > limit:
            next_key = TimelineKey(*row["last"])
    else:
        keys = await timeline_keys(conn, included, params.filters, params.after, limit + 1)
        if not keys:
            return b"", None
        if len(keys) > limit:
            keys, next_key = keys[:limit], keys[limit - 1]
        columns = [list(column) for column in zip(*keys, strict=True)]
        [row] = await _fetch(conn, queries.GIVEN_KEYS, *columns)
    data: bytes = row["data"]
    return data, next_key
