"""`/v1/events/{id}`: one event with every source that reported it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from newsline_api import queries
from newsline_api.deps import ConnDep
from newsline_api.errors import ApiError
from newsline_api.schemas import ErrorBody, EventPublic

router = APIRouter(prefix="/v1/events", tags=["events"])


@router.get(
    "/{event_id}", response_model=EventPublic,
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
async def get_event(event_id: uuid.UUID, conn: ConnDep) -> EventPublic:
    """One event, its actors, and every source with its evidence span."""
    row = await queries.get_event_row(conn, event_id)
    if row is None:
        raise ApiError(
            404, "event_not_found",
            f"No event '{event_id}'. Event ids come from GET /v1/actors/{{slug}}/timeline.",
        )
    [event] = await queries.load_events(conn, [row])
    return event
