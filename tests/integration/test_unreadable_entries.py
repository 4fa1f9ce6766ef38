"""Entries that are no ArticleParsed cost only themselves, at their first delivery.

Before, one such entry failed the decoding of its whole batch: its batch-mates waited
for the reclaimer (NEWSLINE_RECLAIM_IDLE_MS) and the entry itself took
NEWSLINE_MAX_DELIVERIES reclaims to be parked. Here the reclaimer is all but off (an
hour of idle time), so whatever is stored or parked was done by the batch handler.
"""

from __future__ import annotations

import signal

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import StreamNames
from tests.integration.test_delivery import _articles, _consumer, _publish, _stored
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

POISON: list[dict[str | bytes, bytes | str]] = [
    {"hello": "world"},  # another producer's entry
    {"__data__": b"\xff\xfe\x00 not utf-8, not an envelope"},
    {"__data__": b'{"schema_version": 99, "article_id": "not-a-uuid"}'},
    {"__data__": b"[1, 2, 3]"},
]


async def test_unreadable_entries_are_parked_at_once_and_their_batch_stored(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    good = _articles(40)
    await redis.xgroup_create(names.articles, names.timeline_group, id="0", mkstream=True)
    await _publish(redis_url, stream_prefix, good[:20])
    for fields in POISON:
        await redis.xadd(names.articles, fields)  # type: ignore[arg-type]
    await _publish(redis_url, stream_prefix, good[20:])
    consumer = _consumer(database_url, redis_url, stream_prefix, NEWSLINE_BATCH_SIZE="100",
                         NEWSLINE_RECLAIM_IDLE_MS="3600000")
    try:
        await eventually(lambda: _stored(clean_db), lambda s: s == (40, 40), timeout=60)
        dead = await eventually(lambda: redis.xrange(names.dead_letters),
                                lambda entries: len(entries) == len(POISON), timeout=30)
        pending = await redis.xpending(names.articles, names.timeline_group)
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()
    assert pending["pending"] == 0
    assert [fields[b"deliveries"] for _, fields in dead] == [b"1"] * len(POISON)
    errors = [fields[b"error"].decode() for _, fields in dead]
    assert "no __data__ field" in errors[0] and "Invalid JSON" in errors[1]
    assert "not an ArticleParsed" in errors[2] and "schema_version" in errors[2]
    assert b"hello" in dead[0][1][b"body"]
