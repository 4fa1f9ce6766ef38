"""The soak of `make bench-pipeline --soak N`: memory under a long steady load.

One consumer drains while the bench publishes N distinct articles at a steady rate
below what it drains (so the stream holds a backlog of seconds, not of the whole
run). Every half second it samples the RSS of the consumer, of the stream server
and of PostgreSQL (postmaster and all backends, shared buffers counted once per
process that touched them), and the stream server's used_memory; growth is the last
tenth's peak over the first sample after warm-up (10 % of the articles). Then it
drains 10,000 more articles at full speed on the database the soak filled, so the
rate after N articles can be set beside the fresh database's.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from typing import Any

import asyncpg
import psutil
from api_db import plain_dsn
from pipeline_drain import articles, drain, fresh_database, prefill
from redis.asyncio import Redis

from newsline_contracts import ArticleParsed, StreamNames

AFTER_SOAK = 10_000  # articles drained at full speed once the soak is over


async def _publish_paced(redis_url: str, names: StreamNames, batch: list[ArticleParsed],
                         rate: float) -> None:
    """XADD through the real FastStream publisher at `rate` articles/s."""
    from faststream.redis import RedisBroker

    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
    await broker.connect()
    started = time.perf_counter()
    try:
        for i in range(0, len(batch), 50):
            await asyncio.gather(*(publisher.publish(m) for m in batch[i:i + 50]))
            ahead = started + (i + 50) / rate - time.perf_counter()
            if ahead > 0:
                await asyncio.sleep(ahead)
    finally:
        await broker.stop()


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return round(total / 2**20, 1)


async def _sampler(redis: Redis, db_url: str, stream: str) -> Any:
    valkey_pid = int((await redis.info("server"))["process_id"])
    conn = await asyncpg.connect(plain_dsn(db_url))
    try:
        postmaster = psutil.Process(await conn.fetchval("SELECT pg_backend_pid()")).parent()
    finally:
        await conn.close()

    async def sample(procs: list[subprocess.Popen[bytes]]) -> dict[str, Any]:
        pg = [postmaster.pid, *(c.pid for c in postmaster.children())] if postmaster else []
        return {"consumer_rss_mb": _rss_mb([p.pid for p in procs if p.poll() is None]),
                "stream_server_rss_mb": _rss_mb([valkey_pid]),
                "stream_used_memory_mb": round(
                    (await redis.info("memory"))["used_memory"] / 2**20, 1),
                "stream_entries": await redis.xlen(stream),
                "postgres_rss_mb": _rss_mb(pg)}
    return sample


def _growth(warm: list[dict[str, Any]], key: str) -> float:
    first = warm[0][key]
    last = max(s[key] for s in warm[-max(1, len(warm) // 10):])
    return round(last / first - 1, 3) if first else 0.0


async def soak(server: str, redis_url: str, n: int, rate: float,
               fresh_events_per_s: float) -> dict[str, Any]:
    """Publish `n` articles at `rate`/s while one consumer drains; memory and rates."""
    db_url = await fresh_database(server)
    names = StreamNames(f"bench-soak-{os.getpid()}")
    rate = rate or 0.6 * fresh_events_per_s / 4  # four events per article
    batch = articles(n, seed=7)
    await prefill(redis_url, names, batch[:100])  # creates the stream and the group
    redis = Redis.from_url(redis_url)
    samples: list[dict[str, Any]] = []
    publisher = asyncio.create_task(_publish_paced(redis_url, names, batch[100:], rate))
    try:
        figures = await drain(db_url, redis_url, names, n, 1, samples,
                              await _sampler(redis, db_url, names.articles))
    finally:
        publisher.cancel()
    print(f"  soak {n:,} at {rate:,.0f} articles/s: consumer kept up at "
          f"{figures['events_per_s']:,} events/s")
    warm = [s for s in samples if s["acked"] >= n // 10] or samples
    keys = ("consumer_rss_mb", "stream_server_rss_mb", "stream_used_memory_mb",
            "postgres_rss_mb")
    out = {"articles": n, "publish_rate_articles_per_s": round(rate), **figures,
           "growth_after_warmup": {k: _growth(warm, k) for k in keys},
           "max_stream_entries": max(s["stream_entries"] for s in samples),
           "samples": samples[:: max(1, len(samples) // 60)]}
    try:  # a failure here must not lose the soak's figures
        await _publish_paced(redis_url, names, articles(AFTER_SOAK, seed=8), rate=1e9)
        after = await drain(db_url, redis_url, names, AFTER_SOAK, 1)
    except Exception as exc:
        out["drain_after_soak"] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"  drain after the soak failed: {exc!r}")
    else:
        out["drain_after_soak"] = after
        out["after_soak_vs_fresh"] = round(after["events_per_s"] / fresh_events_per_s, 3)
        print(f"  then {AFTER_SOAK:,} more at full speed: {after['events_per_s']:,} events/s "
              f"(thirds {after['events_per_s_by_third']}), {out['after_soak_vs_fresh']}x "
              "fresh")
    await redis.delete(names.articles, names.dead_letters)
    await redis.aclose()
    return out
