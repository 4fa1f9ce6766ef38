"""`newsline dlq` on a real Redis: list, retry and drop, unreadable entries included."""

from __future__ import annotations

import pytest
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from newsline_cli.dlq import drop, read_dead_letters, retry
from newsline_cli.main import main
from newsline_contracts import StreamNames
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def _letters(redis: Redis, names: StreamNames) -> None:
    good = article(event("baidu", "offer"))
    await redis.xadd(names.dead_letters, {"body": good.model_dump_json(), "error": "DataError",
                                          "deliveries": "5"})
    await redis.xadd(names.dead_letters, {"body": b"\xff not json", "error": "decode"})


async def test_retry_republishes_the_readable_and_drop_removes_the_unreadable(
        redis_url: str, stream_prefix: str) -> None:
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    try:
        await _letters(redis, names)
        letters = await read_dead_letters(redis, names)
        assert [d.message is None for d in letters] == [False, True]

        retried, unreadable = await retry(redis_url, names)
        assert (len(retried), len(unreadable)) == (1, 1)
        assert await redis.xlen(names.articles) == 1  # back on the stream
        assert await redis.xlen(names.dead_letters) == 1  # only the unreadable is left

        assert await drop(redis_url, names, set(), unreadable=True) == 1
        assert await redis.xlen(names.dead_letters) == 0
    finally:
        await redis.aclose()


def test_list_names_each_entry_and_marks_the_unreadable(
        redis_url: str, stream_prefix: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The commands run their own event loop, as from a shell: this test has none.
    names = StreamNames(stream_prefix)
    redis = SyncRedis.from_url(redis_url)
    try:
        redis.xadd(names.dead_letters, {"body": article(event("baidu", "offer")).model_dump_json(),
                                        "error": "DataError", "deliveries": "5"})
        redis.xadd(names.dead_letters, {"body": b"\xff not json", "error": "decode"})
    finally:
        redis.close()
    assert main(["dlq", "list", "--redis-url", redis_url, "--prefix", stream_prefix]) == 0
    out = capsys.readouterr().out
    assert "UNREADABLE" in out and "2 dead letter(s), 1 unreadable" in out
    assert main(["dlq", "drop", "--redis-url", redis_url, "--prefix", stream_prefix]) == 2
