"""Stream retention: trim what every consumer group has acknowledged, and nothing else.

An entry may go once no group can still need it: it is neither pending (delivered,
not acknowledged) nor undelivered in any group on the stream. Entry ids only grow,
so that is everything below one id: the smallest of each group's oldest pending id
and, for a group with nothing pending, the id after its last delivered one.
`XTRIM stream MINID ~ id` removes entries below it (the `~` lets Redis drop whole
internal nodes only, so it may keep a few more, never fewer).
"""

from __future__ import annotations

from typing import Any

from redis.exceptions import ResponseError


def _next_id(entry_id: str) -> str:
    ms, _, seq = entry_id.partition("-")
    return f"{ms}-{int(seq or 0) + 1}"


def _as_str(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def safe_min_id(redis: Any, stream: str) -> str | None:
    """The id below which every group has acknowledged everything; None: trim nothing."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:  # no such stream
        return None
    if not groups:
        return None  # nobody reads it yet: keep everything for the first group
    bounds = []
    for group in groups:
        name = _as_str(group["name"])
        if int(group["pending"]):
            summary = await redis.xpending(stream, name)
            bounds.append(_as_str(summary["min"]))
        else:
            bounds.append(_next_id(_as_str(group["last-delivered-id"])))
    return min(bounds, key=lambda i: tuple(int(p) for p in i.split("-")))


async def trim_acknowledged(redis: Any, stream: str) -> int:
    """Trim the entries every group has acknowledged; return how many were removed."""
    bound = await safe_min_id(redis, stream)
    if bound is None or bound == "0-1":
        return 0
    return int(await redis.xtrim(stream, minid=bound, approximate=True))


async def forget_idle_consumers(redis: Any, stream: str, group: str, idle_ms: int,
                                keep: str) -> list[str]:
    """Remove consumers with nothing pending that have been idle over `idle_ms`.

    A dead consumer's pending entries are reclaimed by the live ones; once it has none
    left, its name only clutters the group. Deleting a live consumer with nothing
    pending is harmless too: its next read recreates it. `keep` (ourselves) stays.
    """
    try:
        consumers = await redis.xinfo_consumers(stream, group)
    except ResponseError:
        return []
    gone = []
    for consumer in consumers:
        name = _as_str(consumer["name"])
        if name != keep and int(consumer["pending"]) == 0 and int(consumer["idle"]) > idle_ms:
            await redis.xgroup_delconsumer(stream, group, name)
            gone.append(name)
    return gone
