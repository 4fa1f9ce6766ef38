"""The consumer group: created from the stream's first entry, and never reset once there."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from newsline_contracts import StreamNames
from newsline_streams import ensure_group

pytestmark = pytest.mark.integration


async def test_the_group_sees_entries_added_before_it_and_a_second_call_keeps_its_place(
    redis_url: str, stream_prefix: str
) -> None:
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    try:
        await redis.xadd(names.articles, {"n": "1"})  # accepted before anyone made the group
        await ensure_group(redis, names)
        [[_, first]] = await redis.xreadgroup(names.timeline_group, "c", {names.articles: ">"})
        assert [fields for _, fields in first] == [{b"n": b"1"}]
        await redis.xack(names.articles, names.timeline_group, first[0][0])

        await ensure_group(redis, names)  # ingest, consumer and reextract all call it
        await redis.xadd(names.articles, {"n": "2"})
        [[_, second]] = await redis.xreadgroup(names.timeline_group, "c", {names.articles: ">"})
        assert [fields for _, fields in second] == [{b"n": b"2"}]
    finally:
        await redis.delete(names.articles)
        await redis.aclose()


async def test_a_missing_stream_is_created_with_the_group(
    redis_url: str, stream_prefix: str
) -> None:
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    try:
        await ensure_group(redis, names)
        groups = await redis.xinfo_groups(names.articles)
        assert [g["name"] for g in groups] == [names.timeline_group.encode()]
    finally:
        await redis.delete(names.articles)
        await redis.aclose()
