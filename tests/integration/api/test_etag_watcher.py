"""Timeline 304s answered from the change watcher's map: no database, bounded staleness."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from newsline_api.timelines import from_memory
from newsline_api.timelines import watcher as change_watcher
from newsline_db import make_engine
from tests.integration.api.conftest import Seed, _started_client
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

POLL_MS = 100
DEAD_URL = "postgresql://postgres@127.0.0.1:1/x"
URL = "/v1/actors/openai/timeline"


@pytest.fixture
def watched_app(database_url: str) -> FastAPI:
    """The api with its change watcher polling every POLL_MS."""
    return create_app(ApiSettings(database_url=database_url, etag_poll_ms=POLL_MS))


@pytest.fixture
async def watched(watched_app: FastAPI, clean_db: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `watched_app`, its lifespan (and watcher) started, on empty tables."""
    async for started in _started_client(watched_app):
        yield started


async def _until(check: Any, seconds: float) -> float:
    # Seconds it took `check()` to hold; fails the test if it never does.
    start = time.monotonic()
    while not await check():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.01)
    return time.monotonic() - start


async def _caught_up(app: FastAPI) -> None:
    # Fresh, and the map holds every change committed so far.
    async with app.state.engine.connect() as conn:
        newest = (await conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM changes"))).scalar()

    async def caught_up() -> bool:
        watcher = app.state.watcher
        return bool(watcher.fresh() and watcher.last_change >= newest)

    await _until(caught_up, 5)


async def test_a_304_is_answered_with_the_database_unreachable(
    watched_app: FastAPI, watched: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")), article(event("anthropic", "offer")))
    page = await watched.get(URL, params={"limit": 10})
    merged = await watched.get("/v1/timeline", params=[("actor", "openai"), ("actor", "anthropic")])
    await _caught_up(watched_app)

    # Every request after this that touches the database gets a 503.
    live, dead = watched_app.state.engine, make_engine(DEAD_URL, pre_ping=False)
    watched_app.state.engine = dead
    try:
        mine = await watched.get(URL, params={"limit": 10},
                                 headers={"If-None-Match": page.headers["etag"]})
        both = await watched.get(
            "/v1/timeline", params=[("actor", "openai"), ("actor", "anthropic")],
            headers={"If-None-Match": merged.headers["etag"]},
        )
        # The same ETag under other parameters is another answer: the database decides.
        other = await watched.get(URL, headers={"If-None-Match": page.headers["etag"]})
    finally:
        watched_app.state.engine = live
        await dead.dispose()
    assert (mine.status_code, mine.content) == (304, b"")
    assert mine.headers["etag"] == page.headers["etag"]
    assert both.status_code == 304 and both.headers["etag"] == merged.headers["etag"]
    assert other.status_code == 503


async def test_a_new_event_changes_the_etag_within_two_poll_intervals(
    watched_app: FastAPI, watched: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    etag = (await watched.get(URL)).headers["etag"]
    await _caught_up(watched_app)
    assert (await watched.get(URL, headers={"If-None-Match": etag})).status_code == 304

    await seed(article(event("openai", "offer")))
    answers: list[httpx.Response] = []

    async def changed() -> bool:
        answers.append(await watched.get(URL, headers={"If-None-Match": etag}))
        return answers[-1].status_code == 200

    # Two intervals, plus slack for a loaded test machine.
    assert await _until(changed, 2 * POLL_MS / 1000 + 0.5) < 2 * POLL_MS / 1000 + 0.5
    new_etag = answers[-1].headers["etag"]
    assert new_etag != etag and len(answers[-1].json()["data"]) == 2
    assert (await watched.get(URL, headers={"If-None-Match": new_etag})).status_code == 304


async def test_an_actor_edit_without_a_change_is_seen_after_the_resync(
    watched_app: FastAPI, watched: httpx.AsyncClient, seed: Seed, clean_db: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(change_watcher, "RESYNC_S", 0.3)
    await seed(article(event("openai")))
    etag = (await watched.get(URL)).headers["etag"]
    await _caught_up(watched_app)
    async with clean_db.begin() as conn:  # a rename records no change
        await conn.execute(sa.text("UPDATE actors SET name = 'OpenAI Inc.' WHERE slug = 'openai'"))

    async def renamed() -> bool:
        resp = await watched.get(URL, headers={"If-None-Match": etag})
        return resp.status_code == 200 and resp.json()["actor"]["name"] == "OpenAI Inc."

    await _until(renamed, 2)


async def test_a_failing_poll_falls_back_to_the_database(
    watched_app: FastAPI, watched: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    etag = (await watched.get(URL)).headers["etag"]
    await _caught_up(watched_app)
    watcher = watched_app.state.watcher
    live, dead = watcher._engine, make_engine(DEAD_URL)
    watcher._engine = dead
    try:
        async def stale() -> bool:
            return not watcher.fresh()

        await _until(stale, 2)
        # The map cannot learn of this event; only the database path can answer 200.
        await seed(article(event("openai", "offer")))
        resp = await watched.get(URL, headers={"If-None-Match": etag})
        assert resp.status_code == 200 and len(resp.json()["data"]) == 2
    finally:
        watcher._engine = live
        await dead.dispose()
    await _caught_up(watched_app)  # the next successful poll makes it fresh again
    again = await watched.get(URL, headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304


async def test_the_watcher_is_off_at_zero_and_stops_with_the_app(database_url: str) -> None:
    off = create_app(ApiSettings(database_url=database_url, etag_poll_ms=0))
    async with off.router.lifespan_context(off):
        assert off.state.watcher is None
    on = create_app(ApiSettings(database_url=database_url, etag_poll_ms=POLL_MS))
    async with on.router.lifespan_context(on):
        task = on.state.watcher._task
        await _caught_up(on)
    assert task.done()


async def test_a_current_poll_is_answered_before_routing_as_the_route_would(
    watched_app: FastAPI, watched: httpx.AsyncClient, seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # from_memory.PollShortcut answers a current timeline poll as plain ASGI: the same 304,
    # headers and metrics label as the route's own answer from memory.
    import re

    await seed(article(event("openai")))
    page = await watched.get(URL, params={"limit": 10})
    await _caught_up(watched_app)
    polled = {"params": {"limit": 10}, "headers": {"If-None-Match": page.headers["etag"]}}
    short = await watched.get(URL, **polled)
    with monkeypatch.context() as patch:
        patch.setattr(from_memory, "_TIMELINE_PATH", re.compile(r"(?!)(x)"))  # shortcut off
        routed = await watched.get(URL, **polled)
    assert short.status_code == routed.status_code == 304
    assert dict(short.headers) == dict(routed.headers) and short.content == b""
    # Units and stale tags still go to the route.
    units = await watched.get(URL, params={"limit": 10, "include_units": "true"},
                              headers=polled["headers"])
    assert units.status_code == 200
    stale = await watched.get(URL, params={"limit": 10}, headers={"If-None-Match": 'W/"x"'})
    assert stale.status_code == 200
    text = (await watched.get("/metrics")).text
    assert 'route="/v1/actors/{slug}/timeline",status="304"} 2' in text
