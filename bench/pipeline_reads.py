"""Reads while the consumer writes: issue 8's read-side acceptance, measured in one run.

A database is filled through the real consumer (10,000 articles), then the api and the
raw baseline of `make bench-api` (bench/api_baseline.py: asyncpg + orjson, the same
keyset query) serve the hot actor's timeline pages. wrk drives each target once idle,
then again while one consumer drains 20,000 more articles into the same database (the
new events land on the same actors, so pages and ETags change under the load). The
figures: the api page against the raw page under the same load (goal >= 1.0), the api
page's p99 under load against its idle p99 (goal <= 2), and the idle goals of
bench/README.md (304 >= 5x page, hot p99 <= 2x cold p99).
"""

from __future__ import annotations

import asyncio
import os
import random
from typing import Any

import api_wrk
import asyncpg
from api_db import plain_dsn
from api_targets import Server, check_304, check_pages, cursors, page_paths, pick_actors
from pipeline_drain import (
    articles,
    drain,
    fresh_database,
    group_done,
    prefill,
    start_consumer,
    stop_consumers,
)
from redis.asyncio import Redis

from newsline_contracts import StreamNames
from support import ROOT

LOAD_ARTICLES = 20_000
WRK = {"seconds": 5.0, "connections": 32, "threads": 2}
GOALS = {"page_vs_raw_under_write_load": (">=", 1.0),
         "page_p99_under_write_load_vs_idle": ("<=", 2.0),
         "not_modified_vs_page_idle": (">=", 5.0),
         "hot_p99_vs_cold_p99_idle": ("<=", 2.0)}


def _round(wrk: str, targets: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for name, t in targets.items():
        api_wrk.run(wrk, t["base"], t["paths"], headers=t.get("headers"), seconds=1,
                    connections=WRK["connections"], threads=WRK["threads"])  # warm-up
        r = api_wrk.run(wrk, t["base"], t["paths"], headers=t.get("headers"),
                        seconds=WRK["seconds"], connections=WRK["connections"],
                        threads=WRK["threads"])
        out[name] = {"requests_per_s": round(r.requests_per_s, 1), "p50_ms": r.p50_ms,
                     "p99_ms": r.p99_ms, "bad_status": r.bad_status}
        print(f"    {name:<12} {r.requests_per_s:>8,.0f} req/s  p99 {r.p99_ms:>7.2f} ms",
              flush=True)
    return out


async def measure(server: str, redis_url: str) -> dict[str, Any]:
    """Idle, then under the consumer's full write rate; ratios with their goals."""
    db_url = await fresh_database(server)
    names = StreamNames(f"bench-reads-{os.getpid()}")
    await prefill(redis_url, names, articles(10_000))
    await drain(db_url, redis_url, names, 10_000, 1)
    conn = await asyncpg.connect(plain_dsn(db_url))
    await conn.execute("VACUUM ANALYZE")
    await conn.close()
    picked = await pick_actors(db_url)
    (hot, hot_n), (cold, cold_n) = picked["hot"], picked["cold"]
    rng = random.Random(7)
    hot_cursors = await cursors(db_url, hot, hot_n, 10, rng)
    cold_cursors = await cursors(db_url, cold, cold_n, 10, rng)
    wrk = api_wrk.ensure_wrk()
    api = Server("api", "newsline_api.app:create_app", {"DATABASE_URL": db_url}, "--factory")
    raw = Server("baseline", "api_baseline:app", {"BENCH_DATABASE_URL": plain_dsn(db_url)},
                 "--app-dir", str(ROOT / "bench"))
    redis = Redis.from_url(redis_url)
    consumer = None
    try:
        api.wait_ready("/healthz")
        raw.wait_ready(f"/timeline/{hot}")
        api_hot = page_paths(f"/v1/actors/{hot}/timeline", hot_cursors)
        etags, _ = check_pages(api.url, api_hot)
        check_pages(raw.url, page_paths(f"/timeline/{hot}", hot_cursors))
        check_304(api.url, api_hot, etags)
        targets = {
            "raw_hot": {"base": raw.url, "paths": page_paths(f"/timeline/{hot}", hot_cursors)},
            "api_hot": {"base": api.url, "paths": api_hot},
            "api_hot_304": {"base": api.url, "paths": api_hot,
                            "headers": [{"If-None-Match": e} for e in etags]},
            "api_cold": {"base": api.url,
                         "paths": page_paths(f"/v1/actors/{cold}/timeline", cold_cursors)},
        }
        print(f"  reads idle (hot {hot}: {hot_n:,} events, cold {cold}: {cold_n:,})")
        idle = await asyncio.to_thread(_round, wrk, targets)
        await prefill(redis_url, names, articles(LOAD_ARTICLES, seed=9))
        base, _ = await group_done(redis, names)
        consumer = start_consumer(db_url, redis_url, names.prefix, "bench-reads")
        while (await group_done(redis, names))[0] == base:  # the consumer is writing
            await asyncio.sleep(0.05)
        started, t0 = (await group_done(redis, names))[0], asyncio.get_running_loop().time()
        print("  reads while one consumer drains")
        loaded = await asyncio.to_thread(
            _round, wrk, {k: targets[k] for k in ("raw_hot", "api_hot")})
        acked, _ = await group_done(redis, names)
        window = asyncio.get_running_loop().time() - t0
        still_draining = acked - base < LOAD_ARTICLES
    finally:
        if consumer is not None:
            stop_consumers([consumer])
        api.stop()
        raw.stop()
        await redis.delete(names.articles, names.dead_letters)
        await redis.aclose()
    ratios = {
        "page_vs_raw_under_write_load":
            loaded["api_hot"]["requests_per_s"] / loaded["raw_hot"]["requests_per_s"],
        "page_p99_under_write_load_vs_idle":
            loaded["api_hot"]["p99_ms"] / idle["api_hot"]["p99_ms"],
        "not_modified_vs_page_idle":
            idle["api_hot_304"]["requests_per_s"] / idle["api_hot"]["requests_per_s"],
        "hot_p99_vs_cold_p99_idle": idle["api_hot"]["p99_ms"] / idle["api_cold"]["p99_ms"],
    }
    goals = {}
    for name, (op, goal) in GOALS.items():
        value = round(ratios[name], 3)
        goals[name] = {"value": value, "goal": f"{op} {goal}",
                       "met": value >= goal if op == ">=" else value <= goal}
    return {"events": picked["sizes"]["events"], "hot_actor_events": hot_n,
            "cold_actor_events": cold_n, "wrk": WRK, "idle": idle, "under_write_load": loaded,
            "consumer_articles_per_s_during_reads": round((acked - started) / window),
            "consumer_still_draining_at_end": still_draining, "goals": goals}
