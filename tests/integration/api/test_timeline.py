"""`GET /v1/actors/{slug}/timeline`: order, keyset pages, filters, ETag/304, errors."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date


async def _page(client: httpx.AsyncClient, slug: str = "openai", **params: Any) -> dict[str, Any]:
    resp = await client.get(f"/v1/actors/{slug}/timeline", params=params)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def _walk(client: httpx.AsyncClient, limit: int) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        body = await _page(client, limit=limit, **({"cursor": cursor} if cursor else {}))
        ids += [e["id"] for e in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


async def test_order_is_date_then_precision_then_first_seen(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # Stored least precise first, so only the precision rule can put the day first.
    year = event("openai", "policy", D(2024, 1, 1), "year")
    month = event("openai", "policy", D(2024, 1, 1), "month")
    day = event("openai", "policy", D(2024, 1, 1), "day")
    seen_first = event("openai", "offer", D(2024, 7, 9))
    seen_second = event("openai", "price_cut", D(2024, 7, 9))
    earlier_but_later_seen = event("openai", "announcement", D(2023, 12, 31))
    # Undated: placed at the article's publication date, with basis "reported".
    undated = event("openai", "other", D(2024, 7, 15), basis="reported")
    for message in (year, month, day, seen_first, seen_second, earlier_but_later_seen):
        await seed(article(message))
    await seed(article(undated, published_at=dt.datetime(2024, 7, 15, 9, tzinfo=dt.UTC)))

    body = await _page(client)
    expected = [earlier_but_later_seen, day, month, year, seen_first, seen_second, undated]
    assert [e["id"] for e in body["data"]] == [str(ev.event_id) for ev in expected]
    assert [e["date_precision"] for e in body["data"][1:4]] == ["day", "month", "year"]
    assert body["data"][-1]["date_basis"] == "reported"
    assert body["next_cursor"] is None
    assert body["actor"]["slug"] == "openai"
    assert body["actor"]["event_count"] == 7


async def test_pages_cover_the_timeline_without_gap_or_repeat(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(*(article(event("openai", "offer", D(2024, 7, 1 + i % 4), product=f"p{i}"))
                 for i in range(11)))
    everything = [e["id"] for e in (await _page(client, limit=200))["data"]]
    assert len(everything) == 11
    for limit in (1, 3, 5, 11):
        assert await _walk(client, limit) == everything


async def test_keyset_pages_stay_consistent_when_events_arrive_between_fetches(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    originals = [event("openai", "offer", D(2024, 7, d)) for d in (1, 2, 3, 4, 5, 6)]
    await seed(article(*originals))
    first = await _page(client, limit=3)
    # One event sorts before the cursor, one ties with the cursor row's date (first seen
    # later, so after it), one sorts after everything.
    before = event("openai", "policy", D(2024, 6, 1))
    tie = event("openai", "policy", D(2024, 7, 3))
    after = event("openai", "policy", D(2024, 8, 1))
    await seed(article(before, tie, after))

    ids = [e["id"] for e in first["data"]]
    cursor = first["next_cursor"]
    while cursor:
        body = await _page(client, limit=3, cursor=cursor)
        ids += [e["id"] for e in body["data"]]
        cursor = body["next_cursor"]

    by_date = sorted([*originals[:3], tie, *originals[3:], after], key=lambda e: e.date)
    assert ids == [str(e.event_id) for e in by_date]  # no gap, no repeat, tie after its twin
    assert len(ids) == len(set(ids))
    fresh = await _page(client, limit=1)
    assert fresh["data"][0]["id"] == str(before.event_id)  # a new first page shows it


async def test_type_filter_is_repeatable(client: httpx.AsyncClient, seed: Seed) -> None:
    await seed(article(event("openai", "offer"), event("openai", "price_cut"),
                       event("openai", "policy")))
    body = await _page(client, type=["offer", "price_cut"])
    assert sorted(e["type"] for e in body["data"]) == ["offer", "price_cut"]
    assert [e["type"] for e in (await _page(client, type="policy"))["data"]] == ["policy"]


async def test_from_and_to_are_inclusive_on_the_event_date(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(*(event("openai", "offer", D(2024, 7, d)) for d in (1, 2, 3, 4))))

    async def dates(**params: str) -> list[str]:
        return [e["date"] for e in (await _page(client, **params))["data"]]

    assert await dates(**{"from": "2024-07-02", "to": "2024-07-03"}) == ["2024-07-02",
                                                                          "2024-07-03"]
    assert await dates(**{"from": "2024-07-04"}) == ["2024-07-04"]
    assert await dates(to="2024-07-01") == ["2024-07-01"]


async def test_language_filter_keeps_events_with_a_source_in_that_language(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    shared = event("openai")
    await seed(article(shared, event("openai", "offer")),
               article(shared, event("openai", "policy"), language="de"))
    body = await _page(client, language="de")
    assert sorted(e["type"] for e in body["data"]) == ["access_block", "policy"]
    # The event is the unit: all its sources come along, not only the German one.
    shared_out = next(e for e in body["data"] if e["id"] == str(shared.event_id))
    assert sorted(s["language"] for s in shared_out["sources"]) == ["de", "en"]
    assert len((await _page(client, language="EN"))["data"]) == 2


async def test_unchanged_page_answers_304_and_a_new_event_changes_the_etag(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    url = "/v1/actors/openai/timeline"
    first = await client.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == "no-cache"

    unchanged = await client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert (await client.get(url, headers={"If-None-Match": f'"x", {etag}'})).status_code == 304

    await seed(article(event("openai", "offer", D(2025, 1, 1))))
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert len(changed.json()["data"]) == 2

    # Another article reporting a shown event changes it too (its updated_at moves).
    etag = changed.headers["etag"]
    await seed(article(event("openai", evidence="OpenAI blocks access."), language="de"))
    assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 200
    filtered = await client.get(url, params={"type": "offer"})
    assert filtered.headers["etag"] != etag


async def test_unknown_actor_is_404_with_a_hint(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/actors/nobody/timeline")
    assert resp.status_code == 404
    assert resp.json() == {"error": "actor_not_found",
                           "message": "No actor 'nobody'. GET /v1/actors lists them."}


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4IiwwLDEsIm5vIl0", "a" * 40])
async def test_a_malformed_cursor_is_400_naming_the_parameter(
    client: httpx.AsyncClient, seed: Seed, cursor: str
) -> None:
    await seed(article(event("openai")))
    resp = await client.get("/v1/actors/openai/timeline", params={"cursor": cursor})
    assert resp.status_code == 400
    body = resp.json()
    assert body["error"] == "invalid_cursor"
    assert "'cursor'" in body["message"]


@pytest.mark.parametrize(
    ("params", "named"),
    [({"limit": "0"}, "'limit'"), ({"limit": "201"}, "'limit'"), ({"type": "rumour"}, "'type[0]'"),
     ({"from": "July"}, "'from'"), ({"from": "2024-07-02", "to": "2024-07-01"}, "'from'")],
)
async def test_invalid_parameters_are_422_naming_the_field(
    client: httpx.AsyncClient, seed: Seed, params: dict[str, str], named: str
) -> None:
    await seed(article(event("openai")))
    resp = await client.get("/v1/actors/openai/timeline", params=params)
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "validation_error"
    assert named in body["message"]
    assert "Traceback" not in resp.text


async def test_a_304_runs_no_page_query_and_removal_or_a_unit_changes_the_etag(
    app: Any, client: httpx.AsyncClient, seed: Seed
) -> None:
    from sqlalchemy import event as sa_event

    from newsline_contracts import ActorSeen

    block = event("tencent")
    await seed(article(block), article(event("tencent-cloud", "offer"), actors=(
        ActorSeen(slug="tencent-cloud", name="Tencent Cloud", parent="tencent"),)))
    url = "/v1/actors/tencent/timeline"
    etag = (await client.get(url)).headers["etag"]
    units_etag = (await client.get(url, params={"include_units": "true"})).headers["etag"]

    # Every statement: those run through SQLAlchemy and those run on the asyncpg
    # driver of a pooled connection directly (seen by its query logger).
    statements: list[str] = []
    drivers: list[Any] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    def note_driver(query: Any) -> None:
        statements.append(query.query)

    def log_driver(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        dbapi_connection.driver_connection.add_query_logger(note_driver)
        drivers.append(dbapi_connection.driver_connection)

    sync_engine = app.state.engine.sync_engine
    sa_event.listen(sync_engine, "before_cursor_execute", note)
    sa_event.listen(sync_engine.pool, "checkout", log_driver)
    try:
        resp = await client.get(url, headers={"If-None-Match": etag})
        await asyncio.sleep(0.05)  # asyncpg calls its query loggers soon, not at once
    finally:
        sa_event.remove(sync_engine, "before_cursor_execute", note)
        sa_event.remove(sync_engine.pool, "checkout", log_driver)
        for driver in drivers:
            driver.remove_query_logger(note_driver)
    assert resp.status_code == 304
    assert drivers  # the logger was attached: an empty list below means no statement
    assert len(statements) == 1  # the actor row with its change version; no page, no count
    assert not any("event_actors" in s for s in statements)

    await seed(article(event("tencent-cloud", "price_cut")))  # only the unit changed
    assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
    assert (await client.get(url, params={"include_units": "true"},
                             headers={"If-None-Match": units_etag})).status_code == 200

    assert (await client.delete(f"/v1/events/{block.event_id}")).status_code == 204
    after_removal = await client.get(url, headers={"If-None-Match": etag})
    assert after_removal.status_code == 200
    assert after_removal.json()["data"] == []
    assert after_removal.json()["actor"]["event_count"] == 0


async def test_page_text_is_exactly_what_the_response_model_writes(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # PostgreSQL writes the page's JSON: it must read as pydantic would write it, with
    # floats as 3.0, and times in UTC with `Z`, microseconds only when present...
    from newsline_api.timelines.shapes import TimelinePage

    await seed(article(
        event("openai", "offer", D(2024, 1, 2), quantity=(3.0, "USD"), confidence=0.5),
        event("openai", "policy", D(2024, 1, 3), quantity=(0.125, "percent"), product="API"),
        published_at=dt.datetime(2024, 1, 3, 9, 30, 0, 250, tzinfo=dt.UTC),
    ))
    # ...and a float the two spell differently sends the page through pydantic.
    await seed(article(event("anthropic", "offer", quantity=(1e20, "tokens"))))
    await seed(article(event("anthropic", "price_cut", quantity=(2.5e-05, "percent"))))
    for slug in ("openai", "anthropic"):
        resp = await client.get(f"/v1/actors/{slug}/timeline")
        assert resp.status_code == 200
        assert len(resp.json()["data"]) == 2
        assert resp.content == TimelinePage.model_validate_json(resp.content).model_dump_json(
        ).encode()
    assert '"value":3.0,' in (await client.get("/v1/actors/openai/timeline")).text


async def _stored_docs(engine: Any) -> dict[str, str | None]:
    import sqlalchemy as sa

    from newsline_db import events

    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(events.c.id, events.c.doc))
        return {str(event_id): doc for event_id, doc in rows}


async def test_a_merge_re_renders_the_stored_document_the_page_serves(
    client: httpx.AsyncClient, seed: Seed, clean_db: Any
) -> None:
    # Pages serve events.doc, rendered at write time: a second source joining the
    # event (and filling its amount) must reach the stored document and the page.
    from newsline_api.timelines.shapes import TimelinePage

    first = event("openai", "offer", D(2024, 1, 2), confidence=0.5)
    await seed(article(first))
    before = await _page(client)
    [doc] = (await _stored_docs(clean_db)).values()
    assert doc is not None and len(before["data"][0]["sources"]) == 1

    await seed(article(
        event("openai", "offer", D(2024, 1, 2), quantity=(1.5e-05, "percent"), confidence=0.8),
        language="de",
    ))
    resp = await client.get("/v1/actors/openai/timeline")
    [served] = resp.json()["data"]
    assert [s["language"] for s in served["sources"]] == ["de", "en"]
    assert served["quantity"] == {"value": 1.5e-05, "unit": "percent"}
    assert served["updated_at"] >= before["data"][0]["updated_at"]
    [new_doc] = (await _stored_docs(clean_db)).values()
    assert new_doc != doc and new_doc is not None and new_doc.encode() in resp.content
    assert resp.content == TimelinePage.model_validate_json(resp.content).model_dump_json().encode()


async def test_a_curated_rename_re_renders_the_documents_naming_the_actor(
    client: httpx.AsyncClient, seed: Seed, clean_db: Any
) -> None:
    from newsline_contracts import ActorSeen

    # First seen as an unreviewed guess, then curated under its proper name.
    await seed(article(
        event("openai", others=("china-gov",)),
        actors=(ActorSeen(slug="china-gov", name="China-Gov", reviewed=False),),
    ))
    curated = article(
        event("baidu", "offer"),
        actors=(ActorSeen(slug="china-gov", name="Government of China", reviewed=True),),
    )
    await seed(curated)
    [served] = (await _page(client))["data"]
    assert {a["slug"]: a["name"] for a in served["actors"]}["china-gov"] == "Government of China"
    assert all(doc and "China-Gov" not in doc for doc in (await _stored_docs(clean_db)).values())


async def test_an_event_stored_without_a_document_gets_one_when_next_changed(
    client: httpx.AsyncClient, seed: Seed, clean_db: Any
) -> None:
    # A row another writer left without its document is rendered in full from its
    # stored sources by the next batch that changes it; from then on batches fold.
    import sqlalchemy as sa

    from newsline_db import events

    await seed(article(event("openai", "offer", D(2024, 1, 2))))
    async with clean_db.begin() as conn:
        await conn.execute(sa.update(events).values(doc=None))
    await seed(article(event("openai", "offer", D(2024, 1, 2)), language="de"))
    [served] = (await _page(client))["data"]
    assert served["source_count"] == 2 and served["languages"] == ["de", "en"]


async def test_a_page_carries_the_most_confident_sources_and_the_event_all_of_them(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # A page's cost must not grow with an event's sources: it carries three, with the
    # count and every language; the event's own endpoint lists them all.
    confidences = [0.5, 0.9, 0.6, 0.7, 0.55]
    for i, confidence in enumerate(confidences):
        await seed(article(event("openai", "offer", D(2024, 1, 2), confidence=confidence),
                           language=("en", "de", "zh", "en", "de")[i], source=f"site-{i}"))
    [served] = (await _page(client))["data"]
    assert served["source_count"] == 5
    assert served["languages"] == ["de", "en", "zh"]
    assert [s["confidence"] for s in served["sources"]] == [0.9, 0.7, 0.6]
    assert served["evidence"] == served["sources"][0]["evidence"]
    full = (await client.get(f"/v1/events/{served['id']}")).json()
    assert [s["confidence"] for s in full["sources"]] == sorted(confidences, reverse=True)
    assert full["source_count"] == 5
