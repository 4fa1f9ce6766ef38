"""HTTP edge helpers shared by the ingest and api services."""

from newsline_http.auth import ApiKeySettings, ReadKey, WriteKey
from newsline_http.errors import (
    NO_CONTROL_CHARS,
    ApiError,
    ErrorBody,
    error_response,
    install_error_handlers,
)
from newsline_http.middleware import HeadAsGet, RawBytesGuard, SecurityHeaders

__all__ = [
    "NO_CONTROL_CHARS",
    "ApiError",
    "ApiKeySettings",
    "ErrorBody",
    "HeadAsGet",
    "RawBytesGuard",
    "ReadKey",
    "SecurityHeaders",
    "WriteKey",
    "error_response",
    "install_error_handlers",
]
