"""`GET /v1/actors`: counts, latest dates, order, search."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from newsline_contracts import ActorSeen
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def test_actors_carry_event_counts_and_latest_dates_busiest_first(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(
        article(event("openai", others=("china-gov",)),
                event("openai", "policy", dt.date(2024, 6, 25))),
        article(event("baidu", "offer", dt.date(2024, 7, 10), quantity=(5e7, "tokens"))),
    )
    resp = await client.get("/v1/actors")
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert [(a["slug"], a["event_count"], a["latest_event_date"]) for a in data] == [
        ("openai", 2, "2024-07-09"),
        ("baidu", 1, "2024-07-10"),
        ("china-gov", 1, "2024-07-09"),  # ties on count go by name: Baidu before China-Gov
    ]
    assert data[0] == {
        "slug": "openai", "name": "Openai", "kind": "company", "parent": None,
        "reviewed": True, "event_count": 2, "latest_event_date": "2024-07-09",
    }


async def test_an_actor_without_events_is_listed_with_zero(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # An article may name an organisation no event involves.
    await seed(article(event("openai"), actors=(ActorSeen(slug="openai", name="Openai"),
                                                ActorSeen(slug="quiet", name="Quiet"))))
    quiet = [a for a in (await client.get("/v1/actors")).json()["data"] if a["slug"] == "quiet"]
    assert quiet == [{"slug": "quiet", "name": "Quiet", "kind": "company", "parent": None,
                      "reviewed": True, "event_count": 0, "latest_event_date": None}]


async def test_q_matches_name_or_slug_case_insensitively(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai", name="OpenAI"), event("alibaba-cloud", "offer",
                                                            name="Alibaba Cloud")))

    async def slugs(q: str) -> list[str]:
        resp = await client.get("/v1/actors", params={"q": q})
        assert resp.status_code == 200
        return [a["slug"] for a in resp.json()["data"]]

    assert await slugs("OPENAI") == ["openai"]
    assert await slugs("ba-cl") == ["alibaba-cloud"]  # slug only
    assert await slugs("a CLOUD") == ["alibaba-cloud"]  # name only
    assert await slugs("%") == []  # a LIKE wildcard is taken literally


async def test_an_empty_database_lists_no_actors(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/actors")
    assert resp.status_code == 200
    assert resp.json() == {"data": []}
