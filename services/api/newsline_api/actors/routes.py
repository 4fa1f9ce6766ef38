"""`/v1/actors`: the actor list, searchable by any name or alias in any language.

Each actor's timeline is served by `newsline_api.timelines`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from newsline_api.actors import queries
from newsline_api.actors.shapes import ActorList
from newsline_api.deps import ConnDep, IfNoneMatch
from newsline_api.etag import conditional_json
from newsline_api.timelines.routes import TIMELINE_ERRORS
from newsline_http import NO_CONTROL_CHARS, ReadKey

router = APIRouter(prefix="/v1/actors", tags=["actors"], dependencies=[ReadKey])


@router.get(
    "", response_model=ActorList,
    responses={code: TIMELINE_ERRORS[code] for code in (304, 422)},
)
async def list_actors(
    conn: ConnDep,
    q: Annotated[
        str | None,
        Query(max_length=200, pattern=NO_CONTROL_CHARS,
              description="Any name or alias, any language, or part"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Actors with their event counts and latest event dates, busiest first."""
    body = ActorList(data=await queries.list_actors(conn, q, limit))
    return conditional_json(body.model_dump_json().encode(), if_none_match)
