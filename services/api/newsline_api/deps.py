"""Dependencies as `Annotated` aliases: routes declare what they need by type."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newsline_api.metrics import RequestMetrics
from newsline_api.settings import ApiSettings


def get_settings(request: Request) -> ApiSettings:
    """The settings the app was built with."""
    settings: ApiSettings = request.app.state.settings
    return settings


def get_engine(request: Request) -> AsyncEngine:
    """The engine the lifespan created."""
    engine: AsyncEngine = request.app.state.engine
    return engine


async def get_conn(
    engine: Annotated[AsyncEngine, Depends(get_engine)],
) -> AsyncIterator[AsyncConnection]:
    """A pooled connection for one request, returned to the pool afterwards."""
    async with engine.connect() as conn:
        yield conn


def get_metrics(request: Request) -> RequestMetrics:
    """This process's request counters."""
    metrics: RequestMetrics = request.app.state.metrics
    return metrics


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
ConnDep = Annotated[AsyncConnection, Depends(get_conn)]
MetricsDep = Annotated[RequestMetrics, Depends(get_metrics)]
