"""Migrations: reversible on a fresh database, and the schema they build matches tables.py."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from newsline_cli import migrate
from newsline_db import make_engine, metadata
from tests.support.servers import ServerUrls, admin_sql

pytestmark = pytest.mark.integration


@pytest.fixture
async def fresh_url(servers: ServerUrls) -> AsyncIterator[str]:
    """An empty database of this test's own, created as tests/conftest.py does."""
    name = f"nlmig_{uuid.uuid4().hex[:12]}"
    await admin_sql(servers.database_url, f'CREATE DATABASE "{name}"')
    yield make_url(servers.database_url).set(database=name).render_as_string(hide_password=False)
    await admin_sql(servers.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _schema(url: str) -> tuple[set[str], list[Any]]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
            diff = await conn.run_sync(lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), metadata
            ))
    finally:
        await engine.dispose()
    return tables, diff


async def test_upgrade_downgrade_upgrade_on_a_fresh_database(fresh_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, fresh_url)
    tables, diff = await _schema(fresh_url)
    assert {"changes", "actor_stats", "events", "actors"} <= tables
    assert diff == []  # the hand-written migrations build exactly what tables.py declares

    await asyncio.to_thread(migrate.downgrade, fresh_url, "0001")
    tables, _ = await _schema(fresh_url)
    assert "changes" not in tables and "actor_stats" not in tables

    await asyncio.to_thread(migrate.downgrade, fresh_url, "base")
    tables, _ = await _schema(fresh_url)
    assert tables <= {"alembic_version"}

    await asyncio.to_thread(migrate.upgrade, fresh_url)
    tables, diff = await _schema(fresh_url)
    assert {"changes", "actor_stats"} <= tables
    assert diff == []


async def test_upgrading_renders_the_documents_the_store_maintains(fresh_url: str) -> None:
    # The store folds each batch into events.doc; upgrading a database from 0002 (through
    # 0003's SQL renderer and 0004's Python one) renders the events already there in full
    # with the read model: the same bytes the store's folds arrived at.
    from newsline_db import events
    from newsline_timeline.store import persist_batch
    from tests.support.factories import article, event

    await asyncio.to_thread(migrate.upgrade, fresh_url)
    engine = make_engine(fresh_url, pool_size=1)
    select_docs = sa.select(events.c.id, events.c.doc).order_by(events.c.id)
    try:
        async with engine.begin() as conn:
            await persist_batch(conn, [
                article(event("openai", others=("china-gov",)), event("baidu", "offer",
                        quantity=(5e7, "tokens"))),
                article(event("openai"), language="de"),
            ])
        async with engine.connect() as conn:
            stored = (await conn.execute(select_docs)).all()
        await engine.dispose()
        assert len(stored) == 2 and all(doc for _, doc in stored)

        await asyncio.to_thread(migrate.downgrade, fresh_url, "0002")
        await asyncio.to_thread(migrate.upgrade, fresh_url)
        async with engine.connect() as conn:
            assert (await conn.execute(select_docs)).all() == stored
    finally:
        await engine.dispose()


async def test_links_and_sources_lose_and_regain_their_keys_to_their_parents(
    fresh_url: str,
) -> None:
    # 0007 drops the checks to actors and articles, 0008 the ones to events (the store
    # makes them redundant); each downgrade adds its keys back.
    async def keys() -> set[tuple[str, str, str | None]]:
        engine = make_engine(fresh_url, pool_size=1)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(lambda c: {
                    (table, fk["referred_table"], fk["options"].get("ondelete"))
                    for table in ("event_actors", "event_sources")
                    for fk in sa.inspect(c).get_foreign_keys(table)})
        finally:
            await engine.dispose()

    await asyncio.to_thread(migrate.upgrade, fresh_url)
    assert await keys() == set()
    await asyncio.to_thread(migrate.downgrade, fresh_url, "0007")
    to_events = {("event_actors", "events", "CASCADE"), ("event_sources", "events", "CASCADE")}
    assert await keys() == to_events
    await asyncio.to_thread(migrate.downgrade, fresh_url, "0006")
    assert await keys() == to_events | {("event_actors", "actors", None),
                                        ("event_sources", "articles", "CASCADE")}
