"""Extraction on every core: a pool of worker processes with a budget per article.

Why not `ProcessPoolExecutor`: an article that overruns its budget must be stopped,
and the only way to stop pure-Python work is to kill its process; killing one of an
executor's processes breaks the whole executor. Here each worker has its own socket, an
overrunning worker is killed and replaced, and the other articles go on.

Workers are plain `python -m newsline_ingest.worker` subprocesses, not multiprocessing
"spawn" children: those re-import the parent's `__main__`, which breaks any script that
builds the app at import time.

Two lanes: with two or more workers, one of them extracts short articles only, and the
others, which take large ones too, run at a lower CPU priority (nice +10); so a flood
of megabyte pages (each up to a budget of CPU) neither makes a short article wait for a
worker nor takes the CPU from it and from the event loop. A short article waiting for
a worker goes before every large one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("newsline.ingest")

START_TIMEOUT_S = 120.0
LARGE_NICENESS = 10


class PoolBusy(Exception):
    """Every worker is busy and too many articles already wait: try again later."""


class OverBudget(Exception):
    """The article's extraction ran past its time budget and was stopped."""


class WorkerLost(Exception):
    """The worker died while extracting (killed, out of memory)."""


@dataclass(eq=False)  # hashed by identity: one per process
class _Worker:
    process: subprocess.Popen[bytes]
    sock: socket.socket  # ours: non-blocking, read and written by the event loop
    small_only: bool  # kept for short articles


class ExtractionPool:
    """`size` warm worker processes; `run` sends one job to an idle one and awaits it."""

    def __init__(self, size: int, knowledge_dir: Path | None, budget_s: float,
                 max_queued: int, queue_wait_s: float) -> None:
        self.size, self.knowledge_dir, self.budget_s = size, knowledge_dir, budget_s
        self.max_queued, self.queue_wait_s = max_queued, queue_wait_s
        self._free: list[_Worker] = []
        self._workers: set[_Worker] = set()
        # Waiting articles per lane (small: True), first come first served in each.
        self._waiters: dict[bool, deque[asyncio.Future[_Worker]]] = {True: deque(),
                                                                     False: deque()}
        self._started = False
        self._replacing: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def alive(self) -> int:
        """Workers up and warm (idle or busy)."""
        return len(self._workers)

    @property
    def idle(self) -> int:
        """Workers waiting for an article."""
        return len(self._free)

    @property
    def waiting(self) -> int:
        """Articles waiting for a free worker (both lanes)."""
        return sum(not f.done() for lane in self._waiters.values() for f in lane)

    def _take(self, small: bool) -> _Worker | None:
        """A free worker for this lane (a short article prefers the one kept for it)."""
        kept = [w for w in self._free if w.small_only]
        for w in (kept + self._free) if small else self._free:
            if small or not w.small_only:
                self._free.remove(w)
                return w
        return None

    async def start(self) -> None:
        """Start every worker and wait until each has loaded its knowledge and models."""
        self._started = True
        started = time.monotonic()
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn, n == 0 and self.size > 1)
                                         for n in range(self.size)))
        for w in workers:
            self._add(w)
        log.info("extraction pool: %d warm workers in %.1f s, budget %.1f s per article",
                 self.size, time.monotonic() - started, self.budget_s)

    async def run(self, job: tuple[Any, ...], *, small: bool = False) -> tuple[Any, ...]:
        """The worker's reply to `job`; PoolBusy, OverBudget or WorkerLost otherwise.

        `small`: a short article, which takes the small lane (see the module docstring).
        """
        assert self._started, "start() the pool first"
        w = await self._acquire(small)
        # Shielded: a client that hangs up does not leave the worker half-used.
        return await asyncio.shield(asyncio.ensure_future(self._job(w, job)))

    async def _acquire(self, small: bool) -> _Worker:
        lane = self._waiters[small]
        if not lane and (small or not self._waiters[True]) and (w := self._take(small)):
            return w
        if len(lane) >= self.max_queued:
            raise PoolBusy(f"{self.alive - self.idle} extractions running and {len(lane)} "
                           "waiting")
        ticket: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        lane.append(ticket)
        granted = False
        try:
            async with asyncio.timeout(self.queue_wait_s):
                w = await ticket
            granted = True
            return w
        except TimeoutError:
            raise PoolBusy(f"no extraction worker free within {self.queue_wait_s:g} s") from None
        finally:
            if not granted:  # timed out or cancelled: leave the lane
                if ticket in lane:
                    lane.remove(ticket)
                if ticket.done() and not ticket.cancelled():
                    self._give_back(ticket.result())  # handed over just as we gave up
                else:
                    ticket.cancel()

    def _give_back(self, w: _Worker) -> None:
        """A worker is free again (its job done, or its waiter gone): serve who waits."""
        if w in self._workers:
            self._free.append(w)
        self._dispatch()

    def _dispatch(self) -> None:
        for small in (True, False):  # short articles first
            lane = self._waiters[small]
            while lane:
                if lane[0].done():  # its waiter gave up
                    lane.popleft()
                    continue
                w = self._take(small)
                if w is None:
                    break
                lane.popleft().set_result(w)

    async def _job(self, w: _Worker, job: tuple[Any, ...]) -> tuple[Any, ...]:
        # The socket is driven by the event loop itself: no thread hop per article.
        loop = asyncio.get_running_loop()
        try:
            await loop.sock_sendall(w.sock, _frame(job))
            try:
                async with asyncio.timeout(self.budget_s):
                    reply: tuple[Any, ...] = await _receive(loop, w.sock)
            except TimeoutError:
                self._retire(w, "over budget")
                raise OverBudget(f"extraction took longer than {self.budget_s:g} s") from None
        except (EOFError, OSError) as exc:
            self._retire(w, f"lost ({exc or type(exc).__name__})")
            raise WorkerLost("the extraction worker died; try again") from exc
        finally:
            self._give_back(w)
        return reply

    def _spawn(self, small_only: bool) -> _Worker:
        mine, theirs = socket.socketpair()
        argv = [sys.executable, "-m", "newsline_ingest.worker", str(theirs.fileno())]
        if self.knowledge_dir is not None:
            argv.append(str(self.knowledge_dir))
        process = subprocess.Popen(argv, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        if self.size > 1 and not small_only:
            # Large articles' CPU (and this worker's warm-up, when it replaces one
            # stopped over budget) yields to the event loop and to short articles.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, LARGE_NICENESS)
        mine.settimeout(START_TIMEOUT_S)
        try:
            ready = _receive_blocking(mine)
        except (EOFError, OSError):  # died or hung starting: its traceback is on stderr
            ready = ("did not start",)
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            process.kill()
            process.wait()
            mine.close()
            raise RuntimeError(f"an extraction worker failed to start: {ready!r}")
        mine.setblocking(False)
        return _Worker(process, mine, small_only)

    def _add(self, w: _Worker) -> None:
        self._workers.add(w)
        self._free.append(w)
        self._dispatch()

    def _retire(self, w: _Worker, why: str) -> None:
        """Kill a worker and start its replacement in the background."""
        self._workers.discard(w)
        w.process.kill()
        w.sock.close()
        log.warning("extraction worker %s %s; starting a new one", w.process.pid, why)
        if not self._closed:
            task = asyncio.ensure_future(self._replace(w))
            self._replacing.add(task)
            task.add_done_callback(self._replacing.discard)

    async def _replace(self, old: _Worker) -> None:
        await asyncio.to_thread(old.process.wait)
        try:
            fresh = await asyncio.to_thread(self._spawn, old.small_only)
        except RuntimeError as exc:
            log.error("extraction pool: %s", exc)
            return
        if self._closed:
            _stop(fresh)
        else:
            self._add(fresh)

    async def close(self) -> None:
        """Stop every worker (closing its pipe ends it; kill what does not end)."""
        self._closed = True
        for task in list(self._replacing):
            task.cancel()
        workers, self._workers = list(self._workers), set()
        await asyncio.gather(*(asyncio.to_thread(_stop, w) for w in workers))


def _stop(w: _Worker) -> None:
    w.sock.close()  # the worker ends when its socket closes
    try:
        w.process.wait(2)
    except subprocess.TimeoutExpired:
        w.process.kill()
        w.process.wait()


# The framing of multiprocessing.connection.Connection, which the worker side uses:
# a signed 4-byte big-endian length (-1, then 8 bytes, past 2 GiB), then a pickle.

def _frame(obj: object) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    size = len(data)
    head = struct.pack("!i", size) if size <= 0x7FFFFFFF else struct.pack("!iQ", -1, size)
    return head + data


async def _exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError("the worker closed its socket")
        got += n
    return bytes(buffer)


async def _receive(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> Any:
    (size,) = struct.unpack("!i", await _exactly(loop, sock, 4))
    if size == -1:
        (size,) = struct.unpack("!Q", await _exactly(loop, sock, 8))
    return pickle.loads(await _exactly(loop, sock, size))


def _exactly_blocking(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError("the worker closed its socket")
        got += n
    return bytes(buffer)


def _receive_blocking(sock: socket.socket) -> Any:
    (size,) = struct.unpack("!i", _exactly_blocking(sock, 4))
    if size == -1:
        (size,) = struct.unpack("!Q", _exactly_blocking(sock, 8))
    return pickle.loads(_exactly_blocking(sock, size))
