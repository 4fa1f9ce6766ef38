"""A client that posts thousands of distinct articles and retries what was not accepted.

It behaves as a careful producer does: a 503 or 429 is retried after its Retry-After,
a connection refused or cut is retried (the article may or may not have been accepted;
if it was, the retry answers 200 `duplicate: true`), and an article counts as accepted
once ingest answered 202 or 200 for it. Anything else is a refusal the scenario reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import httpx

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def article_text(n: int) -> str:
    """Article `n`: one price cut by a company of its own, so one event per article."""
    day, month, percent = 1 + n % 28, MONTHS[n % 12], 1 + n % 60
    return (f"Acme Widgets {n} Inc. cut prices by {percent}% on {day} {month} 2024, "
            f"the company said in a statement. Its rivals did not comment.")


@dataclass
class Loader:
    """Posts articles `first .. first+count-1` to `ingest` with `concurrency` clients."""

    ingest: str
    first: int
    count: int
    concurrency: int = 16
    give_up_after_s: float = 400.0
    accepted: dict[int, str] = field(default_factory=dict)  # n -> article id
    events: dict[str, int] = field(default_factory=dict)  # article id -> events in the 202
    refused: dict[int, str] = field(default_factory=dict)  # n -> last answer
    retries: int = 0
    _task: asyncio.Task[None] | None = None

    def start(self) -> Loader:
        """Begin posting in the background."""
        self._task = asyncio.create_task(self._run())
        return self

    async def finished(self) -> None:
        """Wait until every article was accepted or given up on."""
        assert self._task is not None
        await self._task

    async def until_accepted(self, n: int, timeout: float = 120) -> None:
        """Wait until at least `n` articles were accepted."""
        deadline = time.monotonic() + timeout
        while len(self.accepted) < n:
            if time.monotonic() > deadline or (self._task and self._task.done()):
                raise AssertionError(f"only {len(self.accepted)} of {n} accepted in time")
            await asyncio.sleep(0.05)

    async def _run(self) -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(self.first, self.first + self.count):
            queue.put_nowait(n)
        limits = httpx.Limits(max_connections=self.concurrency)
        async with httpx.AsyncClient(base_url=self.ingest, timeout=15.0, limits=limits) as client:
            workers = [asyncio.create_task(self._worker(client, queue))
                       for _ in range(self.concurrency)]
            await asyncio.gather(*workers)

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[int]) -> None:
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await self._post(client, n)

    async def _post(self, client: httpx.AsyncClient, n: int) -> None:
        deadline = time.monotonic() + self.give_up_after_s
        body = {"text": article_text(n), "title": f"Acme Widgets {n} cuts prices"}
        while time.monotonic() < deadline:
            try:
                response = await client.post("/v1/articles", json=body)
            except httpx.TransportError as exc:  # refused, reset, timed out: unknown outcome
                self.refused[n] = type(exc).__name__
                self.retries += 1
                await asyncio.sleep(0.5)
                continue
            if response.status_code in (200, 202):
                answer = response.json()
                self.accepted[n] = answer["article_id"]
                self.events[answer["article_id"]] = len(answer["events"])
                self.refused.pop(n, None)
                return
            self.refused[n] = f"{response.status_code} {response.text[:200]}"
            if response.status_code not in (429, 503):
                return  # a refusal the scenario reports: the article itself was refused
            self.retries += 1
            with contextlib.suppress(ValueError):
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
