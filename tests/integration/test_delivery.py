"""Delivery guarantees on real Redis and PostgreSQL: at-least-once in, exactly-once in effect."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from faststream.redis import RedisBroker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import ArticleParsed, StreamNames
from newsline_db import event_sources, events
from tests.support.factories import article, event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def _consumer(
    database_url: str, redis_url: str, prefix: str, **extra: str
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "NEWSLINE_STREAM_PREFIX": prefix,
        "NEWSLINE_CONSUMER_NAME": f"test-{uuid.uuid4().hex[:6]}",
        **extra,
    }
    return subprocess.Popen([sys.executable, "-m", "newsline_timeline"], env=env)


async def _publish(redis_url: str, prefix: str, messages: list[ArticleParsed]) -> None:
    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=StreamNames(prefix).articles)
    async with broker:
        for message in messages:
            assert await publisher.publish(message)


async def _stored(engine: AsyncEngine) -> tuple[int, int]:
    async with engine.connect() as conn:
        n_events = (await conn.execute(sa.select(sa.func.count()).select_from(events))).scalar()
        n_sources = (
            await conn.execute(sa.select(sa.func.count()).select_from(event_sources))
        ).scalar()
    return int(n_events or 0), int(n_sources or 0)


def _articles(n: int) -> list[ArticleParsed]:
    return [article(event(f"vendor-{i}", "offer", quantity=(1e6 * i, "tokens"))) for i in range(n)]


async def test_sigkilled_consumer_loses_and_duplicates_nothing(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    messages = _articles(400)
    first = _consumer(database_url, redis_url, stream_prefix, NEWSLINE_BATCH_SIZE="20")
    try:
        await _publish(redis_url, stream_prefix, messages[:200])
        # Kill it mid-flow: some batches committed, some maybe read but not acked.
        await eventually(lambda: _stored(clean_db), lambda s: s[0] >= 20, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        await _publish(redis_url, stream_prefix, messages[200:])
    finally:
        if first.poll() is None:
            first.kill()
    second = _consumer(database_url, redis_url, stream_prefix, NEWSLINE_RECLAIM_IDLE_MS="500")
    redis = Redis.from_url(redis_url)
    names = StreamNames(stream_prefix)
    try:
        stored = await eventually(lambda: _stored(clean_db), lambda s: s == (400, 400), timeout=90)
        # Entries the killed consumer committed but never acked are stored already;
        # the reclaimer must still take them over and acknowledge them.
        await eventually(
            lambda: redis.xpending(names.articles, names.timeline_group),
            lambda p: p["pending"] == 0,
            timeout=60,
        )
        await asyncio.sleep(1.0)  # a late duplicate write would show up now
        assert await _stored(clean_db) == (400, 400)
    finally:
        await redis.aclose()
        second.terminate()
        assert second.wait(15) == 0, "a consumer asked to stop must exit 0"
    assert stored == (400, 400)


async def test_poison_message_is_dead_lettered_and_the_rest_flows(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    # Created first so the consumer's group (at "$") sees the poison entry.
    await redis.xgroup_create(names.articles, names.timeline_group, id="$", mkstream=True)
    await redis.xadd(names.articles, {"__data__": b"this is not an ArticleParsed message"})
    good = _articles(5)
    consumer = _consumer(
        database_url,
        redis_url,
        stream_prefix,
        NEWSLINE_RECLAIM_IDLE_MS="300",
        NEWSLINE_MAX_DELIVERIES="3",
    )
    try:
        await _publish(redis_url, stream_prefix, good)
        await eventually(lambda: _stored(clean_db), lambda s: s == (5, 5), timeout=60)
        dead = await eventually(
            lambda: redis.xrange(names.dead_letters), lambda entries: len(entries) == 1, timeout=60
        )
    finally:
        consumer.terminate()
        consumer.wait(15)
        await redis.aclose()
    assert b"error" in dead[0][1]


async def test_consumer_exits_non_zero_when_its_stream_vanishes(
    database_url: str, redis_url: str, stream_prefix: str
) -> None:
    consumer = _consumer(database_url, redis_url, stream_prefix)
    redis = Redis.from_url(redis_url)
    names = StreamNames(stream_prefix)
    try:
        await eventually(lambda: redis.exists(names.articles), lambda n: n == 1, timeout=30)
        await asyncio.sleep(1.0)  # let both subscribers start reading
        await redis.delete(names.articles)  # what a FLUSHALL or an AOF-less restart does
        code = await asyncio.to_thread(consumer.wait, 30)
    finally:
        if consumer.poll() is None:
            consumer.kill()
        await redis.aclose()
    assert code != 0, "a supervisor must see the failure and restart the consumer"
