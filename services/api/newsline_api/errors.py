"""The api's error handling: the shared JSON errors, plus a database that is down → 503."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from newsline_http import ApiError, error_response
from newsline_http import install_error_handlers as _install

log = logging.getLogger(__name__)

__all__ = ["ApiError", "error_response", "install_error_handlers"]


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    # Connection refused, timed out or dropped: the client should retry, not report a bug.
    log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
    return error_response(
        503,
        "database_unavailable",
        "The database did not answer; retry shortly.",
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the shared handlers and the api's database-down handler."""
    down = (OSError, sa.exc.OperationalError, sa.exc.InterfaceError)
    _install(app, {exc_type: _on_database_down for exc_type in down})
