"""`GET /v1/stream`: the change feed as Server-Sent Events, resumable, with heartbeats."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def _read(
    url: str, count: int, *, headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None, also: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The first `count` SSE events (as dicts of their fields); comments go to `also`."""
    found: list[dict[str, Any]] = []
    async with (
        httpx.AsyncClient(base_url=url, timeout=10) as client,
        asyncio.timeout(10),
        client.stream("GET", "/v1/stream", headers=headers, params=params) as resp,
    ):
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, Any] = {}
        async for line in resp.aiter_lines():
            if line.startswith(":") and also is not None:
                also.append(line)
            elif line == "" and "id" in fields:
                found.append(fields)
                fields = {}
                if len(found) == count:
                    return found
            elif ":" in line:
                name, _, value = line.partition(":")
                fields[name] = json.loads(value) if name == "data" else value.strip()
    return found


async def test_stream_pushes_changes_and_resumes_after_last_event_id(
    live_url: str, seed: Seed
) -> None:
    events = [event("openai", "offer", product=f"p{i}") for i in range(3)]
    await seed(article(events[0]))
    await seed(article(events[1]))
    first_two = await _read(live_url, 2)
    assert [e["event"] for e in first_two] == ["change", "change"]
    assert [e["data"]["event_id"] for e in first_two] == [str(ev.event_id) for ev in events[:2]]
    assert [e["id"] for e in first_two] == [str(e["data"]["id"]) for e in first_two]

    # Reconnect as EventSource would after seeing the first: the second comes again,
    # then a change written while we were connected arrives without a new request.
    async def write_later() -> None:
        await asyncio.sleep(0.3)
        await seed(article(events[2]))

    writer = asyncio.create_task(write_later())
    resumed = await _read(live_url, 2, headers={"Last-Event-ID": first_two[0]["id"]})
    await writer
    assert [e["data"]["event_id"] for e in resumed] == [str(ev.event_id) for ev in events[1:]]
    # `?after=` works too, and Last-Event-ID wins over it.
    tail = await _read(live_url, 1, params={"after": first_two[1]["id"]})
    assert tail[0]["data"]["event_id"] == str(events[2].event_id)
    tail = await _read(live_url, 1, params={"after": "0"},
                       headers={"Last-Event-ID": first_two[1]["id"]})
    assert tail[0]["data"]["event_id"] == str(events[2].event_id)


async def test_an_idle_stream_sends_heartbeat_comments(live_url: str, seed: Seed) -> None:
    comments: list[str] = []
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_read(live_url, 1, also=comments), 1.5)
    assert ": heartbeat" in comments


async def test_a_malformed_last_event_id_is_400(live_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_url) as client:
        resp = await client.get("/v1/stream", headers={"Last-Event-ID": "abc"})
    assert resp.status_code == 400
    assert resp.json()["error"] == "invalid_cursor"
