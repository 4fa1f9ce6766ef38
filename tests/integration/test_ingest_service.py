"""The ingest service against a real Redis: 202 only after XADD, idempotent, clear errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from newsline_contracts import StreamNames
from newsline_ingest.app import create_app
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.ingest import ingest_client, published_messages

pytestmark = pytest.mark.integration

ARTICLE = {
    "title": "Northwind cuts prices",
    "text": "Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices by 30%.",
    "language": "en",
}


@pytest.fixture
async def client(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> AsyncIterator[httpx.AsyncClient]:
    settings = IngestSettings(redis_url=redis_url, stream_prefix=stream_prefix)
    async with ingest_client(create_app(settings, pool=pool)) as c:
        yield c


async def _stream_length(redis_url: str, prefix: str) -> int:
    redis = Redis.from_url(redis_url)
    try:
        return int(await redis.xlen(StreamNames(prefix).articles))
    finally:
        await redis.aclose()


async def test_same_content_twice_is_one_message_with_one_id(
    client: httpx.AsyncClient, redis_url: str, stream_prefix: str
) -> None:
    first = await client.post("/v1/articles", json=ARTICLE)
    assert first.status_code == 202, first.text
    again = await client.post("/v1/articles", json=ARTICLE | {"title": "Same text, new title"})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["article_id"] == first.json()["article_id"]
    assert await _stream_length(redis_url, stream_prefix) == 1
    redis = Redis.from_url(redis_url)
    seen = [k async for k in redis.scan_iter(match=f"{stream_prefix}:seen:*")]
    ttl = await redis.ttl(seen[0])
    await redis.aclose()
    assert 0 < ttl <= 30 * 86_400, "the duplicate index must not grow forever"


async def test_the_published_text_is_normalised_once_and_evidence_indexes_it(
    client: httpx.AsyncClient, redis_url: str, stream_prefix: str
) -> None:
    messy = ("  Prices\r\n\r\n\r\n\r\n" + ARTICLE["text"]
             + "  \r\nAnalysts expect rivals to follow.\t\r\n")
    first = await client.post("/v1/articles", json={"text": messy, "language": "en"})
    assert first.status_code == 202, first.text
    [message] = await published_messages(redis_url, stream_prefix)
    assert "\r" not in message.text and "\n\n\n" not in message.text
    assert message.text == message.text.strip() and message.events
    for event in message.events:
        assert message.text[event.evidence.start:event.evidence.end] == event.evidence.text
    # The article is named by that text: posting it as published is the same article.
    again = await client.post("/v1/articles", json={"text": message.text, "language": "en"})
    assert again.json()["article_id"] == first.json()["article_id"] == str(message.article_id)


async def test_extract_publishes_nothing(
    client: httpx.AsyncClient, redis_url: str, stream_prefix: str
) -> None:
    response = await client.post("/v1/extract", json=ARTICLE)
    assert response.status_code == 200
    assert {"article_id", "language", "actors", "events"} <= response.json().keys()
    assert await _stream_length(redis_url, stream_prefix) == 0


async def test_html_is_reduced_to_its_text(client: httpx.AsyncClient) -> None:
    html = (
        "<html><body><nav>Home | About</nav><article><h1>Prices</h1>"
        f"<p>{ARTICLE['text']}</p><p>Analysts expect rivals to follow within weeks.</p>"
        "</article></body></html>"
    )
    response = await client.post("/v1/extract", json={"html": html})
    assert response.status_code == 200, response.text
    evidence = [e["evidence"]["text"] for e in response.json()["events"]]
    assert all("<" not in text for text in evidence)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "no body"}, "body"),
        ({"text": "x", "language": "fr"}, "language"),
        ({"text": "x", "published_at": "yesterday-ish"}, "published_at"),
        ({"text": "x", "colour": "blue"}, "colour"),
    ],
)
async def test_invalid_articles_get_422_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/v1/articles", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert field in response.json()["message"]


async def test_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/articles",
        content=b"text=hello",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["message"]


async def test_oversized_body_is_413_even_without_content_length(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = IngestSettings(
        redis_url=redis_url, stream_prefix=stream_prefix, max_body_bytes=2048
    )
    big = ('{"text": "' + "word " * 1000 + '"}').encode()

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(big), 512):
            yield big[i : i + 512]

    async with ingest_client(create_app(settings, pool=pool)) as client:
        declared = await client.post(
            "/v1/articles", content=big, headers={"content-type": "application/json"}
        )
        chunked = await client.post(
            "/v1/articles", content=chunks(), headers={"content-type": "application/json"}
        )
        assert (declared.status_code, chunked.status_code) == (413, 413)
    assert await _stream_length(redis_url, stream_prefix) == 0


async def test_api_key_is_required_when_configured(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = IngestSettings(
        redis_url=redis_url, stream_prefix=stream_prefix, api_key="s3cret"
    )
    async with ingest_client(create_app(settings, pool=pool)) as client:
        missing = await client.post("/v1/articles", json=ARTICLE)
        wrong = await client.post("/v1/articles", json=ARTICLE, headers={"X-API-Key": "nope"})
        right = await client.post("/v1/articles", json=ARTICLE, headers={"X-API-Key": "s3cret"})
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 202)
    assert missing.json()["error"] == "missing_api_key"


async def test_unreachable_redis_gives_503_with_retry_after_never_202(
    pool: ExtractionPool,
) -> None:
    settings = IngestSettings(redis_url="redis://127.0.0.1:1/0")
    async with ingest_client(create_app(settings, pool=pool)) as client:
        response = await client.post("/v1/articles", json=ARTICLE)
        ready = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "nothing was stored" in response.json()["message"]
    assert ready.status_code == 503
