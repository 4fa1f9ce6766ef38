"""HTTP edge helpers shared by the ingest and api services."""

from newsline_http.errors import ApiError, ErrorBody, error_response, install_error_handlers

__all__ = ["ApiError", "ErrorBody", "error_response", "install_error_handlers"]
