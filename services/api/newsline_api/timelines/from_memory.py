"""Timeline 304s answered from the watcher's map, decided in one place (`memory_etag`).

Two paths ask it: `PollShortcut`, for one actor's timeline before FastAPI routes the
request (unless reads need a key, which only the route checks), and the timeline
routes themselves. Whatever it cannot vouch for (no watcher, a
stale map, an unknown actor, units asked for, a tag that is not current) goes down the
database path, which decides everything else exactly as without the watcher.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import Request, Response
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from newsline_api.etag import POLL_CACHE, etag_matches, not_modified
from newsline_api.timelines.etags import timeline_etag
from newsline_api.timelines.watcher import ChangeWatcher


def memory_etag(
    watcher: ChangeWatcher | None, roots: Sequence[str], query: Sequence[tuple[str, str]],
    if_none_match: str | None,
) -> str | None:
    """The timeline's ETag when the map is fresh and `If-None-Match` names it; else None."""
    if watcher is None or not if_none_match or not watcher.fresh():
        return None
    # Units are found by walking the actor tree, which the map does not hold.
    if any(key == "include_units" for key, _ in query):
        return None
    found = [watcher.actors.get(slug) for slug in sorted(roots)]
    entries = [entry for entry in found if entry is not None]
    if len(entries) < len(found):
        return None
    etag = timeline_etag(
        max(version for version, _ in entries), (part for _, part in entries),
        sorted(roots), query,
    )
    return etag if etag_matches(if_none_match, etag) else None


def answer_from_memory(
    request: Request, roots: Sequence[str], if_none_match: str | None
) -> Response | None:
    """304 from the map when `memory_etag` vouches for it; else None (read the database)."""
    etag = memory_etag(
        request.app.state.watcher, roots, request.query_params.multi_items(), if_none_match
    )
    return None if etag is None else not_modified(etag)


class _Route:
    # What MetricsMiddleware reads from scope["route"]: the template, never the raw path.
    path = "/v1/actors/{slug}/timeline"


_TIMELINE_PATH = re.compile(r"/v1/actors/([^/]+)/timeline")
_NOT_MODIFIED_HEADERS = [(b"cache-control", POLL_CACHE.encode())]


class PollShortcut:
    """A polled actor timeline whose ETag is still current answers 304 here, as plain ASGI.

    `memory_etag`'s decision, taken for one actor's timeline before FastAPI routes the
    request and validates its parameters: a dashboard's poll costs what a bare ASGI
    answer costs. A tag that matches was issued for exactly these parameters (the query
    is in the tag), so they were valid.
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
        if_none_match = next(
            (value.decode("latin-1") for name, value in scope["headers"]
             if name == b"if-none-match"),
            None,
        )
        state: Any = getattr(scope.get("app"), "state", None)
        if getattr(getattr(state, "settings", None), "read_key", None):
            return None  # reads need a key: the route checks it, then answers the 304
        query = QueryParams(scope["query_string"]).multi_items()
        return memory_etag(getattr(state, "watcher", None), [slug], query, if_none_match)
