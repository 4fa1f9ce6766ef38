"""Ingest's answers carry the same security headers as the api's, errors and docs included."""

from __future__ import annotations

import pytest

from newsline_ingest.app import create_app
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.ingest import ingest_client

pytestmark = pytest.mark.integration


async def test_every_ingest_answer_carries_the_security_headers(
    redis_url: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = IngestSettings(redis_url=redis_url, stream_prefix=stream_prefix)
    async with ingest_client(create_app(settings, pool=pool)) as client:
        answers = [
            await client.get("/readyz"),
            await client.get("/openapi.json"),
            await client.get("/docs"),
            await client.post("/v1/articles", json={"title": "no text"}),  # 422
            await client.post("/v1/articles", content=b"\xff", headers={
                "content-type": "application/json"}),  # undecodable body
            await client.get("/no-such-path"),  # 404
        ]
    for answer in answers:
        where = f"{answer.request.method} {answer.request.url.path} ({answer.status_code})"
        assert answer.headers.get("x-content-type-options") == "nosniff", where
        assert answer.headers.get("referrer-policy") == "no-referrer", where
        assert answer.headers.get("content-security-policy"), where
    assert all(a.status_code >= 400 for a in answers[3:])  # errors carry them too
