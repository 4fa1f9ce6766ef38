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

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The one error shape: a stable machine code, a sentence for a person, details if any."""

    error: str
    message: str
    details: list[Any] | None = None


Handler = Callable[[Request, Exception], Awaitable[JSONResponse]]

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}


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


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"location": [str(p) for p in e["loc"]], "message": e["msg"], "type": e["type"]}
        for e in exc.errors()
    ]
    message = "; ".join(f"{_where(tuple(e['loc']))}: {e['msg']}" for e in exc.errors())
    return error_response(422, "validation_error", message or "Invalid request.", problems)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"No resource at {request.url.path}. GET /docs lists what exists."
    else:
        message = str(exc.detail)
    code = _CODES.get(exc.status_code, f"http_{exc.status_code}")
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal", "Something went wrong on our side; it was logged.")


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
