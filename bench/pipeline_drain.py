"""The write path's moving parts, shared by the pipeline benches.

Articles made for the bench, a fresh migrated database, a stream pre-filled through the
real FastStream publisher, real timeline consumer processes, and the drain: consumers
started on a full stream and timed until every entry is acknowledged, by thirds.
pipeline_bench.py (the write-path figures), pipeline_reads.py and pipeline_soak.py
run on these, and so does pipeline_ab.py (the interleaved A/B of two write paths).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from api_dataset import DatasetSpec, batches
from api_db import bench_url, plain_dsn
from redis.asyncio import Redis

from newsline_contracts import ArticleParsed, StreamNames

DB_NAME = "newsline_bench_pipeline"
Sampler = Callable[[list[subprocess.Popen[bytes]]], Awaitable[dict[str, Any]]]
TRIM_INTERVAL_MS = 1000  # the consumers' stream retention runs this often
LOGS = Path(__file__).resolve().parents[1] / ".data" / "bench-logs"  # consumers' stderr


def articles(n: int, seed: int = 20261201) -> list[ArticleParsed]:
    """`n` distinct articles: 4 events each, 40 % re-reported by the next article,
    over 2,000 actors with a long tail (api_dataset's generator, smaller)."""
    spec = DatasetSpec(events=n * 4, actors=2_000, hot_actors=2, hot_events=n // 5,
                       batch_articles=100, seed=seed)
    out = [m for batch in batches(spec) for m in batch]
    return out[:n]


async def fresh_database(server: str) -> str:
    """The bench's database, dropped and migrated anew: its URL."""
    from newsline_cli.migrate import ensure_database, upgrade

    url = str(bench_url(server, DB_NAME))
    admin = await asyncpg.connect(plain_dsn(bench_url(server, "postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    finally:
        await admin.close()
    await asyncio.to_thread(ensure_database, url)
    await asyncio.to_thread(upgrade, url)
    return url


async def prefill(redis_url: str, names: StreamNames, batch: list[ArticleParsed]) -> float:
    """XADD every article through the real FastStream publisher; seconds taken."""
    from faststream.redis import RedisBroker

    from newsline_streams import ensure_group

    redis = Redis.from_url(redis_url)
    await redis.delete(names.articles, names.dead_letters)
    await ensure_group(redis, names)
    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
    await broker.connect()
    started = time.perf_counter()
    sem = asyncio.Semaphore(64)

    async def one(msg: ArticleParsed) -> None:
        async with sem:
            await publisher.publish(msg)

    await asyncio.gather(*(one(m) for m in batch))
    seconds = time.perf_counter() - started
    await broker.stop()
    await redis.aclose()
    return seconds


def start_consumer(db_url: str, redis_url: str, prefix: str, name: str) -> subprocess.Popen[bytes]:
    """A real timeline consumer process (`python -m newsline_timeline`), in its own session."""
    env = os.environ | {"DATABASE_URL": db_url, "REDIS_URL": redis_url,
                        "NEWSLINE_STREAM_PREFIX": prefix, "NEWSLINE_CONSUMER_NAME": name,
                        "NEWSLINE_TRIM_INTERVAL_MS": str(TRIM_INTERVAL_MS)}
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "newsline_timeline"], env=env,
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)


def stop_consumers(procs: list[subprocess.Popen[bytes]], grace: float = 20.0) -> None:
    """SIGTERM each consumer and wait; one still up after `grace` seconds gets a second
    SIGTERM, on which it logs every task's stack and exits (newsline_timeline.__main__),
    so the bench goes on and the log says where its shutdown hung."""
    for p in procs:
        p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"  a consumer (pid {p.pid}) did not stop within {grace:.0f} s of SIGTERM: "
                  f"stopping it again; its stacks are in {LOGS}", file=sys.stderr)
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


async def group_done(redis: Redis, names: StreamNames) -> tuple[int, int]:
    """(entries delivered and acked, entries pending) of the timeline group."""
    for group in await redis.xinfo_groups(names.articles):
        if group["name"].decode() == names.timeline_group:
            read = int(group.get("entries-read") or 0)
            return read - int(group["pending"]), int(group["pending"])
    return 0, 0


async def drain(db_url: str, redis_url: str, names: StreamNames, total: int,
                consumers: int, samples: list[dict[str, Any]] | None = None,
                sample: Sampler | None = None) -> dict[str, Any]:
    """Start `consumers` processes, wait until every entry is acked; rates per third.

    With `sample`, what it measures of the consumer processes is appended to `samples`
    every half second (the soak's memory figures).
    """
    redis = Redis.from_url(redis_url)
    db = await asyncpg.connect(plain_dsn(db_url))
    base_events = await db.fetchval("SELECT count(*) FROM events")
    base_acked, _ = await group_done(redis, names)
    procs = [start_consumer(db_url, redis_url, names.prefix, f"bench-{uuid.uuid4().hex[:8]}")
             for _ in range(consumers)]
    marks: list[tuple[float, int]] = []  # (seconds, new events) at each third
    thirds = [base_acked + total * k // 3 for k in (1, 2, 3)]
    started = None
    try:
        while True:
            acked, pending = await group_done(redis, names)
            now = time.perf_counter()
            if started is None and (acked > base_acked or pending):
                started = now
            if started is not None and acked >= thirds[len(marks)]:
                marks.append((now - started,
                              await db.fetchval("SELECT count(*) FROM events") - base_events))
                if len(marks) == 3:
                    break
            if sample is not None and samples is not None and started is not None:
                samples.append({"t": round(now - started, 2), "acked": acked - base_acked,
                                **await sample(procs)})
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a consumer exited during the drain")
            await asyncio.sleep(0.05 if samples is None else 0.5)
        await asyncio.sleep(2 * TRIM_INTERVAL_MS / 1000)  # let retention run once more
    finally:
        stop_consumers(procs)
        await db.close()
    entries = await redis.xlen(names.articles)
    await redis.aclose()
    (t1, e1), (t2, e2), (t3, e3) = marks
    rates = [e1 / t1, (e2 - e1) / (t2 - t1), (e3 - e2) / (t3 - t2)]
    return {"consumers": consumers, "articles": total, "new_events": e3,
            "seconds": round(t3, 2), "events_per_s": round(e3 / t3),
            "events_per_s_by_third": [round(r) for r in rates],
            "last_third_vs_first_third": round(rates[2] / rates[0], 3),
            "stream_entries_after_drain": entries}
