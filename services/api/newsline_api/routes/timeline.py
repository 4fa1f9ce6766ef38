"""`/v1/timeline?actor=a&actor=b`: several actors' timelines merged, for comparison."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import StringConstraints

from newsline_api.deps import open_conn
from newsline_api.params import TimelineQueryDep
from newsline_api.routes.actors import ERRORS
from newsline_api.schemas import MultiTimelinePage
from newsline_api.timeline_page import serve_timeline
from newsline_api.versions import answer_from_memory
from newsline_http import NO_CONTROL_CHARS, ReadKey

ActorSlug = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL_CHARS)]

router = APIRouter(prefix="/v1/timeline", tags=["timeline"], dependencies=[ReadKey])


@router.get("", response_model=MultiTimelinePage, responses=ERRORS)
async def merged_timeline(
    request: Request,
    query: TimelineQueryDep,
    actor: Annotated[
        list[ActorSlug],
        Query(min_length=1, max_length=20, description="Repeat for each actor"),
    ],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Events of any of the actors in one timeline order and cursor; each event once."""
    roots = list(dict.fromkeys(actor))
    answer = answer_from_memory(request, roots, query.include_units, if_none_match)
    if answer is not None:
        return answer
    async with open_conn(request) as conn:
        return await serve_timeline(conn, request, roots, query, limit, if_none_match, merged=True)
