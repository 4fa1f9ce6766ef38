"""The OpenAPI document, completed with the answers every route can give.

FastAPI documents what each route declares. Some answers come from the edge instead,
the same for every route: 400 for raw bytes in the URL (`RawBytesGuard`), 401 when a
key is configured, 503 when the database does not answer. They are added here, and
security requirements are listed only where this deployment configures a key, so the
document says exactly what a client of this server will see.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from newsline_api.settings import ApiSettings

_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
_EDGE_ANSWERS = {
    "400": "Raw bytes outside ASCII in the URL (percent-encode them), or a malformed cursor",
    "401": "No API key in `X-API-Key`, or one that is not allowed here",
    "503": "The database did not answer; retry after `Retry-After` seconds",
}
_DATABASE_FREE = {"/healthz", "/metrics", "/v1/vocabulary"}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
_ERROR_BODY_SCHEMA = {
    "title": "ErrorBody",
    "type": "object",
    "description": "The one error shape: a stable machine code, a sentence for a person, "
                   "details if any.",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "title": "Error"},
        "message": {"type": "string", "title": "Message"},
        "details": {"anyOf": [{"type": "array", "items": {}}, {"type": "null"}],
                    "title": "Details"},
    },
}


def _keys_configured(settings: ApiSettings, method: str) -> bool:
    # Reads check the read key; a write checks it too (its router's), then a write key.
    if method == "get":
        return bool(settings.read_key)
    return bool(settings.api_key or settings.read_key)


def _complete(spec: dict[str, Any], settings: ApiSettings) -> dict[str, Any]:
    spec.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorBody", _ERROR_BODY_SCHEMA)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            answers.setdefault("400", {"description": _EDGE_ANSWERS["400"],
                                       "content": _ERROR_REF})
            if "security" in operation:
                if _keys_configured(settings, method):
                    answers.setdefault("401", {"description": _EDGE_ANSWERS["401"],
                                               "content": _ERROR_REF})
                else:
                    # No key configured here: the route is open, and says so.
                    del operation["security"]
                    answers.pop("401", None)
            if path not in _DATABASE_FREE and "503" not in answers:
                answers["503"] = {"description": _EDGE_ANSWERS["503"], "content": _ERROR_REF,
                                  "headers": _RETRY_AFTER}
    if not any("security" in op for ops in spec["paths"].values() for op in ops.values()):
        spec["components"].pop("securitySchemes", None)  # no "Authorize" for an open server
    return spec


def install_openapi(app: FastAPI, settings: ApiSettings) -> None:
    """Make `app.openapi()` (and /openapi.json) serve the completed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(get_openapi(
                title=app.title, version=app.version, summary=app.summary,
                description=app.description, routes=app.routes,
            ), settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
