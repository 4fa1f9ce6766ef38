"""A consumer whose statements do not fit the database dead-letters nothing.

Started before `newsline migrate`, or against a schema missing a column its code
writes, every message would fail the same way: counting that toward
NEWSLINE_MAX_DELIVERIES would dead-letter the whole backlog. Instead the consumer
waits as it does in an outage, acknowledges nothing, says on /readyz what is wrong and
what to run, and stores everything by itself once the schema is right.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from newsline_cli import migrate
from newsline_contracts import StreamNames
from newsline_db import make_engine
from tests.integration.test_delivery import _articles, _consumer, _publish, _stored
from tests.support.newsline_up import free_port
from tests.support.servers import ServerUrls, admin_sql
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def unmigrated_url(servers: ServerUrls) -> AsyncIterator[str]:
    """A database of this test's own with no tables at all, dropped afterwards."""
    name = f"nltest_schema_{uuid.uuid4().hex[:10]}"
    await admin_sql(servers.database_url, f'CREATE DATABASE "{name}"')
    yield make_url(servers.database_url).set(database=name).render_as_string(hide_password=False)
    await admin_sql(servers.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _ready(url: str) -> httpx.Response | None:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            return await client.get(url)
    except httpx.HTTPError:
        return None


async def _waits_for_the_schema(database_url: str, redis_url: str, stream_prefix: str,
                                fix_schema: object) -> tuple[str, int]:
    """Run a consumer on a database it does not fit, fix the schema, see it store everything.

    Returns the /readyz reason seen while waiting and the dead letters at the end.
    """
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    port = free_port()
    consumer = _consumer(database_url, redis_url, stream_prefix, NEWSLINE_METRICS_PORT=str(port),
                         NEWSLINE_BATCH_SIZE="10", NEWSLINE_RECLAIM_IDLE_MS="300",
                         NEWSLINE_MAX_DELIVERIES="2")
    engine = make_engine(database_url, pool_size=1)
    try:
        await _publish(redis_url, stream_prefix, _articles(30))
        ready = await eventually(lambda: _ready(f"http://127.0.0.1:{port}/readyz"),
                                 lambda r: r is not None and r.status_code == 503, timeout=60)
        # Ten times the reclaim idle time with a budget of 2 deliveries: counted as
        # message errors, the backlog would be in the dead-letter stream by now.
        await asyncio.sleep(3)
        assert await redis.xlen(names.dead_letters) == 0
        await fix_schema()  # type: ignore[operator]
        await eventually(lambda: _stored(engine), lambda s: s == (30, 30), timeout=90)
        await eventually(lambda: redis.xpending(names.articles, names.timeline_group),
                         lambda p: p["pending"] == 0, timeout=60)
        await eventually(lambda: _ready(f"http://127.0.0.1:{port}/readyz"),
                         lambda r: r is not None and r.status_code == 200, timeout=30)
        return str(ready.json()["reason"]), int(await redis.xlen(names.dead_letters))
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()
        await engine.dispose()


async def test_a_consumer_started_before_the_migrations_waits_and_dead_letters_nothing(
    unmigrated_url: str, redis_url: str, stream_prefix: str
) -> None:
    async def migrate_now() -> None:
        await asyncio.to_thread(migrate.upgrade, unmigrated_url)

    reason, dead = await _waits_for_the_schema(unmigrated_url, redis_url, stream_prefix,
                                               migrate_now)
    assert reason.startswith("database schema does not match this consumer: ")
    assert "does not exist" in reason and reason.endswith("run newsline migrate")
    assert dead == 0


async def test_a_column_the_code_writes_missing_is_waited_out_not_dead_lettered(
    unmigrated_url: str, redis_url: str, stream_prefix: str
) -> None:
    await asyncio.to_thread(migrate.upgrade, unmigrated_url)
    await admin_sql(unmigrated_url, "ALTER TABLE events RENAME COLUMN summary TO summary_renamed")

    async def put_it_back() -> None:
        await admin_sql(unmigrated_url,
                        "ALTER TABLE events RENAME COLUMN summary_renamed TO summary")

    reason, dead = await _waits_for_the_schema(unmigrated_url, redis_url, stream_prefix,
                                               put_it_back)
    assert "UndefinedColumnError" in reason and '"summary"' in reason
    assert dead == 0
