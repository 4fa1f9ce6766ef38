"""Publishing to the articles stream, and remembering what was already published."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from faststream.redis import RedisBroker
from faststream.redis.publisher.usecase import StreamPublisher
from redis.asyncio import Redis
from redis.exceptions import RedisError

from newsline_contracts import ArticleParsed, StreamNames
from newsline_contracts.groups import ensure_group


class StreamUnavailable(Exception):
    """The stream could not take the message: nothing was accepted."""


@dataclass
class ArticlePublisher:
    """XADD through FastStream; a `seen` key per content hash marks what is in the stream."""

    broker: RedisBroker
    publisher: StreamPublisher
    redis: Redis
    names: StreamNames
    seen_ttl_s: int
    group_ready: bool = False

    @classmethod
    def create(cls, redis_url: str, names: StreamNames, seen_ttl_s: int) -> ArticlePublisher:
        """Build the broker, its stream publisher and a plain client for the `seen` keys."""
        # Short timeouts: a client waiting on a dead Redis should get its 503 fast.
        broker = RedisBroker(redis_url, socket_connect_timeout=2.0, socket_timeout=5.0)
        publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
        redis = Redis.from_url(redis_url, socket_connect_timeout=2.0, socket_timeout=5.0)
        return cls(broker, publisher, redis, names, seen_ttl_s)

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
            entry_id: bytes = await self.publisher.publish(message)
            if not entry_id:
                raise StreamUnavailable("XADD returned no entry id")
            # Expiring: a repost after the TTL is published again, which the consumer's
            # idempotent upserts absorb; without it the keys would grow forever.
            key = self.names.seen_key_prefix + message.content_hash
            await self.redis.set(key, entry_id, ex=self.seen_ttl_s)
        except (RedisError, OSError) as exc:
            raise StreamUnavailable(str(exc)) from exc
        return entry_id

    async def ping(self) -> None:
        """Raise StreamUnavailable unless Redis answers."""
        try:
            await self.redis.ping()
        except (RedisError, OSError) as exc:
            raise StreamUnavailable(str(exc)) from exc

    async def start(self) -> None:
        """Connect the broker and make sure the consumer group exists.

        Redis being down at startup is not fatal: /readyz says so, posts get 503,
        and the group is created on the first successful publish.
        """
        await self.broker.connect()
        with contextlib.suppress(RedisError, OSError):
            await ensure_group(self.redis, self.names)
            self.group_ready = True

    async def close(self) -> None:
        """Close both connections."""
        await self.broker.stop()
        await self.redis.aclose()
