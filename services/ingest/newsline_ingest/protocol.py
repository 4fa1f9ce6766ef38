"""uvicorn's HTTP/1.1 protocol with a header read timeout (slowloris), for ingest.

uvicorn bounds the body of nothing and the headers of nothing: `timeout_keep_alive`
only closes a connection idle *between* requests, and a client trickling its header
lines one byte at a time holds a connection forever. This protocol gives each
request's headers NEWSLINE_HEADER_TIMEOUT_S from its first byte (or from the
connection's opening), then answers 408 as JSON and closes. The body's timeout is the
app's (`RequestGuard`, NEWSLINE_BODY_TIMEOUT_S): it needs no protocol.

Run ingest with `uvicorn --http newsline_ingest.protocol:IngestProtocol` (the import
string is `HTTP_PROTOCOL`). It extends newsline_http's `JsonErrorsProtocol`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from newsline_http.middleware import error_bytes
from newsline_http.protocol import JsonErrorsProtocol

HTTP_PROTOCOL = "newsline_ingest.protocol:IngestProtocol"
log = logging.getLogger("newsline.ingest")

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


def _header_timeout() -> float:
    from newsline_ingest.settings import IngestSettings

    return IngestSettings().header_timeout_s


def _raw_408(timeout: float) -> bytes:
    headers, body = error_bytes(
        408, "header_timeout",
        f"the request headers did not arrive within {timeout:g} s (NEWSLINE_HEADER_TIMEOUT_S)")
    lines = [b"HTTP/1.1 408 Request Timeout", *(k + b": " + v for k, v in headers),
             b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class IngestProtocol(JsonErrorsProtocol):
    """JsonErrorsProtocol, plus a deadline for each request's headers."""

    header_timeout_s: float | None = None  # read from the settings on first use

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        if IngestProtocol.header_timeout_s is None:
            IngestProtocol.header_timeout_s = _header_timeout()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the first request's headers are due."""
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        """A request started arriving: its headers are due."""
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        """Headers in time: stop the clock (the body has its own timeout)."""
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Nothing is due from a closed connection."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        timeout = IngestProtocol.header_timeout_s or 10.0
        self._header_timer = self.loop.call_later(timeout, self._headers_late, timeout)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self, timeout: float) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            client = f"{self.client[0]}" if self.client else "unknown"
            log.info("refused a request from %s: 408 header_timeout: its headers took longer "
                     "than %g s", client, timeout)
            self.transport.write(_raw_408(timeout))
            self.transport.close()


if HttpToolsProtocol is None or not issubclass(JsonErrorsProtocol, HttpToolsProtocol):
    # The callbacks above are httptools'; under h11 run without the header deadline.
    IngestProtocol = JsonErrorsProtocol  # type: ignore[misc,assignment]
