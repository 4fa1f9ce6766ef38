"""Faults against the whole stack as `make run` starts it, thousands of articles in flight.

Each scenario starts `newsline up` (embedded PostgreSQL and Valkey, the supervisor, the
services with their default settings), posts 2,400 distinct articles through ingest
with a retrying client and injects its fault with at least 2,000 of them in flight:
accepted, not yet stored (the consumers are paused with SIGSTOP while the backlog
builds, then resumed; `in_flight` in the line is the count at the fault). Then it waits
until the consumer group has nothing pending or unread. No manual step: nobody
replays, restarts or repairs anything but the fault itself. Every accepted article must
be stored exactly once and none dead-lettered: `lost=0 duplicated=0 dead_lettered=0`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from pathlib import Path

import httpx
import psutil
import pytest
from redis.asyncio import Redis

from newsline_contracts import StreamNames
from tests.faults.ledger import Outcome, settled, stored_count, until_stored
from tests.faults.load import Loader
from tests.faults.stack import Stack

pytestmark = [pytest.mark.faults, pytest.mark.timeout(480)]

ARTICLES = 2_400
IN_FLIGHT = 2_000
SETTLE_S = 240.0  # a killed consumer's entries wait NEWSLINE_RECLAIM_IDLE_MS (30 s) first


async def _outcome(stack: Stack, loader: Loader) -> Outcome:
    await loader.finished()
    assert not loader.refused, f"not accepted: {dict(list(loader.refused.items())[:5])}"
    assert len(loader.accepted) == ARTICLES
    return await settled(stack.database_dsn(), stack.redis_url, loader.events, SETTLE_S)


def _assert_clean(outcome: Outcome, stack: Stack, in_flight: int) -> None:
    assert in_flight >= IN_FLIGHT, f"only {in_flight} articles in flight at the fault"
    assert (outcome.lost, outcome.duplicated, outcome.dead_lettered) == (0, 0, 0), (
        f"{outcome}\n{stack.log_tail()}")


async def _backlog(stack: Stack, loader: Loader, accepted: int) -> list[int]:
    """Pause the consumers until `accepted` articles wait in the stream; resume them."""
    paused = stack.pause_consumers()
    try:
        await loader.until_accepted(accepted)
    finally:
        stack.resume_consumers(paused)
    return paused


async def _in_flight(stack: Stack, loader: Loader) -> int:
    return len(loader.accepted) - await stored_count(stack.database_dsn())


def _sigkill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(pid).wait(10)


async def _kill_one_consumer_mid_drain(name: str, consumers: int, data_dir: Path,
                                       report: list[str]) -> None:
    stack = Stack(data_dir, consumers=consumers).start()
    try:
        loader = Loader(stack.ingest, 0, ARTICLES).start()
        pids = await _backlog(stack, loader, ARTICLES)
        assert len(pids) == consumers
        await until_stored(stack.database_dsn(), 100)  # the first batches are in
        victim = pids[len(pids) // 2]
        in_flight = await _in_flight(stack, loader)
        _sigkill(victim)  # newsline up starts a new one; the reclaimer takes its pending
        outcome = await _outcome(stack, loader)
        report.append(outcome.line(name, in_flight=in_flight, retries=loader.retries))
        _assert_clean(outcome, stack, in_flight)
        assert victim not in stack.consumer_pids() and len(stack.consumer_pids()) == consumers
    finally:
        stack.terminate()
        stack.kill_leftovers()


async def test_consumer_sigkill(data_dir: Path, report: list[str]) -> None:
    await _kill_one_consumer_mid_drain("consumer_sigkill", 1, data_dir, report)


async def test_three_consumers_one_sigkilled(data_dir: Path, report: list[str]) -> None:
    await _kill_one_consumer_mid_drain("three_consumers_one_sigkilled", 3, data_dir, report)


async def test_valkey_sigkill_and_restart(data_dir: Path, report: list[str]) -> None:
    stack = Stack(data_dir).start()
    try:
        loader = Loader(stack.ingest, 0, ARTICLES).start()
        paused = stack.pause_consumers()
        await loader.until_accepted(IN_FLIGHT)
        in_flight = await _in_flight(stack, loader)
        valkey = stack.valkey_pid()
        _sigkill(valkey)  # mid-post: newsline up restarts it on the same port and AOF
        stack.resume_consumers(paused)
        outcome = await _outcome(stack, loader)
        report.append(outcome.line("valkey_sigkill", in_flight=in_flight,
                                   retries=loader.retries))
        _assert_clean(outcome, stack, in_flight)
        assert stack.valkey_pid() != valkey
    finally:
        stack.terminate()
        stack.kill_leftovers()


async def _consumer_ready(stack: Stack) -> httpx.Response:
    async with httpx.AsyncClient(timeout=5) as client:
        return await client.get(f"http://127.0.0.1:{stack.ports['consumer']}/readyz")


async def test_postgres_down_150_s(data_dir: Path, report: list[str]) -> None:
    stack = Stack(data_dir).start()
    try:
        loader = Loader(stack.ingest, 0, ARTICLES).start()
        await loader.until_accepted(300)
        stopped = time.monotonic()
        await asyncio.to_thread(stack.stop_postgres)  # really stopped: pg_ctl stop -m fast
        await loader.finished()  # ingest needs no database: the rest pile up in the stream
        await asyncio.sleep(5)
        ready = await _consumer_ready(stack)
        assert ready.status_code == 503 and "database unreachable" in ready.json()["reason"]
        await asyncio.sleep(max(0.0, 150 - (time.monotonic() - stopped)))
        down_s = time.monotonic() - stopped
        await asyncio.to_thread(stack.start_postgres)
        in_flight = await _in_flight(stack, loader)  # the consumer had stored none since
        outcome = await _outcome(stack, loader)
        report.append(outcome.line("postgres_down_150s", in_flight=in_flight,
                                   down_s=round(down_s), retries=loader.retries))
        _assert_clean(outcome, stack, in_flight)
        assert (await _consumer_ready(stack)).status_code == 200
    finally:
        stack.terminate()
        stack.kill_leftovers()


def _poison_entries() -> list[dict[str, bytes | str]]:
    """Entries no ArticleParsed can be read from: plain fields, broken bytes, wrong shapes."""
    wrong_schema = b'{"schema_version": 99, "article_id": "not-a-uuid", "text": 1}'
    return [
        {"hello": "world"},  # a producer that is not ingest
        {"__data__": b"\xff\xfe\x00 not an envelope"},
        {"__data__": b'{"title": "no article_id, no text"}'},
        {"__data__": wrong_schema},
        {"body": wrong_schema},
        {"__data__": b"[1, 2, 3]"},
    ]


async def test_poison_and_wrong_schema_entries(data_dir: Path, report: list[str]) -> None:
    stack = Stack(data_dir).start()
    redis = Redis.from_url(stack.redis_url)
    poison = 0
    try:
        loader = Loader(stack.ingest, 0, ARTICLES).start()
        paused = stack.pause_consumers()
        for round_ in range(4):  # spread over the backlog, so over several batches
            await loader.until_accepted(400 + 500 * round_)
            for fields in _poison_entries():
                await redis.xadd(StreamNames().articles, fields)  # type: ignore[arg-type]
                poison += 1
        await loader.until_accepted(IN_FLIGHT + 100)
        in_flight = await _in_flight(stack, loader)
        stack.resume_consumers(paused)
        outcome = await _outcome(stack, loader)
        report.append(outcome.line("poison", poison_dead_lettered=outcome.poison_dead_lettered,
                                   poison_sent=poison, in_flight=in_flight))
        _assert_clean(outcome, stack, in_flight)
        assert outcome.poison_dead_lettered == poison
    finally:
        await redis.aclose()
        stack.terminate()
        stack.kill_leftovers()


async def test_sigterm_everything_then_restart(data_dir: Path, report: list[str]) -> None:
    stack = Stack(data_dir).start()
    try:
        loader = Loader(stack.ingest, 0, ARTICLES).start()
        paused = stack.pause_consumers()
        await loader.until_accepted(IN_FLIGHT + 100)
        in_flight = await _in_flight(stack, loader)
        # `newsline up` SIGTERMs its services, then stops its servers; the paused consumer
        # finds the SIGTERM waiting when it resumes. The loader keeps retrying meanwhile.
        assert stack.proc is not None
        stack.proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        stack.resume_consumers(paused)
        assert await asyncio.to_thread(stack.proc.wait, 60) == 0
        await asyncio.to_thread(stack.start)
        outcome = await _outcome(stack, loader)
        report.append(outcome.line("sigterm_all_restart", in_flight=in_flight,
                                   retries=loader.retries))
        _assert_clean(outcome, stack, in_flight)
    finally:
        stack.terminate()
        stack.kill_leftovers()
