"""`/v1/actors/{slug}/timeline` (one actor's) and `/v1/timeline` (several merged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from pydantic import StringConstraints

from newsline_api.deps import IfNoneMatch, open_conn
from newsline_api.shapes import Public
from newsline_api.timelines.from_memory import answer_from_memory
from newsline_api.timelines.page import serve_timeline
from newsline_api.timelines.params import Slug, TimelineParams, TimelineParamsDep
from newsline_api.timelines.shapes import MultiTimelinePage, TimelinePage
from newsline_http import NO_CONTROL_CHARS, ErrorBody, ReadKey

# What a timeline (page or download) can answer besides its 200.
TIMELINE_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Unchanged since the ETag sent in If-None-Match"},
    400: {"model": ErrorBody, "description": "Malformed cursor or parameters"},
    404: {"model": ErrorBody, "description": "No such actor"},
    422: {"model": ErrorBody, "description": "Invalid parameter"},
}

ActorSlug = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL_CHARS)]
Limit = Annotated[int, Query(ge=1, le=200)]
_Route = TypeVar("_Route", bound=Callable[..., Any])

router = APIRouter(dependencies=[ReadKey])


def _page_route(path: str, tag: str, shape: type[Public]) -> Callable[[_Route], _Route]:
    # Both timeline pages answer alike: same errors, same 304, same parameters.
    return router.get(path, tags=[tag], response_model=shape, responses=TIMELINE_ERRORS)


@_page_route("/v1/actors/{slug}/timeline", "actors", TimelinePage)
async def timeline(
    slug: Slug,
    request: Request,
    params: TimelineParamsDep,
    limit: Limit = 50,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """One page of the actor's events in timeline order; poll it with `If-None-Match`."""
    # Most current polls never get here: PollShortcut answers them before routing (all
    # but those a read key guards, which the route checks first).
    return await _answer(request, [slug], params, limit, if_none_match, merged=False)


@_page_route("/v1/timeline", "timeline", MultiTimelinePage)
async def merged_timeline(
    request: Request,
    params: TimelineParamsDep,
    actor: Annotated[
        list[ActorSlug],
        Query(min_length=1, max_length=20, description="Repeat for each actor"),
    ],
    limit: Limit = 50,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Events of any of the actors in one timeline order and cursor; each event once."""
    roots = list(dict.fromkeys(actor))
    return await _answer(request, roots, params, limit, if_none_match, merged=True)


async def _answer(
    request: Request, roots: list[str], params: TimelineParams, limit: int,
    if_none_match: str | None, *, merged: bool,
) -> Response:
    # A 304 from the watcher's map when it vouches for the tag; else the database decides.
    answer = answer_from_memory(request, roots, if_none_match)
    if answer is not None:
        return answer
    async with open_conn(request) as conn:
        return await serve_timeline(
            conn, request, roots, params, limit, if_none_match, merged=merged
        )
