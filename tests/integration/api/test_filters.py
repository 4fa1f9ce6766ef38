"""Timeline filters beyond type/date/language, units, merged timelines, concurrent inserts."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from newsline_contracts import ActorSeen
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date


async def _get(client: httpx.AsyncClient, url: str, **params: Any) -> dict[str, Any]:
    resp = await client.get(url, params=params)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def _types(client: httpx.AsyncClient, slug: str = "openai", **params: Any) -> list[str]:
    body = await _get(client, f"/v1/actors/{slug}/timeline", **params)
    return sorted(e["type"] for e in body["data"])


async def test_source_filter_matches_the_article_source_in_any_case(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    shared = event("openai")
    await seed(article(shared, event("openai", "offer"), source="Reuters"),
               article(shared, event("openai", "policy"), source="Heise"))
    assert await _types(client, source="reuters") == ["access_block", "offer"]
    assert await _types(client, source="HEISE") == ["access_block", "policy"]
    assert await _types(client, source="Nobody") == []


async def test_min_confidence_is_inclusive(client: httpx.AsyncClient, seed: Seed) -> None:
    await seed(article(event("openai", "offer", confidence=0.5),
                       event("openai", "policy", confidence=0.8),
                       event("openai", "price_cut", confidence=0.95)))
    assert await _types(client, min_confidence=0.8) == ["policy", "price_cut"]
    assert await _types(client, min_confidence=0) == ["offer", "policy", "price_cut"]
    resp = await client.get("/v1/actors/openai/timeline", params={"min_confidence": "1.5"})
    assert resp.status_code == 422
    assert "'min_confidence'" in resp.json()["message"]


async def test_filters_combine(client: httpx.AsyncClient, seed: Seed) -> None:
    await seed(article(event("openai", "offer", D(2024, 7, 1), confidence=0.9),
                       event("openai", "offer", D(2024, 8, 1), confidence=0.9),
                       event("openai", "policy", D(2024, 7, 2), confidence=0.9),
                       event("openai", "offer", D(2024, 7, 3), confidence=0.3),
                       source="Reuters", language="de"))
    body = await _get(client, "/v1/actors/openai/timeline", type="offer", to="2024-07-31",
                      min_confidence=0.5, source="reuters", language="de")
    assert [e["date"] for e in body["data"]] == ["2024-07-01"]


def _unit(slug: str, parent: str) -> ActorSeen:
    return ActorSeen(slug=slug, name=slug.title(), parent=parent)


async def test_include_units_adds_events_of_actors_under_this_one(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(
        article(event("tencent", "announcement", D(2024, 7, 1))),
        article(event("tencent-cloud", "offer", D(2024, 7, 2)),
                actors=(_unit("tencent-cloud", "tencent"),)),
        article(event("hunyuan-lab", "product_launch", D(2024, 7, 3)),
                actors=(_unit("hunyuan-lab", "tencent-cloud"),)),  # a unit of a unit
        article(event("baidu", "offer", D(2024, 7, 2))),
    )
    alone = await _get(client, "/v1/actors/tencent/timeline")
    assert [e["type"] for e in alone["data"]] == ["announcement"]
    assert alone["included"] == ["tencent"]
    family = await _get(client, "/v1/actors/tencent/timeline", include_units="true")
    assert [e["type"] for e in family["data"]] == ["announcement", "offer", "product_launch"]
    assert family["included"] == ["hunyuan-lab", "tencent", "tencent-cloud"]
    assert family["actor"]["slug"] == "tencent"
    plain = await client.get("/v1/actors/tencent/timeline")
    with_units = await client.get("/v1/actors/tencent/timeline?include_units=true")
    assert plain.headers["etag"] != with_units.headers["etag"]


async def test_merged_timeline_lists_each_event_once_in_timeline_order(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    block = event("openai", "access_block", D(2024, 7, 9), others=("baidu",))
    await seed(article(block, event("openai", "policy", D(2024, 6, 1)),
                       event("baidu", "offer", D(2024, 7, 10)),
                       event("zhipu", "offer", D(2024, 7, 11)),
                       event("baidu", "price_cut", D(2024, 5, 1))))
    body = await _get(client, "/v1/timeline", actor=["openai", "baidu"])
    assert [(e["date"], e["type"]) for e in body["data"]] == [
        ("2024-05-01", "price_cut"), ("2024-06-01", "policy"),
        ("2024-07-09", "access_block"), ("2024-07-10", "offer"),
    ]
    assert [a["slug"] for a in body["actors"]] == ["openai", "baidu"]
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = await _get(client, "/v1/timeline", actor=["openai", "baidu"], limit=1,
                          **({"cursor": cursor} if cursor else {}))
        ids += [e["id"] for e in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert ids == [e["id"] for e in body["data"]]
    missing = await client.get("/v1/timeline", params={"actor": ["openai", "nobody"]})
    assert missing.status_code == 404
    assert missing.json()["error"] == "actor_not_found"
    assert (await client.get("/v1/timeline")).status_code == 422


async def test_cursor_walk_during_concurrent_inserts_has_no_gap_and_no_repeat(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    originals = [event("openai", "offer", D(2024, 1, 1) + dt.timedelta(days=i))
                 for i in range(40)]
    await seed(article(*originals))
    stop = asyncio.Event()

    async def writer() -> int:
        written = 0
        while not stop.is_set():  # new events all over the timeline: before, between, after
            day = D(2023, 12, 1) + dt.timedelta(days=(written * 7) % 90)
            await seed(article(event("openai", "policy", day, product=f"w{written}")))
            written += 1
            await asyncio.sleep(0)
        return written

    task = asyncio.create_task(writer())
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    try:
        while True:
            page = await _get(client, "/v1/actors/openai/timeline", limit=3,
                              **({"cursor": cursor} if cursor else {}))
            seen += page["data"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            await asyncio.sleep(0.01)
    finally:
        stop.set()
        written = await task
    assert written > 0
    ids = [e["id"] for e in seen]
    assert len(ids) == len(set(ids))  # no repeat
    assert {str(e.event_id) for e in originals} <= set(ids)  # no gap
    order = [(e["date"], {"day": 0, "month": 1, "year": 2}[e["date_precision"]]) for e in seen]
    assert order == sorted(order)  # one timeline order across pages
