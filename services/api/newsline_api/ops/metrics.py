"""The api's Prometheus figures (prometheus-client), and the middleware that feeds them.

Requests by method, route template and status, and the time spent answering them, in
a registry of the app's own: several apps in one process (tests) never collide in
prometheus-client's global registry. The same middleware writes the access log: one
JSON line per answered request (newsline_contracts.logs), so a request is timed once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Most pages answer within milliseconds; exports and cold caches take longer.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

access_log = logging.getLogger("newsline.api.access")


class RequestMetrics:
    """Counters and a latency histogram by (method, route template, status)."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter("newsline_api_requests",
                                "HTTP requests answered, by route template and status",
                                labels, registry=r)
        self.seconds = Histogram("newsline_api_requests_seconds",
                                 "Time spent answering, by route template and status",
                                 labels, registry=r, buckets=LATENCY_BUCKETS)
        # The labelled children, looked up once per series: `labels()` takes a lock and
        # builds its key on every call, on the path of every request.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one answered request."""
        series = self._series.get((method, route, status))
        if series is None:
            labels = (method, route, str(status))
            series = self._series[method, route, status] = (
                self.requests.labels(*labels), self.seconds.labels(*labels))
        series[0].inc()
        series[1].observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The text Prometheus scrapes, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def _route(scope: Scope) -> str:
    # The router stores the matched route in the scope; label by its template, never
    # the raw path, so ids and slugs cannot explode the series count.
    route = getattr(scope.get("route"), "path", None)
    if route is None and scope.get("endpoint") is not None:
        route = scope.get("root_path") or None  # a Mount (static files) sets only this
    return str(route or "unmatched")


class MetricsMiddleware:
    """Counts and logs every HTTP request once its status is known."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through, noting the status it was answered with."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets if the app raises before answering
        started = time.perf_counter()

        async def note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, note_status)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                _log_access(scope, route, status, seconds)


def _log_access(scope: Scope, route: str, status: int, seconds: float) -> None:
    # A record built here, not by `info()`: no caller lookup (a stack walk per request
    # would name this line every time anyway).
    record = logging.LogRecord(access_log.name, logging.INFO, __file__, 0, "%s %s %d %.1f ms",
                               (scope["method"], scope["path"], status, seconds * 1000), None)
    client = scope.get("client")
    record.__dict__.update(method=scope["method"], path=scope["path"], route=route,
                           status=status, duration_ms=round(seconds * 1000, 2),
                           client=client[0] if client else None)
    access_log.handle(record)
