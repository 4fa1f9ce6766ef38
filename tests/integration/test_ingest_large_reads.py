"""Large bodies are read a few at a time (newsline_ingest.guard: `_turn`), and that
changes no answer: many at once get what one alone gets, and slow clients holding
every turn delay the others, never refuse or starve them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from newsline_ingest import guard
from newsline_ingest.app import create_app
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.ingest import ingest_client

pytestmark = pytest.mark.integration

SENTENCE = "Baidu said on 3 March 2025 it will offer 50 million free tokens. "
SMALL = {"text": "Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices "
                 "by 30%.", "language": "en"}


@pytest.fixture
async def client(redis_url: str, stream_prefix: str, pool: ExtractionPool
                 ) -> AsyncIterator[httpx.AsyncClient]:
    settings = IngestSettings(redis_url=redis_url, stream_prefix=stream_prefix,
                              max_text_chars=5000)
    async with ingest_client(create_app(settings, pool=pool)) as c:
        yield c


def _too_long(n: int) -> dict[str, str]:
    return {"text": SENTENCE * (1200 + n)}  # ~80 KB: over the 64 KB that needs a turn


async def test_many_large_bodies_at_once_get_the_answer_one_alone_gets(
    client: httpx.AsyncClient
) -> None:
    alone = await client.post("/v1/articles", json=_too_long(0))
    posts = [client.post("/v1/articles", json=_too_long(0)) for _ in range(12)]
    *crowd, small = await asyncio.gather(*posts, client.post("/v1/extract", json=SMALL))
    assert alone.status_code == 413 and alone.json()["error"] == "text_too_long"
    assert [(r.status_code, r.json()) for r in crowd] == [(413, alone.json())] * 12
    assert small.status_code == 200, small.text


async def test_slow_clients_holding_every_turn_do_not_starve_a_large_post(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "LARGE_TURN_WAIT_S", 0.2)
    release = asyncio.Event()

    async def trickle() -> AsyncIterator[bytes]:
        # Sent without a length (chunked): an undeclared body takes a turn too.
        yield b'{"text": "' + SENTENCE.encode()
        await release.wait()
        yield SENTENCE.encode() * 2000 + b'"}'

    slow: list[asyncio.Task[Any]] = [
        asyncio.ensure_future(client.post("/v1/extract", content=trickle(),
                                          headers={"content-type": "application/json"}))
        for _ in range(guard.LARGE_READS)]
    await asyncio.sleep(0.05)  # the slow ones now hold every turn
    large = await client.post("/v1/extract", json=_too_long(1))
    assert not any(task.done() for task in slow)
    release.set()
    answers = await asyncio.gather(*slow)
    assert large.status_code == 413 and "5000" in large.json()["message"]
    assert [r.status_code for r in answers] == [413] * guard.LARGE_READS
