"""Ingest accept rate beside a bare endpoint doing the same extraction and XADD (issue 8.3).

Two servers on the same cores, measured in one sitting, interleaved:

- **ingest**: the real service (`uvicorn newsline_ingest.app:create_app --factory`, one
  process; extraction in its pool of one worker process per core), rate limit off.
- **bare**: a raw ASGI app (`bare_app` below) under `uvicorn --workers CORES`: read the
  JSON, `extract_article` (the same HTML reduction, extraction and message), one XADD with
  redis-py, answer 202. No validation, no dedup, no limits, no FastAPI.

Load: a separate process posts distinct articles (the development set's texts, each made
unique by a numbered sentence) over CONNECTIONS keep-alive connections for SECONDS per
round. Accepted/s counts 2xx answers. Uses REDIS_URL (default 127.0.0.1:6379), a stream
prefix of its own, deletes its keys afterwards. Writes bench/results/ingest.json.

Run: `.venv/bin/python bench/ingest_bench.py [--seconds 15] [--rounds 2]`.
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
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import ROOT, delete_keys, free_port, post_for, start_server, stop, write_results

RESULTS = ROOT / "bench" / "results" / "ingest.json"
GOAL = 0.9


def _cores() -> int:
    return max(1, len(os.sched_getaffinity(0)))


# The bare endpoint (imported by uvicorn in each of its worker processes).

class _Bare:
    def __init__(self) -> None:
        from redis.asyncio import Redis

        from newsline_engine import Extractor, load_knowledge

        self.extractor = Extractor(load_knowledge(None))
        self.redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
        self.stream = os.environ["BENCH_STREAM"]

    def parse(self, raw: bytes) -> bytes:
        from newsline_ingest.parsing import extract_article
        from newsline_ingest.schemas import ArticleIn

        body = ArticleIn.model_construct(**json.loads(raw))  # no validation: bare
        message = extract_article(body, self.extractor, dt.datetime.now(dt.UTC))
        return message.model_dump_json().encode()


_bare: _Bare | None = None


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Read JSON, extract, XADD, 202; the least an ingest endpoint can do."""
    global _bare
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            if message["type"] == "lifespan.startup":
                _bare = _Bare()
                _bare.parse(json.dumps({"text": "Baidu cut prices by 30% on 1 May."}).encode())
                await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    assert _bare is not None
    if scope["path"] == "/readyz":
        await _answer(send, 200, b'{"status":"ready"}')
        return
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    data = _bare.parse(b"".join(chunks))
    await _bare.redis.xadd(_bare.stream, {"__data__": data})
    await _answer(send, 202, b'{"accepted":true}')


async def _answer(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# The load generator (run in its own process).

def _articles() -> list[dict[str, str]]:
    out = []
    for path in sorted((ROOT / "eval" / "dev").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append({"title": data.get("title") or "", "text": data["text"],
                    "language": data["language"]})
    return out


async def _load(url: str, seconds: float, connections: int, tag: str) -> dict[str, Any]:
    articles = _articles()

    def body(n: int) -> bytes:
        article = articles[n % len(articles)]
        suffix = {"en": f" Reference {tag}-{n}.", "de": f" Referenz {tag}-{n}.",
                  "zh": f"编号{tag}-{n}。"}[article["language"]]
        return json.dumps({**article, "text": article["text"] + suffix}).encode()

    posted = await post_for(url, seconds, connections, body)
    ok = posted.count(lambda status: 200 <= status < 300)
    latencies = sorted(posted.latencies)
    return {"accepted_per_s": ok / posted.elapsed_s, "requests": len(latencies),
            "statuses": posted.status_counts(),
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else None}


def _run_load(url: str, seconds: float, connections: int, tag: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--load", url, "--seconds", str(seconds),
         "--connections", str(connections), "--tag", tag],
        capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="x", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        print(json.dumps(asyncio.run(_load(args.load, args.seconds, args.connections,
                                           args.tag))))
        return 0

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"nlbench-ingest-{uuid.uuid4().hex[:8]}"
    cores = _cores()
    env = os.environ | {"REDIS_URL": redis_url, "NEWSLINE_STREAM_PREFIX": prefix,
                        "NEWSLINE_RATE_LIMIT": "0", "BENCH_STREAM": f"{prefix}.bare",
                        "PYTHONPATH": str(ROOT)}
    env.pop("NEWSLINE_API_KEY", None)
    uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--log-level", "warning"]
    targets = {
        "ingest": lambda port: [*uvicorn, "newsline_ingest.app:create_app", "--factory",
                                "--port", str(port)],
        "bare": lambda port: [*uvicorn, "bench.ingest_bench:bare_app", "--workers",
                              str(cores), "--port", str(port)],
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    try:
        for round_no in range(args.rounds):
            for name, argv in targets.items():
                port = free_port()
                proc, _ = start_server(argv(port), env, port)
                try:
                    url = f"http://127.0.0.1:{port}"
                    _run_load(url, 3.0, args.connections, f"w{round_no}{name}")  # warm-up
                    result = _run_load(url, args.seconds, args.connections,
                                       f"r{round_no}{name}")
                finally:
                    stop(proc)
                print(f"round {round_no + 1} {name}: {result['accepted_per_s']:.1f} "
                      f"accepted/s, p50 {result['p50_ms']:.0f} ms, statuses "
                      f"{result['statuses']}", flush=True)
                runs[name].append(result)
    finally:
        delete_keys(redis_url, prefix)
    rate = {name: statistics.median(r["accepted_per_s"] for r in rs) for name, rs in runs.items()}
    ratio = rate["ingest"] / rate["bare"] if rate["bare"] else 0.0
    # Each round measures the two back to back: its ratio is the least disturbed by
    # whatever else the machine runs meanwhile.
    per_round = [round(i["accepted_per_s"] / b["accepted_per_s"], 3)
                 for i, b in zip(runs["ingest"], runs["bare"], strict=True)]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": cores, "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg()},
        "setup": {"seconds": args.seconds, "rounds": args.rounds,
                  "connections": args.connections,
                  "ingest": "1 uvicorn process, extraction pool of one worker per core",
                  "bare": f"uvicorn --workers {cores}, extract_article + XADD, no validation"},
        "accepted_per_s": rate,
        "runs": runs,
        "ratio_ingest_to_bare": round(ratio, 3),
        "ratio_per_round": per_round,
        "goal": f">= {GOAL}",
        "pass": ratio >= GOAL,
    }
    print(f"ingest / bare = {ratio:.2f} (goal >= {GOAL}); wrote {write_results(RESULTS, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
