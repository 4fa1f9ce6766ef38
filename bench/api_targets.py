"""What the api benches drive and check: servers, the actors and cursors, the pages.

A uvicorn process on a free port; the hot and the cold actor of the loaded data and
cursors spread over a timeline; the checks that every page is full and every ETag
gets an empty 304 before anything is timed. api_bench.py and pipeline_reads.py use them.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any

import asyncpg
import httpx
from api_db import plain_dsn

from support import ROOT, free_port

PAGE = 50


class Server:
    """A uvicorn process (1 worker) on a free loopback port; stopped on exit."""

    def __init__(self, name: str, app: str, env: dict[str, str], *extra: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            *extra,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT)

    def wait_ready(self, probe: str, timeout: float = 30) -> None:
        """Until `probe` answers 200 (or the process dies)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + probe, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s")

    def stop(self) -> None:
        """Terminate and reap; kill if it will not go."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def pick_actors(url: str) -> dict[str, Any]:
    """The hot actor (most events) and a cold one (closest to 200 events)."""
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        hot = await conn.fetchrow(
            "SELECT actor_slug, count(*) AS n FROM event_actors WHERE actor_slug IN "
            "(SELECT actor_slug FROM actor_stats ORDER BY event_count DESC LIMIT 1) "
            "GROUP BY actor_slug"
        )
        cold = await conn.fetchrow(
            "SELECT ea.actor_slug, count(*) AS n FROM event_actors ea WHERE ea.actor_slug = "
            "(SELECT actor_slug FROM actor_stats ORDER BY abs(event_count - 200), actor_slug "
            "LIMIT 1) GROUP BY ea.actor_slug"
        )
        sizes = {
            t: await conn.fetchval(f"SELECT count(*) FROM {t}")
            for t in ("events", "actors", "event_actors", "event_sources", "articles", "changes")
        }
        top = await conn.fetch(
            "SELECT actor_slug, event_count FROM actor_stats ORDER BY event_count DESC LIMIT 5"
        )
        median = await conn.fetchval(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY event_count) FROM actor_stats"
        )
        return {
            "hot": (hot["actor_slug"], hot["n"]),
            "cold": (cold["actor_slug"], cold["n"]),
            "sizes": sizes,
            "top_actors": {r[0]: r[1] for r in top},
            "median_events_per_actor": median,
        }
    finally:
        await conn.close()


async def cursors(url: str, slug: str, n_events: int, count: int, rng: random.Random) -> list[str]:
    """Cursors of full pages spread over the actor's timeline (keys read from the index)."""
    from newsline_api.cursor import TimelineKey, encode_cursor

    conn = await asyncpg.connect(plain_dsn(url))
    try:
        top = max(1, n_events - PAGE - 1)
        offsets = sorted({rng.randrange(top) for _ in range(count)})
        found = []
        for off in offsets:
            row = await conn.fetchrow(
                "SELECT date, precision_rank, first_seen_seq, event_id FROM event_actors "
                "WHERE actor_slug = $1 ORDER BY date, precision_rank, first_seen_seq, event_id "
                "OFFSET $2 LIMIT 1",
                slug,
                off,
            )
            found.append(encode_cursor(TimelineKey(*row)))
        return found
    finally:
        await conn.close()


def page_paths(prefix: str, cursors: list[str]) -> list[str]:
    """The first page and one path per cursor."""
    return [prefix] + [f"{prefix}?cursor={c}" for c in cursors]


def check_pages(base: str, paths: list[str]) -> tuple[list[str], int]:
    """Every path answers 200 with a full page; return the ETags and the mean body size."""
    etags, sizes = [], []
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in paths:
            r = client.get(path)
            r.raise_for_status()
            if len(r.json()["data"]) != PAGE:
                raise RuntimeError(f"{base}{path}: not a full page ({len(r.json()['data'])})")
            etags.append(r.headers.get("etag", ""))
            sizes.append(len(r.content))
    return etags, round(statistics.mean(sizes))


def check_304(base: str, paths: list[str], etags: list[str]) -> None:
    """Every path answers an empty 304 to its ETag."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for path, etag in zip(paths, etags, strict=True):
            r = client.get(path, headers={"If-None-Match": etag})
            if r.status_code != 304 or r.content:
                raise RuntimeError(f"{path}: expected an empty 304, got {r.status_code}")
