"""Settings of the ingest service, read from the environment once at startup."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsline_contracts.streams import DEFAULT_PREFIX


class IngestSettings(BaseSettings):
    """Where ingest publishes, what it accepts, and who may post."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    redis_url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = Field(default=DEFAULT_PREFIX, alias="NEWSLINE_STREAM_PREFIX")
    api_key: str | None = Field(default=None, alias="NEWSLINE_API_KEY")
    max_body_bytes: int = Field(default=2_000_000, ge=1024, alias="NEWSLINE_MAX_BODY_BYTES")
    knowledge_dir: Path | None = Field(default=None, alias="NEWSLINE_KNOWLEDGE_DIR")
    # Seconds a client should wait before retrying when the stream is unreachable.
    retry_after_s: int = Field(default=5, ge=1, alias="NEWSLINE_RETRY_AFTER")
    # How long ingest remembers a content hash to answer `duplicate: true`.
    seen_ttl_days: int = Field(default=30, ge=1, alias="NEWSLINE_SEEN_TTL_DAYS")
