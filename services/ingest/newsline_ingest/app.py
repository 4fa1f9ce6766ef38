"""The ingest service: POST articles, get them parsed and onto the stream."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsline_contracts import StreamNames
from newsline_contracts.logs import configure
from newsline_engine import KnowledgeError, load_knowledge
from newsline_http import SecurityHeaders, install_error_handlers
from newsline_ingest.guard import RequestGuard
from newsline_ingest.metrics import IngestMetrics
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.publishing import ArticlePublisher
from newsline_ingest.routes import router
from newsline_ingest.settings import IngestSettings

log = logging.getLogger("newsline.ingest")


def _log_to_stderr() -> None:
    # uvicorn configures only its own loggers: without this, the refusal lines
    # (one per refused request) would go nowhere. JSON lines, like the consumer's; the
    # shared error handlers (newsline_http) log an unexpected error the same way.
    if not log.handlers:
        configure("ingest", logger=("newsline.ingest", "newsline_http"))


class ReadableStartupRefusal:
    """A refusal to start that is meant for a person is logged as its one line.

    A lifespan that raises makes Starlette hand uvicorn the whole traceback as the
    startup failure's message, and uvicorn logs it. When the lifespan stops with a
    `SystemExit` carrying a sentence (NEWSLINE_DURABLE_ACK asks for what the server
    cannot give), that sentence replaces the traceback; uvicorn still exits non-zero.
    """

    def __init__(self, app: ASGIApp, refusal: list[str]) -> None:
        self.app, self.refusal = app, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_readably(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and self.refusal:
                message = {**message, "message": self.refusal[0]}
            await send(message)

        await self.app(scope, receive, send_readably)


def create_app(
    settings: IngestSettings | None = None, *, pool: ExtractionPool | None = None
) -> FastAPI:
    """Build the app; knowledge files are validated here, so a bad one fails at startup.

    The extraction workers start with the app's lifespan, which ends (and /readyz
    answers) only once each has loaded the knowledge and warmed its models. A `pool`
    passed in (tests share one) is started and stopped by its owner.
    """
    settings = settings or IngestSettings()
    _log_to_stderr()
    try:
        load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        # A person has to fix a data file: say which, and stop (no traceback).
        raise SystemExit(f"newsline ingest: knowledge files are invalid: {exc}") from None
    publisher = ArticlePublisher.create(
        settings.redis_url, StreamNames(settings.stream_prefix), settings.seen_ttl_days * 86_400,
        durable_ack=settings.durable_ack, fsync_timeout_ms=settings.durable_ack_timeout_ms)
    owned = pool is None
    pool = pool or ExtractionPool(
        settings.extract_workers, settings.knowledge_dir, settings.extract_budget_s,
        settings.max_queued, settings.queue_wait_s)

    refusal: list[str] = []  # why startup was refused, for ReadableStartupRefusal

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if owned:
            await pool.start()
        try:
            try:
                await publisher.start()
            except SystemExit as refused:
                refusal.append(str(refused.code))
                raise
            try:
                yield
            finally:
                await publisher.close()
        finally:
            if owned:
                await pool.close()

    app = FastAPI(
        title="Newsline ingest",
        version="0.1.0",
        lifespan=lifespan,
        description="Post news articles; their events go onto the timeline stream.",
    )
    app.state.settings, app.state.pool, app.state.publisher = settings, pool, publisher
    app.state.metrics = metrics = IngestMetrics(pool)
    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(RequestGuard, settings=settings, paths=("/v1/articles", "/v1/extract"),
                       metrics=metrics)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ReadableStartupRefusal, refusal=refusal)
    return app
