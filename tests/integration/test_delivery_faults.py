"""Faults on real servers: a message the database refuses, and a database outage.

A bad message must cost only itself (the rest of its batch commits), and an outage of
the database must cost nothing: the consumer waits, acknowledges nothing, and goes on
by itself; an outage never counts as a failed delivery.
"""

from __future__ import annotations

import asyncio
import signal

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import StreamNames
from tests.integration.test_delivery import _articles, _consumer, _publish, _stored
from tests.support.factories import article, event
from tests.support.proxy import proxied_database
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def _pending(redis: Redis, names: StreamNames) -> int:
    return int((await redis.xpending(names.articles, names.timeline_group))["pending"])


async def test_a_message_the_database_refuses_is_dead_lettered_alone(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    # PostgreSQL cannot store NUL in text: that one article fails, its 30 batch-mates
    # must still be stored, and only it lands in the dead-letter stream, named.
    bad = article(event("nul-vendor", "offer"), text="An offer\x00 with a NUL byte.")
    good = _articles(30)
    messages = [*good[:15], bad, *good[15:]]
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    consumer = _consumer(database_url, redis_url, stream_prefix, NEWSLINE_BATCH_SIZE="100",
                         NEWSLINE_MAX_DELIVERIES="2")
    try:
        await _publish(redis_url, stream_prefix, messages)
        await eventually(lambda: _stored(clean_db), lambda s: s == (30, 30), timeout=60)
        dead = await eventually(lambda: redis.xrange(names.dead_letters),
                                lambda entries: len(entries) == 1, timeout=30)
        await eventually(lambda: _pending(redis, names), lambda n: n == 0, timeout=30)
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()
    fields = dead[0][1]
    assert fields[b"article_id"].decode() == str(bad.article_id)
    assert b"0x00" in fields[b"error"] or b"NUL" in fields[b"error"].upper()


async def test_a_database_outage_longer_than_the_redelivery_budget_loses_nothing(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    # The consumer reaches PostgreSQL through a proxy the test cuts for 12 s, a dozen
    # times the reclaim idle time with a budget of 2 deliveries: under the old rule the
    # backlog would be dead-lettered. Now: nothing dead-lettered, everything stored.
    proxy, via_proxy = await proxied_database(database_url)
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    messages = _articles(300)
    consumer = _consumer(via_proxy, redis_url, stream_prefix, NEWSLINE_BATCH_SIZE="20",
                         NEWSLINE_RECLAIM_IDLE_MS="1000", NEWSLINE_MAX_DELIVERIES="2")
    try:
        await _publish(redis_url, stream_prefix, messages[:100])
        await eventually(lambda: _stored(clean_db), lambda s: s == (100, 100), timeout=60)
        proxy.cut()
        await _publish(redis_url, stream_prefix, messages[100:])
        await asyncio.sleep(12)
        assert await _stored(clean_db) == (100, 100)  # really cut off
        proxy.restore()
        await eventually(lambda: _stored(clean_db), lambda s: s == (300, 300), timeout=90)
        await eventually(lambda: _pending(redis, names), lambda n: n == 0, timeout=60)
        assert await redis.xlen(names.dead_letters) == 0
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()
        await proxy.stop()
