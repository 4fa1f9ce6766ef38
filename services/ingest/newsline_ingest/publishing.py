"""Publishing to the articles stream, and remembering what was already published."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from faststream.redis import RedisBroker
from faststream.redis.publisher.usecase import StreamPublisher
from redis.asyncio import Redis
from redis.exceptions import RedisError

from newsline_contracts import ArticleParsed, StreamNames
from newsline_ingest.durability import (
    DurabilityUnavailable,
    DurableAck,
    DurableAckMode,
    choose,
    probe,
    statement,
)
from newsline_streams import ensure_group

log = logging.getLogger("newsline.ingest")


class StreamUnavailable(Exception):
    """The stream could not take the message: nothing was accepted."""


@dataclass
class ArticlePublisher:
    """XADD through FastStream; a `seen` key per content hash marks what is in the stream.

    With a durable ack (durability.py) the `seen` key's SET and a WAITAOF go on one
    connection: WAITAOF covers that connection's writes, and the SET comes after the
    XADD, so once it is fsynced the entry is too (the AOF is written in order).
    """

    broker: RedisBroker
    publisher: StreamPublisher
    redis: Redis
    names: StreamNames
    seen_ttl_s: int
    durable_ack: DurableAckMode = "auto"
    fsync_timeout_ms: int = 2000
    group_ready: bool = False
    ack: DurableAck | None = None  # known once the server answered

    @classmethod
    def create(cls, redis_url: str, names: StreamNames, seen_ttl_s: int, *,
               durable_ack: DurableAckMode = "auto",
               fsync_timeout_ms: int = 2000) -> ArticlePublisher:
        """Build the broker, its stream publisher and a plain client for the `seen` keys."""
        # Short timeouts: a client waiting on a dead Redis should get its 503 fast.
        broker = RedisBroker(redis_url, socket_connect_timeout=2.0, socket_timeout=5.0)
        publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
        redis = Redis.from_url(redis_url, socket_connect_timeout=2.0, socket_timeout=5.0)
        return cls(broker, publisher, redis, names, seen_ttl_s, durable_ack, fsync_timeout_ms)

    async def already_published(self, content_hash: str) -> bool:
        """Whether this content already went into the stream."""
        try:
            return bool(await self.redis.exists(self.names.seen_key_prefix + content_hash))
        except (RedisError, OSError) as exc:
            raise StreamUnavailable(str(exc)) from exc

    async def publish(self, message: ArticleParsed) -> bytes:
        """XADD the message; return its entry id only once Redis has it."""
        try:
            if not self.group_ready:
                await ensure_group(self.redis, self.names)
                self.group_ready = True
            ack = self.ack or await self._learn_durability()
            entry_id: bytes = await self.publisher.publish(message)
            if not entry_id:
                raise StreamUnavailable("XADD returned no entry id")
            # Expiring: a repost after the TTL is published again, which the consumer's
            # idempotent upserts absorb; without it the keys would grow forever.
            key = self.names.seen_key_prefix + message.content_hash
            if ack.wait_for_fsync:
                await self._set_and_wait_for_fsync(key, entry_id)
            else:
                await self.redis.set(key, entry_id, ex=self.seen_ttl_s)
        except (RedisError, OSError) as exc:
            raise StreamUnavailable(str(exc)) from exc
        return entry_id

    async def _set_and_wait_for_fsync(self, key: str, entry_id: bytes) -> None:
        # One connection for both (WAITAOF covers only its own connection's writes), and
        # two round trips, not a pipeline: by the time WAITAOF arrives the SET is in the
        # AOF already, and Valkey answers at its next fsync, not at its next cron tick
        # (~100 ms later; bench/durability_bench.py measured both).
        async with self.redis.client() as conn:
            await conn.set(key, entry_id, ex=self.seen_ttl_s)
            fsynced_locally, _ = await conn.execute_command(  # type: ignore[no-untyped-call]
                "WAITAOF", 1, 0, self.fsync_timeout_ms)
        if int(fsynced_locally) < 1:
            # Not known to be on disk: no 202. Forget the `seen` key so the client's
            # retry publishes again (the consumer's upserts absorb a second copy).
            with contextlib.suppress(RedisError, OSError):
                await self.redis.delete(key)
            raise StreamUnavailable(
                f"the server did not fsync the entry within {self.fsync_timeout_ms} ms")

    async def _learn_durability(self) -> DurableAck:
        """Probe the server once, state what a 202 guarantees on it, and keep the rule."""
        try:
            ack = choose(self.durable_ack, await probe(self.redis))
        except DurabilityUnavailable as exc:
            raise StreamUnavailable(str(exc)) from exc
        (log.warning if ack.weak else log.info)(statement(self.durable_ack, ack))
        self.ack = ack
        return ack

    async def ping(self) -> None:
        """Raise StreamUnavailable unless Redis answers."""
        try:
            await self.redis.ping()
        except (RedisError, OSError) as exc:
            raise StreamUnavailable(str(exc)) from exc

    async def start(self) -> None:
        """Connect the broker and make sure the consumer group exists.

        Redis being down at startup is not fatal: /readyz says so, posts get 503,
        and the group is created on the first successful publish. What a 202
        guarantees is logged here, or at the first publish if Redis is down now; a
        guarantee the server cannot give (NEWSLINE_DURABLE_ACK=waitaof on Redis 7.0)
        stops ingest here with the reason.
        """
        await self.broker.connect()
        with contextlib.suppress(RedisError, OSError):
            await ensure_group(self.redis, self.names)
            self.group_ready = True
        try:
            await self._learn_durability()
        except (StreamUnavailable, RedisError, OSError) as exc:
            if isinstance(exc.__cause__, DurabilityUnavailable):
                raise SystemExit(f"newsline ingest: {exc}") from None
            log.warning("durable ack (NEWSLINE_DURABLE_ACK=%s): not known yet, redis is "
                        "unreachable (%s); stated at the first publish", self.durable_ack, exc)

    async def close(self) -> None:
        """Close both connections."""
        await self.broker.stop()
        await self.redis.aclose()
