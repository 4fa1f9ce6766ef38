"""`/v1/actors/{slug}/timeline.{csv,json,timelinejs.json,ics}`: a whole timeline, downloaded."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newsline_api.actors.queries import get_actors
from newsline_api.actors.shapes import ActorPublic
from newsline_api.deps import ConnDep, EngineDep
from newsline_api.errors import ApiError
from newsline_api.exports.csv_rows import csv_header, csv_row
from newsline_api.exports.ics import ICS_FOOTER, ics_event, ics_header
from newsline_api.exports.links import web_links_only
from newsline_api.exports.queries import full_documents
from newsline_api.exports.shapes import TimelineExport
from newsline_api.exports.timelinejs import timelinejs_slide
from newsline_api.timelines.order import event_key
from newsline_api.timelines.params import Slug, TimelineParams, TimelineParamsDep
from newsline_api.timelines.queries import family, timeline_rows
from newsline_api.timelines.routes import TIMELINE_ERRORS
from newsline_http import ReadKey
from newsline_read_model import EventPublic

router = APIRouter(prefix="/v1/actors", tags=["exports"], dependencies=[ReadKey])

_PAGE = 500
_ERRORS = {k: v for k, v in TIMELINE_ERRORS.items() if k != 304}


async def _first_page(
    conn: AsyncConnection, slugs: list[str], params: TimelineParams
) -> Sequence[RowMapping]:
    # Read before the 200 is sent: whatever a filter or cursor makes the database refuse
    # is then the JSON error it would be on a page, not a download cut off after a line.
    return await timeline_rows(conn, slugs, params.filters, params.after, _PAGE)


async def _walk(
    engine: AsyncEngine, slugs: list[str], params: TimelineParams, first: Sequence[RowMapping]
) -> AsyncIterator[EventPublic]:
    # Page by page on the keyset, each query on a pooled connection returned right after:
    # a 150k-event export never holds one connection (or all its rows) at once. The
    # stored documents carry the top few sources; `full_documents` reads all of them.
    rows = first
    while True:
        async for event in full_documents(engine, rows):
            yield event
        if len(rows) < _PAGE:
            return
        after = event_key(rows[-1])
        async with engine.connect() as conn:
            rows = await timeline_rows(conn, slugs, params.filters, after, _PAGE)


async def _prepare(
    conn: AsyncConnection, engine: AsyncEngine, slug: str, params: TimelineParams
) -> tuple[ActorPublic, list[str], AsyncIterator[EventPublic]]:
    found = await get_actors(conn, [slug])
    if slug not in found:
        raise ApiError(404, "actor_not_found", f"No actor '{slug}'. GET /v1/actors lists them.")
    included, _ = await family(conn, [slug], params.include_units)
    first = await _first_page(conn, included, params)
    return found[slug], included, _walk(engine, included, params, first)


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
    slug: Slug, conn: ConnDep, engine: EngineDep, params: TimelineParamsDep
) -> StreamingResponse:
    """The timeline as CSV (RFC 4180, UTF-8 with a BOM), one event a row with every source
    (one line each in the source columns), same filters as the page."""
    _, _, events = await _prepare(conn, engine, slug, params)
    body = _framed(events, csv_header(), csv_row, "")
    return _download(body, "text/csv; charset=utf-8", slug, "csv")


@router.get(
    "/{slug}/timeline.json", response_class=StreamingResponse,
    responses={**_described("application/json"), 200: {
        "description": "The file", "model": TimelineExport}},
)
async def export_json(
    slug: Slug, conn: ConnDep, engine: EngineDep, params: TimelineParamsDep
) -> StreamingResponse:
    """The timeline as JSON: `{actor, included, events: [event as served]}`."""
    actor, slugs, events = await _prepare(conn, engine, slug, params)
    head = f'{{"actor":{actor.model_dump_json()},"included":{json.dumps(slugs)},"events":['
    body = _framed(events, head, lambda e: web_links_only(e).model_dump_json(), "]}", ",")
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
    slug: Slug, conn: ConnDep, engine: EngineDep, params: TimelineParamsDep
) -> StreamingResponse:
    """The timeline in TimelineJS3's JSON format, one slide an event, grouped by type."""
    actor, _, events = await _prepare(conn, engine, slug, params)
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
        lambda e: json.dumps(timelinejs_slide(e), ensure_ascii=False),
        "]}",
        ",",
    )
    return _download(body, "application/json", slug, "timelinejs.json")


@router.get(
    "/{slug}/timeline.ics", response_class=StreamingResponse,
    responses=_described("text/calendar"),
)
async def export_ics(
    slug: Slug, conn: ConnDep, engine: EngineDep, params: TimelineParamsDep
) -> StreamingResponse:
    """The timeline as an iCalendar file: one all-day event per timeline event, its
    DESCRIPTION the evidence of every source, its URL the first http(s) source link."""
    actor, _, events = await _prepare(conn, engine, slug, params)
    body = _framed(
        events,
        ics_header(f"{actor.name} — Newsline"),
        ics_event,
        ICS_FOOTER,
    )
    return _download(body, "text/calendar; charset=utf-8", slug, "ics")
