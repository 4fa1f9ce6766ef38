"""Settings of the ingest service, read from the environment once at startup."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import NoDecode, SettingsConfigDict

from newsline_contracts.streams import DEFAULT_PREFIX
from newsline_http import ApiKeySettings


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class IngestSettings(ApiKeySettings):
    """Where ingest publishes, what it accepts, who may post, and how much work it takes on.

    Keys come from newsline_http.auth: NEWSLINE_API_KEY="k1,k2" (any of them may post).
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    redis_url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = Field(default=DEFAULT_PREFIX, alias="NEWSLINE_STREAM_PREFIX")
    # The shared key fields, under the NEWSLINE_ names this class reads without a prefix.
    api_key: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("NEWSLINE_API_KEY", "api_key"))
    read_key: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("NEWSLINE_READ_KEY", "read_key"))
    max_body_bytes: int = Field(default=2_000_000, ge=1024, alias="NEWSLINE_MAX_BODY_BYTES")
    # Characters of text the engine reads (`text` as posted, `html` after reduction).
    max_text_chars: int = Field(default=100_000, ge=1000, alias="NEWSLINE_MAX_TEXT_CHARS")
    knowledge_dir: Path | None = Field(default=None, alias="NEWSLINE_KNOWLEDGE_DIR")
    # Seconds a client should wait before retrying when the stream is unreachable or busy.
    retry_after_s: int = Field(default=5, ge=1, alias="NEWSLINE_RETRY_AFTER")
    # How long ingest remembers a content hash to answer `duplicate: true`.
    seen_ttl_days: int = Field(default=30, ge=1, alias="NEWSLINE_SEEN_TTL_DAYS")

    # Extraction: worker processes (one per core), each article's CPU budget, and how
    # many articles may wait for a worker before posts get 503.
    extract_workers: int = Field(default_factory=_cores, ge=1, alias="NEWSLINE_EXTRACT_WORKERS")
    extract_budget_s: float = Field(default=2.0, gt=0, alias="NEWSLINE_EXTRACT_BUDGET_S")
    max_queued: int = Field(default=64, ge=0, alias="NEWSLINE_MAX_QUEUED_EXTRACTIONS")
    queue_wait_s: float = Field(default=5.0, gt=0, alias="NEWSLINE_QUEUE_WAIT_S")

    # Requests per second per API key (or client address without one), with a burst;
    # 0 turns the limit off. Failed authentications per minute per client address.
    rate_per_s: float = Field(default=50.0, ge=0, alias="NEWSLINE_RATE_LIMIT")
    rate_burst: int = Field(default=100, ge=1, alias="NEWSLINE_RATE_BURST")
    auth_failures_per_min: int = Field(default=10, ge=1, alias="NEWSLINE_AUTH_FAILURES_PER_MIN")

    # Seconds a client may take to send its headers (uvicorn --http
    # newsline_ingest.protocol:IngestProtocol), and its body (between two chunks, and in all).
    header_timeout_s: float = Field(default=10.0, gt=0, alias="NEWSLINE_HEADER_TIMEOUT_S")
    # Seconds a client may take to send its body (between two chunks, and in all).
    body_timeout_s: float = Field(default=10.0, gt=0, alias="NEWSLINE_BODY_TIMEOUT_S")
    # Bytes read and thrown away before an early answer (413, 415, 429), so the client
    # can read it instead of seeing its connection reset mid-send.
    drain_cap_bytes: int = Field(default=8_000_000, ge=0, alias="NEWSLINE_DRAIN_CAP_BYTES")
