"""Settings of the timeline consumer, read from the environment once at startup."""

from __future__ import annotations

import os
import socket
from typing import Literal

from pydantic import Field

from newsline_contracts.settings import DatabaseSettings, StreamSettings


def _consumer_name() -> str:
    # Unique per process: a restarted consumer must not inherit a dead one's
    # name, or what the dead one left pending would look like its own.
    return f"{socket.gethostname()}-{os.getpid()}"


class TimelineSettings(DatabaseSettings, StreamSettings):
    """Where the consumer reads from and writes to, and how it batches.

    Variables: DATABASE_URL, REDIS_URL, else NEWSLINE_<FIELD> (newsline_contracts.settings).
    """

    consumer_name: str = Field(default_factory=_consumer_name)
    batch_size: int = Field(default=100, ge=1, le=1000)
    # A pending entry idle this long belongs to a consumer that died or failed.
    reclaim_idle_ms: int = Field(default=30_000, ge=100)
    max_deliveries: int = Field(default=5, ge=1)
    # `acked`: trim the stream below the oldest entry any group still has pending or
    # undelivered (retention.py), every trim interval; `off`: keep every entry.
    stream_retention: Literal["acked", "off"] = "acked"
    trim_interval_ms: int = Field(default=5_000, ge=100)
    # The consumer's own port for /metrics, /readyz and /healthz; unset: not served.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
