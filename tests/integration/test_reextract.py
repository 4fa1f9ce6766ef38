"""`newsline reextract` on real servers: timelines converge on what the current engine reads.

The stored article was extracted by an "older engine" that found one event the current
one does not and missed one it finds: after re-extraction the first is removed (and
says so in the change feed), the second is there, nothing is duplicated, and a second
run changes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_cli.reextract import reextract
from newsline_contracts import StreamNames
from newsline_db import changes, event_sources, events
from newsline_engine import Extractor, load_knowledge
from newsline_ingest.parsing import extract_article
from newsline_ingest.schemas import ArticleIn
from tests.integration.test_delivery import _consumer, _publish
from tests.support.factories import event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles" / "article-en.json"


async def _state(engine: AsyncEngine) -> tuple[set[str], int, int]:
    async with engine.connect() as conn:
        ids = set((await conn.execute(sa.select(events.c.id))).scalars().all())
        n_sources = (await conn.execute(
            sa.select(sa.func.count()).select_from(event_sources))).scalar_one()
        n_changes = (await conn.execute(
            sa.select(sa.func.count()).select_from(changes))).scalar_one()
    return {str(i) for i in ids}, int(n_sources), int(n_changes)


async def _removed(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(changes.c.event_id).where(changes.c.kind == "removed"))
        return {str(r) for r in rows.scalars()}


async def test_reextract_converges_and_a_second_run_changes_nothing(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    body = ArticleIn(title=seed["title"], text=seed["text"], language="en")
    current = extract_article(body, Extractor(load_knowledge()),
                            dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    assert len(current.events) >= 3
    missed, *kept = current.events
    stale = event("openai", "price_cut", dt.date(2024, 1, 5))
    older = current.model_copy(update={"events": (*kept, stale)})
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    consumer = _consumer(database_url, redis_url, stream_prefix)
    try:
        await _publish(redis_url, stream_prefix, [older])
        before = await eventually(lambda: _state(clean_db), lambda s: len(s[0]) == len(kept) + 1)
        assert str(stale.event_id) in before[0] and str(missed.event_id) not in before[0]

        done = await reextract(database_url, redis_url, names)
        assert (done.articles, done.failed) == (1, 0)
        after = await eventually(lambda: _state(clean_db),
                                 lambda s: str(missed.event_id) in s[0]
                                 and str(stale.event_id) not in s[0])
        assert after[0] == {str(e.event_id) for e in current.events}
        assert after[1] == len(current.events)  # one source per event: nothing duplicated
        assert str(stale.event_id) in await _removed(clean_db)

        await reextract(database_url, redis_url, names)
        await eventually(lambda: redis.xpending(names.articles, names.timeline_group),
                         lambda p: p["pending"] == 0 and True)
        await eventually(lambda: _group_lag(redis, names), lambda lag: lag == 0)
        assert await _state(clean_db) == after  # idempotent: not even a change row
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        await redis.aclose()


async def _group_lag(redis: Redis, names: StreamNames) -> int:
    for group in await redis.xinfo_groups(names.articles):
        if group["name"].decode() == names.timeline_group:
            return int(group.get("lag") or 0) + int(group["pending"])
    return -1
