"""Create the consumer group before anyone publishes or reads.

FastStream creates a missing group at `$` (only entries after that moment), so
articles accepted before the first consumer started would be skipped. Created
here at `0`, the group sees the stream from its first entry.
"""

from __future__ import annotations

from typing import Any

from newsline_contracts.streams import StreamNames


async def ensure_group(redis: Any, names: StreamNames) -> None:
    """XGROUP CREATE ... 0 MKSTREAM, tolerating a group that already exists."""
    try:
        await redis.xgroup_create(names.articles, names.timeline_group, id="0", mkstream=True)
    except Exception as exc:  # redis.ResponseError; contracts import no client library
        if "BUSYGROUP" not in str(exc):
            raise
