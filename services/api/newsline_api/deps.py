"""Dependencies as `Annotated` aliases: routes declare what they need by type.

All `async def`: FastAPI runs a plain `def` dependency in the thread pool, which costs
more than the dependency itself on a page that takes a millisecond.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newsline_api.ops.metrics import RequestMetrics
from newsline_api.settings import ApiSettings


async def get_settings(request: Request) -> ApiSettings:
    """The settings the app was built with."""
    settings: ApiSettings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> AsyncEngine:
    """The engine the lifespan created."""
    engine: AsyncEngine = request.app.state.engine
    return engine


@asynccontextmanager
async def open_conn(request: Request) -> AsyncIterator[AsyncConnection]:
    """A pooled connection for one request (in arrival order), returned afterwards."""
    state = request.app.state
    async with state.db_gate, state.engine.connect() as conn:
        yield conn


async def get_conn(request: Request) -> AsyncIterator[AsyncConnection]:
    """`open_conn` as a dependency, for routes that always read the database."""
    async with open_conn(request) as conn:
        yield conn


async def get_metrics(request: Request) -> RequestMetrics:
    """This process's request counters."""
    metrics: RequestMetrics = request.app.state.metrics
    return metrics


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
ConnDep = Annotated[AsyncConnection, Depends(get_conn)]
MetricsDep = Annotated[RequestMetrics, Depends(get_metrics)]
# The validator a polling client sends back; a route answers 304 when it is current.
IfNoneMatch = Annotated[str | None, Header()]
