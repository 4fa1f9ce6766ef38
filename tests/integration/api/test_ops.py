"""Health, readiness, metrics, error shapes and the dashboard page."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def test_healthz_answers_even_without_a_database(
    offline_client: httpx.AsyncClient,
) -> None:
    resp = await offline_client.get("/healthz")
    assert (resp.status_code, resp.json()) == (200, {"status": "ok"})


async def test_readyz_is_200_on_a_live_database(client: httpx.AsyncClient) -> None:
    resp = await client.get("/readyz")
    assert (resp.status_code, resp.json()) == (200, {"status": "ready", "database": "ok"})


async def test_readyz_is_503_when_the_database_port_is_closed(
    offline_client: httpx.AsyncClient,
) -> None:
    resp = await offline_client.get("/readyz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "unavailable"
    assert body["database"] not in ("", "ok")


async def test_data_routes_answer_503_with_retry_after_when_the_database_is_down(
    offline_client: httpx.AsyncClient,
) -> None:
    resp = await offline_client.get("/v1/actors")
    assert resp.status_code == 503
    assert resp.headers["retry-after"] == "5"
    assert resp.json()["error"] == "database_unavailable"


async def test_an_unexpected_error_is_500_json_without_a_traceback(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)
    resp = await client.get("/broken")
    assert resp.status_code == 500
    assert resp.json()["error"] == "internal"
    assert "secret internals" not in resp.text
    assert "Traceback" not in resp.text


async def test_an_unknown_path_is_404_json(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v2/nothing")
    assert resp.status_code == 404
    assert resp.json()["error"] == "not_found"


async def test_metrics_count_requests_by_route_template_and_status(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    await client.get("/v1/actors/openai/timeline")
    await client.get("/v1/actors/nobody/timeline")
    await client.get("/v1/actors/nobody-else/timeline")
    resp = await client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    text = resp.text
    assert "# TYPE newsline_api_requests_total counter" in text
    base = 'newsline_api_requests_total{method="GET",route="/v1/actors/{slug}/timeline"'
    assert f'{base},status="200"}} 1' in text
    assert f'{base},status="404"}} 2' in text
    assert "nobody" not in text  # labelled by template, never by raw path


async def test_the_dashboard_page_loads_its_script_and_styles(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    script = await client.get("/static/app.js")
    assert script.status_code == 200
    # Article text can carry <script> payloads: the page never parses text as HTML.
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML", script.text)
    assert (await client.get("/static/style.css")).status_code == 200


async def test_openapi_documents_the_routes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert {"/v1/actors", "/v1/actors/{slug}/timeline", "/v1/events/{event_id}",
            "/healthz", "/readyz"} <= schema["paths"].keys()
    assert (await client.get("/docs")).status_code == 200


async def test_cors_allows_configured_origins_and_exposes_the_etag() -> None:
    app = create_app(ApiSettings(database_url="postgresql://postgres@127.0.0.1:1/x",
                                 cors_origins=["https://dash.example"]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        allowed = await client.get("/healthz", headers={"Origin": "https://dash.example"})
        other = await client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://dash.example"
    assert "etag" in allowed.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in other.headers
