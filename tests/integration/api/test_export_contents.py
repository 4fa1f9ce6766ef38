"""What a person finds in an export: every source's evidence and link, Chinese intact,
amounts as people write them, dates at their precision, and never an unsafe link."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import httpx
import icalendar
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from newsline_api.exports import queries, routes
from newsline_api.exports.readable import amount_text, number_text, plain_number
from newsline_read_model import QuantityPublic
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date
PUBLISHED = dt.datetime(2024, 9, 3, 8, 0, tzinfo=dt.UTC)
ZH_TITLE = "百度向开发者免费提供五千万令牌"
ZH_EVIDENCE = "百度周一宣布，向迁移的开发者免费提供5000万tokens。"
ZH_OUTLET = "新华社"


def _csv(resp: httpx.Response) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.text
    assert resp.content.startswith(b"\xef\xbb\xbf")
    text = resp.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


async def _vevents(client: httpx.AsyncClient, slug: str) -> list[icalendar.Event]:
    resp = await client.get(f"/v1/actors/{slug}/timeline.ics")
    assert resp.status_code == 200, resp.text
    return list(icalendar.Calendar.from_ical(resp.content).walk("VEVENT"))


async def _slides(client: httpx.AsyncClient, slug: str) -> list[dict[str, object]]:
    resp = await client.get(f"/v1/actors/{slug}/timeline.timelinejs.json")
    assert resp.status_code == 200, resp.text
    slides: list[dict[str, object]] = resp.json()["events"]
    return slides


def _slide_text(slide: dict[str, object]) -> str:
    text = slide["text"]
    assert isinstance(text, dict)
    return f'{text["headline"]}\n{text["text"]}'


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two events a page and two sources a query: every boundary is crossed."""
    monkeypatch.setattr(routes, "_PAGE", 2)
    monkeypatch.setattr(queries, "SOURCE_CHUNK", 2)


@pytest.fixture
def source_queries(app: FastAPI, client: httpx.AsyncClient) -> Iterator[list[object]]:
    """The statements the exports' sources queries ran."""
    limits: list[object] = []

    def record(conn: object, cursor: object, statement: str, parameters: object,
               context: object, executemany: bool) -> None:
        if "WITH ORDINALITY" in statement and "event_sources" in statement:
            limits.append(statement)

    engine = app.state.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield limits
    sa.event.remove(engine, "before_cursor_execute", record)


async def _five_sourced(seed: Seed) -> str:
    # One offer reported five times (confidence 0.5 to 0.9, the Chinese article the most
    # confident), between two events of one source each.
    await seed(article(event("baidu", "announcement", D(2024, 9, 1)),
                       url="https://example.com/before", source="Before"))
    offer_id = ""
    for i, confidence in enumerate((0.6, 0.5, 0.8, 0.7)):
        offer = event("baidu", "offer", D(2024, 9, 2), quantity=(5e7, "tokens"),
                      evidence=f"Baidu offers 50 million free tokens, report {i}.",
                      confidence=confidence)
        await seed(article(offer, url=f"https://example.com/offer-{i}", title=f"Report {i}",
                           source=f"Outlet {i}", published_at=PUBLISHED))
    offer = event("baidu", "offer", D(2024, 9, 2), quantity=(5e7, "tokens"),
                  evidence=ZH_EVIDENCE, confidence=0.9)
    offer_id = str(offer.event_id)
    await seed(article(offer, url="https://example.cn/zh", title=ZH_TITLE, source=ZH_OUTLET,
                       language="zh", published_at=PUBLISHED))
    await seed(article(event("baidu", "price_cut", D(2024, 9, 5), quantity=(40.0, "percent")),
                       url="https://example.com/after", source="After"))
    return offer_id


async def test_every_export_carries_every_source_not_only_the_pages_top_three(
    client: httpx.AsyncClient, seed: Seed, small_chunks: None, source_queries: list[object]
) -> None:
    offer_id = await _five_sourced(seed)
    page = (await client.get("/v1/actors/baidu/timeline")).json()["data"]
    assert [len(e["sources"]) for e in page] == [1, 3, 1]  # the page: the top three
    full = (await client.get(f"/v1/events/{offer_id}")).json()
    urls = [s["url"] for s in full["sources"]]
    assert len(urls) == 5 and urls[0] == "https://example.cn/zh"  # most confident first

    rows = _csv(await client.get("/v1/actors/baidu/timeline.csv"))
    assert [r["type"] for r in rows] == ["announcement", "offer", "price_cut"]
    offer = rows[1]
    assert offer["source_count"] == "5"
    assert offer["sources"].split("\n") == urls  # same order as /v1/events/{id}
    assert offer["evidence"].split("\n") == [s["evidence"]["text"] for s in full["sources"]]
    assert offer["source_titles"].split("\n") == [ZH_TITLE, "Report 2", "Report 3",
                                                  "Report 0", "Report 1"]
    assert offer["source_outlets"].split("\n") == [ZH_OUTLET, "Outlet 2", "Outlet 3",
                                                   "Outlet 0", "Outlet 1"]
    assert offer["source_languages"].split("\n") == ["zh", "en", "en", "en", "en"]
    assert offer["source_published"].split("\n") == ["2024-09-03"] * 5
    assert offer["languages"] == "en;zh"

    exported = (await client.get("/v1/actors/baidu/timeline.json")).json()["events"]
    assert exported[1]["sources"] == full["sources"]

    description = str((await _vevents(client, "baidu"))[1]["DESCRIPTION"])
    assert all(url in description for url in urls)
    assert all(s["evidence"]["text"] in description for s in full["sources"])
    slide = _slide_text((await _slides(client, "baidu"))[1])
    assert all(f'href="{url}"' in slide for url in urls)

    # Four exports, each reading the sources in bounded chunks (of two here): at least
    # three chunks for the first page (six sources) and one for the second.
    assert len(source_queries) >= 4 * 4
    assert all("LIMIT" in str(statement) for statement in source_queries)


async def test_chinese_text_survives_every_export(client: httpx.AsyncClient, seed: Seed) -> None:
    await _five_sourced(seed)
    raw = (await client.get("/v1/actors/baidu/timeline.csv")).content
    assert ZH_EVIDENCE.encode() in raw  # UTF-8 after the BOM, not escaped or transcoded
    offer = _csv(await client.get("/v1/actors/baidu/timeline.csv"))[1]
    assert offer["evidence"].split("\n")[0] == ZH_EVIDENCE
    assert offer["source_titles"].split("\n")[0] == ZH_TITLE
    assert offer["source_outlets"].split("\n")[0] == ZH_OUTLET

    vevent = (await _vevents(client, "baidu"))[1]
    assert ZH_EVIDENCE in str(vevent["DESCRIPTION"])
    assert f"{ZH_TITLE}, {ZH_OUTLET}, zh, 2024-09-03" in str(vevent["DESCRIPTION"])

    timelinejs = await client.get("/v1/actors/baidu/timeline.timelinejs.json")
    assert ZH_EVIDENCE.encode() in timelinejs.content  # ensure_ascii=False: readable as is
    slide = _slide_text(timelinejs.json()["events"][1])
    assert f'<blockquote lang="zh">{ZH_EVIDENCE}</blockquote>' in slide
    assert f">{ZH_TITLE}</a>, {ZH_OUTLET}, zh, 2024-09-03" in slide


AMOUNTS = [
    ((5e7, "tokens"), "50 million tokens"),
    ((40.0, "percent"), "40 %"),
    ((2e8, "EUR"), "€200 million"),
    ((1.5e9, "USD"), "$1.5 billion"),
    ((12500.0, "credits"), "12,500 credits"),
    ((999_999_999.0, "CNY"), "¥1 billion"),
]


@pytest.mark.parametrize(("quantity", "text"), AMOUNTS)
def test_an_amount_reads_as_a_person_writes_it(quantity: tuple[float, str], text: str) -> None:
    assert amount_text(QuantityPublic(value=quantity[0], unit=quantity[1])) == text


def test_numbers_never_take_an_exponent() -> None:
    assert [number_text(v) for v in (2.75, 0.0005, -3e6, 1e21)] == [
        "2.75", "0.0005", "-3 million", "1,000,000,000 trillion"]
    assert [plain_number(v) for v in (5e7, -5.0, 1e21, 1e-7, 0.9)] == [
        "50000000.0", "-5.0", "1000000000000000000000.0", "0.0000001", "0.9"]


async def test_amounts_read_the_same_in_every_export(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    events = [event("acme", "offer", D(2024, 9, 1 + i), quantity=q)
              for i, (q, _) in enumerate(AMOUNTS)]
    await seed(article(*events, url="https://example.com/amounts"))
    texts = [text for _, text in AMOUNTS]

    rows = _csv(await client.get("/v1/actors/acme/timeline.csv"))
    assert [r["amount"] for r in rows] == texts
    assert [r["source_amounts"] for r in rows] == texts  # what the one source said
    assert all("e+" not in r["quantity_value"] for r in rows)
    assert rows[0]["quantity_value"] == "50000000.0"

    slides = await _slides(client, "acme")
    assert [s["text"]["headline"] for s in slides] == [  # type: ignore[index]
        f"offer: {t}" for t in texts]
    vevents = await _vevents(client, "acme")
    assert [str(v["SUMMARY"]).split(" — ")[0] for v in vevents] == [f"offer: {t}"
                                                                    for t in texts]
    assert all(f"Amount: {t}" in str(v["DESCRIPTION"]) for v, t in zip(vevents, texts,
                                                                          strict=True))


async def test_a_source_giving_another_amount_says_so(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    for value, confidence in ((5e7, 0.9), (4e7, 0.6)):
        await seed(article(event("acme", "offer", D(2024, 9, 1), quantity=(value, "tokens"),
                                 confidence=confidence, evidence=f"Acme offers {value}.")))
    row = _csv(await client.get("/v1/actors/acme/timeline.csv"))[0]
    assert row["amount"] == "50 million tokens"
    assert row["source_amounts"] == "50 million tokens\n40 million tokens"
    description = str((await _vevents(client, "acme"))[0]["DESCRIPTION"])
    slide = _slide_text((await _slides(client, "acme"))[0])
    for text in (description, slide):  # only the source that disagrees
        assert text.count("says ") == 1 and "says 40 million tokens" in text


async def test_each_sources_date_and_product_and_what_they_disagree_on_are_exported(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    first = event("acme", "offer", D(2024, 9, 1), product="ERNIE 3.5", evidence="Acme: ERNIE.")
    other = event("acme", "offer", D(2024, 9, 1), product="ERNIE 4.0", confidence=0.6,
                  evidence="Acme offers ERNIE 4.0.")  # an offer's product is not in its key
    await seed(article(first))
    await seed(article(other.model_copy(update={"event_id": first.event_id,
                                                "merge_key": first.merge_key})))
    (row,) = _csv(await client.get("/v1/actors/acme/timeline.csv"))
    assert row["disagreements"] == "product"
    assert row["source_products"] == "ERNIE 3.5\nERNIE 4.0"
    assert row["source_dates"] == "2024-09-01\n2024-09-01"
    description = str((await _vevents(client, "acme"))[0]["DESCRIPTION"])
    assert description.count("names ") == 1 and "names ERNIE 4.0" in description


async def test_dates_keep_their_precision_and_how_they_are_known(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(
        event("acme", "policy", D(2024, 8, 1), "month", basis="inferred"),
        event("acme", "announcement", D(2025, 1, 1), "year"),
        event("acme", "partnership", D(2025, 3, 3), basis="received"),
        url="https://example.com/dates",
    ))
    rows = _csv(await client.get("/v1/actors/acme/timeline.csv"))
    assert [(r["date"], r["date_precision"], r["date_basis"]) for r in rows] == [
        ("2024-08", "month", "inferred"), ("2025", "year", "stated"),
        ("2025-03-03", "day", "received")]
    descriptions = [str(v["DESCRIPTION"]) for v in await _vevents(client, "acme")]
    assert "Date: Aug 2024 (inferred)" in descriptions[0]
    assert "Date: 2025" in descriptions[1]
    assert "Date: undated (received 3 Mar 2025)" in descriptions[2]
    slides = [_slide_text(s) for s in await _slides(client, "acme")]
    assert "Aug 2024 (inferred)" in slides[0] and "undated" in slides[2]


HOSTILE = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
           " javascript:alert(1)", "https://ok.example/x\" onmouseover=\"alert(1)"]


async def test_a_javascript_url_never_appears_in_any_export(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    # The hostile sources are the more confident ones: the safe link still leads.
    for i, url in enumerate(HOSTILE):
        await seed(article(event("acme", "offer", D(2024, 9, 1), confidence=0.95,
                                 evidence=f"Acme offers credits, source {i}."),
                           url=url))
    await seed(article(event("acme", "offer", D(2024, 9, 1), confidence=0.5,
                             evidence="Acme offers credits."), url="https://ok.example/a"))

    for ext in ("csv", "json", "timelinejs.json", "ics"):
        body = (await client.get(f"/v1/actors/acme/timeline.{ext}")).content
        unfolded = body.replace(b"\r\n ", b"").lower()
        assert b"javascript:alert" not in unfolded, ext
        assert b"onmouseover" not in unfolded, ext
    row = _csv(await client.get("/v1/actors/acme/timeline.csv"))[0]
    assert row["sources"].split("\n") == ["", "", "", "", "https://ok.example/a"]
    vevent = (await _vevents(client, "acme"))[0]
    assert str(vevent["URL"]) == "https://ok.example/a"
    slide = json.dumps((await _slides(client, "acme"))[0])
    assert slide.count("href=") == 1
