"""Newsline's PostgreSQL schema and engine helpers (used by timeline, api, migrations)."""

from newsline_db.engine import make_engine
from newsline_db.tables import (
    CHANGE_KINDS,
    PRECISION_RANK,
    actor_stats,
    actors,
    articles,
    changes,
    event_actors,
    event_sources,
    events,
    metadata,
)
from newsline_db.urls import async_url, safe_url

__all__ = [
    "CHANGE_KINDS",
    "PRECISION_RANK",
    "actor_stats",
    "actors",
    "articles",
    "async_url",
    "changes",
    "event_actors",
    "event_sources",
    "events",
    "make_engine",
    "metadata",
    "safe_url",
]
