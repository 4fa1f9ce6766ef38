"""A failed delivery is one log line naming the article, never a traceback.

Before issue 9 each failed delivery logged a ~124-line traceback (15 MB for a 150 s
outage), and the article it concerned had to be dug out of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import StreamNames
from tests.integration.test_delivery import _articles, _publish, _stored
from tests.support.factories import article, event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def test_a_dead_lettered_article_is_one_line_with_its_id_and_no_traceback(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str,
    tmp_path: Path,
) -> None:
    bad = article(event("nul-vendor", "offer"), text="An offer\x00 with a NUL byte.")
    names = StreamNames(stream_prefix)
    redis = Redis.from_url(redis_url)
    log_file = tmp_path / "consumer.log"
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url,
                        "NEWSLINE_STREAM_PREFIX": stream_prefix,
                        "NEWSLINE_CONSUMER_NAME": f"test-{uuid.uuid4().hex[:6]}",
                        "NEWSLINE_MAX_DELIVERIES": "3"}
    with log_file.open("wb") as out:
        consumer = subprocess.Popen([sys.executable, "-m", "newsline_timeline"], env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
        try:
            await _publish(redis_url, stream_prefix, [*_articles(10), bad])
            await eventually(lambda: _stored(clean_db), lambda s: s == (10, 10), timeout=60)
            await eventually(lambda: redis.xlen(names.dead_letters), lambda n: n == 1,
                             timeout=30)
        finally:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(30)
            await redis.aclose()
    text = log_file.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    dead = [r for r in records if r["message"].startswith("dead-lettered article")]
    assert len(dead) == 1
    assert dead[0]["article_id"] == str(bad.article_id)
    assert str(bad.article_id) in dead[0]["message"]
