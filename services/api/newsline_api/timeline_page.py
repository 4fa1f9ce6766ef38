"""Serve a timeline page (one actor's or several merged) with a version-derived ETag."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api import queries
from newsline_api.cursor import encode_cursor
from newsline_api.errors import ApiError
from newsline_api.etag import etag_matches, json_answer, not_modified, version_etag
from newsline_api.params import TimelineQuery
from newsline_api.schemas import MultiTimelinePage, TimelinePage
from newsline_api.timeline_query import family, timeline_key, timeline_rows


async def serve_timeline(
    conn: AsyncConnection, request: Request, roots: Sequence[str], query: TimelineQuery,
    limit: int, if_none_match: str | None, *, merged: bool,
) -> Response:
    """The page, or 304 decided by two primary-key-sized queries before any page query.

    The ETag is read first and the page second: if an event lands in between, the page
    is newer than its tag and the next poll simply gets a 200 again; never the reverse.
    """
    found = await queries.get_actors(conn, roots)
    missing = [slug for slug in roots if slug not in found]
    if missing:
        raise ApiError(
            404, "actor_not_found",
            f"No actor '{missing[0]}'. GET /v1/actors lists them.",
            [{"missing": missing}] if len(missing) > 1 else None,
        )
    included, version = await family(conn, roots, query.include_units)
    etag = version_etag(
        version, *(found[slug].model_dump_json() for slug in sorted(found)), ",".join(included),
        query=request.query_params.multi_items(),
    )
    if etag_matches(if_none_match, etag):
        return not_modified(etag)
    rows = await timeline_rows(conn, included, query.filters, query.after, limit + 1)
    page, has_more = rows[:limit], len(rows) > limit
    data = await queries.load_events(conn, page)
    next_cursor = encode_cursor(timeline_key(page[-1])) if has_more else None
    model: TimelinePage | MultiTimelinePage
    if merged:
        model = MultiTimelinePage(
            actors=[found[slug] for slug in roots], included=included, data=data,
            next_cursor=next_cursor,
        )
    else:
        model = TimelinePage(
            actor=found[roots[0]], included=included, data=data, next_cursor=next_cursor
        )
    return json_answer(model.model_dump_json().encode(), etag)
