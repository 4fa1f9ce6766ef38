"""`/v1/changes` (poll) and `/v1/stream` (Server-Sent Events): the gap-free change feed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.changes.queries import changes_after
from newsline_api.changes.shapes import ChangePage
from newsline_api.cursor import InvalidCursor, decode_change_id
from newsline_api.deps import ConnDep, EngineDep, IfNoneMatch, SettingsDep
from newsline_api.errors import ApiError
from newsline_api.etag import conditional_json
from newsline_api.settings import ApiSettings
from newsline_http import ErrorBody, ReadKey

router = APIRouter(tags=["changes"], dependencies=[ReadKey])

_BATCH = 500


def _cursor(value: str | None, where: str) -> int:
    try:
        return decode_change_id(value)
    except InvalidCursor as exc:
        raise ApiError(
            400,
            "invalid_cursor",
            f"{where} must be a change id this API issued (a non-negative integer), "
            f"got {(value or '')[:40]!r}.",
        ) from exc


@router.get(
    "/v1/changes",
    response_model=ChangePage,
    responses={304: {"description": "Nothing new"}, 400: {"model": ErrorBody}},
)
async def list_changes(
    conn: ConnDep,
    after: Annotated[str | None, Query(max_length=32, description="A next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Changes after the cursor, oldest first; never skips or repeats one."""
    start = _cursor(after, "Query parameter 'after'")
    data = await changes_after(conn, start, limit)
    page = ChangePage(data=data, next_cursor=str(data[-1].id if data else start))
    return conditional_json(page.model_dump_json().encode(), if_none_match)


async def _events(
    request: Request, engine: AsyncEngine, settings: ApiSettings, start: int
) -> AsyncIterator[str]:
    cursor, last_sent = start, time.monotonic()
    yield f"retry: {int(settings.stream_poll_s * 3000)}\n\n"
    while not await request.is_disconnected():
        # A connection per poll, not per stream: a thousand idle dashboards hold none.
        async with engine.connect() as conn:
            batch = await changes_after(conn, cursor, _BATCH)
        for change in batch:
            yield f"id: {change.id}\nevent: change\ndata: {change.model_dump_json()}\n\n"
            cursor, last_sent = change.id, time.monotonic()
        if len(batch) == _BATCH:
            continue  # catching up: read on without waiting
        if time.monotonic() - last_sent >= settings.stream_heartbeat_s:
            yield ": heartbeat\n\n"  # a comment: keeps proxies from closing an idle stream
            last_sent = time.monotonic()
        await asyncio.sleep(settings.stream_poll_s)


@router.get(
    "/v1/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, 400: {"model": ErrorBody}},
)
async def stream(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    after: Annotated[str | None, Query(max_length=32)] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """The change feed as Server-Sent Events (`id:` = change id), polled every second.

    Resumes after `Last-Event-ID` (sent by a reconnecting EventSource) or else `after`.
    """
    start = (
        _cursor(last_event_id, "Header 'Last-Event-ID'")
        if last_event_id
        else _cursor(after, "Query parameter 'after'")
    )
    return StreamingResponse(
        _events(request, engine, settings, start),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
