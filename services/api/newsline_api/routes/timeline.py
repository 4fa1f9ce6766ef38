"""`/v1/timeline?actor=a&actor=b`: several actors' timelines merged, for comparison."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from newsline_api.deps import ConnDep
from newsline_api.params import TimelineQueryDep
from newsline_api.routes.actors import ERRORS
from newsline_api.schemas import MultiTimelinePage
from newsline_api.timeline_page import serve_timeline

router = APIRouter(prefix="/v1/timeline", tags=["timeline"])


@router.get("", response_model=MultiTimelinePage, responses=ERRORS)
async def merged_timeline(
    request: Request,
    conn: ConnDep,
    query: TimelineQueryDep,
    actor: Annotated[
        list[str], Query(min_length=1, max_length=20, description="Repeat for each actor")
    ],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Events of any of the actors in one timeline order and cursor; each event once."""
    roots = list(dict.fromkeys(actor))
    return await serve_timeline(conn, request, roots, query, limit, if_none_match, merged=True)
