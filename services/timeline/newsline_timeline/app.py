"""The timeline consumer: stream batches in, one transaction each, XACK after commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence

from faststream import AckPolicy, FastStream
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_contracts import ArticleParsed, StreamNames
from newsline_db import make_engine, safe_url
from newsline_streams import ensure_group
from newsline_timeline.dead_letters import (
    dead_letter_middleware,
    parking_decoder,
    readable_batch,
)
from newsline_timeline.delivery import Delivery, dead_letter_fields, failure_kind
from newsline_timeline.observability import ConsumerMetrics, observability_app, serve
from newsline_timeline.retention import forget_idle_consumers, trim_acknowledged
from newsline_timeline.settings import TimelineSettings
from newsline_timeline.store import persist_batch

log = logging.getLogger("newsline.timeline")


def create_delivery(settings: TimelineSettings, engine: AsyncEngine, redis: Redis,
                    metrics: ConsumerMetrics) -> Delivery:
    """Batches into the database: one transaction each, outages waited out."""
    names = StreamNames(settings.stream_prefix)

    async def store(batch: Sequence[ArticleParsed]) -> None:
        started = time.perf_counter()
        try:
            async with engine.begin() as conn:
                added = await persist_batch(conn, batch)
        except Exception as exc:
            metrics.db_errors.labels(failure_kind(exc)).inc()
            raise
        metrics.batches.inc()
        metrics.batch_size.observe(len(batch))
        metrics.batch_seconds.observe(time.perf_counter() - started)
        log.info("stored %d article(s), %d new event source(s)", len(batch), added,
                 extra={"article_ids": [str(m.article_id) for m in batch]})

    async def dead_letter(message: ArticleParsed, entry_id: str, exc: BaseException,
                          attempts: int) -> None:
        fields = dead_letter_fields(message, entry_id, exc, attempts)
        await redis.xadd(names.dead_letters, dict(fields))  # type: ignore[arg-type]
        metrics.dead_letters.inc()

    url = make_url(settings.database_url)
    return Delivery(store, dead_letter, where=f"{url.host or 'localhost'}:{url.port or 5432}",
                    max_attempts=settings.max_deliveries)


def _entry_ids(msg: RedisStreamMessage) -> list[str]:
    ids = msg.raw_message.get("message_ids") or []
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


def create_broker(settings: TimelineSettings, delivery: Delivery) -> RedisBroker:
    """The broker with the batch subscriber, the reclaimer and dead-lettering."""
    names = StreamNames(settings.stream_prefix)
    # The middleware dead-letters what never reaches the handler (an entry that is not
    # an ArticleParsed); the handler isolates and dead-letters messages the store refuses.
    # FastStream's "Received"/"Processed" line per message goes to DEBUG: the consumer
    # logs one JSON line per stored batch with its article ids instead.
    broker = RedisBroker(
        settings.redis_url,
        middlewares=[dead_letter_middleware(names.dead_letters, settings.max_deliveries)],
        log_level=logging.DEBUG,
    )

    @broker.subscriber(
        stream=StreamSub(
            names.articles,
            group=names.timeline_group,
            consumer=settings.consumer_name,
            batch=True,
            max_records=settings.batch_size,
            polling_interval=1000,
        ),
        ack_policy=AckPolicy.MANUAL,
        # Entries that are no ArticleParsed are parked at once, the rest stored at once.
        parser=readable_batch,
        decoder=parking_decoder(names.dead_letters),
    )
    async def on_articles(batch: list[ArticleParsed], msg: RedisStreamMessage) -> None:
        ids = _entry_ids(msg)
        if not ids:
            return  # every entry was unreadable: parked and acknowledged already
        await delivery.deliver(batch, ids if len(ids) == len(batch) else ["?"] * len(batch))
        await msg.ack()  # only after the commit: a crash before it means redelivery

    # Entries left pending by a dead consumer or a failed batch come back one
    # by one once idle; after max_deliveries the middleware dead-letters them.
    @broker.subscriber(
        stream=StreamSub(
            names.articles,
            group=names.timeline_group,
            consumer=settings.consumer_name,
            min_idle_time=settings.reclaim_idle_ms,
            polling_interval=2000,
        ),
        ack_policy=AckPolicy.MANUAL,
    )
    async def on_reclaimed(article: ArticleParsed, msg: RedisStreamMessage) -> None:
        log.warning("reclaimed article %s", article.article_id,
                    extra={"article_id": str(article.article_id)})
        await delivery.deliver([article], _entry_ids(msg)[:1] or ["?"])
        await msg.ack()

    return broker


async def _trim_forever(settings: TimelineSettings) -> None:
    """Every trim interval, drop the entries every group has acknowledged.

    Each consumer runs it; trimming is idempotent, so several at once only repeat
    the same XTRIM. A failure (Redis away) is logged and retried next interval.
    """
    stream = StreamNames(settings.stream_prefix).articles
    group = StreamNames(settings.stream_prefix).timeline_group
    redis = Redis.from_url(settings.redis_url, socket_timeout=5.0)
    try:
        while True:
            await asyncio.sleep(settings.trim_interval_ms / 1000)
            try:
                removed = await trim_acknowledged(redis, stream)
            except Exception as exc:
                log.warning("stream trim skipped: %s", exc)
                continue
            if removed:
                log.debug("trimmed %d acknowledged entries from %s", removed, stream)
            with contextlib.suppress(Exception):
                gone = await forget_idle_consumers(
                    redis, stream, group, 10 * settings.reclaim_idle_ms, settings.consumer_name)
                if gone:
                    log.info("removed %d idle consumer(s) with nothing pending from the group: %s",
                             len(gone), ", ".join(gone))
    finally:
        await redis.aclose()


def create_app(settings: TimelineSettings | None = None) -> FastStream:
    """Build the consumer application (`python -m newsline_timeline` runs it)."""
    settings = settings or TimelineSettings()
    engine = make_engine(settings.database_url, pool_size=2)
    redis = Redis.from_url(settings.redis_url, socket_timeout=5.0)
    metrics = ConsumerMetrics()
    delivery = create_delivery(settings, engine, redis, metrics)
    app = FastStream(create_broker(settings, delivery))

    @app.on_startup
    async def group_from_the_start() -> None:
        redis = Redis.from_url(settings.redis_url)
        try:
            await ensure_group(redis, settings.stream_names)
        finally:
            await redis.aclose()

    @app.after_startup
    async def announce() -> None:
        log.info(
            "timeline consumer %s reading %s into %s",
            settings.consumer_name,
            StreamNames(settings.stream_prefix).articles,
            safe_url(settings.database_url),
        )

    trimmer: list[asyncio.Task[None]] = []

    @app.after_startup
    async def start_trimming() -> None:
        if settings.stream_retention == "acked":
            trimmer.append(asyncio.create_task(_trim_forever(settings)))
        if settings.metrics_port:
            port = observability_app(metrics, delivery.health, redis,
                                     StreamNames(settings.stream_prefix))
            trimmer.append(asyncio.create_task(
                serve(port, settings.metrics_host, settings.metrics_port)))
            log.info("metrics and readiness on http://%s:%d/metrics",
                     settings.metrics_host, settings.metrics_port)

    @app.on_shutdown
    async def stop_trimming() -> None:
        for task in trimmer:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @app.after_shutdown
    async def close() -> None:
        await engine.dispose()
        await redis.aclose()

    return app
