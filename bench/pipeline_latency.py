"""POST -> visible: how long an accepted article takes to show in the api, under load.

Starts the whole stack (`newsline up --no-seeds`, on the servers given), finds the
saturation rate (accepted posts/s with as many in flight as the pool takes), then
posts at 10 %, 50 % and 90 % of it; an accepted article is visible when the first event
its 202 named appears in the api's change feed (`GET /v1/changes`, which lists a change
only once its transaction has committed, i.e. once `GET /v1/events/{id}` answers 200).
One poller reads the feed every POLL_S, as a dashboard does. The bench used to poll
`GET /v1/events/{id}` every 5 ms for each article in flight: that load grew with the
latency it measured (at 77 posts/s and 450 ms about 7,000 requests/s on a 2-core
machine) and the instrument tipped the stack over. Articles are distinct texts the
engine reads (one dated price cut each).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
VENDORS = ("Baidu", "Tencent", "Alibaba Cloud", "SenseTime", "Zhipu AI", "OpenAI")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def article(n: int, seed: int) -> dict[str, Any]:
    """A distinct short news text with one dated price cut (a new event each)."""
    day = dt.date(1990, 1, 1) + dt.timedelta(days=(n * 7 + seed) % 12000)
    vendor = VENDORS[n % len(VENDORS)]
    when = f"{day.day} {day:%B %Y}"
    return {"title": f"{vendor} cuts prices ({seed}-{n})",
            "text": f"BERLIN, {when} - {vendor} cut the price of its flagship model by "
                    f"{5 + n % 60} percent on {when}, the company said. Report {seed}-{n}.",
            "published_at": f"{day.isoformat()}T12:00:00Z", "language": "en"}


class Stack:
    """`newsline up --no-seeds` on free ports against the given servers."""

    def __init__(self, database_url: str, redis_url: str, prefix: str) -> None:
        self.api_port, self.ingest_port = _free_port(), _free_port()
        env = os.environ | {
            "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "NEWSLINE_STREAM_PREFIX": prefix, "NEWSLINE_API_PORT": str(self.api_port),
            "NEWSLINE_INGEST_PORT": str(self.ingest_port),
            "NEWSLINE_CONSUMER_PORT": str(_free_port()), "NEWSLINE_RATE_LIMIT": "100000",
            "NEWSLINE_RATE_BURST": "100000", "NEWSLINE_ETAG_POLL_MS": "250",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsline_cli.main", "up", "--no-seeds"], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.tail: list[str] = []
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.ingest = f"http://127.0.0.1:{self.ingest_port}"

    def wait_ready(self, timeout: float = 120) -> None:
        """Block until `newsline up` says ready."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            lines.append(line)
            if "newsline: ready" in line:
                # Keep reading: a full pipe would block the services' log writes.
                threading.Thread(target=self._drain, daemon=True).start()
                return
            if not line and self.proc.poll() is not None:
                break
        raise RuntimeError("newsline up did not get ready:\n" + "".join(lines[-30:]))

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.tail = [*self.tail[-200:], line]

    def stop(self) -> None:
        """SIGTERM and wait."""
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def _post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> str | None:
    resp = await client.post(f"{url}/v1/articles", json=body)
    if resp.status_code != 202 or not resp.json().get("events"):
        return None
    return str(resp.json()["events"][0]["id"])


async def saturation(stack: Stack, seconds: float = 8.0, in_flight: int = 32) -> float:
    """Accepted posts per second with `in_flight` concurrent posters."""
    done = 0
    stop = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=30) as client:
        async def poster(k: int) -> None:
            nonlocal done
            n = 0
            while time.monotonic() < stop:
                if await _post(client, stack.ingest, article(n * in_flight + k, 1)):
                    done += 1
                n += 1
        started = time.monotonic()
        await asyncio.gather(*(poster(k) for k in range(in_flight)))
    return done / (time.monotonic() - started)


POLL_S = 0.01  # the change-feed poller's period: the latency figures' resolution


async def visible_latency(stack: Stack, rate: float, seconds: float, seed: int) -> dict[str, Any]:
    """Post at `rate`/s for `seconds`; p50/p99 of POST start -> event in the change feed."""
    started: dict[str, float] = {}  # event id -> when its POST started
    seen: dict[str, float] = {}  # event id -> when the feed first listed it
    refused = 0
    async with httpx.AsyncClient(timeout=30) as client:
        after = await _feed_end(client, stack.api, "0")
        posting = True

        async def watch() -> None:
            nonlocal after
            deadline = None
            while posting or (deadline is None or time.perf_counter() < deadline):
                if not posting and deadline is None:
                    deadline = time.perf_counter() + 30  # the last posts' grace period
                if not posting and set(started) <= set(seen):
                    return
                page = (await client.get(f"{stack.api}/v1/changes",
                                         params={"after": after, "limit": 1000})).json()
                now = time.perf_counter()
                for change in page["data"]:
                    seen.setdefault(change["event_id"], now)
                after = page["next_cursor"]
                if len(page["data"]) < 1000:
                    await asyncio.sleep(POLL_S)

        async def one(n: int) -> None:
            nonlocal refused
            t = time.perf_counter()
            event_id = await _post(client, stack.ingest, article(n, seed))
            if event_id is None:
                refused += 1
            else:
                started[event_id] = t

        watcher = asyncio.create_task(watch())
        tasks, n, t0 = [], 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            tasks.append(asyncio.create_task(one(n)))
            n += 1
            await asyncio.sleep(max(0.0, t0 + n / rate - time.perf_counter()))
        await asyncio.gather(*tasks)
        posting = False
        await watcher
    ordered = sorted(seen[e] - t for e, t in started.items() if e in seen)
    return {"target_rate": round(rate, 1), "posted": n, "refused": refused,
            "not_visible": len(started) - len(ordered),
            "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
            "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1)
            if ordered else None}


async def _feed_end(client: httpx.AsyncClient, api: str, after: str) -> str:
    """The cursor after the last change already in the feed."""
    while True:
        page = (await client.get(f"{api}/v1/changes",
                                 params={"after": after, "limit": 1000})).json()
        if not page["data"]:
            return str(page["next_cursor"])
        after = page["next_cursor"]


async def measure(database_url: str, redis_url: str, prefix: str) -> dict[str, Any]:
    """Saturation, then POST->visible at 10/50/90 % of it."""
    stack = Stack(database_url, redis_url, prefix)
    try:
        await asyncio.to_thread(stack.wait_ready)
        rate = await saturation(stack)
        print(f"  ingest saturation: {rate:,.0f} accepted posts/s")
        levels = {}
        for share, seed in ((0.1, 10), (0.5, 50), (0.9, 90)):
            levels[f"{int(share * 100)}%"] = figures = await visible_latency(
                stack, max(1.0, rate * share), 10.0, seed)
            print(f"  POST->visible at {int(share * 100)} %: p50 {figures['p50_ms']} ms, "
                  f"p99 {figures['p99_ms']} ms ({figures['posted']} posts)")
    finally:
        stack.stop()
    return {"saturation_posts_per_s": round(rate, 1), "post_to_visible": levels}
