"""The three services together: each `/metrics` parses and moves after a post, and one
article id field follows the article through the three services' JSON logs.

Ingest and the api run in-process on the real Redis and PostgreSQL; the consumer is a
process of its own with its metrics port open, as `newsline up` runs it.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_api.app import create_app as create_api
from newsline_api.settings import ApiSettings
from newsline_contracts.logs import formatter
from newsline_ingest.app import create_app as create_ingest
from newsline_ingest.pool import ExtractionPool
from newsline_ingest.settings import IngestSettings
from tests.support.newsline_up import free_port
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

ARTICLE = {"title": "Northwind cuts prices", "language": "en",
           "text": "Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices by 30%."}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@dataclass
class Stack:
    """Ingest and api clients, the consumer's metrics URL, and what each service logged."""

    ingest: httpx.AsyncClient
    api: httpx.AsyncClient
    consumer_metrics: str
    logs: dict[str, list[dict[str, object]]]


class _Lines(io.TextIOBase):
    """A stream that keeps each JSON line written to it."""

    def __init__(self, into: list[dict[str, object]]) -> None:
        self.into = into

    def write(self, text: str) -> int:
        self.into.extend(json.loads(line) for line in text.splitlines() if line.strip())
        return len(text)


@contextlib.contextmanager
def _json_lines(service: str, logger: str, into: list[dict[str, object]]) -> Iterator[None]:
    """Catch what `logger` writes, in the format `service` writes it to stderr."""
    handler = logging.StreamHandler(_Lines(into))
    handler.setFormatter(formatter(service))
    target = logging.getLogger(logger)
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    try:
        yield
    finally:
        target.removeHandler(handler)
        target.setLevel(level)


def _consumer(database_url: str, redis_url: str, prefix: str, port: int,
              into: list[dict[str, object]]) -> subprocess.Popen[str]:
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url,
                        "NEWSLINE_STREAM_PREFIX": prefix, "NEWSLINE_METRICS_PORT": str(port),
                        "NEWSLINE_CONSUMER_NAME": f"test-{uuid.uuid4().hex[:6]}",
                        "NEWSLINE_LOG_FORMAT": "json"}
    proc = subprocess.Popen([sys.executable, "-m", "newsline_timeline"], env=env,
                            stderr=subprocess.PIPE, text=True)

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            with contextlib.suppress(ValueError):
                into.append(json.loads(line))

    threading.Thread(target=read, daemon=True).start()
    return proc


@pytest.fixture
async def stack(clean_db: AsyncEngine, database_url: str, redis_url: str,
                stream_prefix: str, pool: ExtractionPool) -> AsyncIterator[Stack]:
    logs: dict[str, list[dict[str, object]]] = {"ingest": [], "timeline": [], "api": []}
    port = free_port()
    consumer = _consumer(database_url, redis_url, stream_prefix, port, logs["timeline"])
    ingest = create_ingest(IngestSettings(redis_url=redis_url, stream_prefix=stream_prefix),
                           pool=pool)
    api = create_api(ApiSettings(database_url=database_url, etag_poll_ms=0))
    try:
        async with (
            ingest.router.lifespan_context(ingest), api.router.lifespan_context(api),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=ingest),
                              base_url="http://ingest") as ingest_client,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=api),
                              base_url="http://api") as api_client,
        ):
            with (_json_lines("ingest", "newsline.ingest", logs["ingest"]),
                  _json_lines("api", "newsline.api", logs["api"])):
                stack = Stack(ingest_client, api_client, f"http://127.0.0.1:{port}/metrics",
                              logs)
                await eventually(lambda: _scrape_url(stack.consumer_metrics),
                                 lambda s: s is not None, timeout=60)
                yield stack
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)


def _samples(text: str) -> tuple[set[str], Samples]:
    """The metric families of a scrape, and every sample's value by name and labels."""
    families = list(text_string_to_metric_families(text))
    values = {(s.name, tuple(sorted(s.labels.items()))): s.value
              for f in families for s in f.samples}
    return {f.name for f in families}, values


async def _scrape_url(url: str) -> tuple[set[str], Samples] | None:
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            resp = await client.get(url)
    except httpx.HTTPError:
        return None
    return _samples(resp.text) if resp.status_code == 200 else None


async def _scrape(client: httpx.AsyncClient) -> tuple[set[str], Samples]:
    resp = await client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    return _samples(resp.text)


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_each_service_exports_its_metrics_and_they_move_after_a_post(
    stack: Stack,
) -> None:
    _, ingest_before = await _scrape(stack.ingest)
    _, api_before = await _scrape(stack.api)

    accepted = await stack.ingest.post("/v1/articles", json=ARTICLE)
    assert accepted.status_code == 202, accepted.text
    assert (await stack.ingest.post("/v1/articles", json=ARTICLE)).status_code == 200
    assert (await stack.ingest.post("/v1/articles", json={"title": "no text"})).status_code == 422
    slug = accepted.json()["events"][0]["actors"][0]["slug"]
    try:
        await eventually(lambda: _scrape_url(stack.consumer_metrics),
                         lambda s: s is not None
                         and _value(s[1], "newsline_timeline_batch_size_sum") >= 1, timeout=60)
    except AssertionError:
        raise AssertionError(f"nothing stored; the consumer said {stack.logs['timeline'][-20:]}"
                             ) from None
    assert (await stack.api.get(f"/v1/actors/{slug}/timeline")).status_code == 200

    families, ingest_after = await _scrape(stack.ingest)
    assert {"newsline_ingest_articles_accepted", "newsline_ingest_articles_duplicate",
            "newsline_ingest_requests_rejected", "newsline_ingest_extraction_seconds",
            "newsline_ingest_extractions_in_flight", "newsline_ingest_extractions_queued",
            "newsline_ingest_extract_workers"} <= families

    def moved(name: str, **labels: str) -> float:
        return _value(ingest_after, name, **labels) - _value(ingest_before, name, **labels)

    assert moved("newsline_ingest_articles_accepted_total") == 1
    assert moved("newsline_ingest_articles_duplicate_total") == 1
    assert moved("newsline_ingest_requests_rejected_total", status="422",
                 reason="validation_error") == 1
    assert moved("newsline_ingest_extraction_seconds_count", outcome="ok") == 2
    assert _value(ingest_after, "newsline_ingest_extract_workers") == 1

    scraped = await _scrape_url(stack.consumer_metrics)
    assert scraped is not None
    families, consumer = scraped
    assert {"newsline_timeline_batches", "newsline_timeline_batch_size",
            "newsline_timeline_batch_seconds", "newsline_timeline_stream_lag",
            "newsline_timeline_pending", "newsline_timeline_dead_letters",
            "newsline_timeline_dead_letter_stream_length", "newsline_timeline_db_errors",
            "newsline_timeline_ready"} <= families
    assert _value(consumer, "newsline_timeline_batch_size_sum") == 1
    assert _value(consumer, "newsline_timeline_batch_seconds_count") >= 1
    assert _value(consumer, "newsline_timeline_ready") == 1

    families, api_after = await _scrape(stack.api)
    assert {"newsline_api_requests", "newsline_api_requests_seconds"} <= families
    route = {"method": "GET", "route": "/v1/actors/{slug}/timeline", "status": "200"}
    for name in ("newsline_api_requests_total", "newsline_api_requests_seconds_count"):
        assert _value(api_after, name, **route) - _value(api_before, name, **route) == 1


def _naming(lines: list[dict[str, object]], article_id: str) -> list[dict[str, object]]:
    return [line for line in lines
            if isinstance(ids := line.get("article_ids"), list) and article_id in ids]


async def test_one_article_id_field_follows_an_article_through_the_three_logs(
    stack: Stack,
) -> None:
    posted = await stack.ingest.post("/v1/articles", json=ARTICLE)
    assert posted.status_code == 202, posted.text
    article_id = posted.json()["article_id"]
    event_id = posted.json()["events"][0]["id"]
    await eventually(lambda: stack.api.get(f"/v1/events/{event_id}"),
                     lambda r: r.status_code == 200, timeout=60)
    assert (await stack.api.delete(f"/v1/events/{event_id}")).status_code == 204

    [ingested] = _naming(stack.logs["ingest"], article_id)
    assert ingested["service"] == "ingest" and "accepted" in str(ingested["message"])
    stored = await eventually(lambda: _async(_naming(stack.logs["timeline"], article_id)),
                              bool, timeout=30)
    assert stored[0]["service"] == "timeline" and "stored" in str(stored[0]["message"])
    [removed] = _naming(stack.logs["api"], article_id)
    assert removed["service"] == "api" and removed["event_id"] == event_id
    # The api's access log is JSON lines too: the DELETE is one of them.
    [deleted] = [line for line in stack.logs["api"]
                 if line.get("logger") == "newsline.api.access" and line["method"] == "DELETE"]
    assert deleted["status"] == 204 and deleted["route"] == "/v1/events/{event_id}"
    assert deleted["path"] == f"/v1/events/{event_id}" and deleted["service"] == "api"


async def _async(value: list[dict[str, object]]) -> list[dict[str, object]]:
    return value
