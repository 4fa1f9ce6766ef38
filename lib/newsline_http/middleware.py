"""Plain ASGI middleware every Newsline service wraps its app in: the HTTP edge rules.

- `SecurityHeaders`: `nosniff`, a Content-Security-Policy and `Referrer-Policy` on every
  response (a route that set its own CSP, say the dashboard, keeps it).
- `HeadAsGet`: HEAD answered wherever GET is, with GET's status and headers and no body;
  the route's body (an export, an endless event stream) is never produced.
- `RawBytesGuard`: a query string with raw bytes outside ASCII gets the JSON 400 (an
  ASGI server or proxy that passes them on would otherwise decode them as Latin-1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# For JSON, text and files: nothing in them may load, run or frame anything.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": API_CSP,
}

NON_ASCII_MESSAGE = (
    "The request line holds bytes outside ASCII; percent-encode them "
    "(curl -G --data-urlencode 'q=百度' URL, or q=%E7%99%BE%E5%BA%A6)."
)


def error_bytes(status: int, error: str, message: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers and body of an `ErrorBody` answer, for code that speaks raw ASGI or HTTP."""
    body = orjson.dumps({"error": error, "message": message})
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    return headers, body


class SecurityHeaders:
    """Adds the security headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode())
                        for k, v in (headers or SECURITY_HEADERS).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; complete the response's headers on the way out."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                missing = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = [*message.get("headers", ()), *missing]
            await send(message)

        await self.app(scope, receive, with_headers)


_DISCONNECT: Message = {"type": "http.disconnect"}


class HeadAsGet:
    """HEAD runs as GET; the response's start is sent, its body never computed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer HEAD with what GET would start with, then tell the app the client left."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        # A copy: the server keeps seeing HEAD in its own scope, and so frames the answer
        # as one without a body (no chunked terminator on a streamed response).
        scope = {**scope, "method": "GET"}
        answered = asyncio.Event()

        async def headers_only(message: Message) -> None:
            if answered.is_set():
                return
            if message["type"] == "http.response.start":
                await send(message)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                answered.set()

        async def until_answered() -> Message:
            # A streaming route listens for the disconnect to stop producing its body.
            if answered.is_set():
                return _DISCONNECT
            incoming = asyncio.ensure_future(receive())
            done = asyncio.ensure_future(answered.wait())
            try:
                await asyncio.wait({incoming, done}, return_when=asyncio.FIRST_COMPLETED)
            finally:  # also when the caller is cancelled (Request.is_disconnected)
                for waiting in (incoming, done):
                    waiting.cancel()
            if incoming.done() and not incoming.cancelled():
                return incoming.result()
            return _DISCONNECT

        await self.app(scope, until_answered, headers_only)


def _has_raw_bytes(values: Iterable[bytes]) -> bool:
    return any(any(byte > 0x7F for byte in value) for value in values)


class RawBytesGuard:
    """A query string with raw non-ASCII bytes is answered 400 as JSON, before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse raw bytes in the query string; pass everything else on."""
        if scope["type"] == "http" and _has_raw_bytes([scope.get("query_string", b"")]):
            headers, body = error_bytes(400, "bad_request", NON_ASCII_MESSAGE)
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
