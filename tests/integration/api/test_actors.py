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
        "reviewed": True, "aliases": [], "event_count": 2, "latest_event_date": "2024-07-09",
    }


async def test_an_actor_without_events_is_listed_with_zero(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # An article may name an organisation no event involves.
    await seed(article(event("openai"), actors=(ActorSeen(slug="openai", name="Openai"),
                                                ActorSeen(slug="quiet", name="Quiet"))))
    quiet = [a for a in (await client.get("/v1/actors")).json()["data"] if a["slug"] == "quiet"]
    assert quiet == [{"slug": "quiet", "name": "Quiet", "kind": "company", "parent": None,
                      "reviewed": True, "aliases": [], "event_count": 0, "latest_event_date": None}]


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


async def test_q_finds_an_actor_by_any_alias_in_any_language(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    baidu = ActorSeen(slug="baidu", name="Baidu", aliases=("Baidu", "百度", "Baidu Inc."))
    cloud = ActorSeen(slug="alibaba-cloud", name="Alibaba Cloud", parent="alibaba",
                      aliases=("阿里云", "Aliyun"))
    await seed(article(event("baidu", "offer"), actors=(baidu,)),
               article(event("alibaba-cloud", "offer"), actors=(cloud,)))

    async def slugs(q: str) -> list[str]:
        resp = await client.get("/v1/actors", params={"q": q})
        assert resp.status_code == 200
        return [a["slug"] for a in resp.json()["data"]]

    assert await slugs("百度") == ["baidu"]  # exact alias (the GIN-indexed probe)
    assert await slugs("阿里") == ["alibaba-cloud"]  # part of an alias
    assert await slugs("aliyun") == ["alibaba-cloud"]  # any case
    listed = (await client.get("/v1/actors", params={"q": "百度"})).json()["data"][0]
    assert listed["aliases"] == sorted(["Baidu", "百度", "Baidu Inc."])


async def test_aliases_accumulate_and_a_replay_rewrites_nothing(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("baidu"), actors=(ActorSeen(slug="baidu", name="Baidu",
                                                         aliases=("百度",)),)))
    await seed(article(event("baidu", "offer"), actors=(ActorSeen(slug="baidu", name="Baidu",
                                                                  aliases=("Baidu Inc.",)),)))
    data = (await client.get("/v1/actors", params={"q": "baidu"})).json()["data"]
    assert data[0]["aliases"] == ["Baidu Inc.", "百度"]
    assert data[0]["event_count"] == 2


async def test_actor_list_answers_304_until_something_changes(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    first = await client.get("/v1/actors")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = await client.get("/v1/actors", headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    await seed(article(event("baidu", "offer")))
    changed = await client.get("/v1/actors", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
