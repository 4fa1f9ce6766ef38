"""`GET /v1/events/{id}/responses`: who answered a block, how fast, with what."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from newsline_contracts import ActorSeen
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date


async def test_offers_after_a_block_are_listed_with_their_delay(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    block = event("openai", "access_block", D(2024, 7, 9), name="OpenAI", others=("china",))
    baidu = event("baidu", "offer", D(2024, 7, 12), name="Baidu", quantity=(5e7, "tokens"))
    zhipu = event("zhipu", "migration_program", D(2024, 7, 9), name="Zhipu")
    await seed(article(block, text="OpenAI will block API access from China on 9 July."))
    # Baidu's offer comes from another article that names the blocker by a Chinese alias.
    openai_actor = ActorSeen(slug="openai", name="OpenAI", aliases=("OpenAI", "开放人工智能"))
    await seed(article(baidu, text="百度 offers 50 million free tokens to 开放人工智能 users.",
                       actors=(openai_actor, ActorSeen(slug="baidu", name="Baidu"))))
    await seed(article(zhipu, text="Zhipu opens a migration programme for OpenAI users."))
    unrelated = event("tencent", "offer", D(2024, 7, 10), name="Tencent")
    late = event("moonshot", "offer", D(2024, 9, 1), name="Moonshot")
    own = event("openai", "price_cut", D(2024, 7, 11), name="OpenAI")
    await seed(article(unrelated, text="Tencent cuts cloud prices for gamers."),
               article(late, text="Moonshot offers OpenAI users tokens."),
               article(own, text="OpenAI cuts prices."))
    # One sharing the blocker's article matches even without naming it.
    shared = event("alibaba-cloud", "price_cut", D(2024, 7, 10), name="Alibaba Cloud")
    await seed(article(block, shared, text="OpenAI blocks China; Alibaba Cloud cuts prices."))

    resp = await client.get(f"/v1/events/{block.event_id}/responses")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["trigger"]["id"] == str(block.event_id)
    assert (body["anchor_date"], body["window_days"]) == ("2024-07-09", 30)
    answers = [(r["event"]["actors"][0]["slug"], r["event"]["type"], r["delay_days"],
                r["matched_by"]) for r in body["data"]]
    assert answers == [
        ("zhipu", "migration_program", 0, "names_subject"),
        ("alibaba-cloud", "price_cut", 1, "shared_article"),
        ("baidu", "offer", 3, "names_subject"),
    ]
    assert body["data"][2]["event"]["quantity"] == {"value": 5e7, "unit": "tokens"}
    wider = (await client.get(f"/v1/events/{block.event_id}/responses",
                              params={"window_days": 60})).json()
    assert [r["event"]["actors"][0]["slug"] for r in wider["data"]][-1] == "moonshot"


async def test_the_anchor_is_the_first_report_when_it_precedes_the_effective_date(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    block = event("openai", "access_block", D(2024, 7, 9), name="OpenAI")
    await seed(article(block, text="OpenAI will block access on 9 July.",
                       published_at=dt.datetime(2024, 6, 25, 8, tzinfo=dt.UTC)))
    offer = event("baidu", "offer", D(2024, 6, 26), name="Baidu")
    await seed(article(offer, text="Baidu answers OpenAI with free tokens."))
    body = (await client.get(f"/v1/events/{block.event_id}/responses")).json()
    assert body["anchor_date"] == "2024-06-25"
    assert [r["delay_days"] for r in body["data"]] == [1]


async def test_responses_need_a_block_or_policy(client: httpx.AsyncClient, seed: Seed) -> None:
    offer = event("baidu", "offer")
    await seed(article(offer))
    resp = await client.get(f"/v1/events/{offer.event_id}/responses")
    assert resp.status_code == 422
    assert resp.json()["error"] == "not_a_trigger"
    missing = await client.get("/v1/events/00000000-0000-0000-0000-000000000000/responses")
    assert missing.status_code == 404


async def test_a_response_dated_only_to_its_month_answers_a_block_in_that_month(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # "In July 2024 Baidu offered ..." answers a block of 9 July: its month spans the
    # block's day, so it is listed, with the delay of its month's first day (-8); a
    # response dated only to June does not.
    block = event("openai", "access_block", D(2024, 7, 9), name="OpenAI")
    july = event("baidu", "offer", D(2024, 7, 1), "month", name="Baidu", basis="inferred")
    june = event("tencent", "offer", D(2024, 6, 1), "month", name="Tencent")
    await seed(article(block, july, june,
                       text="OpenAI blocks China on 9 July; Baidu and Tencent court its users."))
    body = (await client.get(f"/v1/events/{block.event_id}/responses")).json()
    answers = [(r["event"]["actors"][0]["slug"], r["delay_days"]) for r in body["data"]]
    assert answers == [("baidu", -8)]
