"""Request counts in Prometheus text format, from a tiny ASGI middleware (no dependency)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_PREFIX = "newsline_api_requests"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class RequestMetrics:
    """Counters by (method, route template, status) for this process."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.seconds: defaultdict[tuple[str, str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one answered request."""
        key = (method, route, str(status))
        self.counts[key] += 1
        self.seconds[key] += seconds

    def render(self) -> str:
        """The exposition text Prometheus scrapes."""
        lines = [
            f"# HELP {_PREFIX}_total HTTP requests answered, by route template and status.",
            f"# TYPE {_PREFIX}_total counter",
        ]
        series = sorted(self.counts)
        labels = {
            key: f'method="{_label(key[0])}",route="{_label(key[1])}",status="{key[2]}"'
            for key in series
        }
        lines += [f"{_PREFIX}_total{{{labels[k]}}} {self.counts[k]}" for k in series]
        lines += [
            f"# HELP {_PREFIX}_seconds Time spent answering, by route template and status.",
            f"# TYPE {_PREFIX}_seconds summary",
        ]
        for k in series:
            lines.append(f"{_PREFIX}_seconds_sum{{{labels[k]}}} {self.seconds[k]:.6f}")
            lines.append(f"{_PREFIX}_seconds_count{{{labels[k]}}} {self.counts[k]}")
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """Counts every HTTP request once its status is known."""

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
            # The router stores the matched route in the scope; label by its template,
            # never the raw path, so ids and slugs cannot explode the series count.
            route = getattr(scope.get("route"), "path", None)
            if route is None and scope.get("endpoint") is not None:
                route = scope.get("root_path") or None  # a Mount (static files) sets only this
            route = route or "unmatched"
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)
