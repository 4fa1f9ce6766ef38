"""The load of bench/ingest_hardening_bench.py: the articles, the phases and the probes.

Each phase returns its figures and whether it met its goal; the runner writes them.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import statistics
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx

COLD_POSTS, COLD_GOAL_S = 16, 1.0
LARGE_GOAL_S = 2.0
FLOOD_POSTS, PROBE_GOAL_S = 40, 0.100
MEGABYTE = 1_000_000
TEXT_LIMIT = 100_000  # IngestSettings.max_text_chars' default
SHAPES = ("text_1mb", "html_1mb", "text_at_limit")
GOAL_SHAPES = ("text_1mb", "html_1mb")  # "a 1 MB article"; text_at_limit is information


def _dense(chars: int, seed: int) -> str:
    """Date- and amount-dense English, `chars` long, different for each seed."""
    parts, size, i = [], 0, 0
    while size < chars:
        day, month, year = 1 + (i % 28), ("March", "May", "July", "October")[i % 4], 2020 + i % 6
        sentence = (f"Baidu said on {day} {month} {year} it will offer {10 + i % 90} million "
                    f"free tokens, and Tencent cut prices by {5 + i % 60}% on {day} May "
                    f"{year + 1} (ref {seed}-{i}). ")
        parts.append(sentence)
        size += len(sentence)
        i += 1
    return "".join(parts)[:chars]


def _small(n: int) -> dict[str, str]:
    return {"text": f"Northwind Cloud said on 3 March 2025 it will cut API prices by "
                    f"{1 + n % 90}% (note {uuid.uuid4().hex}).", "language": "en"}


def _large(shape: str, seed: int) -> bytes:
    if shape == "text_1mb":
        body: dict[str, str] = {"text": _dense(MEGABYTE - 100, seed)}
    elif shape == "html_1mb":
        paragraphs = _dense(MEGABYTE - 200, seed)
        body = {"html": "<html><body><article><p>"
                + paragraphs.replace(". ", ".</p><p>") + "</p></article></body></html>"}
    else:  # text_at_limit
        body = {"text": _dense(TEXT_LIMIT - 100, seed)}
    return json.dumps(body).encode()


async def _post(client: httpx.AsyncClient, body: bytes, path: str = "/v1/articles"
                ) -> tuple[float, int]:
    started = time.perf_counter()
    resp = await client.post(path, content=body, headers={"Content-Type": "application/json"})
    return time.perf_counter() - started, resp.status_code


async def _cold(client: httpx.AsyncClient) -> dict[str, Any]:
    answers = await asyncio.gather(*(_post(client, json.dumps(_small(n)).encode())
                                     for n in range(COLD_POSTS)))
    seconds = [s for s, _ in answers]
    return {"posts": COLD_POSTS, "statuses": _count(s for _, s in answers),
            "max_s": round(max(seconds), 3), "median_s": round(statistics.median(seconds), 3),
            "goal_s": COLD_GOAL_S, "pass": max(seconds) <= COLD_GOAL_S}


async def _one_large(client: httpx.AsyncClient, shape: str, seed: int) -> dict[str, Any]:
    await _settle(client)
    seconds, status = await _post(client, _large(shape, seed))
    return {"seconds": round(seconds, 3), "status": status, "goal_s": LARGE_GOAL_S,
            "pass": seconds <= LARGE_GOAL_S}


async def _settle(client: httpx.AsyncClient) -> None:
    """Wait until every extraction worker is up (one stopped over budget is replaced)."""
    cores = len(os.sched_getaffinity(0))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready = await client.get("/readyz")
        if ready.status_code == 200 and ready.json().get("extract_workers") == cores:
            return
        await asyncio.sleep(0.2)
    raise SystemExit("the extraction workers did not come back within 120 s")


async def _quiet(prober: httpx.AsyncClient) -> dict[str, Any]:
    done = asyncio.ensure_future(asyncio.sleep(5))
    return await _probing(prober, done)


async def _raw_post(port: int, request: bytes) -> tuple[float, int]:
    """One POST on a connection of its own, written and read as bytes."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        await reader.read()  # the server closes: Connection: close
    finally:
        writer.close()
    return time.perf_counter() - started, status


def _send_flood(port: int, shape: str, sending: Any) -> list[tuple[float, int]]:
    """In a process of its own, at a lower CPU priority: the 40 posts at once.

    The clients of a real flood run on other machines; here they share the two cores,
    so they send prepared bytes over plain sockets (no HTTP client's CPU) and yield the
    CPU to the server and the prober (nice +10).
    """
    os.nice(10)
    requests = [b"POST /v1/articles HTTP/1.1\r\nHost: ingest\r\n"
                b"Content-Type: application/json\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n%b" % (len(body), body)
                for body in (_large(shape, 2000 + n) for n in range(FLOOD_POSTS))]

    async def send() -> list[tuple[float, int]]:
        sending.set()
        return list(await asyncio.gather(*(_raw_post(port, r) for r in requests)))

    return asyncio.run(send())


async def _flood(client: httpx.AsyncClient, prober: httpx.AsyncClient, shape: str
                 ) -> dict[str, Any]:
    await _settle(client)
    context = multiprocessing.get_context("spawn")
    sending = context.Manager().Event()
    with ProcessPoolExecutor(1, mp_context=context) as sender:
        port = int(client.base_url.port or 0)
        flood = asyncio.wrap_future(sender.submit(_send_flood, port, shape, sending))
        await asyncio.to_thread(sending.wait, 120)
        figures = await _probing(prober, flood)
        answers = await flood
    return {"posts": FLOOD_POSTS, "post_statuses": _count(s for _, s in answers),
            "posts_answered_within_s": round(max(s for s, _ in answers), 3), **figures}


async def _probing(prober: httpx.AsyncClient, until: asyncio.Future[Any]) -> dict[str, Any]:
    """GET /readyz and POST a small article, in turn, until `until` is done.

    Also a small article to /v1/extract (no Redis write, so no fsync): not in the goal,
    it tells the extraction's share of a small post's time from the stream's.
    """
    probes: dict[str, list[float]] = {"readyz": [], "small_post": [], "small_extract": []}
    statuses: dict[str, list[int]] = {k: [] for k in probes}
    n = 0
    while not until.done():
        started = time.perf_counter()
        ready = await prober.get("/readyz")
        probes["readyz"].append(time.perf_counter() - started)
        statuses["readyz"].append(ready.status_code)
        seconds, status = await _post(prober, json.dumps(_small(n)).encode())
        probes["small_post"].append(seconds)
        statuses["small_post"].append(status)
        seconds, status = await _post(prober, json.dumps(_small(n)).encode(), "/v1/extract")
        probes["small_extract"].append(seconds)
        statuses["small_extract"].append(status)
        n += 1
        await asyncio.sleep(0.02)
    worst = max(max(probes["readyz"]), max(probes["small_post"]))
    return {
        "probes": {k: {"count": len(v), "max_ms": round(max(v) * 1000, 1),
                       "p50_ms": round(statistics.median(v) * 1000, 1),
                       "p90_ms": round(sorted(v)[round(0.9 * (len(v) - 1))] * 1000, 1),
                       "statuses": _count(statuses[k])} for k, v in probes.items()},
        "max_probe_ms": round(worst * 1000, 1), "goal_ms": PROBE_GOAL_S * 1000,
        "pass": worst <= PROBE_GOAL_S and all(s == 200 for s in statuses["readyz"])
        and all(s == 202 for s in statuses["small_post"]),
    }


def _count(statuses: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    return dict(sorted(counts.items()))


async def measure(base: str) -> dict[str, Any]:
    """Every phase against the ingest at `base`, in order."""
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with (httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client,
                httpx.AsyncClient(base_url=base, timeout=60) as prober):
        results: dict[str, Any] = {"cold_start": await _cold(client)}
        await _settle(client)
        results["quiet_probes"] = await _quiet(prober)
        results["one_large"] = {shape: await _one_large(client, shape, 1000 + n)
                                for n, shape in enumerate(SHAPES)}
        results["flood"] = {shape: await _flood(client, prober, shape) for shape in SHAPES}
    return results
