"""Fixtures the ingest integration modules share (the servers come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from newsline_ingest.pool import ExtractionPool


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    """One warm extraction worker for a module's apps (starting one takes seconds)."""
    shared = ExtractionPool(1, None, budget_s=10.0, max_queued=8, queue_wait_s=10.0)
    await shared.start()
    yield shared
    await shared.close()
