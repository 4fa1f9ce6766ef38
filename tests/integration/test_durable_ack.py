"""A 202 means "on disk" where the server can say so, and ingest states what it means.

On the embedded Valkey (`newsline up`'s, AOF on) every accepted post waits for WAITAOF,
so its entry was fsynced to the append-only file before the answer. On a server that
keeps nothing on disk the startup line says plainly that a 202 means "in memory".
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from newsline_cli.embedded import EmbeddedServers
from newsline_ingest.app import create_app
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.ingest import ingest_client
from tests.support.newsline_up import ROOT

pytestmark = pytest.mark.integration

ARTICLE = {"title": "Northwind cuts prices",
           "text": "Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices by 30%."}


@pytest.fixture(scope="module")
def embedded_valkey() -> Iterator[tuple[str, Path]]:
    """The embedded Valkey as `newsline up` starts it: its URL and its data directory."""
    (ROOT / ".data").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="durable-", dir=ROOT / ".data") as tmp, \
            EmbeddedServers(Path(tmp)) as servers:
        yield servers.start_valkey(), Path(tmp) / "valkey"


@pytest.fixture
def ingest_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """What ingest logs at INFO and above."""
    caplog.set_level(logging.INFO, logger="newsline.ingest")
    return caplog


def _ingest(settings: IngestSettings, pool: ExtractionPool
            ) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
    # `pool` is tests/integration/conftest.py's: one warm worker for the module.
    return ingest_client(create_app(settings, pool=pool))


async def _waitaof_calls(redis_url: str) -> int:
    redis = Redis.from_url(redis_url)
    try:
        stats = await redis.info("commandstats")
    finally:
        await redis.aclose()
    return int(stats.get("cmdstat_waitaof", {}).get("calls", 0))


def _statements(log: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in log.records if r.getMessage().startswith("durable ack (")]


async def test_a_202_on_the_embedded_valkey_comes_after_the_aof_fsync(
    embedded_valkey: tuple[str, Path], stream_prefix: str, pool: ExtractionPool
) -> None:
    url, data = embedded_valkey
    settings = IngestSettings(redis_url=url, stream_prefix=stream_prefix)
    async with _ingest(settings, pool) as client:
        before = await _waitaof_calls(url)
        accepted = await client.post("/v1/articles", json=ARTICLE)
        assert accepted.status_code == 202, accepted.text
        assert await _waitaof_calls(url) == before + 1
        again = await client.post("/v1/articles", json=ARTICLE)  # a duplicate writes nothing
        assert again.status_code == 200
        assert await _waitaof_calls(url) == before + 1
    redis = Redis.from_url(url)
    try:
        [(entry_id, _)] = await redis.xrange(f"{stream_prefix}.articles")
    finally:
        await redis.aclose()
    aof = b"".join(p.read_bytes() for p in (data / "appendonlydir").glob("*.incr.aof"))
    assert entry_id in aof  # the entry, with the id the 202 was given for, is in the file


async def test_ingest_states_at_startup_that_a_202_means_fsynced(
    embedded_valkey: tuple[str, Path], stream_prefix: str, pool: ExtractionPool,
    ingest_log: pytest.LogCaptureFixture,
) -> None:
    settings = IngestSettings(redis_url=embedded_valkey[0], stream_prefix=stream_prefix)
    async with _ingest(settings, pool):
        pass
    [line] = _statements(ingest_log)
    assert line.levelno == logging.INFO
    assert "waits for WAITAOF" in line.getMessage()
    assert "survives a crash of the server or of the host" in line.getMessage()


async def test_on_a_server_that_keeps_nothing_on_disk_the_statement_warns(
    memory_only_valkey: str, stream_prefix: str, pool: ExtractionPool,
    ingest_log: pytest.LogCaptureFixture,
) -> None:
    settings = IngestSettings(redis_url=memory_only_valkey, stream_prefix=stream_prefix)
    async with _ingest(settings, pool) as client:
        before = await _waitaof_calls(memory_only_valkey)  # the startup probe tried it once
        assert (await client.post("/v1/articles", json=ARTICLE)).status_code == 202
        assert await _waitaof_calls(memory_only_valkey) == before  # nothing to wait for
    [line] = _statements(ingest_log)
    assert line.levelno == logging.WARNING
    assert "memory only (appendonly no)" in line.getMessage()


async def test_asking_for_waitaof_from_a_server_without_it_stops_ingest_with_the_reason(
    memory_only_valkey: str, stream_prefix: str, pool: ExtractionPool
) -> None:
    settings = IngestSettings(redis_url=memory_only_valkey, stream_prefix=stream_prefix,
                              durable_ack="waitaof")
    with pytest.raises(SystemExit, match="NEWSLINE_DURABLE_ACK=waitaof, but valkey"):
        async with _ingest(settings, pool):
            pass
