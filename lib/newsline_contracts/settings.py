"""The environment every Newsline process reads, named one way for all of them.

`DATABASE_URL` and `REDIS_URL` are bare, the names every PostgreSQL and Redis tool
knows; every other variable is `NEWSLINE_<FIELD>` (`NEWSLINE_STREAM_PREFIX`,
`NEWSLINE_API_KEY`). The convention is a prefix rather than per-field aliases so that
a field's bare name is never read: `API_KEY`, set for some other program, must not
become a Newsline key. A few fields keep an older variable name as their alias
(`NEWSLINE_RATE_LIMIT` for `rate_per_s`); they answer to `NEWSLINE_<FIELD>` too.

Lives in the contracts because the variable names are an agreement between the
processes and whoever deploys them, as the stream names are; it does no I/O beyond
reading the environment. Each service's settings class combines these bases with its
own fields, is built once at startup and passed in. Code and tests build one by field
name (`IngestSettings(stream_prefix=...)`); a name that is not a field is an error,
not silently ignored.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsline_contracts.streams import DEFAULT_PREFIX, StreamNames

LOCAL_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/newsline"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


class NewslineSettings(BaseSettings):
    """The naming convention; the base of every settings class (newsline_http's keys too)."""

    # `populate_by_name` lets code pass `database_url=`; with the prefix, the extra name
    # it makes the environment answer to is NEWSLINE_DATABASE_URL, never a bare name.
    model_config = SettingsConfigDict(
        env_prefix="NEWSLINE_", populate_by_name=True, extra="forbid")


class DatabaseSettings(NewslineSettings):
    """Where PostgreSQL is: `DATABASE_URL`, any `postgresql://` URL."""

    database_url: str = Field(LOCAL_DATABASE_URL, validation_alias="DATABASE_URL")


class StreamSettings(NewslineSettings):
    """Where the articles stream is: `REDIS_URL` and `NEWSLINE_STREAM_PREFIX`."""

    redis_url: str = Field(LOCAL_REDIS_URL, validation_alias="REDIS_URL")
    stream_prefix: str = DEFAULT_PREFIX

    @property
    def stream_names(self) -> StreamNames:
        """The stream, group and dead-letter names under this prefix."""
        return StreamNames(self.stream_prefix)
