"""Actor versions kept in memory from the change feed, so a timeline 304 needs no database.

`ChangeWatcher` loads every actor row (as the ETag hashes it) at startup, then follows
`changes` every poll interval and re-reads the rows of the actors each new change
touches. The feed is gap-free (ids become visible in commit order, see
`newsline_db.feed`), so `id > last` never misses a committed change. Staleness: a change
reaches the map within one interval; the map counts as fresh for two, after which (or
after a failed poll) requests take the database path. An actor row edited without a
change (a new alias, curation) is picked up by the full reload every `RESYNC_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request, Response
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from newsline_api.etag import (
    POLL_HEADERS,
    actor_part,
    etag_matches,
    not_modified,
    timeline_etag,
)
from newsline_api.page_sql import ACTORS_WITH_VERSION
from newsline_db import make_engine

log = logging.getLogger(__name__)

BATCH = 5000
# Bounds how long an actor-row edit that records no change can go unseen by a 304.
RESYNC_S = 10.0
_NEWEST = "SELECT coalesce(max(id), 0) AS id FROM changes"
_CHANGES = "SELECT id, actors FROM changes WHERE id > $1 ORDER BY id LIMIT $2"
_ALL_ACTORS = ACTORS_WITH_VERSION.replace("WHERE a.slug = ANY($1::text[])", "")


class ChangeWatcher:
    """slug → (version, actor_part), refreshed from `changes` every `interval_s`."""

    def __init__(self, database_url: str, interval_s: float) -> None:
        # Its own single connection: never competes with requests for the api's pool.
        self._engine = make_engine(database_url, pool_size=1, max_overflow=0)
        self.interval_s = interval_s
        self.actors: dict[str, tuple[int, str]] = {}
        self.last_change = 0
        self._loaded_at: float | None = None
        self._ok_at: float | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Load and follow in the background: the api serves (from the database) meanwhile."""
        self._task = asyncio.create_task(self._run(), name="newsline-change-watcher")

    async def stop(self) -> None:
        """Stop polling and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._engine.dispose()

    def fresh(self) -> bool:
        """Whether the last successful poll is recent enough to answer from memory."""
        return self._ok_at is not None and time.monotonic() - self._ok_at <= 2 * self.interval_s

    async def _run(self) -> None:
        while True:
            try:
                await self.poll()
            except Exception as exc:  # any failure means: answer from the database
                self._ok_at = None
                log.warning("change watcher poll failed (304s use the database): %r", exc)
            await asyncio.sleep(self.interval_s)

    async def poll(self) -> None:
        """Catch up with the feed (or reload everything when due); fresh only when caught up."""
        async with self._engine.connect() as conn:
            raw: Any = (await conn.get_raw_connection()).driver_connection
            now = time.monotonic()
            if self._loaded_at is None or now - self._loaded_at >= RESYNC_S:
                # The newest id first: anything committed after it is > it, polled next.
                newest = await raw.fetchval(_NEWEST)
                self.actors = _parts(await raw.fetch(_ALL_ACTORS))
                self.last_change, self._loaded_at = newest, now
            while True:
                rows = await raw.fetch(_CHANGES, self.last_change, BATCH)
                if rows:
                    slugs = sorted({slug for row in rows for slug in row["actors"]})
                    # Read after the changes: rows as new as, or newer than, those ids.
                    self.actors.update(_parts(await raw.fetch(ACTORS_WITH_VERSION, slugs)))
                    self.last_change = rows[-1]["id"]
                if len(rows) < BATCH:
                    break
        self._ok_at = time.monotonic()


def _parts(rows: Iterable[Any]) -> dict[str, tuple[int, str]]:
    return {row["slug"]: (row["version"], actor_part(row)) for row in rows}


def answer_from_memory(
    request: Request, roots: Sequence[str], include_units: bool, if_none_match: str | None
) -> Response | None:
    """304 from the watcher's map when it is fresh and the ETag is current; else None."""
    # None sends the request down the database path, which decides everything else
    # (unknown actors, units, a changed page) exactly as without the watcher.
    if include_units:
        return None
    etag = _current_etag(
        request.app.state.watcher, roots, request.query_params.multi_items(), if_none_match
    )
    return None if etag is None else not_modified(etag)


def _current_etag(
    watcher: ChangeWatcher | None, roots: Sequence[str], query: Sequence[tuple[str, str]],
    if_none_match: str | None,
) -> str | None:
    # The timeline's ETag when the watcher is fresh and `if_none_match` names it; else None.
    if watcher is None or not if_none_match or not watcher.fresh():
        return None
    found = [watcher.actors.get(slug) for slug in sorted(roots)]
    if any(entry is None for entry in found):
        return None
    entries = [entry for entry in found if entry is not None]
    etag = timeline_etag(
        max(version for version, _ in entries), (part for _, part in entries),
        sorted(roots), query,
    )
    return etag if etag_matches(if_none_match, etag) else None


class _Route:
    # What MetricsMiddleware reads from scope["route"]: the template, never the raw path.
    path = "/v1/actors/{slug}/timeline"


_TIMELINE_PATH = re.compile(r"/v1/actors/([^/]+)/timeline")
_NOT_MODIFIED_HEADERS = [(b"cache-control", POLL_HEADERS["Cache-Control"].encode())]


class PollShortcut:
    """A polled actor timeline whose ETag is still current answers 304 here, as plain ASGI.

    The same decision `answer_from_memory` takes for merged timelines (the watcher's
    map, fresh), taken for one actor's timeline before FastAPI routes the request and
    validates its parameters: a dashboard's poll costs what a bare ASGI answer costs.
    Anything else (no If-None-Match, a stale tag, include_units, a stale or missing
    watcher) goes to the route unchanged. A tag that matches was issued for exactly
    these parameters (the query is in the tag), so they were valid.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a current poll with 304, or pass the request on."""
        if scope["type"] == "http" and scope["method"] == "GET":
            match = _TIMELINE_PATH.fullmatch(scope["path"])
            if match is not None:
                etag = self._current(scope, match.group(1))
                if etag is not None:
                    scope["route"] = _Route
                    await send({
                        "type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode()), *_NOT_MODIFIED_HEADERS],
                    })
                    await send({"type": "http.response.body", "body": b""})
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _current(scope: Scope, slug: str) -> str | None:
        if_none_match = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value.decode("latin-1")
                break
        if if_none_match is None:
            return None
        query = QueryParams(scope["query_string"]).multi_items()
        if any(key == "include_units" for key, _ in query):
            return None
        state = getattr(scope.get("app"), "state", None)
        if getattr(getattr(state, "settings", None), "read_key", None):
            return None  # reads need a key: the route checks it, then answers the 304
        watcher = getattr(state, "watcher", None)
        return _current_etag(watcher, [slug], query, if_none_match)
