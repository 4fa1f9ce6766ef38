"""The api service's settings: read once at startup, then passed in."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from newsline_contracts.settings import DatabaseSettings
from newsline_http import ApiKeySettings


class ApiSettings(ApiKeySettings, DatabaseSettings):
    """Everything the api needs from its environment; tests build their own.

    Variables: DATABASE_URL, else NEWSLINE_<FIELD> (newsline_contracts.settings).

    Keys (`api_key`, `read_key`: newsline_http.auth): NEWSLINE_API_KEY="k1,k2" makes
    DELETE /v1/events/{id} need one of them; NEWSLINE_READ_KEY closes every read but
    health, readiness and the docs.
    """

    # NEWSLINE_CORS_ORIGINS="https://a.example,https://b.example"; empty means same-origin only.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    readiness_timeout_s: float = 2.0
    # /v1/stream polls the change table this often, and comments when idle this long.
    stream_poll_s: float = Field(1.0, gt=0)
    stream_heartbeat_s: float = Field(15.0, gt=0)
    # NEWSLINE_ETAG_POLL_MS: how often the change watcher (timelines/watcher.py) follows the
    # change feed so timeline 304s skip the database. A 304 may then be answered up to one
    # interval after a change commits (two if a poll is slow; later, the database
    # answers); 0 disables the watcher and every 304 reads the database.
    etag_poll_ms: int = Field(250, ge=0)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
