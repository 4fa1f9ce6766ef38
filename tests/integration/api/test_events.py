"""`GET /v1/events/{id}`: one event with every source and evidence span."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def test_event_detail_carries_both_sources_and_the_best_evidence(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    english_text = "OpenAI will block API access from China on July 9, 2024."
    german_text = "OpenAI blockiert ab dem 9. Juli 2024 den API-Zugang aus China."
    english = event("openai", name="OpenAI", others=("china",), evidence=english_text,
                    confidence=0.8)
    german = event("openai", name="OpenAI", others=("china",), evidence=german_text,
                   confidence=0.95)
    await seed(article(english, title="OpenAI blocks China", url="https://example.com/en",
                       source="Example News",
                       published_at=dt.datetime(2024, 6, 25, 7, tzinfo=dt.UTC)))
    await seed(article(german, language="de", title="OpenAI sperrt China",
                       url="https://beispiel.de/artikel", source="Beispiel"))
    assert english.event_id == german.event_id  # one event, reported twice

    resp = await client.get(f"/v1/events/{english.event_id}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["id"] == str(english.event_id)
    assert body["type"] == "access_block"
    assert body["date"] == "2024-07-09"
    assert (body["date_precision"], body["date_basis"]) == ("day", "stated")
    assert body["actors"] == [{"slug": "openai", "name": "OpenAI", "role": "subject"},
                              {"slug": "china", "name": "China", "role": "object"}]
    assert body["confidence"] == 0.95  # the merged event keeps its best confidence
    # The most confident source lends the event its evidence.
    assert body["evidence"] == {"text": german_text, "start": 0, "end": len(german_text)}
    de, en = body["sources"]
    assert (de["language"], de["title"], de["url"], de["source"]) == (
        "de", "OpenAI sperrt China", "https://beispiel.de/artikel", "Beispiel")
    assert de["published_at"] is None
    assert (en["language"], en["title"], en["confidence"]) == ("en", "OpenAI blocks China", 0.8)
    assert en["published_at"] == "2024-06-25T07:00:00Z"
    assert en["evidence"]["text"] == english_text
    assert en["quantity"] is None
    assert {"first_seen_at", "updated_at", "summary", "product", "quantity"} <= body.keys()


async def test_quantity_and_product_are_served(client: httpx.AsyncClient, seed: Seed) -> None:
    offer = event("zhipu", "offer", quantity=(2e7, "tokens"), product="GLM-4")
    await seed(article(offer))
    body = (await client.get(f"/v1/events/{offer.event_id}")).json()
    assert body["quantity"] == {"value": 2e7, "unit": "tokens"}
    assert body["product"] == "GLM-4"
    assert body["sources"][0]["quantity"] == {"value": 2e7, "unit": "tokens"}


async def test_timeline_events_match_the_detail(client: httpx.AsyncClient, seed: Seed) -> None:
    shown = event("openai", others=("china",))
    await seed(article(shown), article(shown, language="de"))
    page = (await client.get("/v1/actors/china/timeline")).json()
    detail = (await client.get(f"/v1/events/{shown.event_id}")).json()
    assert page["data"] == [detail]


async def test_unknown_event_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    resp = await client.get(f"/v1/events/{missing}")
    assert resp.status_code == 404
    body = resp.json()
    assert body["error"] == "event_not_found"
    assert str(missing) in body["message"]


async def test_a_malformed_event_id_is_422_naming_the_parameter(
    client: httpx.AsyncClient,
) -> None:
    resp = await client.get("/v1/events/not-a-uuid")
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "validation_error"
    assert "path parameter 'event_id'" in body["message"]
    assert body["details"][0]["location"] == ["path", "event_id"]


async def test_a_subtype_is_served_and_a_later_report_fills_it_in(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # The first report says only "policy"; the second names it a fine: the event keeps
    # one identity and gains the subtype, on the timeline page and in the detail.
    when = dt.date(2024, 3, 7)
    await seed(article(event("eu-commission", "policy", when)))
    await seed(article(event("eu-commission", "policy", when, subtype="fine"), language="de"))
    page = (await client.get("/v1/actors/eu-commission/timeline")).json()
    [served] = page["data"]
    assert served["subtype"] == "fine" and served["source_count"] == 2
    detail = (await client.get(f"/v1/events/{served['id']}")).json()
    assert detail["subtype"] == "fine"
