"""API keys: several write keys, an optional read key; reads are public unless one is set."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from tests.integration.api.conftest import Seed, _started_client
from tests.support.factories import article, event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def test_keys_come_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSLINE_API_KEY", " first , second,,")
    monkeypatch.setenv("NEWSLINE_READ_KEY", "reader")
    settings = ApiSettings()
    assert [k.get_secret_value() for k in settings.api_key] == ["first", "second"]
    assert [k.get_secret_value() for k in settings.read_key] == ["reader"]
    assert ApiSettings(api_key=["a", "b"]).api_key[1].get_secret_value() == "b"
    unset = ApiSettings(_env_file=None, api_key=[], read_key=[])
    assert unset.api_key == [] and unset.read_key == []


async def test_any_of_several_write_keys_may_delete(database_url: str, seed: Seed) -> None:
    first, second = event("openai", "offer"), event("openai", "policy")
    await seed(article(first, second))
    app = create_app(ApiSettings(database_url=database_url, api_key=["one", "two"]))
    async for client in _started_client(app):
        url = f"/v1/events/{first.event_id}"
        missing = await client.delete(url)
        assert missing.status_code == 401
        assert missing.json()["error"] == "missing_api_key"
        wrong = await client.delete(url, headers={"X-API-Key": "three"})
        assert wrong.status_code == 401 and wrong.json()["error"] == "wrong_api_key"
        non_ascii = await client.delete(url, headers={"X-API-Key": "clé".encode()})
        assert non_ascii.status_code == 401
        assert (await client.delete(url, headers={"X-API-Key": "two"})).status_code == 204
        assert (await client.delete(f"/v1/events/{second.event_id}",
                                    headers={"X-API-Key": "one"})).status_code == 204
        assert (await client.get("/v1/actors")).status_code == 200  # reads stay public


async def test_a_read_key_closes_every_read_but_health(
    database_url: str, seed: Seed, clean_db: AsyncEngine
) -> None:
    block = event("openai")
    await seed(article(block))
    app = create_app(ApiSettings(database_url=database_url, api_key=["writer"],
                                 read_key=["reader"]))
    reads = ["/v1/actors", "/v1/actors/openai/timeline", "/v1/actors/openai/timeline.csv",
             "/v1/timeline?actor=openai", f"/v1/events/{block.event_id}", "/v1/changes",
             "/metrics", "/v1/stream"]
    async for client in _started_client(app):
        for path in reads:
            resp = await client.get(path)
            assert resp.status_code == 401, path
            assert resp.json()["error"] == "missing_api_key"
            assert (await client.get(path, headers={"X-API-Key": "nope"})).status_code == 401
        for path in reads[:-1]:  # not the endless stream
            for key in ("reader", "writer"):  # a write key reads too
                resp = await client.get(path, headers={"X-API-Key": key})
                assert resp.status_code == 200, (path, key)
        for path in ("/healthz", "/readyz", "/docs", "/openapi.json"):
            assert (await client.get(path)).status_code == 200, path
        reader_delete = await client.delete(
            f"/v1/events/{block.event_id}", headers={"X-API-Key": "reader"})
        assert reader_delete.status_code == 401  # a read key never writes


async def test_the_openapi_names_the_key_where_this_server_needs_one(
    client: httpx.AsyncClient, database_url: str
) -> None:
    open_spec = (await client.get("/openapi.json")).json()
    for operations in open_spec["paths"].values():
        for operation in operations.values():  # no key configured: nothing needs one
            assert "security" not in operation and "401" not in operation["responses"]

    for keys, secured in (({"api_key": ["w"]}, {"delete"}),
                          ({"api_key": ["w"], "read_key": ["r"]}, {"delete", "get"})):
        app = create_app(ApiSettings(database_url=database_url, **keys))
        spec = app.openapi()
        schemes = spec["components"]["securitySchemes"]
        [name] = [n for n, s in schemes.items()
                  if (s["type"], s["in"], s["name"]) == ("apiKey", "header", "X-API-Key")]
        event = spec["paths"]["/v1/events/{event_id}"]
        for method, operation in event.items():
            assert ({name: []} in operation.get("security", [])) == (method in secured)
            assert ("401" in operation["responses"]) == (method in secured)
        assert "security" not in spec["paths"]["/healthz"]["get"]


async def test_a_poll_answered_from_memory_still_needs_the_read_key(
    database_url: str, seed: Seed, clean_db: AsyncEngine
) -> None:
    # PollShortcut answers a current ETag before routing; with a read key it must not.
    await seed(article(event("openai")))
    app = create_app(ApiSettings(database_url=database_url, etag_poll_ms=50,
                                 read_key=["reader"]))
    url, key = "/v1/actors/openai/timeline", {"X-API-Key": "reader"}
    async for client in _started_client(app):
        etag = (await client.get(url, headers=key)).headers["etag"]
        current = {"If-None-Match": etag}

        async def poll(
            client: httpx.AsyncClient = client, headers: dict[str, str] = current | key
        ) -> httpx.Response:
            return await client.get(url, headers=headers)

        await eventually(poll, lambda r: r.status_code == 304)
        assert (await client.get(url, headers=current)).status_code == 401
