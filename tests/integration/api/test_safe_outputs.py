"""What the api sends is inert wherever it lands: spreadsheets, calendars, browsers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import icalendar
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_read_model import EventPublic
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date
HOSTILE_URLS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "=HYPERLINK(\"http://evil\")", "vbscript:x", " https://spaced.example"]


async def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    formulas = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                "\tcmd", "\rcmd"]
    for i, text in enumerate(formulas):
        await seed(article(
            event("openai", "offer", D(2024, 7, 1 + i), evidence=text, product=text,
                  quantity=(-5.0, text)),
        ))
    rows = list(csv.DictReader(io.StringIO((await client.get(
        "/v1/actors/openai/timeline.csv")).text, newline="")))
    assert len(rows) == len(formulas)
    for row, text in zip(rows, formulas, strict=True):
        for column in ("summary", "product", "quantity_unit"):
            assert row[column] == "'" + text, (column, row[column])
        assert row["quantity_value"] == "-5.0"  # a number stays a number


async def test_exports_carry_only_http_links(client: httpx.AsyncClient, seed: Seed) -> None:
    for i, url in enumerate(HOSTILE_URLS):
        await seed(article(event("openai", "offer", D(2024, 7, 1 + i)), url=url,
                           title="<b>t</b>"))
    await seed(article(event("openai", "policy", D(2024, 8, 1)), url="https://ok.example/a"))

    rows = list(csv.DictReader(io.StringIO((await client.get(
        "/v1/actors/openai/timeline.csv")).text, newline="")))
    assert [r["sources"] for r in rows] == [""] * len(HOSTILE_URLS) + ["https://ok.example/a"]

    ics = (await client.get("/v1/actors/openai/timeline.ics")).content
    unfolded = ics.replace(b"\r\n ", b"")
    for needle in (b"javascript:", b"data:", b"HYPERLINK", b"vbscript:", b"spaced.example"):
        assert needle not in unfolded, needle
    vevents = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert [str(v.get("URL", "")) for v in vevents] == [""] * 5 + ["https://ok.example/a"]

    slides = (await client.get("/v1/actors/openai/timeline.timelinejs.json")).json()["events"]
    for slide in slides[:-1]:
        assert "href" not in slide["text"]["text"]
    assert 'href="https://ok.example/a"' in slides[-1]["text"]["text"]

    exported = (await client.get("/v1/actors/openai/timeline.json")).json()["events"]
    assert [e["sources"][0]["url"] for e in exported] == [None] * 5 + ["https://ok.example/a"]


async def _store_infinite_dates(engine: AsyncEngine) -> None:
    # What an older ingest let through: PostgreSQL keeps 'infinity' and '-infinity'.
    async with engine.begin() as conn:
        for table in ("events", "event_actors", "event_sources"):
            await conn.execute(sa.text(
                f"UPDATE {table} SET date = CASE WHEN date > '2025-01-01' "
                "THEN 'infinity'::date ELSE '-infinity'::date END"
            ))
        await conn.execute(sa.text(
            "UPDATE actor_stats SET latest_event_date = 'infinity'::date"))


async def test_an_event_dated_infinity_keeps_the_schema_and_every_export(
    client: httpx.AsyncClient, seed: Seed, clean_db: AsyncEngine
) -> None:
    far = event("openai", "access_block", D(9999, 12, 31), others=("baidu",))
    old = event("openai", "offer", D(1, 1, 1))
    answer = event("baidu", "offer", D(9999, 12, 31), others=("openai",))
    normal = event("openai", "policy", D(2024, 7, 9))
    await seed(article(far, old, answer, normal, url="https://example.com/a"))
    await _store_infinite_dates(clean_db)

    page = await client.get("/v1/actors/openai/timeline")
    assert page.status_code == 200, page.text
    assert "infinity" not in page.text
    events = [EventPublic.model_validate(e) for e in page.json()["data"]]
    assert len(events) == 4
    assert page.json()["actor"]["latest_event_date"] in (None, "9999-12-31")
    actors = await client.get("/v1/actors")
    assert actors.status_code == 200 and "infinity" not in actors.text

    one = await client.get(f"/v1/events/{far.event_id}")
    assert one.status_code == 200 and "infinity" not in one.text
    responses = await client.get(f"/v1/events/{far.event_id}/responses",
                                 params={"window_days": 366})
    assert responses.status_code == 200, responses.text

    for ext in ("csv", "json", "timelinejs.json", "ics"):
        resp = await client.get(f"/v1/actors/openai/timeline.{ext}")
        assert resp.status_code == 200, (ext, resp.text)
        assert "infinity" not in resp.text, ext
    calendar = icalendar.Calendar.from_ical((await client.get(
        "/v1/actors/openai/timeline.ics")).content)
    assert len(calendar.walk("VEVENT")) == 4
    second = await client.get("/v1/actors/openai/timeline", params={"limit": 2})
    walked = await client.get("/v1/actors/openai/timeline",
                              params={"limit": 2, "cursor": second.json()["next_cursor"]})
    assert walked.status_code == 200 and len(walked.json()["data"]) == 2


SECURITY_HEADERS = ("x-content-type-options", "content-security-policy", "referrer-policy")


async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, seed: Seed
) -> None:
    await seed(article(event("openai")))
    paths = ["/", "/static/app.js", "/static/nope.js", "/docs", "/redoc", "/openapi.json",
             "/v1/actors", "/v1/actors/openai/timeline", "/v1/actors/openai/timeline.csv",
             "/v1/actors/nobody/timeline", "/v1/actors?limit=0", "/healthz", "/metrics",
             "/nothing-here"]
    for path in paths:
        resp = await client.get(path)
        assert resp.headers.get("x-content-type-options") == "nosniff", path
        assert resp.headers.get("referrer-policy") == "no-referrer", path
        csp = resp.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, path
        assert "http:" not in csp and "https:" not in csp and "*" not in csp, (path, csp)
    api = (await client.get("/v1/actors")).headers["content-security-policy"]
    assert api.startswith("default-src 'none'")
    dashboard = (await client.get("/")).headers["content-security-policy"]
    assert "script-src 'self'" in dashboard and "unsafe-inline" not in dashboard.split(
        "script-src")[1].split(";")[0]


async def test_the_docs_load_every_asset_from_this_origin(client: httpx.AsyncClient) -> None:
    import re

    for page in ("/docs", "/redoc"):
        html = (await client.get(page)).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets, page
        assert "<script>" not in html and "onload" not in html  # no inline script
        for asset in assets:
            assert asset.startswith("/"), (page, asset)
            resp = await client.get(asset)
            assert resp.status_code == 200, asset
            assert resp.headers["x-content-type-options"] == "nosniff"
        csp = (await client.get(page)).headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
