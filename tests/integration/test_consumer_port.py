"""The consumer's own port on real servers: Prometheus metrics, and readiness that says why."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.test_delivery import _articles, _consumer, _publish, _stored
from tests.support.newsline_up import free_port
from tests.support.proxy import proxied_database
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def _get(url: str) -> httpx.Response | None:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            return await client.get(url)
    except httpx.HTTPError:
        return None


async def test_metrics_parse_and_readiness_names_an_unreachable_database(
    clean_db: AsyncEngine, database_url: str, redis_url: str, stream_prefix: str
) -> None:
    proxy, via_proxy = await proxied_database(database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    consumer = _consumer(via_proxy, redis_url, stream_prefix, NEWSLINE_METRICS_PORT=str(port))
    try:
        await eventually(lambda: _get(f"{base}/readyz"), lambda r: r is not None, timeout=30)
        await _publish(redis_url, stream_prefix, _articles(40))
        await eventually(lambda: _stored(clean_db), lambda s: s == (40, 40), timeout=60)
        text = (await _get(f"{base}/metrics")).text  # type: ignore[union-attr]
        families = {f.name: f for f in text_string_to_metric_families(text)}
        for name in ("newsline_timeline_batches", "newsline_timeline_batch_size",
                     "newsline_timeline_batch_seconds", "newsline_timeline_stream_lag",
                     "newsline_timeline_pending", "newsline_timeline_dead_letters",
                     "newsline_timeline_db_errors", "newsline_timeline_ready"):
            assert name in families, name
        stored = sum(s.value for s in families["newsline_timeline_batch_size"].samples
                     if s.name.endswith("_sum"))
        assert stored == 40
        assert (await _get(f"{base}/readyz")).status_code == 200  # type: ignore[union-attr]

        proxy.cut()
        await _publish(redis_url, stream_prefix, _articles(45)[40:])
        ready = await eventually(lambda: _get(f"{base}/readyz"),
                                 lambda r: r is not None and r.status_code == 503, timeout=30)
        assert f"database unreachable at 127.0.0.1:{proxy.port}" in ready.json()["reason"]
        proxy.restore()
        await eventually(lambda: _stored(clean_db), lambda s: s == (45, 45), timeout=60)
        await eventually(lambda: _get(f"{base}/readyz"),
                         lambda r: r is not None and r.status_code == 200, timeout=30)
    finally:
        consumer.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(consumer.wait, 30)
        await proxy.stop()
    assert code == 0, "SIGTERM must still stop the consumer cleanly with its port open"
