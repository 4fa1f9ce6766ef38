"""`make bench-pipeline`: the write path against raw PostgreSQL, as the corpus grows.

Pre-fills a stream of its own with distinct articles (no consumer running), starts
1, 2 and 3 real timeline consumer processes on a fresh database each time, lets them
drain it, and records new events/s over the whole drain and per third of it. In the
same run it measures the raw baseline: asyncpg `INSERT ... SELECT unnest(...)` of the
same events with their actor links (../shared/notes/performance-baselines.md), against
the same PostgreSQL. Then it checks stream retention (entries left after the drain)
and correctness (every event once), POST -> visible (pipeline_latency.py) and the api's
pages idle and under the consumer's write load (pipeline_reads.py). A soak (`--soak N`,
pipeline_soak.py) publishes N articles at a steady rate while one consumer drains,
sampling every process's memory. Results go to bench/results/pipeline.json.

Servers: DATABASE_URL / REDIS_URL when set, else embedded ones under .data/bench-*.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_dataset import DatasetSpec, batches
from api_db import Database, bench_url, plain_dsn

from newsline_contracts import ArticleParsed, StreamNames

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "pipeline.json"
DB_NAME = "newsline_bench_pipeline"
Sampler = Callable[[list[subprocess.Popen[bytes]]], Awaitable[dict[str, Any]]]
TRIM_INTERVAL_MS = 1000  # the consumers' stream retention runs this often
GOALS = {
    "consumer_vs_raw": (">=", 0.5),
    "last_third_vs_first_third": (">=", 0.67),
    "stream_entries_after_drain": ("<=", 1000),
    "three_consumers_vs_one": (">=", 1.0),
    "post_to_visible_p50_ms_at_half_saturation": ("<=", 100),
}


def articles(n: int, seed: int = 20261201) -> list[ArticleParsed]:
    """`n` distinct articles: 4 events each, 40 % re-reported by the next article,
    over 2,000 actors with a long tail (api_dataset's generator, smaller)."""
    spec = DatasetSpec(events=n * 4, actors=2_000, hot_actors=2, hot_events=n // 5,
                       batch_articles=100, seed=seed)
    out = [m for batch in batches(spec) for m in batch]
    return out[:n]


async def _fresh_database(server: str) -> str:
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


def _consumer(db_url: str, redis_url: str, prefix: str, name: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": db_url, "REDIS_URL": redis_url,
                        "NEWSLINE_STREAM_PREFIX": prefix, "NEWSLINE_CONSUMER_NAME": name,
                        "NEWSLINE_TRIM_INTERVAL_MS": str(TRIM_INTERVAL_MS)}
    return subprocess.Popen([sys.executable, "-m", "newsline_timeline"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


async def _group_done(redis: Redis, names: StreamNames) -> tuple[int, int]:
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
    base_acked, _ = await _group_done(redis, names)
    procs = [_consumer(db_url, redis_url, names.prefix, f"bench-{uuid.uuid4().hex[:8]}")
             for _ in range(consumers)]
    marks: list[tuple[float, int]] = []  # (seconds, new events) at each third
    thirds = [base_acked + total * k // 3 for k in (1, 2, 3)]
    started = None
    try:
        while True:
            acked, pending = await _group_done(redis, names)
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
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
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


async def raw_baseline(db_url: str, batch: list[ArticleParsed],
                       per_tx: int = 100) -> dict[str, Any]:
    """asyncpg unnest upserts of the same events and their actor links, 100 articles a tx."""
    conn = await asyncpg.connect(plain_dsn(db_url))
    await conn.execute("""
        DROP TABLE IF EXISTS raw_links, raw_events;
        CREATE TABLE raw_events (id uuid PRIMARY KEY, merge_key text UNIQUE NOT NULL,
            type text NOT NULL, date date NOT NULL, doc jsonb NOT NULL);
        CREATE TABLE raw_links (event_id uuid REFERENCES raw_events(id), actor_slug text,
            date date NOT NULL, PRIMARY KEY (event_id, actor_slug));
        CREATE INDEX ON raw_links (actor_slug, date, event_id);
    """)
    started = time.perf_counter()
    for i in range(0, len(batch), per_tx):
        events = {e.event_id: e for m in batch[i:i + per_tx] for e in m.events}
        links = {(e.event_id, a.slug): e.date for e in events.values() for a in e.actors}
        async with conn.transaction():
            await conn.execute("""
                INSERT INTO raw_events SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[],
                    $4::date[], $5::jsonb[]) ON CONFLICT DO NOTHING""",
                list(events), [e.merge_key for e in events.values()],
                [e.type for e in events.values()], [e.date for e in events.values()],
                [e.model_dump_json() for e in events.values()])
            await conn.execute("""
                INSERT INTO raw_links SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[])
                ON CONFLICT DO NOTHING""",
                [k[0] for k in links], [k[1] for k in links], list(links.values()))
    seconds = time.perf_counter() - started
    stored = await conn.fetchval("SELECT count(*) FROM raw_events")
    await conn.execute("DROP TABLE raw_links, raw_events")
    await conn.close()
    return {"events": stored, "seconds": round(seconds, 2), "events_per_s": round(stored / seconds)}


async def correctness(db_url: str, batch: list[ArticleParsed]) -> dict[str, int]:
    """Events and sources expected from the messages vs stored: lost and duplicated."""
    want_events = {e.event_id for m in batch for e in m.events}
    want_sources = {(e.event_id, m.article_id) for m in batch for e in m.events}
    conn = await asyncpg.connect(plain_dsn(db_url))
    try:
        got_events = await conn.fetchval("SELECT count(*) FROM events")
        got_sources = await conn.fetchval("SELECT count(*) FROM event_sources")
        changes_created = await conn.fetchval(
            "SELECT count(*) FROM changes WHERE kind = 'created'")
    finally:
        await conn.close()
    return {"lost": max(0, len(want_sources) - got_sources),
            "duplicated": max(0, got_sources - len(want_sources))
            + max(0, changes_created - len(want_events)),
            "events": got_events}


def _judge(results: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, (op, goal) in GOALS.items():
        value = results["ratios"].get(name)
        ok = value is not None and (value >= goal if op == ">=" else value <= goal)
        out[name] = {"value": value, "goal": f"{op} {goal}", "met": ok}
    return out


async def run(args: argparse.Namespace, server: str, redis_url: str) -> dict[str, Any]:
    batch = articles(args.articles)
    print(f"pipeline bench: {len(batch):,} articles, "
          f"{len({e.event_id for m in batch for e in m.events}):,} distinct events")
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    results: dict[str, Any] = {"machine": machine, "articles": len(batch), "drains": [],
                               "ratios": {}}
    db_url = await _fresh_database(server)
    results["raw_unnest_link_mode"] = raw = await raw_baseline(db_url, batch)
    print(f"  raw unnest upsert with links: {raw['events_per_s']:,} events/s")
    for consumers in args.consumers:
        db_url = await _fresh_database(server)
        names = StreamNames(f"bench-pipeline-{os.getpid()}-{consumers}")
        prefill_s = await prefill(redis_url, names, batch)
        figures = await drain(db_url, redis_url, names, len(batch), consumers)
        figures["prefill_articles_per_s"] = round(len(batch) / prefill_s)
        figures |= await correctness(db_url, batch)
        results["drains"].append(figures)
        if len(results["drains"]) == 1:  # the raw rate again, right after the drain it rates
            after = await raw_baseline(await _fresh_database(server), batch)
            raw = {"events_per_s": round((raw["events_per_s"] + after["events_per_s"]) / 2),
                   "before_drains": raw, "after_first_drain": after}
            results["raw_unnest_link_mode"] = raw
            print(f"  raw again: {after['events_per_s']:,} events/s; the mean "
                  f"{raw['events_per_s']:,} is the denominator")
        print(f"  {consumers} consumer(s): {figures['events_per_s']:,} events/s "
              f"(thirds {figures['events_per_s_by_third']}), lost={figures['lost']} "
              f"duplicated={figures['duplicated']}, stream left "
              f"{figures['stream_entries_after_drain']} entries")
        redis = Redis.from_url(redis_url)
        await redis.delete(names.articles, names.dead_letters)
        await redis.aclose()
    one = results["drains"][0]
    results["ratios"] = {
        "consumer_vs_raw": round(one["events_per_s"] / raw["events_per_s"], 3),
        "last_third_vs_first_third": one["last_third_vs_first_third"],
        "stream_entries_after_drain": max(d["stream_entries_after_drain"]
                                          for d in results["drains"]),
    }
    if len(results["drains"]) > 1:
        results["ratios"]["three_consumers_vs_one"] = round(
            results["drains"][-1]["events_per_s"] / one["events_per_s"], 3)
    if not args.no_latency:
        from pipeline_latency import measure

        db_url = await _fresh_database(server)
        prefix = f"bench-latency-{os.getpid()}"
        results["latency"] = await measure(db_url, redis_url, prefix)
        redis = Redis.from_url(redis_url)
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
        p50 = results["latency"]["post_to_visible"]["50%"]["p50_ms"]
        results["ratios"]["post_to_visible_p50_ms_at_half_saturation"] = p50
    if not args.no_reads:
        from pipeline_reads import measure as reads_under_load

        results["reads"] = await reads_under_load(server, redis_url)
    if args.soak:
        from pipeline_soak import soak

        results["soak"] = await soak(server, redis_url, args.soak, args.soak_rate,
                                     results["drains"][0]["events_per_s"])
    results["goals"] = _judge(results) | results.get("reads", {}).get("goals", {})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--consumers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--soak", type=int, default=0, help="articles for the memory soak")
    parser.add_argument("--soak-rate", type=float, default=0.0,
                        help="articles/s published during the soak (default: 60 %% of the "
                             "one-consumer drain rate just measured)")
    parser.add_argument("--no-latency", action="store_true",
                        help="skip POST->visible through the whole stack")
    parser.add_argument("--no-reads", action="store_true",
                        help="skip the api pages idle and under the consumer's write load")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    database = Database()
    servers: Any = None
    try:
        server = database.start()
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            from newsline_cli.embedded import EmbeddedServers

            servers = EmbeddedServers(ROOT / ".data" / "bench-valkey")
            redis_url = servers.start_valkey()
        results = asyncio.run(run(args, server, redis_url))
    finally:
        database.stop()
        if servers is not None:
            servers.stop()
    results["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["goals"], indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
