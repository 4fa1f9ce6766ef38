"""The write path's moving parts, shared by the pipeline benches.

Articles made for the bench, a fresh migrated database, a stream pre-filled through the
real FastStream publisher, real timeline consumer processes, and the drain: consumers
started on a full stream and timed until every entry is acknowledged, by thirds.
pipeline_bench.py (the write-path figures), pipeline_reads.py and pipeline_soak.py
run on these.

Run as a script it compares two write paths, interleaved in one sitting (which variant
goes first alternates by round): `before` runs with `--before-path` first on
PYTHONPATH (a copy of the old packages) on a schema downgraded to `--before-schema`,
`after` is the working tree at head. Per variant and round: a drain of `--articles`
pre-filled articles by one consumer process (events/s, the consumer's CPU from
getrusage, start-up included), and `persist_batch` in a process of its own in batches
of 100 (its Python CPU and the PostgreSQL backend's CPU from /proc/<pid>/stat, the
first five batches left out; the server must be local). DATABASE_URL / REDIS_URL name
the servers:

    python bench/pipeline_drain.py --before-path /tmp/old --before-schema 0007 --rounds 4
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
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

    url = bench_url(server, DB_NAME)
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


async def _variant_database(server: str, schema: str | None) -> tuple[str, int]:
    """A fresh database at head, or downgraded to `schema`: its URL and how many foreign
    keys event_actors and event_sources have."""
    from newsline_cli.migrate import downgrade

    url = await fresh_database(server)
    if schema:
        await asyncio.to_thread(downgrade, url, schema)
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        keys = await conn.fetchval(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN"
            " ('event_actors'::regclass, 'event_sources'::regclass)")
    finally:
        await conn.close()
    return url, int(keys)


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _ab_drain(server: str, redis_url: str, n: int, variant: dict[str, Any]) -> dict[str, Any]:
    """One drain of `n` articles by one consumer process running `variant`'s code."""
    batch = articles(n)
    url, keys = await _variant_database(server, variant["schema"])
    names = StreamNames(f"bench-ab-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    await prefill(redis_url, names, batch)
    saved = os.environ.pop("PYTHONPATH", None)
    if variant["path"]:
        os.environ["PYTHONPATH"] = variant["path"]
    load, cpu = os.getloadavg()[0], _children_cpu_s()
    try:
        figures = await drain(url, redis_url, names, n, 1)
    finally:
        os.environ.pop("PYTHONPATH", None)
        if saved is not None:
            os.environ["PYTHONPATH"] = saved
    cpu = _children_cpu_s() - cpu  # the consumer, reaped by drain()
    redis = Redis.from_url(redis_url)
    await redis.delete(names.articles, names.dead_letters)
    await redis.aclose()
    return {"foreign_keys_on_links_and_sources": keys, "events_per_s": figures["events_per_s"],
            "seconds": figures["seconds"], "new_events": figures["new_events"],
            "consumer_cpu_ms_per_100_articles": round(cpu * 1000 / (n / 100), 1),
            "load_average_1min": round(load, 2)}


def _backend_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


async def _in_process(server: str, n: int, schema: str | None, warm: int = 5) -> dict[str, Any]:
    """persist_batch over `n` articles in batches of 100: mean per batch after `warm`."""
    from newsline_db import make_engine
    from newsline_timeline.store import persist_batch

    batch = articles(n)
    url, keys = await _variant_database(server, schema)
    gc.collect()
    gc.freeze()  # as the consumer freezes its start-up objects
    engine = make_engine(url, pool_size=1)
    tick = os.sysconf("SC_CLK_TCK")
    python = backend = wall = 0.0
    counted = 0
    async with engine.connect() as conn:
        pid = (await conn.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one()
        await conn.commit()
        for i in range(0, n, 100):
            c0, t0, w0 = time.process_time(), _backend_ticks(pid), time.perf_counter()
            async with conn.begin():
                await persist_batch(conn, batch[i:i + 100])
            if i // 100 >= warm:
                python += time.process_time() - c0
                backend += (_backend_ticks(pid) - t0) / tick
                wall += time.perf_counter() - w0
                counted += 1
    await engine.dispose()
    return {"foreign_keys_on_links_and_sources": keys, "batches": counted,
            "wall_ms": round(wall * 1000 / counted, 1),
            "python_cpu_ms": round(python * 1000 / counted, 1),
            "pg_cpu_ms": round(backend * 1000 / counted, 1),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def _ab_in_process(n: int, variant: dict[str, Any]) -> dict[str, Any]:
    """_in_process in a child process running `variant`'s code."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if variant["path"]:
        env["PYTHONPATH"] = variant["path"]
    argv = [sys.executable, __file__, "--in-process-child", "--articles", str(n)]
    if variant["schema"]:
        argv += ["--before-schema", variant["schema"]]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="interleaved A/B of two write paths")
    parser.add_argument("--before-path", default="", help="PYTHONPATH of the old code")
    parser.add_argument("--before-schema", default=None, help="revision to downgrade to")
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--in-process-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    server, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    if args.in_process_child:
        print(json.dumps(asyncio.run(_in_process(server, args.articles, args.before_schema))))
        return 0
    variants = {"before": {"path": args.before_path, "schema": args.before_schema},
                "after": {"path": "", "schema": None}}
    rows: dict[str, list[dict[str, Any]]] = {"drain": [], "in_process": []}
    for r in range(args.rounds):
        for name in ("before", "after") if r % 2 == 0 else ("after", "before"):
            row = {"round": r + 1, "variant": name}
            rows["drain"].append(
                row | asyncio.run(_ab_drain(server, redis_url, args.articles, variants[name])))
            rows["in_process"].append(row | _ab_in_process(args.articles, variants[name]))
            print(json.dumps(rows["drain"][-1]), json.dumps(rows["in_process"][-1]), flush=True)
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
