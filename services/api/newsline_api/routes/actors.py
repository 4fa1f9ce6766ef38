"""`/v1/actors`: the actor list and each actor's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from newsline_api import queries
from newsline_api.cursor import InvalidCursor, decode_cursor, encode_cursor
from newsline_api.deps import ConnDep
from newsline_api.errors import ApiError
from newsline_api.etag import etag_matches, timeline_etag
from newsline_api.schemas import ActorList, ErrorBody, TimelinePage
from newsline_contracts import EventType

router = APIRouter(prefix="/v1/actors", tags=["actors"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed cursor or parameters"},
    404: {"model": ErrorBody, "description": "No such actor"},
    422: {"model": ErrorBody, "description": "Invalid parameter"},
}


@router.get("", response_model=ActorList, responses={422: _ERRORS[422]})
async def list_actors(
    conn: ConnDep,
    q: Annotated[str | None, Query(max_length=200, description="Substring of name or slug")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> ActorList:
    """Actors with their event counts and latest event dates, busiest first."""
    return ActorList(data=await queries.list_actors(conn, q, limit))


@router.get(
    "/{slug}/timeline", response_model=TimelinePage,
    responses={**_ERRORS, 304: {"description": "Unchanged since the ETag sent"}},
)
async def timeline(
    slug: str,
    request: Request,
    response: Response,
    conn: ConnDep,
    type: Annotated[list[EventType] | None, Query(description="Repeat to allow several")] = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="Inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="Inclusive")] = None,
    language: Annotated[str | None, Query(max_length=35)] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    if_none_match: Annotated[str | None, Header()] = None,
) -> TimelinePage | Response:
    """One page of the actor's events in timeline order; poll it with `If-None-Match`."""
    try:
        after = decode_cursor(cursor) if cursor else None
    except InvalidCursor as exc:
        raise ApiError(
            400, "invalid_cursor",
            "Query parameter 'cursor' is not a cursor this API issued; pass back a "
            "`next_cursor` unchanged, or omit it for the first page.",
            [{"location": ["query", "cursor"], "message": str(exc)}],
        ) from exc
    if date_from and date_to and date_from > date_to:
        raise ApiError(
            422, "validation_error",
            f"Query parameter 'from' ({date_from}) is after 'to' ({date_to}).",
        )
    actor = await queries.get_actor(conn, slug)
    if actor is None:
        raise ApiError(404, "actor_not_found", f"No actor '{slug}'. GET /v1/actors lists them.")
    filters = queries.TimelineFilters(
        types=tuple(type or ()), date_from=date_from, date_to=date_to,
        language=language.lower() if language else None,
    )
    rows = await queries.timeline_rows(conn, slug, filters, after, limit + 1)
    page, has_more = rows[:limit], len(rows) > limit
    etag = timeline_etag(actor, page, has_more, request.query_params.multi_items())
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, etag):
        # Unchanged: skip the actor and source queries and send no body.
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return TimelinePage(
        actor=actor,
        data=await queries.load_events(conn, page),
        next_cursor=encode_cursor(queries.timeline_key(page[-1])) if has_more else None,
    )
