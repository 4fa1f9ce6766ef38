"""Errors translated at the edge, the same way in every service: JSON, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from newsline_http.middleware import SECURITY_HEADERS

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The one error shape: a stable machine code, a sentence for a person, details if any."""

    error: str
    message: str
    details: list[Any] | None = None


Handler = Callable[[Request, Exception], Awaitable[JSONResponse]]

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}

# A query, path or header value PostgreSQL `text` can hold and a log line shows as one
# line: no C0 control character (NUL above all: PostgreSQL refuses it), no DEL.
NO_CONTROL_CHARS = r"^[^\x00-\x1f\x7f]*$"
_PATTERN_HINTS = {
    NO_CONTROL_CHARS: "must not contain a control character (NUL, tab, newline, ...)",
}


class ApiError(Exception):
    """An error a route raises on purpose: a status, a stable code, a sentence for a person."""

    def __init__(
        self,
        status_code: int,
        error: str,
        message: str,
        details: list[Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code, self.error, self.message = status_code, error, message
        self.details, self.headers = details, headers


def error_response(
    status_code: int,
    error: str,
    message: str,
    details: list[Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error answer in the one shape every client can rely on."""
    body = ErrorBody(error=error, message=message, details=details)
    return JSONResponse(body.model_dump(exclude_none=True), status_code, headers=headers)


def _dotted(parts: tuple[Any, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _where(loc: tuple[Any, ...]) -> str:
    # ("query", "type", 0) reads better as "query parameter 'type[0]'".
    if len(loc) >= 2 and loc[0] in ("query", "path", "header", "cookie"):
        return f"{loc[0]} parameter '{_dotted(loc[1:])}'"
    return f"'{_dotted(loc)}'"


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.error, exc.message, exc.details, exc.headers)


def _message(error: Mapping[str, Any]) -> str:
    # pydantic names a refused pattern by its regex; say what it means instead.
    pattern = str((error.get("ctx") or {}).get("pattern"))
    hint = _PATTERN_HINTS.get(pattern) if error["type"] == "string_pattern_mismatch" else None
    return hint or str(error["msg"])


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"location": [str(p) for p in e["loc"]], "message": _message(e), "type": e["type"]}
        for e in exc.errors()
    ]
    message = "; ".join(f"{_where(tuple(e['loc']))}: {_message(e)}" for e in exc.errors())
    return error_response(422, "validation_error", message or "Invalid request.", problems)


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route at this path answers (HEAD wherever GET is), sorted."""
    # Asked of the router itself, method by method: routers nest, routes share paths.
    allowed = {
        method for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL
               for route in request.app.router.routes)
    }
    if "GET" in allowed:
        allowed.add("HEAD")
    return sorted(allowed)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"No resource at {request.url.path}. GET /docs lists what exists."
    elif exc.status_code == 405:
        # Starlette names only the first route matching the path; a path served by
        # several (GET and DELETE /v1/events/{id}) must list them all.
        allowed = allowed_methods(request) or sorted(
            m.strip() for m in headers.get("Allow", "").split(",") if m.strip())
        headers["Allow"] = ", ".join(allowed)
        message = (f"{request.method} is not allowed on {request.url.path}; "
                   f"allowed: {', '.join(allowed)}.")
    else:
        message = str(exc.detail)
    code = _CODES.get(exc.status_code, f"http_{exc.status_code}")
    return error_response(exc.status_code, code, message, headers=headers or None)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    # Answered outside every middleware (Starlette's ServerErrorMiddleware): bring the
    # headers SecurityHeaders would have added.
    return error_response(500, "internal", "Something went wrong on our side; it was logged.",
                          headers=SECURITY_HEADERS)


def install_error_handlers(
    app: FastAPI, extra: Mapping[type[Exception], Handler] | None = None
) -> None:
    """Register the handlers that turn every failure into `ErrorBody` JSON.

    `extra` maps a service's own exception types (say, a database that is down)
    to handlers; the catch-all for anything unexpected stays last.
    """
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    for exc_type, handler in (extra or {}).items():
        app.add_exception_handler(exc_type, handler)
    app.add_exception_handler(Exception, _on_unexpected)
