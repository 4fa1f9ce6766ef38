"""Hostile and malformed requests get a JSON 4xx naming what is wrong, never a 500."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from newsline_api.cursor import TimelineKey, encode_cursor
from tests.integration.api.conftest import Seed
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date


@pytest.fixture
async def seeded(seed: Seed) -> None:
    await seed(article(event("openai", "access_block", D(2024, 7, 9)), source="Example"))


def _json_error(resp: httpx.Response, status: int) -> dict[str, object]:
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["content-type"].startswith("application/json")
    body: dict[str, object] = resp.json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str)
    return body


@pytest.mark.parametrize("path", [
    "/v1/actors?q=%00",
    "/v1/actors?q=a%01b",
    "/v1/actors/a%00b/timeline",
    "/v1/actors/a%00b/timeline.csv",
    "/v1/actors/a%00b/timeline.ics",
    "/v1/timeline?actor=%00",
    "/v1/timeline?actor=openai&actor=x%00",
    "/v1/actors/openai/timeline?source=%00",
    "/v1/actors/openai/timeline?language=%00",
    "/v1/actors/openai/timeline.csv?source=%00",
    "/v1/actors/openai/timeline.json?language=%00",
    "/v1/timeline?actor=openai&source=Ex%00ample",
])
async def test_a_nul_or_control_character_in_a_parameter_is_a_422(
    client: httpx.AsyncClient, seeded: None, path: str
) -> None:
    body = _json_error(await client.get(path), 422)
    assert body["error"] == "validation_error"
    assert "control character" in str(body["message"])


@pytest.mark.parametrize("rank", [2**15, 2**15 + 1, 2**31, 2**63 - 1])
async def test_a_cursor_whose_rank_overflows_a_smallint_is_a_400(
    client: httpx.AsyncClient, seeded: None, rank: int
) -> None:
    cursor = encode_cursor(TimelineKey(D(2024, 1, 1), rank, 1, uuid.uuid4()))
    for path in ("/v1/actors/openai/timeline", "/v1/actors/openai/timeline.csv",
                 "/v1/timeline?actor=openai&type=offer"):
        body = _json_error(await client.get(path, params={"cursor": cursor}), 400)
        assert body["error"] == "invalid_cursor"


@pytest.mark.parametrize(
    "value", ["0", "1720483200", "2024-07-09T00:00:00", "20240709", "7/9/2024"]
)
async def test_dates_are_iso_calendar_dates_only(
    client: httpx.AsyncClient, seeded: None, value: str
) -> None:
    for name in ("from", "to"):
        body = _json_error(
            await client.get("/v1/actors/openai/timeline", params={name: value}), 422
        )
        assert f"'{name}'" in str(body["message"])
        assert "YYYY-MM-DD" in str(body["message"])


async def test_extreme_but_valid_iso_dates_are_accepted(
    client: httpx.AsyncClient, seeded: None
) -> None:
    resp = await client.get(
        "/v1/actors/openai/timeline", params={"from": "0001-01-01", "to": "9999-12-31"}
    )
    assert resp.status_code == 200, resp.text
    assert len(resp.json()["data"]) == 1


async def test_an_export_whose_filter_is_refused_answers_the_error_before_any_byte(
    client: httpx.AsyncClient, seeded: None
) -> None:
    for ext in ("csv", "json", "timelinejs.json", "ics"):
        resp = await client.get(f"/v1/actors/openai/timeline.{ext}", params={"source": "\x00"})
        _json_error(resp, 422)
        cursor = encode_cursor(TimelineKey(D(2024, 1, 1), 40000, 1, uuid.uuid4()))
        _json_error(await client.get(f"/v1/actors/openai/timeline.{ext}",
                                     params={"cursor": cursor}), 400)


async def test_an_export_whose_first_page_fails_is_a_json_error_not_a_cut_off_200(
    client: httpx.AsyncClient, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever makes the first page's query fail (here: a statement PostgreSQL refuses)
    # must surface before the 200 and the first line are sent.
    from newsline_api.exports import routes as exports

    async def failing(*args: object, **kwargs: object) -> object:
        raise ValueError("boom")

    monkeypatch.setattr(exports, "timeline_rows", failing)
    for ext in ("csv", "json", "timelinejs.json", "ics"):
        resp = await client.get(f"/v1/actors/openai/timeline.{ext}")
        _json_error(resp, 500)


async def test_head_answers_every_get_route_without_a_body(
    client: httpx.AsyncClient, seeded: None
) -> None:
    paths = [
        "/v1/actors", "/v1/actors/openai/timeline", "/v1/actors/openai/timeline.csv",
        "/v1/actors/openai/timeline.ics", "/v1/timeline?actor=openai", "/v1/changes",
        "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc", "/",
    ]
    for path in paths:
        got, head = await client.get(path), await client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        if "etag" in got.headers:
            assert head.headers["etag"] == got.headers["etag"], path
    missing = await client.head("/v1/actors/nobody/timeline")
    assert missing.status_code == 404 and missing.content == b""


async def test_head_on_the_event_stream_answers_at_once(
    client: httpx.AsyncClient, seeded: None
) -> None:
    resp = await asyncio.wait_for(client.head("/v1/stream"), 5)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert resp.content == b""


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/v1/actors", {"GET", "HEAD"}),
    ("PUT", "/v1/actors/openai/timeline", {"GET", "HEAD"}),
    ("POST", "/v1/events/00000000-0000-0000-0000-000000000000", {"GET", "HEAD", "DELETE"}),
    ("PATCH", "/v1/events/00000000-0000-0000-0000-000000000000", {"GET", "HEAD", "DELETE"}),
    ("DELETE", "/v1/changes", {"GET", "HEAD"}),
    ("POST", "/static/app.js", {"GET", "HEAD"}),
])
async def test_a_wrong_method_is_a_405_listing_every_allowed_one(
    client: httpx.AsyncClient, method: str, path: str, allowed: set[str]
) -> None:
    resp = await client.request(method, path)
    body = _json_error(resp, 405)
    assert {m.strip() for m in resp.headers["allow"].split(",")} == allowed
    assert body["error"] == "method_not_allowed"
    assert method in str(body["message"])


async def test_a_raw_non_ascii_byte_in_the_query_gets_the_json_error(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    # What reaches the app from an ASGI server or proxy that passes the bytes on (httpx
    # itself cannot send them): the scope, called directly.
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/v1/actors", "raw_path": b"/v1/actors",
        "query_string": "q=百度".encode(), "root_path": "", "headers": [(b"host", b"t")],
        "server": ("t", 80), "client": ("127.0.0.1", 1), "app": app,
    }
    await app(scope, receive, send)
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    assert start["status"] == 400
    assert (b"content-type", b"application/json") in start["headers"]
    error = json.loads(body)
    assert error["error"] == "bad_request"
    assert "percent-encode" in error["message"]


async def _raw_request(url: str, target: bytes) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


async def test_the_server_answers_a_raw_utf8_request_line_with_the_json_error(
    live_url: str
) -> None:
    # uvicorn refuses such a request line before the app sees it: its protocol answers.
    for target in ("/v1/actors?q=百度".encode(), b"/v1/actors?q=\xff",
                   "/v1/actors/百度/timeline".encode()):
        status, headers, body = await _raw_request(live_url, target)
        assert status == 400
        assert headers["content-type"] == "application/json"
        error = json.loads(body)
        assert error["error"] == "bad_request"
        assert "percent-encode" in error["message"]
        assert headers["x-content-type-options"] == "nosniff"


async def test_head_on_a_real_server_keeps_the_connection_usable(
    live_url: str, seed: Seed
) -> None:
    # A streamed answer to HEAD must not be framed as chunks: the next request on the
    # same keep-alive connection would read the terminator as its status line.
    await seed(article(event("openai")))
    async with httpx.AsyncClient(base_url=live_url, timeout=5) as client:
        for path in ("/v1/stream", "/v1/actors/openai/timeline.csv", "/v1/actors", "/"):
            for _ in range(2):
                head = await client.head(path)
                assert head.status_code == 200, path
                assert "transfer-encoding" not in head.headers, path
        assert (await client.get("/v1/actors")).status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢٣", "1e3", " 1", "+1"])
async def test_a_change_cursor_is_ascii_digits_only(
    client: httpx.AsyncClient, value: str
) -> None:
    # '²'.isdigit() is True in Python, and int('²') raises: a 500 until checked.
    body = _json_error(await client.get("/v1/changes", params={"after": value}), 400)
    assert body["error"] == "invalid_cursor"
    stream = await client.get("/v1/stream", headers={"Last-Event-ID": "\xb2".encode("latin-1")})
    _json_error(stream, 400)
