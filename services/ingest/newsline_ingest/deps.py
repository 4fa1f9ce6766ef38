"""Dependencies of the ingest routes, as `Annotated` aliases.

`async def` on purpose: FastAPI runs a plain `def` dependency in a worker thread, three
thread hops per request for what is an attribute read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from newsline_ingest.metrics import IngestMetrics
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.publishing import ArticlePublisher
from newsline_ingest.settings import IngestSettings


async def _settings(request: Request) -> IngestSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _pool(request: Request) -> ExtractionPool:
    return request.app.state.pool  # type: ignore[no-any-return]


async def _publisher(request: Request) -> ArticlePublisher:
    return request.app.state.publisher  # type: ignore[no-any-return]


async def _metrics(request: Request) -> IngestMetrics:
    return request.app.state.metrics  # type: ignore[no-any-return]


SettingsDep = Annotated[IngestSettings, Depends(_settings)]
PoolDep = Annotated[ExtractionPool, Depends(_pool)]
PublisherDep = Annotated[ArticlePublisher, Depends(_publisher)]
MetricsDep = Annotated[IngestMetrics, Depends(_metrics)]
