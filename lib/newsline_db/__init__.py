"""Newsline's PostgreSQL schema and engine helpers (used by timeline, api, migrations)."""

from newsline_db.engine import make_engine
from newsline_db.tables import (
    PRECISION_RANK,
    actors,
    articles,
    event_actors,
    event_sources,
    events,
    metadata,
)
from newsline_db.urls import async_url, safe_url

__all__ = [
    "PRECISION_RANK",
    "actors",
    "articles",
    "async_url",
    "event_actors",
    "event_sources",
    "events",
    "make_engine",
    "metadata",
    "safe_url",
]
