"""Timeline exports: CSV, JSON, TimelineJS JSON and iCalendar, each read by a real parser."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import icalendar
import pytest

from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date
TRICKY = 'OpenAI blocks "API" access; China, HK & Macau <script>alert(1)</script>\nnext line'


@pytest.fixture
async def seeded(seed: Seed) -> list[str]:
    block = event("openai", "access_block", D(2024, 7, 9), others=("china",), evidence=TRICKY)
    month = event("openai", "policy", D(2024, 8, 1), "month",
                  evidence="OpenAI changes its policy in August. " + "长" * 80)
    offer = event("openai", "offer", D(2024, 9, 2), quantity=(5e7, "tokens"))
    await seed(article(block, month, offer, url="https://example.com/a", source="Example"))
    return [str(e.event_id) for e in (block, month, offer)]


def _csv(resp: httpx.Response) -> list[dict[str, str]]:
    text = resp.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _attachment(resp: httpx.Response, media: str, ext: str) -> None:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith(media)
    assert resp.headers["content-disposition"] == f'attachment; filename="openai-timeline.{ext}"'


async def test_csv_export(client: httpx.AsyncClient, seeded: list[str]) -> None:
    resp = await client.get("/v1/actors/openai/timeline.csv")
    _attachment(resp, "text/csv", "csv")
    assert "charset=utf-8" in resp.headers["content-type"]
    assert resp.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = _csv(resp)
    assert [r["id"] for r in rows] == seeded
    assert rows[0]["summary"] == TRICKY  # quotes, commas and the newline survive
    assert rows[0]["actors"] == "openai:subject;china:object"
    assert (rows[2]["quantity_value"], rows[2]["quantity_unit"]) == ("50000000.0", "tokens")
    assert rows[0]["sources"] == "https://example.com/a"
    assert rows[2]["amount"] == "50 million tokens"
    assert [r["date"] for r in rows] == ["2024-07-09", "2024-08", "2024-09-02"]  # precision
    assert rows[0]["evidence"] == TRICKY.replace("\n", " ")  # one line per source
    filtered = await client.get("/v1/actors/openai/timeline.csv", params={"type": "offer"})
    assert len(_csv(filtered)) == 1


async def test_json_export(client: httpx.AsyncClient, seeded: list[str]) -> None:
    resp = await client.get("/v1/actors/openai/timeline.json")
    _attachment(resp, "application/json", "json")
    body = resp.json()
    assert body["actor"]["slug"] == "openai"
    assert [e["id"] for e in body["events"]] == seeded
    assert body["events"][0]["sources"][0]["url"] == "https://example.com/a"


async def test_timelinejs_export(client: httpx.AsyncClient, seeded: list[str]) -> None:
    resp = await client.get("/v1/actors/openai/timeline.timelinejs.json")
    _attachment(resp, "application/json", "timelinejs.json")
    body = resp.json()
    assert set(body) == {"title", "events"}
    assert body["title"]["text"]["headline"] == "Openai"
    assert len(body["events"]) == 3
    for slide in body["events"]:  # what TimelineJS3 requires of every slide
        assert set(slide["start_date"]) >= {"year"}
        assert int(slide["start_date"]["year"]) == 2024
        assert set(slide["text"]) == {"headline", "text"}
        assert slide["group"]
    block, month, offer = body["events"]
    assert block["start_date"] == {"year": "2024", "month": "7", "day": "9"}
    assert month["start_date"] == {"year": "2024", "month": "8"}  # no invented day
    assert "<script>" not in block["text"]["text"]  # TimelineJS renders HTML: escaped
    assert "&lt;script&gt;" in block["text"]["text"]
    assert offer["text"]["headline"] == "offer: 50 million tokens"
    assert block["unique_id"] == seeded[0]


async def test_ics_export(client: httpx.AsyncClient, seeded: list[str]) -> None:
    resp = await client.get("/v1/actors/openai/timeline.ics")
    _attachment(resp, "text/calendar", "ics")
    raw = resp.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded, in octets
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    calendar = icalendar.Calendar.from_ical(raw)
    vevents = calendar.walk("VEVENT")
    assert [str(v["UID"]) for v in vevents] == [f"{i}@newsline" for i in seeded]
    assert [v.decoded("DTSTART") for v in vevents] == [D(2024, 7, 9), D(2024, 8, 1),
                                                        D(2024, 9, 2)]
    assert vevents[0]["DTSTART"].params["VALUE"] == "DATE"
    assert str(vevents[0]["SUMMARY"]) == "access block — " + TRICKY  # escaping round-trips
    assert str(vevents[1]["DESCRIPTION"]).startswith("OpenAI changes its policy")
    assert "长" * 80 in str(vevents[1]["DESCRIPTION"])  # folding never splits a character
    assert str(vevents[0]["URL"]) == "https://example.com/a"


async def test_exports_of_an_unknown_actor_are_404_json(client: httpx.AsyncClient) -> None:
    for ext in ("csv", "json", "timelinejs.json", "ics"):
        resp = await client.get(f"/v1/actors/nobody/timeline.{ext}")
        assert resp.status_code == 404
        assert resp.json()["error"] == "actor_not_found"
