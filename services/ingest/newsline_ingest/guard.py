"""The ingest edge, before anything is parsed: content type, rate limits, body size and
read timeouts; and one log line for every request refused, whoever refused it.

An early answer (413, 415, 429) first reads and throws away what the client is still
sending, up to a cap: a server that answers and closes mid-upload makes most clients
see a connection reset instead of the JSON error.

Large bodies are read a few at a time (`_turn`). uvicorn stops reading a connection
whose last 64 KB the app has not taken, so a body waiting for its turn costs the event
loop nothing; forty megabyte bodies read at once put forty chunks, then forty JSON
decodes, into every turn of the loop, and a small post, which needs several turns
(its body, the extraction worker, three Redis round trips), waited 100-200 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsline_http.middleware import error_bytes
from newsline_ingest.metrics import IngestMetrics
from newsline_ingest.ratelimit import TokenBuckets
from newsline_ingest.settings import IngestSettings

log = logging.getLogger("newsline.ingest")

# Bodies over this many bytes, or of undeclared length, wait for one of LARGE_READS
# turns; after LARGE_TURN_WAIT_S without one (slow clients holding them all) they are
# read anyway: a turn orders the work, it never refuses or starves a request.
LARGE_BODY_BYTES, LARGE_READS, LARGE_TURN_WAIT_S = 64 * 1024, 2, 1.0


class _BodyTimeout(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, *, pending: bool) -> None:
        super().__init__("too large")
        self.pending = pending  # more of the body is still on its way


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def log_refusal(scope: Scope, status: int, error: str, message: str) -> None:
    """One line per refused request: what, from whom, and why (never a traceback)."""
    log.info("refused %s %s from %s: %d %s: %s", scope.get("method"), scope.get("path"),
             _client(scope), status, error, message)


class RequestGuard:
    """ASGI middleware in front of the ingest app (see the module docstring).

    Every refusal, its own or the app's, is logged and counted in `metrics`.
    """

    def __init__(self, app: ASGIApp, settings: IngestSettings, paths: tuple[str, ...],
                 metrics: IngestMetrics) -> None:
        self.app, self.settings, self.paths, self.metrics = app, settings, paths, metrics
        self.requests = TokenBuckets(settings.rate_per_s, settings.rate_burst)
        per_min = settings.auth_failures_per_min
        self.auth_failures = TokenBuckets(per_min / 60.0, per_min)
        self.large_reads = asyncio.Semaphore(LARGE_READS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse early what can be refused early; log whatever the app refuses."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, self._logging(scope, send))
            return
        # Latin-1, as Starlette decodes them: a byte that is not UTF-8 is no 500.
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        deadline = time.monotonic() + self.settings.body_timeout_s
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await self._early(scope, receive, send, headers, deadline, *refusal)
            return
        try:
            async with self._turn(headers):
                body = await self._read(receive, deadline)
        except _BodyTimeout:
            await self._answer(scope, send, 408, "body_timeout",
                               f"the body did not arrive within {self._timeout()} "
                               "(NEWSLINE_BODY_TIMEOUT_S)", close=True)
            return
        except _TooLarge as too_large:
            close = too_large.pending and not await self._drain(receive, deadline)
            await self._answer(scope, send, 413, "too_large", self._too_large(), close=close)
            return
        if body is None:  # the client left
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, self._logging(scope, send))

    def _refusal(self, scope: Scope, headers: dict[str, str]
                 ) -> tuple[int, str, str, dict[str, str]] | None:
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return (415, "unsupported_media_type",
                    f"send the article as application/json, not {ctype or 'no content type'}",
                    {})
        client = _client(scope)
        wait = self.auth_failures.wait(client)
        if wait:
            return (429, "too_many_failed_authentications",
                    f"too many requests with a missing or wrong API key from {client}; "
                    "retry after Retry-After seconds", _retry(wait))
        # Per key only where keys exist: on an open ingest, a made-up header per request
        # would otherwise be a fresh bucket per request.
        key = headers.get("x-api-key") if self.settings.api_key else None
        who = f"key:{hashlib.sha256(key.encode('latin-1')).hexdigest()[:16]}" if key else (
            f"address:{client}")
        wait = self.requests.take(who)
        if wait:
            return (429, "rate_limited",
                    f"more than {self.settings.rate_per_s:g} requests a second "
                    f"(burst {self.settings.rate_burst}) from this "
                    f"{'API key' if key else 'address'} (NEWSLINE_RATE_LIMIT); "
                    "retry after Retry-After seconds", _retry(wait))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_body_bytes:
            return 413, "too_large", self._too_large(), {}
        return None

    @contextlib.asynccontextmanager
    async def _turn(self, headers: dict[str, str]) -> AsyncIterator[None]:
        """A turn to read a large body (see the module docstring); small ones need none."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) <= LARGE_BODY_BYTES:
            yield
            return
        try:
            async with asyncio.timeout(LARGE_TURN_WAIT_S):
                await self.large_reads.acquire()
        except TimeoutError:
            yield
            return
        try:
            yield
        finally:
            self.large_reads.release()

    async def _read(self, receive: Receive, deadline: float) -> bytes | None:
        """The whole body, or None if the client left; _TooLarge past the limit."""
        chunks: list[bytes] = []
        seen, more = 0, True
        while more:
            message = await self._receive(receive, deadline)
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            more = message.get("more_body", False)
            if seen > self.settings.max_body_bytes:
                raise _TooLarge(pending=more)
        return b"".join(chunks)

    async def _receive(self, receive: Receive, deadline: float) -> Message:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _BodyTimeout
        try:
            # asyncio.timeout, not wait_for: no task per chunk of a megabyte body.
            async with asyncio.timeout(remaining):
                return await receive()
        except TimeoutError:
            raise _BodyTimeout from None

    async def _early(self, scope: Scope, receive: Receive, send: Send,
                     headers: dict[str, str], deadline: float, status: int, error: str,
                     message: str, extra: dict[str, str]) -> None:
        """Answer before the app runs, after draining what the client is still sending."""
        close = False
        # A client waiting for "100 Continue" has sent nothing: answer it at once.
        if headers.get("expect", "").lower() != "100-continue":
            close = not await self._drain(receive, deadline)
        await self._answer(scope, send, status, error, message, extra, close=close)

    async def _drain(self, receive: Receive, deadline: float) -> bool:
        """Read and discard the rest of the body; False if it was too long or too slow."""
        read = 0
        try:
            while True:
                message = await self._receive(receive, deadline)
                if message["type"] == "http.disconnect":
                    return False
                read += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return True
                if read > self.settings.drain_cap_bytes:
                    return False
        except _BodyTimeout:
            return False

    async def _answer(self, scope: Scope, send: Send, status: int, error: str, message: str,
                      extra: dict[str, str] | None = None, *, close: bool = False) -> None:
        log_refusal(scope, status, error, message)
        self.metrics.refused(status, error)
        head, body = error_bytes(status, error, message)
        head += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
        if close:
            head.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": body})

    def _logging(self, scope: Scope, send: Send) -> Send:
        """`send`, noting a 4xx/5xx the app answers: one log line, and 401s counted."""
        status = 0

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status == 401:
                    self.auth_failures.take(_client(scope))
            elif message["type"] == "http.response.body" and status >= 400:
                error, text = _error_of(message.get("body", b""))
                log_refusal(scope, status, error, text)
                self.metrics.refused(status, error)
                status = 0
            await send(message)

        return noting

    def _timeout(self) -> str:
        return f"{self.settings.body_timeout_s:g} s"

    def _too_large(self) -> str:
        return (f"the body is larger than {self.settings.max_body_bytes} bytes "
                "(NEWSLINE_MAX_BODY_BYTES)")


def _retry(wait: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(wait)))}


def _error_of(body: bytes) -> tuple[str, str]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "error", body[:200].decode("utf-8", "replace")
    if not isinstance(data, dict):
        return "error", ""
    return str(data.get("error", "error")), str(data.get("message", ""))[:500]
