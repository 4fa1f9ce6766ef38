"""What the benchmarks that start an HTTP server share, written once.

Writing the figures; a free loopback port; a server process started and waited for
until its `/readyz` answers 200; stopping it; deleting a run's Redis keys; and the
closed loop of POSTs a bench drives ingest with. The benches run as scripts
(`python bench/x.py`) and import this as `support`.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]


def write_results(path: Path, result: dict[str, Any]) -> str:
    """Write a bench's figures (indented JSON) to `path`; its name, relative to the repo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return str(path.relative_to(ROOT))


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(argv: list[str], env: dict[str, str], port: int, *,
                 stderr: IO[Any] | int | None = None,
                 timeout_s: float = 180) -> tuple[subprocess.Popen[bytes], float]:
    """Start `argv` and wait for its /readyz to say 200: the process and the seconds it took.

    Polled every 50 ms, so the time is also a fair figure for a cold start.
    """
    import httpx

    started = time.monotonic()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stderr=stderr)
    while time.monotonic() - started < timeout_s:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, time.monotonic() - started
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited while starting: {' '.join(argv)}")
        time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"server not ready within {timeout_s:.0f} s: {' '.join(argv)}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 20 s."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def delete_keys(redis_url: str, prefix: str) -> None:
    """Delete every key of the run (its stream prefix)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@dataclass
class Posted:
    """What a closed loop of POSTs saw: each answer's latency (s) and status, and its span."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def count(self, accepted: Callable[[int], bool]) -> int:
        """How many answers had a status `accepted` says yes to."""
        return sum(n for status, n in self.statuses.items() if accepted(status))

    def status_counts(self) -> dict[str, int]:
        """Answers per status, as JSON keys."""
        return {str(k): v for k, v in sorted(self.statuses.items())}


async def post_for(url: str, seconds: float, connections: int,
                   body: Callable[[int], bytes]) -> Posted:
    """POST /v1/articles for `seconds` over `connections` keep-alive connections.

    Each connection posts again as soon as it has its answer; request `n` (counted over
    all connections) sends `body(n)`, so every article can be distinct.
    """
    import httpx

    counter = iter(range(10**9))
    posted = Posted()
    deadline = time.monotonic() + seconds
    headers = {"content-type": "application/json"}

    async def one(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            content = body(next(counter))
            started = time.perf_counter()
            response = await client.post("/v1/articles", content=content, headers=headers)
            posted.latencies.append(time.perf_counter() - started)
            posted.statuses[response.status_code] = posted.statuses.get(
                response.status_code, 0) + 1

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.gather(*(one(client) for _ in range(connections)))
    posted.elapsed_s = time.monotonic() - started
    return posted
