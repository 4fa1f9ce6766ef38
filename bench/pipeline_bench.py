"""`make bench-pipeline`: the write path against raw PostgreSQL, as the corpus grows.

Pre-fills a stream of its own with distinct articles (no consumer running), starts
1, 2 and 3 real timeline consumer processes on a fresh database each time, lets them
drain it, and records new events/s over the whole drain and per third of it. In the
same run it measures the raw baseline: asyncpg `INSERT ... SELECT unnest(...)` of the
same events with their actor links (../shared/notes/performance-baselines.md), against
the same PostgreSQL (the goal's denominator), and beside it `raw_all_tables`: the seven
tables the consumer writes, for the same rows, from plain asyncpg (the consumer's
ratio to it is what its Python costs; `--baselines-only` measures just the two). Then
it checks stream retention (entries left after the drain) and correctness (every event
once), POST -> visible (pipeline_latency.py) and the api's pages idle and under the
consumer's write load (pipeline_reads.py). A soak (`--soak N`,
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
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
from api_db import Database, plain_dsn
from pipeline_baselines import raw_all_tables, raw_baseline
from pipeline_drain import articles, drain, fresh_database, prefill
from redis.asyncio import Redis

from newsline_contracts import ArticleParsed, StreamNames
from support import ROOT

RESULTS = ROOT / "bench" / "results" / "pipeline.json"
GOALS = {
    "consumer_vs_raw": (">=", 0.5),
    "last_third_vs_first_third": (">=", 0.67),
    "stream_entries_after_drain": ("<=", 1000),
    "three_consumers_vs_one": (">=", 1.0),
    "post_to_visible_p50_ms_at_half_saturation": ("<=", 100),
}


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
    db_url = await fresh_database(server)
    results["raw_unnest_link_mode"] = raw = await raw_baseline(db_url, batch)
    print(f"  raw unnest upsert with links: {raw['events_per_s']:,} events/s")
    # Not the acceptance denominator (raw_unnest_link_mode is): what the consumer's
    # rate is over all seven tables written from plain asyncpg says what Python costs.
    results["raw_all_tables"] = full = await raw_all_tables(await fresh_database(server), batch)
    print(f"  raw asyncpg write of all seven tables: {full['events_per_s']:,} events/s")
    if args.baselines_only:
        return results
    for consumers in args.consumers:
        db_url = await fresh_database(server)
        names = StreamNames(f"bench-pipeline-{os.getpid()}-{consumers}")
        prefill_s = await prefill(redis_url, names, batch)
        figures = await drain(db_url, redis_url, names, len(batch), consumers)
        figures["prefill_articles_per_s"] = round(len(batch) / prefill_s)
        figures |= await correctness(db_url, batch)
        results["drains"].append(figures)
        if len(results["drains"]) == 1:  # the raw rate again, right after the drain it rates
            after = await raw_baseline(await fresh_database(server), batch)
            raw = {"events_per_s": round((raw["events_per_s"] + after["events_per_s"]) / 2),
                   "before_drains": raw, "after_first_drain": after}
            results["raw_unnest_link_mode"] = raw
            print(f"  raw again: {after['events_per_s']:,} events/s; the mean "
                  f"{raw['events_per_s']:,} is the denominator")
            again = await raw_all_tables(await fresh_database(server), batch)
            full = {"events_per_s": round((full["events_per_s"] + again["events_per_s"]) / 2),
                    "before_drains": full, "after_first_drain": again}
            results["raw_all_tables"] = full
            print(f"  all seven tables again: {again['events_per_s']:,} events/s")
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
        "consumer_vs_raw_all_tables": round(one["events_per_s"] / full["events_per_s"], 3),
        "stream_entries_after_drain": max(d["stream_entries_after_drain"]
                                          for d in results["drains"]),
    }
    if len(results["drains"]) > 1:
        results["ratios"]["three_consumers_vs_one"] = round(
            results["drains"][-1]["events_per_s"] / one["events_per_s"], 3)
    if not args.no_latency:
        from pipeline_latency import measure

        db_url = await fresh_database(server)
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
    parser.add_argument("--baselines-only", action="store_true",
                        help="measure the two raw baselines only (no drains, no goals)")
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
    if args.baselines_only:
        print(json.dumps({k: results[k] for k in ("raw_unnest_link_mode", "raw_all_tables")},
                         indent=2))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["goals"], indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
