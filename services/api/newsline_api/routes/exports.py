"""`/v1/actors/{slug}/timeline.{csv,json,timelinejs.json,ics}`: a whole timeline, downloaded."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Callable

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newsline_api import formats, queries
from newsline_api.deps import ConnDep, EngineDep
from newsline_api.errors import ApiError
from newsline_api.params import TimelineQuery, TimelineQueryDep
from newsline_api.routes.actors import ERRORS
from newsline_api.schemas import ActorPublic, EventPublic
from newsline_api.timeline_query import family, timeline_key, timeline_rows

router = APIRouter(prefix="/v1/actors", tags=["exports"])

_PAGE = 500
_ERRORS = {k: v for k, v in ERRORS.items() if k != 304}


async def _walk(
    engine: AsyncEngine, slugs: list[str], query: TimelineQuery
) -> AsyncIterator[EventPublic]:
    # Page by page on the keyset, each page on a pooled connection returned right after:
    # a 150k-event export never holds one connection (or all its rows) at once.
    after = query.after
    while True:
        async with engine.connect() as conn:
            rows = await timeline_rows(conn, slugs, query.filters, after, _PAGE)
            for event in await queries.load_events(conn, rows):
                yield event
        if len(rows) < _PAGE:
            return
        after = timeline_key(rows[-1])


async def _prepare(
    conn: AsyncConnection, slug: str, query: TimelineQuery
) -> tuple[ActorPublic, list[str]]:
    found = await queries.get_actors(conn, [slug])
    if slug not in found:
        raise ApiError(404, "actor_not_found", f"No actor '{slug}'. GET /v1/actors lists them.")
    included, _ = await family(conn, [slug], query.include_units)
    return found[slug], included


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


_DESCRIBED = {200: {"description": "The file"}, **_ERRORS}


@router.get("/{slug}/timeline.csv", response_class=StreamingResponse, responses=_DESCRIBED)
async def export_csv(
    slug: str, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as CSV (RFC 4180, UTF-8), one event a row, same filters as the page."""
    _, slugs = await _prepare(conn, slug, query)
    body = _framed(_walk(engine, slugs, query), formats.csv_header(), formats.csv_row, "")
    return _download(body, "text/csv; charset=utf-8", slug, "csv")


@router.get("/{slug}/timeline.json", response_class=StreamingResponse, responses=_DESCRIBED)
async def export_json(
    slug: str, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as JSON: `{actor, included, events: [event as served]}`."""
    actor, slugs = await _prepare(conn, slug, query)
    head = f'{{"actor":{actor.model_dump_json()},"included":{json.dumps(slugs)},"events":['
    body = _framed(_walk(engine, slugs, query), head, lambda e: e.model_dump_json(), "]}", ",")
    return _download(body, "application/json", slug, "json")


@router.get(
    "/{slug}/timeline.timelinejs.json", response_class=StreamingResponse, responses=_DESCRIBED
)
async def export_timelinejs(
    slug: str, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline in TimelineJS3's JSON format, one slide an event, grouped by type."""
    actor, slugs = await _prepare(conn, slug, query)
    title = {
        "text": {
            "headline": html.escape(actor.name),
            "text": f"Events of {html.escape(actor.name)}, from Newsline",
        }
    }
    head = f'{{"title":{json.dumps(title, ensure_ascii=False)},"events":['
    body = _framed(
        _walk(engine, slugs, query),
        head,
        lambda e: json.dumps(formats.timelinejs_slide(e), ensure_ascii=False),
        "]}",
        ",",
    )
    return _download(body, "application/json", slug, "timelinejs.json")


@router.get("/{slug}/timeline.ics", response_class=StreamingResponse, responses=_DESCRIBED)
async def export_ics(
    slug: str, conn: ConnDep, engine: EngineDep, query: TimelineQueryDep
) -> StreamingResponse:
    """The timeline as an iCalendar file: one all-day event per timeline event."""
    actor, slugs = await _prepare(conn, slug, query)
    body = _framed(
        _walk(engine, slugs, query),
        formats.ics_header(f"{actor.name} — Newsline"),
        formats.ics_event,
        formats.ICS_FOOTER,
    )
    return _download(body, "text/calendar; charset=utf-8", slug, "ics")
