"""Compares two write paths, interleaved in one sitting (which variant
goes first alternates by round): `before` runs with `--before-path` first on
PYTHONPATH (a copy of the old packages) on a schema downgraded to `--before-schema`,
`after` is the working tree at head. Per variant and round: a drain of `--articles`
pre-filled articles by one consumer process (events/s, the consumer's CPU from
getrusage, start-up included), and `persist_batch` in a process of its own in batches
of 100 (its Python CPU and the PostgreSQL backend's CPU from /proc/<pid>/stat, the
first five batches left out; the server must be local). DATABASE_URL / REDIS_URL name
the servers:

    python bench/pipeline_ab.py --before-path /tmp/old --before-schema 0007 --rounds 4
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
from typing import Any

import asyncpg
from api_db import plain_dsn
from pipeline_baselines import backend_ticks
from pipeline_drain import articles, drain, fresh_database, prefill
from redis.asyncio import Redis

from newsline_contracts import StreamNames


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
            c0, t0, w0 = time.process_time(), backend_ticks(pid), time.perf_counter()
            async with conn.begin():
                await persist_batch(conn, batch[i:i + 100])
            if i // 100 >= warm:
                python += time.process_time() - c0
                backend += (backend_ticks(pid) - t0) / tick
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
