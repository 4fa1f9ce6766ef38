"""The api application: `uvicorn newsline_api.app:create_app --factory`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from newsline_api.actors import routes as actors
from newsline_api.changes import routes as changes
from newsline_api.errors import install_error_handlers
from newsline_api.events import routes as events
from newsline_api.exports import routes as exports
from newsline_api.openapi import install_openapi
from newsline_api.ops import dashboard, docs
from newsline_api.ops import routes as ops
from newsline_api.ops.metrics import MetricsMiddleware, RequestMetrics
from newsline_api.settings import ApiSettings
from newsline_api.timelines import routes as timelines
from newsline_api.timelines.from_memory import PollShortcut
from newsline_api.timelines.watcher import ChangeWatcher
from newsline_api.vocabulary import routes as vocabulary
from newsline_contracts.logs import configure as configure_logs
from newsline_db import make_engine
from newsline_http import HeadAsGet, RawBytesGuard, SecurityHeaders

POOL_SIZE = 10

_DESCRIPTION = """\
Every GET also answers HEAD (same status and headers, no body). Errors are JSON
`{error, message, details?}`. Reads are public unless the server sets a read key
(NEWSLINE_READ_KEY); then every /v1 read and /metrics need `X-API-Key`.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Created here, not at import, so each app (and each test) gets its own pool.
    # No ping per checkout (a round trip on every request, see make_engine), and no
    # overflow: connections opened and closed under load cost each a connect, the
    # driver's setup queries and re-preparing statements, and put seconds on the p99.
    engine = make_engine(
        app.state.settings.database_url, pool_size=POOL_SIZE, max_overflow=0, pre_ping=False
    )
    app.state.engine = engine
    # Requests queue here, first come first served, rather than in the pool: a
    # connection returned to SQLAlchemy's pool goes to whichever request asks next,
    # so under load a waiting request can be passed over for seconds.
    app.state.db_gate = asyncio.Semaphore(POOL_SIZE)
    poll_ms = app.state.settings.etag_poll_ms
    watcher = ChangeWatcher(app.state.settings.database_url, poll_ms / 1000) if poll_ms else None
    app.state.watcher = watcher
    if watcher is not None:
        watcher.start()
    try:
        yield
    finally:
        if watcher is not None:
            await watcher.stop()
        await engine.dispose()


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the api for `settings` (read from the environment when not given)."""
    settings = settings or ApiSettings()
    # JSON lines on stderr, like ingest and the consumer: the access log (ops.metrics),
    # and the errors the handlers log. uvicorn keeps its own loggers.
    configure_logs("api", logger=("newsline.api", "newsline_api", "newsline_http"))
    app = FastAPI(
        title="Newsline API",
        summary="Per-actor event timelines read from business news.",
        description=_DESCRIPTION,
        version="1",
        lifespan=_lifespan,
        # Served by ops.docs from local assets, under a CSP that trusts no other host.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = RequestMetrics()
    install_error_handlers(app)
    install_openapi(app, settings)
    for module in (actors, timelines, exports, events, changes, vocabulary, ops, dashboard, docs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=dashboard.STATIC_DIR), name="static")
    app.mount(docs.ASSETS_URL, docs.assets(), name="docs-assets")
    # Innermost: a current poll of a timeline is answered before routing (inside CORS
    # and metrics, so both still see it).
    app.add_middleware(PollShortcut)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET"],
            allow_headers=["If-None-Match", "Last-Event-ID"], expose_headers=["ETag"],
        )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    # Outermost: every answer (a 304 from memory, an error, a file) gets the headers,
    # and HEAD is GET without a body everywhere.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RawBytesGuard)
    app.add_middleware(HeadAsGet)
    return app
