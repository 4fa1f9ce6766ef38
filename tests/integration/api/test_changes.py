"""`GET /v1/changes` and `DELETE /v1/events/{id}`: a gap-free feed of what changed."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from newsline_db import changes, events
from newsline_timeline.store import persist_batch
from tests.integration.api.conftest import Seed, _started_client
from tests.support.factories import article, event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def _feed(client: httpx.AsyncClient, after: str | None = None) -> dict[str, Any]:
    resp = await client.get("/v1/changes", params={"after": after} if after else {})
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def test_feed_follows_create_merge_update_and_removal(
    client: httpx.AsyncClient, seed: Seed, clean_db: AsyncEngine
) -> None:
    block = event("openai", others=("china",), evidence="OpenAI blocks China.", confidence=0.8)
    english = article(block, text="OpenAI blocks China. (en)")
    await seed(english)
    created = await _feed(client)
    [change] = created["data"]
    assert (change["kind"], change["event_id"]) == ("created", str(block.event_id))
    assert change["actors"] == ["china", "openai"]
    assert set(change) == {"id", "kind", "event_id", "actors", "at"}
    cursor = created["next_cursor"]
    assert cursor == str(change["id"])

    await seed(english)  # a replayed batch: nothing changed, nothing recorded
    assert (await _feed(client, cursor)) == {"data": [], "next_cursor": cursor}

    german = event("openai", others=("china",), evidence="OpenAI sperrt China.", confidence=0.7)
    await seed(article(german, language="de"))  # a second article joins the event
    merged = await _feed(client, cursor)
    assert [(c["kind"], c["event_id"]) for c in merged["data"]] == [
        ("merged", str(block.event_id))
    ]
    cursor = merged["next_cursor"]

    # The same article read again by a better extractor: higher confidence, no new source.
    surer = event("openai", others=("china",), evidence="OpenAI blocks China.", confidence=0.95)
    await seed(article(surer, text="OpenAI blocks China. (en)"))
    updated = await _feed(client, cursor)
    assert [c["kind"] for c in updated["data"]] == ["updated"]
    cursor = updated["next_cursor"]

    resp = await client.delete(f"/v1/events/{block.event_id}")
    assert resp.status_code == 204
    removed = await _feed(client, cursor)
    assert [(c["kind"], c["actors"]) for c in removed["data"]] == [
        ("removed", ["china", "openai"])
    ]
    assert resp.headers["x-change-id"] == removed["next_cursor"]
    assert (await client.get(f"/v1/events/{block.event_id}")).status_code == 404
    assert (await client.delete(f"/v1/events/{block.event_id}")).status_code == 404
    openai = (await client.get("/v1/actors", params={"q": "openai"})).json()["data"][0]
    assert (openai["event_count"], openai["latest_event_date"]) == (0, None)

    everything = await _feed(client)
    ids = [c["id"] for c in everything["data"]]
    assert ids == sorted(ids) and len(ids) == 4
    assert [c["kind"] for c in everything["data"]] == ["created", "merged", "updated", "removed"]


async def test_a_replay_does_not_touch_updated_at(seed: Seed, clean_db: AsyncEngine) -> None:
    message = article(event("openai"), event("baidu", "offer"))
    await seed(message)
    async with clean_db.connect() as conn:
        before = (await conn.execute(sa.select(events.c.id, events.c.updated_at))).all()
    await seed(message)
    async with clean_db.connect() as conn:
        after = (await conn.execute(sa.select(events.c.id, events.c.updated_at))).all()
        count = (await conn.execute(sa.select(sa.func.count()).select_from(changes))).scalar()
    assert sorted(before) == sorted(after)
    assert count == 2


async def test_feed_pages_with_limit_and_refuses_a_bad_cursor(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(*(event("openai", "offer", product=f"p{i}") for i in range(5))))
    first = (await client.get("/v1/changes", params={"limit": 2})).json()
    second = (await client.get("/v1/changes", params={
        "limit": 2, "after": first["next_cursor"]})).json()
    assert len(first["data"]) == len(second["data"]) == 2
    assert first["data"][-1]["id"] < second["data"][0]["id"]
    etag = (await client.get("/v1/changes")).headers["etag"]
    assert (await client.get("/v1/changes",
                             headers={"If-None-Match": etag})).status_code == 304
    bad = await client.get("/v1/changes", params={"after": "-1"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_cursor"


async def test_delete_needs_the_api_key_when_one_is_set(
    database_url: str, seed: Seed
) -> None:
    block = event("openai")
    await seed(article(block))
    app: FastAPI = create_app(ApiSettings(database_url=database_url, api_key="s3cret"))
    async for client in _started_client(app):
        url = f"/v1/events/{block.event_id}"
        missing = await client.delete(url)
        assert missing.status_code == 401
        assert missing.json()["error"] == "missing_api_key"
        assert (await client.delete(url, headers={"X-API-Key": "nope"})).status_code == 401
        assert (await client.get(url)).status_code == 200
        assert (await client.delete(url, headers={"X-API-Key": "s3cret"})).status_code == 204


async def _waiting_on_advisory_lock(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        waiting = await conn.execute(sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ))
        return bool(waiting.scalar())


async def test_a_later_writer_cannot_publish_a_change_before_an_earlier_one_commits(
    client: httpx.AsyncClient, clean_db: AsyncEngine
) -> None:
    # Without the lock: A takes id N, B takes N+1 and commits, a poller reads N+1 and
    # moves past N, A commits: N is never seen. With it, B waits for A's commit.
    first, second = article(event("openai")), article(event("baidu", "offer"))
    conn_a = await clean_db.connect()
    tx_a = await conn_a.begin()
    await persist_batch(conn_a, [first])  # holds the lock and id N, uncommitted

    async def writer_b() -> None:
        async with clean_db.begin() as conn:
            await persist_batch(conn, [second])

    task_b = asyncio.create_task(writer_b())
    await eventually(lambda: _waiting_on_advisory_lock(clean_db), bool, timeout=10)
    assert not task_b.done()
    assert (await _feed(client))["data"] == []  # nothing visible, so no cursor moved
    await tx_a.commit()
    await conn_a.close()
    await asyncio.wait_for(task_b, 10)
    data = (await _feed(client))["data"]
    assert [c["actors"] for c in data] == [["openai"], ["baidu"]]  # commit order = id order


async def test_a_poller_among_concurrent_writers_sees_every_change(
    client: httpx.AsyncClient, seed: Seed, clean_db: AsyncEngine
) -> None:
    async def writer(n: int) -> None:
        for i in range(8):
            await seed(article(event(f"actor-{n}", "offer", product=f"p{i}")))
            await asyncio.sleep(0)

    writers = asyncio.gather(*(writer(n) for n in range(4)))
    seen: list[int] = []
    cursor = "0"
    while not writers.done():
        page = await _feed(client, cursor)
        seen += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        await asyncio.sleep(0.005)
    await writers
    seen += [c["id"] for c in (await _feed(client, cursor))["data"]]
    async with clean_db.connect() as conn:
        stored = (await conn.execute(sa.select(changes.c.id).order_by(changes.c.id))).scalars()
        assert seen == list(stored)
    assert len(seen) == 32
