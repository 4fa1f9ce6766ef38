"""Async engine construction: one place for pool and driver settings."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from newsline_db.urls import async_url


def make_engine(
    database_url: str, *, pool_size: int = 10, max_overflow: int | None = None,
    pre_ping: bool = True,
) -> AsyncEngine:
    """Create an asyncpg engine that survives a restarted server.

    `pre_ping` pings each connection as it leaves the pool (a round trip per checkout).
    Without it (the api, where that round trip is a large part of a request) the pool
    only drops connections whose socket is already closed, a local check, and recycles
    them hourly; a connection that dies mid-request is the caller's 503.
    `max_overflow` (default `pool_size`) connections are opened beyond the pool under
    load and closed again when returned.
    """
    engine = create_async_engine(
        async_url(database_url),
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_pre_ping=pre_ping,
        pool_recycle=-1 if pre_ping else 3600,
        connect_args={"timeout": 5, "command_timeout": 30},
    )
    if not pre_ping:
        sa.event.listen(engine.sync_engine.pool, "checkout", _drop_closed)
    return engine


def _drop_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    # asyncpg notices a server that hung up (restart, terminated backend) when the
    # socket closes; the pool retries the checkout with a fresh connection.
    if dbapi_connection.driver_connection.is_closed():
        raise sa.exc.DisconnectionError("connection closed by the server")
