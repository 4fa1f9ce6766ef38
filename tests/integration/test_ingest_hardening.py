"""Ingest refuses what the store cannot hold, bounds the work it takes on, and says why.

Issue 9, ingest's part, through the ASGI app on a real Redis (the edge rules that need
a socket are in test_ingest_timeouts.py, the timings in test_ingest_load.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from newsline_ingest.app import create_app
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.ingest import ingest_client, published_messages

pytestmark = pytest.mark.integration

ARTICLE = {"text": "Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices by 30%.",
           "language": "en"}
DENSE = ("Baidu said on 3 March 2025 it will offer 50 million free tokens from 9 July 2024, "
         "and Tencent cut prices by 30% on 1 May 2025. ")


def _settings(redis_url: str, prefix: str, **extra: Any) -> IngestSettings:
    return IngestSettings(redis_url=redis_url, stream_prefix=prefix, **extra)


@pytest.fixture
async def client(redis_url: str, stream_prefix: str, pool: ExtractionPool
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with ingest_client(create_app(_settings(redis_url, stream_prefix), pool=pool)) as c:
        yield c


# What ingest accepts, the store can hold.

@pytest.mark.parametrize("field", ["title", "text", "url", "source"])
async def test_a_nul_in_any_field_is_a_422_naming_it_and_nothing_is_published(
    client: httpx.AsyncClient, redis_url: str, stream_prefix: str, field: str
) -> None:
    body = ARTICLE | {field: "https://a.example/\x00"}
    response = await client.post("/v1/articles", json=body)
    assert response.status_code == 422, response.text
    assert f"body.{field}'" in response.json()["message"] and "U+0000" in response.json()["message"]
    assert await published_messages(redis_url, stream_prefix) == []


async def test_other_c0_controls_and_lone_surrogates_are_refused_too(
    client: httpx.AsyncClient
) -> None:
    for raw in ('{"text": "a\\u001bb"}', '{"html": "<p>a\\u0007</p>"}', '{"text": "\\ud800x"}'):
        response = await client.post("/v1/extract", content=raw,
                                     headers={"content-type": "application/json"})
        assert response.status_code == 422, raw
    fine = await client.post("/v1/extract", json={"text": "Baidu\tcut prices.\r\nBy 30%."})
    assert fine.status_code == 200


async def test_a_large_body_is_validated_off_the_event_loop_with_the_same_422(
    client: httpx.AsyncClient
) -> None:
    # Over 64 KB the body is validated by the extraction worker, not on the event loop.
    page = "<html><body><article>" + f"<p>{DENSE}</p>" * 600 + "</article></body></html>"
    refused = await client.post("/v1/extract", json={"html": page, "source": "a\x00b"})
    assert refused.status_code == 422, refused.text
    assert "body.source'" in refused.json()["message"] and "U+0000" in refused.json()["message"]
    fine = await client.post("/v1/extract", json={"html": page, "source": "wire"})
    assert fine.status_code == 200, fine.text


async def test_only_http_urls_are_accepted(client: httpx.AsyncClient) -> None:
    refused = await client.post("/v1/articles", json=ARTICLE | {"url": "javascript:alert(1)"})
    assert refused.status_code == 422 and "body.url'" in refused.json()["message"]


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-23:59", "0001-01-01T00:00:00+23:59",
                                   "2024-07-03T08:00:00+18:00", "9999-12-31"])
async def test_an_extreme_published_at_is_a_422_not_a_500(
    client: httpx.AsyncClient, value: str
) -> None:
    response = await client.post("/v1/articles", json=ARTICLE | {"published_at": value})
    assert response.status_code == 422, response.text
    assert "published_at" in response.json()["message"]


@pytest.mark.parametrize("value", [1720000000, 1.5, True])
async def test_a_number_as_published_at_is_refused_not_read_as_unix_seconds(
    client: httpx.AsyncClient, value: object
) -> None:
    response = await client.post("/v1/articles", json=ARTICLE | {"published_at": value})
    assert response.status_code == 422, response.text
    assert "published_at" in response.json()["message"]
    assert "ISO 8601" in response.json()["message"]


async def test_an_event_dated_9999_is_never_published(
    client: httpx.AsyncClient, redis_url: str, stream_prefix: str
) -> None:
    text = ("Baidu cut its API prices by 30% on 31 December 9999, the company said. "
            "Alibaba Cloud cut its API prices by 10% on 1 May 2025.")
    response = await client.post("/v1/articles", json={"text": text})
    assert response.status_code == 202, response.text
    assert [e["date"] for e in response.json()["events"]] == ["2025-05-01"]
    (message,) = await published_messages(redis_url, stream_prefix)
    assert [e.date.year for e in message.events] == [2025]


async def test_a_header_that_is_not_utf8_or_a_key_that_is_not_ascii_is_a_json_4xx(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = _settings(redis_url, stream_prefix, api_key="k1,k2")
    async with ingest_client(create_app(settings, pool=pool)) as client:
        odd = await client.post("/v1/extract", json=ARTICLE,
                                headers={"X-API-Key": "k2", "X-Note": b"caf\xe9 \xff"})
        ctype = await client.post("/v1/extract", content=b"{}",
                                  headers={"content-type": b"application/json\xff"})
        key = await client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": b"k\xc3\xa9"})
    assert odd.status_code == 200, odd.text  # the second of two keys is a key
    assert (ctype.status_code, ctype.headers["content-type"]) == (415, "application/json")
    assert (key.status_code, key.json()["error"]) == (401, "wrong_api_key")


# Bounded work.

async def test_text_over_the_limit_is_a_413_naming_the_limit(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = _settings(redis_url, stream_prefix, max_text_chars=5000)
    page = "<html><body><article>" + f"<p>{DENSE}</p>" * 60 + "</article></body></html>"
    async with ingest_client(create_app(settings, pool=pool)) as client:
        text = await client.post("/v1/articles", json={"text": DENSE * 60})
        html = await client.post("/v1/articles", json={"html": page})
        fits = await client.post("/v1/extract", json={"text": DENSE * 10})
    for response in (text, html):
        assert response.status_code == 413, response.text
        assert response.json()["error"] == "text_too_long"
        assert "5000" in response.json()["message"]
    assert fits.status_code == 200


async def test_requests_past_the_rate_limit_get_429_with_retry_after(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = _settings(redis_url, stream_prefix, rate_per_s=1, rate_burst=3)
    app = create_app(settings, pool=pool)
    async with ingest_client(app) as client:
        answers = [await client.post("/v1/extract", json=ARTICLE) for _ in range(4)]
    async with ingest_client(app, client=("10.0.0.2", 5000)) as other:
        elsewhere = await other.post("/v1/extract", json=ARTICLE)
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert answers[-1].headers["retry-after"] == "1"
    assert answers[-1].json()["error"] == "rate_limited"
    assert elsewhere.status_code == 200, "the limit is per client address"


async def test_failed_authentications_are_rate_limited_per_address(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = _settings(redis_url, stream_prefix, api_key="right",
                         auth_failures_per_min=3)
    async with ingest_client(create_app(settings, pool=pool)) as client:
        guesses = [await client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": f"g{i}"})
                   for i in range(4)]
        right = await client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "right"})
    assert [r.status_code for r in guesses] == [401, 401, 401, 429]
    assert guesses[-1].json()["error"] == "too_many_failed_authentications"
    assert int(guesses[-1].headers["retry-after"]) >= 1
    assert right.status_code == 429, "a blocked address waits, even with the right key"


async def test_an_article_past_its_budget_is_stopped_and_the_pool_recovers(
    redis_url: str, stream_prefix: str
) -> None:
    pool = ExtractionPool(1, None, budget_s=0.2, max_queued=4, queue_wait_s=60.0)
    await pool.start()
    try:
        settings = _settings(redis_url, stream_prefix)
        async with ingest_client(create_app(settings, pool=pool)) as client:
            slow = await client.post("/v1/extract", json={"text": DENSE * 700})
            after = await client.post("/v1/extract", json=ARTICLE)
    finally:
        await pool.close()
    assert slow.status_code == 422, slow.text
    assert slow.json()["error"] == "extraction_budget_exceeded"
    assert "NEWSLINE_EXTRACT_BUDGET_S" in slow.json()["message"]
    assert after.status_code == 200, "a fresh worker replaced the stopped one"


async def test_beyond_the_concurrency_bound_posts_get_503_with_retry_after(
    redis_url: str, stream_prefix: str
) -> None:
    pool = ExtractionPool(1, None, budget_s=30.0, max_queued=0, queue_wait_s=1.0)
    await pool.start()
    try:
        app = create_app(_settings(redis_url, stream_prefix), pool=pool)
        async with ingest_client(app) as client:
            slow = asyncio.ensure_future(client.post("/v1/extract", json={"text": DENSE * 500}))
            while pool.idle and not slow.done():  # until the slow one has the worker
                await asyncio.sleep(0.01)
            busy = await client.post("/v1/articles", json=ARTICLE)
            await slow
    finally:
        await pool.close()
    assert busy.status_code == 503, busy.text
    assert (busy.json()["error"], busy.headers["retry-after"]) == ("busy", "30")
    assert "nothing was stored" in busy.json()["message"]


# Logs.

async def test_each_refused_request_logs_one_line_with_its_reason_and_no_traceback(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsline.ingest")
    await client.post("/v1/articles", json={"text": "x", "colour": "blue"})
    await client.post("/v1/articles", content=b"a=b",
                      headers={"content-type": "application/x-www-form-urlencoded"})
    refusals = [r for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(refusals) == 2
    assert "422 validation_error" in refusals[0].getMessage()
    assert "colour" in refusals[0].getMessage()
    assert "415 unsupported_media_type" in refusals[1].getMessage()
    assert all(r.exc_info is None for r in caplog.records)
