"""Park a message that keeps failing on the dead-letter stream so the pipeline goes on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faststream import BaseMiddleware
from faststream.message import StreamMessage
from faststream.redis.message import RedisStreamMessage

log = logging.getLogger(__name__)


def dead_letter_middleware(dlq_stream: str, max_deliveries: int) -> type[BaseMiddleware]:
    """A broker middleware that dead-letters single messages delivered `max_deliveries` times.

    Batches are left pending on failure: the reclaimer then retries their
    entries one by one, which isolates the one bad message from the good ones.
    """

    class DeadLetters(BaseMiddleware):
        async def consume_scope(
            self,
            call_next: Callable[[StreamMessage[Any]], Awaitable[Any]],
            msg: StreamMessage[Any],
        ) -> Any:
            try:
                return await call_next(msg)
            except Exception as exc:
                if not isinstance(msg, RedisStreamMessage):
                    raise
                deliveries = await msg.get_delivery_count()
                if deliveries < max_deliveries:
                    raise
                entry_ids = msg.raw_message["message_ids"]
                await msg.consumer.xadd(  # type: ignore[attr-defined]
                    dlq_stream,
                    {
                        "body": msg.body,
                        "error": f"{type(exc).__name__}: {exc}"[:2000],
                        "entry_id": b",".join(entry_ids),
                        "deliveries": str(deliveries),
                    },
                )
                await msg.ack()
                log.error("dead-lettered %s after %d deliveries: %s", entry_ids, deliveries, exc)
                return None

    return DeadLetters
