"""`make bench-api`: timeline page and 304 throughput against a raw baseline, same session.

Loads 1 M events over 10 k actors through the real write path (once; kept under
.data/bench-pg), starts the real api and a raw asyncpg+orjson endpoint with uvicorn,
drives both with wrk over loopback, and writes bench/results/api.json with the raw
figures and the ratios issue 4 sets goals for.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import signal
import statistics
import sys
from dataclasses import asdict
from typing import Any

import api_wrk
from api_dataset import DatasetSpec
from api_db import Database, bench_url, plain_dsn, prepare
from api_targets import PAGE, Server, check_304, check_pages, cursors, page_paths, pick_actors

from support import ROOT

RESULTS = ROOT / "bench" / "results" / "api.json"
GOALS = {
    "full_page_vs_raw": (">=", 1.0),
    "not_modified_vs_full_page": (">=", 5.0),
    "hot_p99_vs_cold_p99": ("<=", 2.0),
}


def _ratio(name: str, value: float) -> dict[str, Any]:
    op, goal = GOALS[name]
    ok = value >= goal if op == ">=" else value <= goal
    return {"value": round(value, 3), "goal": f"{op} {goal}", "pass": ok}


def _measure(
    args: argparse.Namespace, wrk: str, targets: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Interleaved rounds over every target (warm-up, then the timed run); medians kept."""
    runs: dict[str, list[api_wrk.WrkResult]] = {name: [] for name in targets}
    for rnd in range(args.rounds):
        for name, t in targets.items():
            def load(seconds: float, t: dict[str, Any] = t) -> api_wrk.WrkResult:
                return api_wrk.run(
                    wrk, t["base"], t["paths"], headers=t.get("headers"), seconds=seconds,
                    connections=args.connections, threads=args.threads,
                )

            load(args.warmup)  # warm-up, not kept
            res = load(args.seconds)
            if res.bad_status or res.socket_errors:
                print(
                    f"  WARNING {name}: {res.bad_status} bad statuses, "
                    f"socket errors: {res.socket_errors}"
                )
            runs[name].append(res)
            print(
                f"  round {rnd + 1}/{args.rounds} {name:<16} {res.requests_per_s:>9,.0f} req/s"
                f"  p50 {res.p50_ms:>7.2f} ms  p99 {res.p99_ms:>7.2f} ms",
                flush=True,
            )
    out = {}
    for name, rs in runs.items():
        out[name] = {
            "requests_per_s": round(statistics.median(r.requests_per_s for r in rs), 1),
            "p50_ms": round(statistics.median(r.p50_ms for r in rs), 3),
            "p99_ms": round(statistics.median(r.p99_ms for r in rs), 3),
            "paths_rotated": len(targets[name]["paths"]),
            "runs": [asdict(r) for r in rs],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the bench end to end; write bench/results/api.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="per timed wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="wrk warm-up before each run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median kept)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--events", type=int, default=DatasetSpec.events)
    parser.add_argument("--actors", type=int, default=DatasetSpec.actors)
    parser.add_argument("--hot-events", type=int, default=DatasetSpec.hot_events)
    parser.add_argument("--database", default="newsline_bench", help="bench database name")
    parser.add_argument("--cursors", type=int, default=20, help="extra pages rotated per actor")
    args = parser.parse_args(argv)

    wrk = api_wrk.ensure_wrk()
    spec = DatasetSpec(events=args.events, actors=args.actors, hot_events=args.hot_events)
    db = Database()
    servers: list[Server] = []

    def _on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _on_term)
    try:
        url = bench_url(db.start(), args.database)
        load_meta = prepare(url, spec)
        picked = asyncio.run(pick_actors(url))
        (hot, hot_n), (cold, cold_n) = picked["hot"], picked["cold"]
        rng = random.Random(7)
        hot_cursors = asyncio.run(cursors(url, hot, hot_n, args.cursors, rng))
        cold_cursors = asyncio.run(cursors(url, cold, cold_n, args.cursors, rng))
        print(f"hot actor {hot} ({hot_n:,} events), cold actor {cold} ({cold_n:,} events)")

        api = Server("api", "newsline_api.app:create_app", {"DATABASE_URL": url}, "--factory")
        raw = Server(
            "baseline",
            "api_baseline:app",
            {"BENCH_DATABASE_URL": plain_dsn(url)},
            "--app-dir",
            str(ROOT / "bench"),
        )
        servers += [api, raw]
        api.wait_ready("/healthz")
        raw.wait_ready(f"/timeline/{hot}")

        api_hot = page_paths(f"/v1/actors/{hot}/timeline", hot_cursors)
        api_cold = page_paths(f"/v1/actors/{cold}/timeline", cold_cursors)
        raw_hot = page_paths(f"/timeline/{hot}", hot_cursors)
        raw_cold = page_paths(f"/timeline/{cold}", cold_cursors)
        hot_etags, api_bytes = check_pages(api.url, api_hot)
        check_pages(api.url, api_cold)
        _, raw_bytes = check_pages(raw.url, raw_hot)
        check_pages(raw.url, raw_cold)
        check_304(api.url, api_hot, hot_etags)

        targets = {
            "raw_hot": {"base": raw.url, "paths": raw_hot},
            "api_hot": {"base": api.url, "paths": api_hot},
            "api_hot_304": {
                "base": api.url,
                "paths": api_hot,
                "headers": [{"If-None-Match": e} for e in hot_etags],
            },
            "raw_cold": {"base": raw.url, "paths": raw_cold},
            "api_cold": {"base": api.url, "paths": api_cold},
        }
        print(
            f"wrk: {args.connections} connections, {args.threads} threads, "
            f"{args.warmup:g} s warm-up + {args.seconds:g} s, {args.rounds} rounds"
        )
        m = _measure(args, wrk, targets)
    except KeyboardInterrupt:
        print("interrupted: stopping servers", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        db.stop()

    ratios = {
        "full_page_vs_raw": _ratio(
            "full_page_vs_raw", m["api_hot"]["requests_per_s"] / m["raw_hot"]["requests_per_s"]
        ),
        "not_modified_vs_full_page": _ratio(
            "not_modified_vs_full_page",
            m["api_hot_304"]["requests_per_s"] / m["api_hot"]["requests_per_s"],
        ),
        "hot_p99_vs_cold_p99": _ratio(
            "hot_p99_vs_cold_p99", m["api_hot"]["p99_ms"] / m["api_cold"]["p99_ms"]
        ),
    }
    extra = {
        "full_page_vs_raw_cold": round(
            m["api_cold"]["requests_per_s"] / m["raw_cold"]["requests_per_s"], 3
        ),
        "raw_hot_p99_vs_raw_cold_p99": round(m["raw_hot"]["p99_ms"] / m["raw_cold"]["p99_ms"], 3),
    }
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "wrk": api_wrk.wrk_version(wrk),
        },
        "dataset": {
            "events_target": spec.events,
            "actors_target": spec.actors,
            "hot_actors": spec.hot_actors,
            "hot_subject_events": spec.hot_events,
            "rows": picked["sizes"],
            "top_actors": picked["top_actors"],
            "median_events_per_actor": picked["median_events_per_actor"],
            "hot_actor": {"slug": hot, "events": hot_n},
            "cold_actor": {"slug": cold, "events": cold_n},
        },
        "load": load_meta,
        "method": {
            "load_generator": "wrk over loopback, same machine as servers and PostgreSQL",
            "connections": args.connections,
            "threads": args.threads,
            "seconds": args.seconds,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "statistic": "median of rounds (targets interleaved within each round)",
            "server": "uvicorn, 1 worker, log-level warning (both api and baseline)",
            "pages": f"{PAGE} events; first page + {args.cursors} cursors spread over the "
            "actor's timeline, rotated per request",
            "baseline": "bench/api_baseline.py: bare ASGI, asyncpg pool (10), same keyset "
            "query + the page's actors and sources, orjson",
            "body_bytes": {"api": api_bytes, "raw": raw_bytes},
        },
        "results": m,
        "ratios": ratios,
        "extra_ratios": extra,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    _print_table(m, ratios)
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def _print_table(m: dict[str, Any], ratios: dict[str, Any]) -> None:
    print(f"\n{'target':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, r in m.items():
        print(f"{name:<14}{r['requests_per_s']:>10,.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}")
    print(f"\n{'ratio':<28}{'value':>8}  {'goal':<7} verdict")
    for name, r in ratios.items():
        print(f"{name:<28}{r['value']:>8.2f}  {r['goal']:<7} {'PASS' if r['pass'] else 'FAIL'}")


if __name__ == "__main__":
    sys.exit(main())
