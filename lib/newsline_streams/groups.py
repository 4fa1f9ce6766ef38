"""Create the consumer group before anyone publishes or reads.

FastStream creates a missing group at `$` (only entries after that moment), so
articles accepted before the first consumer started would be skipped. Created here
at `0`, the group sees the stream from its first entry. Ingest calls it before its
first XADD, the consumer before it subscribes, `newsline reextract` before it
republishes: whichever comes first creates the group, the others find it.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from newsline_contracts.streams import StreamNames


async def ensure_group(redis: Redis, names: StreamNames) -> None:
    """XGROUP CREATE <articles> <timeline group> 0 MKSTREAM; an existing group is kept."""
    try:
        await redis.xgroup_create(names.articles, names.timeline_group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
