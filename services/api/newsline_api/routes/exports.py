"""`/v1/actors/{slug}/timeline.{csv,json,timelinejs.json,ics}`: a whole timeline, downloaded."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, NamedTuple

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newsline_api import formats, queries
from newsline_api.deps import ConnDep, EngineDep
from newsline_api.errors import ApiError
from newsline_api.params import Slug, TimelineQuery, TimelineQueryDep
from newsline_api.routes.actors import ERRORS
from newsline_api.schemas import ActorPublic, EventPublic, TimelineExport
from newsline_api.timeline_query import family, timeline_key, timeline_rows
from newsline_http import ReadKey

router = APIRouter(prefix="/v1/actors", tags=["exports"], dependencies=[ReadKey])

_PAGE = 500
_ERRORS = {k: v for k, v in ERRORS.items() if k != 304}


class _Page(NamedTuple):
    """One keyset page: its events as served, and the rows the next cursor comes from."""

    events: list[EventPublic]
    rows: Sequence[RowMapping]


async def _first_page(conn: AsyncConnection, slugs: list[str], query: TimelineQuery) -> _Page:
    # Read before the 200 is sent: whatever a filter or cursor makes the database refuse
    # is then the JSON error it would be on a page, not a download cut off after a line.
    rows = await timeline_rows(conn, slugs, query.filters, query.after, _PAGE)
    return _Page(await queries.load_events(conn, rows), rows)


async def _walk(
    engine: AsyncEngine, slugs: list[str], query: TimelineQuery, first: _Page
) -> AsyncIterator[EventPublic]:
    # Page by page on the keyset, each page on a pooled connection returned right after:
    # a 150k-event export never holds one connection (or all its rows) at once.
    page = first
    while True:
        for event in page.events:
            yield event
        if len(page.rows) < _PAGE:
            return
        after = timeline_key(page.rows[-1])
        async with engine.connect() as conn:
            rows = await timeline_rows(conn, slugs, query.filters, after, _PAGE)
            page = _Page(await queries.load_events(conn, rows), rows)


async def _prepare(
    conn: AsyncConnection, engine: AsyncEngine, slug: str, query: TimelineQuery
) -> tuple[ActorPublic, list[str], AsyncIterator[EventPublic]]:
    found = await queries.get_actors(conn, [slug])
    if slug not in found:
        raise ApiError(404, "actor_not_found", f"No actor '{slug}'. GET /v1/actors lists them.")
    included, _ = await family(conn, [slug], query.include_units)
    first = await _first_page(conn, included, query)
    return found[slug], included, _walk(engine, included, query, first)


def _download(body: AsyncIterator[str], media_type: str, slug: str, ext: str) -> StreamingResponse:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", slug) or "actor"
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}-timeline.{ext}"',
            "Cache-Control": "no-cache",
        },
    )


async def _framed(
    events: AsyncIterator[EventPublic],
    head: str,
    render: Callable[[EventPublic], str],
    tail: str,
    sep: str = "",
) -> AsyncIterator[str]:
    yield head
    first = True
    async for event in events:
        yield ("" if first else sep) + render(event)
        first = False
    yield tail




def _described(
    media_type: str, schema: dict[str, Any] | None = None
) -> dict[int | str, dict[str, Any]]:
    # A download's body is the file: name its type (and for JSON its shape) so clients,
    # and the conformance tests, know what comes.
    content = {media_type: {"schema": schema or {"type": "string"}}}
    return {200: {"description": "The file", "content": content}, **_ERRORS}


@router.get(
    "/{slug}/timeline.csv", response_class=StreamingResponse, responses=_described("text/csv")
)
async def export_csv(
    slug: Slug, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as CSV (RFC 4180, UTF-8), one event a row, same filters as the page."""
    _, _, events = await _prepare(conn, engine, slug, query)
    body = _framed(events, formats.csv_header(), formats.csv_row, "")
    return _download(body, "text/csv; charset=utf-8", slug, "csv")


@router.get(
    "/{slug}/timeline.json", response_class=StreamingResponse,
    responses={**_described("application/json"), 200: {
        "description": "The file", "model": TimelineExport}},
)
async def export_json(
    slug: Slug, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as JSON: `{actor, included, events: [event as served]}`."""
    actor, slugs, events = await _prepare(conn, engine, slug, query)
    head = f'{{"actor":{actor.model_dump_json()},"included":{json.dumps(slugs)},"events":['
    body = _framed(events, head, lambda e: formats.web_links_only(e).model_dump_json(), "]}", ",")
    return _download(body, "application/json", slug, "json")


@router.get(
    "/{slug}/timeline.timelinejs.json", response_class=StreamingResponse,
    responses=_described("application/json", {
        "type": "object", "required": ["title", "events"],
        "properties": {"title": {"type": "object"},
                       "events": {"type": "array", "items": {"type": "object"}}},
    }),
)
async def export_timelinejs(
    slug: Slug, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline in TimelineJS3's JSON format, one slide an event, grouped by type."""
    actor, _, events = await _prepare(conn, engine, slug, query)
    title = {
        "text": {
            "headline": html.escape(actor.name),
            "text": f"Events of {html.escape(actor.name)}, from Newsline",
        }
    }
    head = f'{{"title":{json.dumps(title, ensure_ascii=False)},"events":['
    body = _framed(
        events,
        head,
        lambda e: json.dumps(formats.timelinejs_slide(e), ensure_ascii=False),
        "]}",
        ",",
    )
    return _download(body, "application/json", slug, "timelinejs.json")


@router.get(
    "/{slug}/timeline.ics", response_class=StreamingResponse,
    responses=_described("text/calendar"),
)
async def export_ics(
    slug: Slug, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as an iCalendar file: one all-day event per timeline event."""
    actor, _, events = await _prepare(conn, engine, slug, query)
    body = _framed(
        events,
        formats.ics_header(f"{actor.name} — Newsline"),
        formats.ics_event,
        formats.ICS_FOOTER,
    )
    return _download(body, "text/calendar; charset=utf-8", slug, "ics")
