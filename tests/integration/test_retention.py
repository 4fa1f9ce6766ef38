"""Stream retention on a real Redis: acknowledged entries go, nothing a group still needs."""

from __future__ import annotations

import asyncio
import signal

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import StreamNames
from newsline_timeline.retention import forget_idle_consumers, safe_min_id, trim_acknowledged
from tests.integration.test_delivery import _articles, _consumer, _publish, _stored
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def _stream(redis_url: str, prefix: str, n: int) -> tuple[Redis, str, list[bytes]]:
    redis = Redis.from_url(redis_url)
    stream = StreamNames(prefix).articles
    ids = [await redis.xadd(stream, {"n": str(i)}) for i in range(n)]
    return redis, stream, ids


async def test_only_entries_every_group_acknowledged_are_trimmed(
        redis_url: str, stream_prefix: str) -> None:
    redis, stream, ids = await _stream(redis_url, stream_prefix, 600)
    try:
        await redis.xgroup_create(stream, "fast", id="0")
        await redis.xgroup_create(stream, "slow", id="0")
        # "fast" reads and acknowledges 500, "slow" reads 300 and acknowledges 200.
        read = await redis.xreadgroup("fast", "c1", {stream: ">"}, count=500)
        await redis.xack(stream, "fast", *[i for i, _ in read[0][1]])
        read = await redis.xreadgroup("slow", "c2", {stream: ">"}, count=300)
        await redis.xack(stream, "slow", *[i for i, _ in read[0][1][:200]])
        assert await safe_min_id(redis, stream) == ids[200].decode()
        await trim_acknowledged(redis, stream)
        left = [i for i, _ in await redis.xrange(stream)]
        # Never an entry "slow" has pending (200..299) or not yet read (300..599);
        # `~` may keep up to a node's worth more below the bound.
        assert set(ids[200:]) <= set(left)
        assert len(left) <= 400 + 100

        # Once "slow" has acknowledged everything, the whole stream can go.
        rest = await redis.xreadgroup("slow", "c2", {stream: ">"}, count=1000)
        await redis.xack(stream, "slow", *ids[200:300], *[i for i, _ in rest[0][1]])
        await redis.xreadgroup("fast", "c1", {stream: ">"}, count=1000)
        assert await safe_min_id(redis, stream) is not None
        assert await redis.xpending(stream, "fast")  # fast has 100 pending: kept
        await trim_acknowledged(redis, stream)
        assert set(ids[500:]) <= {i for i, _ in await redis.xrange(stream)}
    finally:
        await redis.aclose()


async def test_a_stream_nobody_reads_yet_is_kept_whole(
        redis_url: str, stream_prefix: str) -> None:
    redis, stream, _ = await _stream(redis_url, stream_prefix, 50)
    try:
        assert await trim_acknowledged(redis, stream) == 0
        assert await redis.xlen(stream) == 50
        await redis.xgroup_create(stream, "late", id="0")  # created but has read nothing
        assert await trim_acknowledged(redis, stream) == 0
        assert await redis.xlen(stream) == 50
    finally:
        await redis.aclose()


async def test_a_running_consumer_keeps_the_stream_short_and_stores_everything(
        clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str) -> None:
    # 300 articles drained by a real consumer: all stored, and the acknowledged entries
    # leave the stream within a trim interval instead of piling up in Redis' memory.
    consumer = _consumer(database_url, redis_url, stream_prefix,
                         NEWSLINE_TRIM_INTERVAL_MS="200", NEWSLINE_BATCH_SIZE="50")
    redis = Redis.from_url(redis_url)
    try:
        await _publish(redis_url, stream_prefix, _articles(300))
        await eventually(lambda: _stored(clean_db), lambda s: s == (300, 300), timeout=60)
        stream = StreamNames(stream_prefix).articles
        await eventually(lambda: redis.xlen(stream), lambda n: n < 100, timeout=10)
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()


async def test_idle_consumers_with_nothing_pending_leave_the_group(
        redis_url: str, stream_prefix: str) -> None:
    redis, stream, _ = await _stream(redis_url, stream_prefix, 15)
    try:
        await redis.xgroup_create(stream, "g", id="0")
        done = await redis.xreadgroup("g", "finished", {stream: ">"}, count=5)
        await redis.xack(stream, "g", *[i for i, _ in done[0][1]])
        await redis.xreadgroup("g", "holding", {stream: ">"}, count=5)  # 5 pending, unacked
        mine = await redis.xreadgroup("g", "me", {stream: ">"}, count=5)
        await redis.xack(stream, "g", *[i for i, _ in mine[0][1]])
        await asyncio.sleep(0.3)
        gone = await forget_idle_consumers(redis, stream, "g", idle_ms=100, keep="me")
        names = {c["name"].decode() for c in await redis.xinfo_consumers(stream, "g")}
    finally:
        await redis.aclose()
    assert gone == ["finished"]
    assert names == {"holding", "me"}  # what it holds must still be reclaimed from it
