"""Settings of the timeline consumer, read from the environment once at startup."""

from __future__ import annotations

import os
import socket
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsline_contracts.streams import DEFAULT_PREFIX


def _consumer_name() -> str:
    # Unique per process: a restarted consumer must not inherit a dead one's
    # name, or what the dead one left pending would look like its own.
    return f"{socket.gethostname()}-{os.getpid()}"


class TimelineSettings(BaseSettings):
    """Where the consumer reads from and writes to, and how it batches."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/newsline"
    redis_url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = Field(default=DEFAULT_PREFIX, alias="NEWSLINE_STREAM_PREFIX")
    consumer_name: str = Field(default_factory=_consumer_name, alias="NEWSLINE_CONSUMER_NAME")
    batch_size: int = Field(default=100, ge=1, le=1000, alias="NEWSLINE_BATCH_SIZE")
    # A pending entry idle this long belongs to a consumer that died or failed.
    reclaim_idle_ms: int = Field(default=30_000, ge=100, alias="NEWSLINE_RECLAIM_IDLE_MS")
    max_deliveries: int = Field(default=5, ge=1, alias="NEWSLINE_MAX_DELIVERIES")
    # `acked`: trim the stream below the oldest entry any group still has pending or
    # undelivered (retention.py), every trim interval; `off`: keep every entry.
    stream_retention: Literal["acked", "off"] = Field(
        default="acked", alias="NEWSLINE_STREAM_RETENTION")
    trim_interval_ms: int = Field(default=5_000, ge=100, alias="NEWSLINE_TRIM_INTERVAL_MS")
    # The consumer's own port for /metrics, /readyz and /healthz; unset: not served.
    metrics_port: int | None = Field(default=None, ge=1, le=65535, alias="NEWSLINE_METRICS_PORT")
    metrics_host: str = Field(default="127.0.0.1", alias="NEWSLINE_METRICS_HOST")
