"""Park a message that keeps failing, or cannot be read, on the dead-letter stream.

Either way the pipeline goes on: an entry that is no ArticleParsed (another producer's,
a newer schema, broken bytes) is parked at its first delivery, since no retry can
change it; the rest of its batch is stored at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from faststream import BaseMiddleware
from faststream.message import StreamMessage
from faststream.redis.message import RedisBatchStreamMessage, RedisStreamMessage
from faststream.redis.parser.binary import BinaryMessageFormatV1
from pydantic import ValidationError

from newsline_contracts import ArticleParsed

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



@dataclass(frozen=True)
class _Entry:
    """One entry of a batch as read from the stream: its message body, or why it has none."""

    fields: dict[bytes, bytes]
    body: bytes | None
    problem: str = ""


def _entry(fields: dict[bytes, bytes]) -> _Entry:
    raw = fields.get(b"__data__")
    if raw is None:
        return _Entry(fields, None, "no __data__ field: not a message ingest published")
    try:
        body, _ = BinaryMessageFormatV1.parse(raw)  # open FastStream's envelope
    except Exception as exc:
        return _Entry(fields, None, f"{type(exc).__name__}: {exc}"[:500])
    return _Entry(fields, body)


async def readable_batch(message: Any, parse: Callable[[Any], Awaitable[Any]]) -> Any:
    """The batch message with each entry's body kept as raw bytes (`_Entry`).

    FastStream's own batch parser json-loads every entry and dumps the list as one JSON
    document for the decoder to load again, and one entry that is not UTF-8 or JSON fails
    the whole batch. Here only the envelopes are opened: `parking_decoder` validates
    each body on its own, in one pass (`model_validate_json`), and parks those that fail.
    """
    msg = await parse({**message, "data": []})  # the message object, minus the body work
    msg.body = [_entry(fields) for fields in message["data"]]
    return msg


def parking_decoder(dlq_stream: str) -> Callable[..., Awaitable[Any]]:
    """A batch decoder that validates each entry and parks those that are no ArticleParsed.

    A parked entry goes to the dead-letter stream with its raw content and the reason,
    and is acknowledged, at its first delivery: no retry can make it readable. The rest
    of the batch is handed on as ArticleParsed instances (FastStream does not validate
    them again), with the message's entry ids narrowed to theirs.
    """

    async def decode(msg: StreamMessage[Any],
                     original: Callable[[StreamMessage[Any]], Awaitable[Any]]) -> Any:
        entries = msg.body
        if not isinstance(msg, RedisBatchStreamMessage) or not isinstance(entries, list):
            return await original(msg)
        ids: list[bytes] = list(msg.raw_message["message_ids"])
        keep: list[ArticleParsed] = []
        keep_ids: list[bytes] = []
        parked: list[tuple[bytes, _Entry, str]] = []
        for entry, entry_id in zip(entries, ids, strict=True):
            reason = entry.problem
            if entry.body is not None:
                try:
                    keep.append(ArticleParsed.model_validate_json(entry.body))
                    keep_ids.append(entry_id)
                    continue
                except ValidationError as exc:
                    reason = _brief_validation(exc)
            parked.append((entry_id, entry, reason))
        if parked:
            await _park(msg, dlq_stream, parked)
            msg.raw_message["message_ids"] = keep_ids
        return keep

    return decode


async def _park(msg: RedisBatchStreamMessage, dlq_stream: str,
                parked: list[tuple[bytes, _Entry, str]]) -> None:
    """Dead-letter these entries of `msg` with their reasons, then acknowledge them."""
    redis: Any = msg.consumer  # the subscriber's redis client
    for entry_id, entry, reason in parked:
        await redis.xadd(dlq_stream, _unreadable_fields(entry, _str(entry_id), reason))
        log.error("dead-lettered unreadable entry %s at once: %s", _str(entry_id), reason,
                  extra={"entry_id": _str(entry_id)})
    await redis.xack(msg.raw_message["channel"], msg.group, *[e for e, _, _ in parked])


def _brief_validation(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "message"
    return f"not an ArticleParsed ({exc.error_count()} error(s)); {where}: {first['msg']}"


def _unreadable_fields(entry: _Entry, entry_id: str, error: str) -> dict[str, str]:
    """The dead-letter entry for a stream entry that is no ArticleParsed (1 delivery)."""
    body = (_str(entry.body) if entry.body is not None
            else json.dumps({_str(k): _str(v) for k, v in entry.fields.items()}))
    return {"body": body[:100_000], "error": error[:2000], "entry_id": entry_id,
            "deliveries": "1"}


def _str(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
