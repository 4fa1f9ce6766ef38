"""`/docs` (Swagger UI) and `/redoc` (ReDoc), from assets served here: no CDN, no inline script.

FastAPI's own pages load Swagger UI from a CDN and start it with an inline script,
so they are blank offline and need a CSP that trusts a foreign host. These pages load
the copies the `fastapi-offline` package ships, and start Swagger UI from a script
of this origin, so their CSP allows only 'self' (plus inline styles, which both UIs set).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_HEADERS = {"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"}

_SWAGGER_INIT = """\
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
});
"""

router = APIRouter(include_in_schema=False)


def assets() -> StaticFiles:
    """The Swagger UI and ReDoc files, to mount at ASSETS_URL."""
    return StaticFiles(directory=ASSETS_DIR)


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>{head}</head><body>{body}</body></html>\n"
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on this API's OpenAPI document."""
    root = request.scope.get("root_path", "")
    html = _page(
        "Newsline API — Swagger UI",
        f'<link rel="stylesheet" href="{root}{ASSETS_URL}/swagger-ui.css">'
        f'<link rel="icon" href="{root}{ASSETS_URL}/favicon.png">',
        '<div id="swagger-ui"></div>'
        f'<script src="{root}{ASSETS_URL}/swagger-ui-bundle.js"></script>'
        f'<script src="{root}/docs/swagger-init.js"></script>',
    )
    return HTMLResponse(html, headers=_HEADERS)


@router.get("/docs/swagger-init.js")
async def swagger_init() -> Response:
    """The script that starts Swagger UI (a file, so the CSP needs no 'unsafe-inline')."""
    return Response(_SWAGGER_INIT, media_type="text/javascript", headers=_HEADERS)


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc on this API's OpenAPI document."""
    root = request.scope.get("root_path", "")
    html = _page(
        "Newsline API — ReDoc",
        f'<link rel="icon" href="{root}{ASSETS_URL}/favicon.png">',
        '<redoc spec-url="openapi.json"></redoc>'
        f'<script src="{root}{ASSETS_URL}/redoc.standalone.js"></script>',
    )
    return HTMLResponse(html, headers=_HEADERS)
