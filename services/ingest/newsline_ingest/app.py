"""The ingest service: POST articles, get them parsed and onto the stream."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from newsline_contracts import StreamNames
from newsline_engine import Extractor, KnowledgeError, load_knowledge
from newsline_http import install_error_handlers
from newsline_ingest.body_guard import BodyGuard
from newsline_ingest.publishing import ArticlePublisher
from newsline_ingest.routes import router
from newsline_ingest.settings import IngestSettings

log = logging.getLogger("newsline.ingest")


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    """Build the app; knowledge files are validated here, so a bad one fails at startup."""
    settings = settings or IngestSettings()
    try:
        extractor = Extractor(load_knowledge(settings.knowledge_dir))
    except KnowledgeError as exc:
        # A person has to fix a data file: say which, and stop (no traceback).
        raise SystemExit(f"newsline ingest: knowledge files are invalid: {exc}") from None
    publisher = ArticlePublisher.create(
        settings.redis_url, StreamNames(settings.stream_prefix), settings.seen_ttl_days * 86_400
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await publisher.start()
        try:
            yield
        finally:
            await publisher.close()

    app = FastAPI(
        title="Newsline ingest",
        version="0.1.0",
        lifespan=lifespan,
        description="Post news articles; their events go onto the timeline stream.",
    )
    app.state.settings, app.state.extractor, app.state.publisher = settings, extractor, publisher
    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(
        BodyGuard, max_bytes=settings.max_body_bytes, paths=("/v1/articles", "/v1/extract")
    )
    return app
