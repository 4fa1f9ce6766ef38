"""`/v1/actors`: the actor list (searchable by any alias) and each actor's timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from newsline_api import queries
from newsline_api.deps import ConnDep, open_conn
from newsline_api.etag import conditional_json
from newsline_api.params import Slug, TimelineQueryDep
from newsline_api.schemas import ActorList, TimelinePage
from newsline_api.timeline_page import serve_timeline
from newsline_http import NO_CONTROL_CHARS, ErrorBody, ReadKey

router = APIRouter(prefix="/v1/actors", tags=["actors"], dependencies=[ReadKey])

ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Unchanged since the ETag sent in If-None-Match"},
    400: {"model": ErrorBody, "description": "Malformed cursor or parameters"},
    404: {"model": ErrorBody, "description": "No such actor"},
    422: {"model": ErrorBody, "description": "Invalid parameter"},
}


@router.get("", response_model=ActorList, responses={304: ERRORS[304], 422: ERRORS[422]})
async def list_actors(
    conn: ConnDep,
    q: Annotated[
        str | None,
        Query(max_length=200, pattern=NO_CONTROL_CHARS,
              description="Any name or alias, any language, or part"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Actors with their event counts and latest event dates, busiest first."""
    body = ActorList(data=await queries.list_actors(conn, q, limit))
    return conditional_json(body.model_dump_json().encode(), if_none_match)


@router.get("/{slug}/timeline", response_model=TimelinePage, responses=ERRORS)
async def timeline(
    slug: Slug,
    request: Request,
    query: TimelineQueryDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One page of the actor's events in timeline order; poll it with `If-None-Match`."""
    # A poll whose ETag is still current never gets here: PollShortcut answers it
    # from the watcher's map before routing. What arrives needs the database.
    async with open_conn(request) as conn:
        return await serve_timeline(
            conn, request, [slug], query, limit, if_none_match, merged=False
        )
