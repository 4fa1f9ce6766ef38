"""Async engine construction: one place for pool and driver settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from newsline_db.urls import async_url


def make_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Create an asyncpg engine; pings connections so a restarted server is survived."""
    return create_async_engine(
        async_url(database_url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"timeout": 5, "command_timeout": 30},
    )
