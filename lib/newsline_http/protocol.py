"""uvicorn's HTTP/1.1 protocol, answering a request it cannot parse with the JSON error.

uvicorn refuses a request line holding raw bytes outside ASCII (`curl 'URL?q=百度'`)
before any app sees it, with a plain-text 400. Run the services with
`uvicorn --http newsline_http.protocol:JsonErrorsProtocol` (the import string is
`HTTP_PROTOCOL`) and that answer is the same `ErrorBody` JSON as every other error.
"""

from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol

from newsline_http.middleware import error_bytes

HTTP_PROTOCOL = "newsline_http.protocol:JsonErrorsProtocol"

UNPARSABLE_MESSAGE = (
    "The request is not valid HTTP/1.1; most often its URL holds raw bytes outside "
    "ASCII: percent-encode them (curl -G --data-urlencode 'q=百度' URL)."
)


def _raw_400() -> bytes:
    headers, body = error_bytes(400, "bad_request", UNPARSABLE_MESSAGE)
    lines = [b"HTTP/1.1 400 Bad Request", *(k + b": " + v for k, v in headers),
             b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # no httptools: uvicorn itself would use h11
    _Base = H11Protocol  # type: ignore[assignment,misc]


class JsonErrorsProtocol(_Base):
    """The protocol `--http auto` would pick, with a JSON body on an unparsable request."""

    def send_400_response(self, msg: str) -> None:
        """Answer 400 with the JSON error and close, as uvicorn does with its text."""
        self.transport.write(_raw_400())
        self.transport.close()
