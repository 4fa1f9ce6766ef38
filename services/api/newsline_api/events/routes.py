"""`/v1/events/{id}`: one event with its sources, its removal, and who answered it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.deps import ConnDep, EngineDep, IfNoneMatch
from newsline_api.errors import ApiError
from newsline_api.etag import conditional_json
from newsline_api.events import queries
from newsline_api.events.queries import TRIGGER_TYPES, find_responses
from newsline_api.events.shapes import ResponsePublic, ResponsesPage
from newsline_api.ops.audit import log_removal, source_articles
from newsline_db.feed import remove_event
from newsline_http import ErrorBody, ReadKey, WriteKey
from newsline_read_model import EventPublic

router = APIRouter(prefix="/v1/events", tags=["events"], dependencies=[ReadKey])

_404: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


async def _event_row(conn: AsyncConnection, event_id: uuid.UUID) -> RowMapping:
    row = await queries.get_event_row(conn, event_id)
    if row is None:
        raise ApiError(
            404,
            "event_not_found",
            f"No event '{event_id}'. Event ids come from GET /v1/actors/{{slug}}/timeline.",
        )
    return row


@router.get("/{event_id}", response_model=EventPublic, responses=_404)
async def get_event(event_id: uuid.UUID, conn: ConnDep) -> EventPublic:
    """One event, its actors, and every source with its evidence span."""
    [event] = await queries.load_events(conn, [await _event_row(conn, event_id)])
    return event


@router.delete(
    "/{event_id}",
    status_code=204,
    response_class=Response,
    responses={401: {"model": ErrorBody, "description": "No API key, or a wrong one"}, **_404},
    dependencies=[WriteKey],
)
async def delete_event(event_id: uuid.UUID, engine: EngineDep) -> Response:
    """Delete an event with its links and sources; pollers see a `removed` change.

    Needs a key from NEWSLINE_API_KEY in `X-API-Key` when one is configured.
    """
    async with engine.begin() as conn:
        articles = await source_articles(conn, event_id)
        change_id = await remove_event(conn, event_id)
    if change_id is None:
        raise ApiError(404, "event_not_found", f"No event '{event_id}' to remove.")
    log_removal(event_id, articles, change_id)
    return Response(status_code=204, headers={"X-Change-Id": str(change_id)})


@router.get("/{event_id}/responses", response_model=ResponsesPage, responses=_404)
async def responses(
    event_id: uuid.UUID,
    conn: ConnDep,
    window_days: Annotated[int, Query(ge=0, le=366)] = 30,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Other actors' offers, migration programmes, price cuts, launches and partnerships
    that answered this block or policy within the window, with their delay in days."""
    trigger = await _event_row(conn, event_id)
    if trigger["type"] not in TRIGGER_TYPES:
        raise ApiError(
            422,
            "not_a_trigger",
            f"Event '{event_id}' is a {trigger['type']}; responses are listed for "
            f"{', '.join(TRIGGER_TYPES)} events.",
        )
    found = await find_responses(conn, trigger, window_days)
    shaped = await queries.load_events(conn, [trigger, *found.rows])
    page = ResponsesPage(
        trigger=shaped[0],
        anchor_date=found.anchor,
        window_days=window_days,
        data=[
            ResponsePublic(
                delay_days=(row["date"] - found.anchor).days,
                matched_by=row["matched_by"],
                event=event,
            )
            for row, event in zip(found.rows, shaped[1:], strict=True)
        ],
    )
    return conditional_json(page.model_dump_json().encode(), if_none_match)
