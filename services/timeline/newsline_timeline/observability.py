"""The consumer's own port: Prometheus metrics, liveness and readiness.

`/metrics` (prometheus-client text format): batches and their size and latency,
dead letters, database errors by kind, and, read from Redis at scrape time, the
group's lag (entries not yet delivered) and pending entries (delivered, not yet
acknowledged) and the dead-letter stream's length. `/readyz` answers 503 with the
reason while the database is unreachable (delivery.Health), `/healthz` 200 while the
process runs. Served by uvicorn inside the consumer's event loop when
NEWSLINE_METRICS_PORT is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from newsline_contracts import StreamNames
from newsline_timeline.delivery import Health

log = logging.getLogger("newsline.timeline")


class ConsumerMetrics:
    """Every figure the consumer exposes, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.batches = Counter("newsline_timeline_batches", "Batches stored", registry=r)
        self.batch_size = Histogram(
            "newsline_timeline_batch_size", "Articles per stored batch", registry=r,
            buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000))
        self.batch_seconds = Histogram(
            "newsline_timeline_batch_seconds", "Time to store one batch (commit included)",
            registry=r, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.dead_letters = Counter(
            "newsline_timeline_dead_letters",
            "Articles this consumer dead-lettered for an error of their own (an entry that "
            "is no article at all shows in the dead-letter stream's length)", registry=r)
        self.db_errors = Counter(
            "newsline_timeline_db_errors", "Failed writes, by kind (outage or message)",
            ["kind"], registry=r)
        self.lag = Gauge("newsline_timeline_stream_lag",
                         "Entries of the stream not yet delivered to the group", registry=r)
        self.pending = Gauge("newsline_timeline_pending",
                             "Entries delivered to the group but not yet acknowledged",
                             registry=r)
        self.dlq_length = Gauge("newsline_timeline_dead_letter_stream_length",
                                "Entries in the dead-letter stream", registry=r)
        self.ready = Gauge("newsline_timeline_ready", "1 when the database is reachable",
                           registry=r)

    async def sample_stream(self, redis: Any, names: StreamNames) -> None:
        """Read lag, pending and dead letters from Redis (at scrape time)."""
        with contextlib.suppress(Exception):  # no stream yet, Redis away: keep the last value
            for group in await redis.xinfo_groups(names.articles):
                name = group["name"].decode() if isinstance(group["name"], bytes) else group["name"]
                if name == names.timeline_group:
                    self.lag.set(int(group.get("lag") or 0))
                    self.pending.set(int(group["pending"]))
            self.dlq_length.set(int(await redis.xlen(names.dead_letters)))


def observability_app(metrics: ConsumerMetrics, health: Health, redis: Any,
                      names: StreamNames) -> Starlette:
    """The ASGI app of the consumer's port."""

    async def prometheus(_: Request) -> Response:
        await metrics.sample_stream(redis, names)
        metrics.ready.set(1 if health.ready else 0)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def readyz(_: Request) -> Response:
        if health.ready:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready", "reason": health.reason}, status_code=503)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/metrics", prometheus), Route("/readyz", readyz),
                             Route("/healthz", healthz)])


async def serve(app: Starlette, host: str, port: int) -> None:
    """Run the port until cancelled (uvicorn without its own signal handling)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           lifespan="off"))
    # The consumer owns SIGTERM/SIGINT (__main__): uvicorn must not take them over.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    try:
        await server.serve()
    except asyncio.CancelledError:
        server.should_exit = True
        raise
