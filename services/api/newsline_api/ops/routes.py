"""Operations endpoints: liveness, readiness, metrics."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from newsline_api.deps import EngineDep, MetricsDep, SettingsDep
from newsline_api.ops.shapes import Health, Readiness
from newsline_http import ReadKey

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive; says nothing about the database."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(engine: EngineDep, settings: SettingsDep) -> Readiness | JSONResponse:
    """Ready only when the database answers `SELECT 1` within the readiness timeout."""
    try:
        async with asyncio.timeout(settings.readiness_timeout_s):
            async with engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
    except TimeoutError:
        problem = f"no answer within {settings.readiness_timeout_s:g} s"
    except Exception as exc:  # any failure means "not ready"; say which, briefly
        problem = f"{type(exc).__name__}: {exc}"[:300]
    else:
        return Readiness(status="ready", database="ok")
    body = Readiness(status="unavailable", database=problem)
    return JSONResponse(body.model_dump(), status_code=503)


@router.get("/metrics", response_class=PlainTextResponse, dependencies=[ReadKey])
async def metrics(registry: MetricsDep) -> PlainTextResponse:
    """Request counts and latency by route and status, in Prometheus text format."""
    body, content_type = registry.exposition()
    return PlainTextResponse(body, media_type=content_type)
