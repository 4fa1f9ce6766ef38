"""The server options commands share, defaulting to the variables the services read.

`--database-url`, `--redis-url` and `--prefix` take their defaults from the same
settings classes as the services (newsline_contracts.settings: DATABASE_URL,
REDIS_URL, NEWSLINE_STREAM_PREFIX), so a command and the services it works with
cannot disagree about where things are. A database is never guessed: `migrate` can
drop every table, so without DATABASE_URL or --database-url a command that needs one
says so instead of using the services' local default.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from newsline_contracts.settings import LOCAL_REDIS_URL, DatabaseSettings, StreamSettings
from newsline_contracts.streams import DEFAULT_PREFIX


def configured_database_url() -> str | None:
    """DATABASE_URL when the environment sets it, else None (not the local default)."""
    settings = DatabaseSettings()
    return settings.database_url if "database_url" in settings.model_fields_set else None


def configured_redis_url() -> str | None:
    """REDIS_URL when the environment sets it, else None (`up` then runs its own)."""
    settings = StreamSettings()
    return settings.redis_url if "redis_url" in settings.model_fields_set else None


def add_database_option(parser: argparse.ArgumentParser, what: str = "PostgreSQL") -> None:
    """--database-url, default $DATABASE_URL (required one way or the other)."""
    parser.add_argument("--database-url", default=configured_database_url(),
                        help=f"{what} (default: $DATABASE_URL)")


def add_stream_options(parser: argparse.ArgumentParser) -> None:
    """--redis-url and --prefix, defaults $REDIS_URL and $NEWSLINE_STREAM_PREFIX."""
    stream = StreamSettings()
    parser.add_argument("--redis-url", default=stream.redis_url,
                        help=f"where the articles stream lives (default: $REDIS_URL or "
                             f"{LOCAL_REDIS_URL})")
    parser.add_argument("--prefix", default=stream.stream_prefix,
                        help="stream name prefix (default: $NEWSLINE_STREAM_PREFIX or "
                             f"{DEFAULT_PREFIX})")


def add_published_at_option(parser: argparse.ArgumentParser, otherwise: str) -> None:
    """--published-at WHEN for files that state no publication time; `otherwise` says
    what the command does without it."""
    parser.add_argument(
        "--published-at", type=iso_moment, default=None, metavar="WHEN",
        help="publication date (2024-07-03 or an ISO 8601 date-time) for files that state "
             f"none; {otherwise}")


def iso_moment(value: str) -> str:
    """argparse type of --published-at: an ISO 8601 date or date-time, kept as written."""
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"published_at {value!r} is not an ISO 8601 date or date-time") from None
    return value
