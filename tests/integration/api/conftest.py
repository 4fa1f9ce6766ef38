"""An api app on the session database, called in-process; and a way to seed it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from newsline_contracts import ArticleParsed
from newsline_http.protocol import HTTP_PROTOCOL
from newsline_timeline.store import persist_batch

Seed = Callable[..., Awaitable[None]]


async def _started_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    # ASGITransport does not run the lifespan (asgi-lifespan is not installed): enter it here.
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        # raise_app_exceptions=False: a test sees the 500 a client would, not the exception.
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://test",
    ) as client:
        yield client


@pytest.fixture
def app(database_url: str) -> FastAPI:
    """The api on the migrated session database, every 304 decided by the database."""
    # Without the change watcher: these tests write and expect the next request to see it
    # at once; test_etag_watcher.py covers the watcher and its staleness bound.
    return create_app(ApiSettings(database_url=database_url, etag_poll_ms=0))


@pytest.fixture
async def client(app: FastAPI, clean_db: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to `app` in-process, with its lifespan started, on empty tables."""
    async for started in _started_client(app):
        yield started


@pytest.fixture
async def offline_client() -> AsyncIterator[httpx.AsyncClient]:
    """A client of an api whose DATABASE_URL points at a closed port."""
    app = create_app(ApiSettings(database_url="postgresql://postgres@127.0.0.1:1/x"))
    async for started in _started_client(app):
        yield started


@pytest.fixture
def seed(clean_db: AsyncEngine) -> Seed:
    """Store article messages as the timeline consumer would: one transaction per call."""

    async def store(*messages: ArticleParsed) -> None:
        async with clean_db.begin() as conn:
            await persist_batch(conn, messages)

    return store


@pytest.fixture
async def live_url(database_url: str, clean_db: AsyncEngine) -> AsyncIterator[str]:
    """The api served by a real uvicorn on a free port (streams need a real socket:
    ASGITransport buffers a whole response before returning it)."""
    import socket

    import uvicorn

    settings = ApiSettings(database_url=database_url, stream_poll_s=0.1, stream_heartbeat_s=0.5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning",
        timeout_graceful_shutdown=2, http=HTTP_PROTOCOL,  # as `newsline up` runs it
    ))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # surfaces why it could not start
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
