"""Settings of the ingest service, read from the environment once at startup."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field

from newsline_contracts.settings import StreamSettings
from newsline_http import ApiKeySettings
from newsline_ingest.durability import DurableAckMode


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class IngestSettings(ApiKeySettings, StreamSettings):
    """Where ingest publishes, what it accepts, who may post, and how much work it takes on.

    Variables: REDIS_URL, else NEWSLINE_<FIELD> (newsline_contracts.settings), but the
    three fields that keep their older names: NEWSLINE_RETRY_AFTER,
    NEWSLINE_MAX_QUEUED_EXTRACTIONS and NEWSLINE_RATE_LIMIT. Keys come from
    newsline_http.auth: NEWSLINE_API_KEY="k1,k2" (any of them may post).
    """

    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    # Characters of text the engine reads (`text` as posted, `html` after reduction).
    max_text_chars: int = Field(default=100_000, ge=1000)
    knowledge_dir: Path | None = None
    # Seconds a client should wait before retrying when the stream is unreachable or busy.
    retry_after_s: int = Field(default=5, ge=1, validation_alias="NEWSLINE_RETRY_AFTER")
    # How long ingest remembers a content hash to answer `duplicate: true`.
    seen_ttl_days: int = Field(default=30, ge=1)
    # What a 202 waits for (newsline_ingest.durability, docs/DURABILITY.md): `auto`
    # WAITAOF where the server has it, else the server's own persistence, stated at
    # startup; `waitaof` / `fsync-always` refuse a server that cannot; `off` never waits.
    durable_ack: DurableAckMode = "auto"
    # How long a post waits for that fsync before answering 503 (under the 5 s socket timeout).
    durable_ack_timeout_ms: int = Field(default=2000, ge=1, le=4000)

    # Extraction: worker processes (one per core), each article's CPU budget, and how
    # many articles may wait for a worker before posts get 503.
    extract_workers: int = Field(default_factory=_cores, ge=1)
    extract_budget_s: float = Field(default=2.0, gt=0)
    max_queued: int = Field(default=64, ge=0, validation_alias="NEWSLINE_MAX_QUEUED_EXTRACTIONS")
    queue_wait_s: float = Field(default=5.0, gt=0)

    # Requests per second per API key (or client address without one), with a burst;
    # 0 turns the limit off. Failed authentications per minute per client address.
    rate_per_s: float = Field(default=50.0, ge=0, validation_alias="NEWSLINE_RATE_LIMIT")
    rate_burst: int = Field(default=100, ge=1)
    auth_failures_per_min: int = Field(default=10, ge=1)

    # Seconds a client may take to send its headers (uvicorn --http
    # newsline_ingest.protocol:IngestProtocol), and its body (between two chunks, and in all).
    header_timeout_s: float = Field(default=10.0, gt=0)
    # Seconds a client may take to send its body (between two chunks, and in all).
    body_timeout_s: float = Field(default=10.0, gt=0)
    # Bytes read and thrown away before an early answer (413, 415, 429), so the client
    # can read it instead of seeing its connection reset mid-send.
    drain_cap_bytes: int = Field(default=8_000_000, ge=0)
