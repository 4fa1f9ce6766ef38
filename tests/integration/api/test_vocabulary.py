"""`/v1/vocabulary` serves newsline_vocabulary, the one definition the api's enums share."""

from __future__ import annotations

import httpx

import newsline_vocabulary as vocabulary
from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from tests.integration.api.conftest import _started_client


async def test_the_vocabulary_is_served_as_defined_without_a_database(
    offline_client: httpx.AsyncClient,
) -> None:
    resp = await offline_client.get("/v1/vocabulary")
    assert resp.status_code == 200
    assert resp.json() == {
        "event_types": list(vocabulary.EVENT_TYPES),
        "subtypes": list(vocabulary.SUBTYPES),
        "date_precisions": list(vocabulary.DATE_PRECISIONS),
        "date_bases": list(vocabulary.DATE_BASES),
        "precision_rank": dict(vocabulary.PRECISION_RANK),
        "timeline_order": list(vocabulary.TIMELINE_ORDER),
        "response_triggers": ["access_block", "access_restriction", "policy"],
    }


async def test_the_vocabulary_is_cacheable_and_revalidates_with_its_etag(
    offline_client: httpx.AsyncClient,
) -> None:
    first = await offline_client.get("/v1/vocabulary")
    assert first.headers["cache-control"] == "public, max-age=3600"
    again = await offline_client.get(
        "/v1/vocabulary", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_behind_a_read_key_the_vocabulary_needs_it_and_stays_out_of_shared_caches(
    database_url: str,
) -> None:
    app = create_app(ApiSettings(database_url=database_url, read_key=["reader"]))
    async for client in _started_client(app):
        assert (await client.get("/v1/vocabulary")).status_code == 401
        resp = await client.get("/v1/vocabulary", headers={"X-API-Key": "reader"})
        assert resp.status_code == 200
        assert resp.headers["cache-control"] == "private, max-age=3600"


async def test_openapi_enums_are_the_vocabulary(offline_client: httpx.AsyncClient) -> None:
    spec = (await offline_client.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    shape = schemas["VocabularyPublic"]["properties"]
    assert shape["event_types"]["items"]["enum"] == list(vocabulary.EVENT_TYPES)
    assert shape["date_bases"]["items"]["enum"] == list(vocabulary.DATE_BASES)
    assert schemas["EventPublic"]["properties"]["type"]["enum"] == list(vocabulary.EVENT_TYPES)
    [type_param] = [p for p in spec["paths"]["/v1/actors/{slug}/timeline"]["get"]["parameters"]
                    if p["name"] == "type"]
    enum = type_param["schema"]["anyOf"][0]["items"]["enum"]
    assert enum == list(vocabulary.EVENT_TYPES)
    # It needs no database, so it does not promise a 503.
    assert "503" not in spec["paths"]["/v1/vocabulary"]["get"]["responses"]
