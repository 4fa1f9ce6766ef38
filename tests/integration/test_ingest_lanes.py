"""The extraction pool's two lanes, on real worker processes: a flood of large articles
never takes the worker kept for short ones, and a short one waiting goes first."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from newsline_ingest.pool import ExtractionPool
from newsline_ingest.schemas import ArticleIn
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

DENSE = ("Baidu said on 3 March 2025 it will offer 50 million free tokens from 9 July 2024, "
         "and Tencent cut prices by 30% on 1 May 2025. ")
# ~850 KB: seconds of extraction even on a quiet machine, so the workers stay busy while
# the test arranges its queue (a few milliseconds).
LARGE_COPIES = 6000
SHORT = ArticleIn(text="Northwind Cloud said on 3 March 2025 it will cut API prices by 30%.")
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
async def two_workers() -> AsyncIterator[ExtractionPool]:
    pool = ExtractionPool(2, None, budget_s=120.0, max_queued=8, queue_wait_s=120.0)
    await pool.start()
    yield pool
    await pool.close()


async def _value(value: int) -> int:
    return value


async def test_large_articles_leave_the_kept_worker_to_short_ones(
    two_workers: ExtractionPool,
) -> None:
    pool = two_workers
    large = ArticleIn(text=DENSE * LARGE_COPIES)
    first = asyncio.ensure_future(pool.run((large, NOW, 1_000_000)))
    second = asyncio.ensure_future(pool.run((large, NOW, 1_000_000)))
    await eventually(lambda: _value(pool.waiting), lambda n: n == 1, timeout=10)
    assert pool.idle == 1, "the second large article waits although a worker is idle"

    reply = await pool.run((SHORT, NOW, 1_000_000), small=True)
    assert reply[0] == "ok"
    assert not second.done(), "the short article did not wait for the large ones"
    assert [(await first)[0], (await second)[0]] == ["ok", "ok"]


async def test_a_waiting_short_article_goes_before_waiting_large_ones(
    two_workers: ExtractionPool,
) -> None:
    pool = two_workers
    large = ArticleIn(text=DENSE * LARGE_COPIES)
    # Both workers busy: a large one on each lane's worker (a short article may use either).
    running = [asyncio.ensure_future(pool.run((large, NOW, 1_000_000), small=True)),
               asyncio.ensure_future(pool.run((large, NOW, 1_000_000)))]
    await eventually(lambda: _value(pool.idle), lambda n: n == 0, timeout=10)
    queued = asyncio.ensure_future(pool.run((large, NOW, 1_000_000)))
    await eventually(lambda: _value(pool.waiting), lambda n: n == 1, timeout=10)
    short = asyncio.ensure_future(pool.run((SHORT, NOW, 1_000_000), small=True))
    await eventually(lambda: _value(pool.waiting), lambda n: n == 2, timeout=10)

    done, _ = await asyncio.wait([short, queued], return_when=asyncio.FIRST_COMPLETED)
    assert short in done and not queued.done()
    await asyncio.gather(*running, queued)
