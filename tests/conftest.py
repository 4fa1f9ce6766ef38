"""The fixture chain: servers → a fresh migrated database → engine → clean tables."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_cli import migrate
from newsline_db import make_engine, metadata
from tests.support.servers import ServerUrls, admin_sql, test_servers


@pytest.fixture(scope="session")
def servers() -> Iterator[ServerUrls]:
    """One PostgreSQL and one Redis for the whole session."""
    with test_servers() as urls:
        yield urls


@pytest.fixture(scope="session")
def redis_url(servers: ServerUrls) -> str:
    """The Redis URL; tests isolate themselves with `stream_prefix`, never FLUSHALL."""
    return servers.redis_url


@pytest.fixture
async def stream_prefix(redis_url: str) -> AsyncIterator[str]:
    """A stream-name prefix of this test's own, so tests never share a stream."""
    prefix = f"nltest-{uuid.uuid4().hex[:10]}"
    yield prefix
    # The servers may be shared (CI points at the machine's Redis): leave nothing behind.
    redis = Redis.from_url(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


@pytest.fixture(scope="session")
async def empty_database_url(servers: ServerUrls) -> AsyncIterator[str]:
    """A database of this session's own on the test server, dropped afterwards."""
    name = f"nltest_{uuid.uuid4().hex[:12]}"
    await admin_sql(servers.database_url, f'CREATE DATABASE "{name}"')
    url = make_url(servers.database_url).set(database=name)
    yield url.render_as_string(hide_password=False)
    await admin_sql(servers.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def database_url(empty_database_url: str) -> str:
    """The session database, migrated to head by Alembic (never by create_all)."""
    # Alembic's env.py runs its own event loop: keep it off the test loop's thread.
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    return empty_database_url


@pytest.fixture(scope="session")
async def db_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An async engine on the migrated session database."""
    engine = make_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def clean_db(db_engine: AsyncEngine) -> AsyncEngine:
    """The engine, with every table emptied before the test."""
    names = ", ".join(t.name for t in metadata.sorted_tables)
    async with db_engine.begin() as conn:
        await conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    return db_engine
