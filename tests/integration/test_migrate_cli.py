"""`newsline migrate` as an operator runs it: creates a missing database, explains failures."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from newsline_cli.main import main
from newsline_db import make_engine
from tests.support.servers import ServerUrls

pytestmark = pytest.mark.integration


async def test_migrate_creates_a_missing_database_and_its_schema(servers: ServerUrls) -> None:
    name = f"nltest_cli_{uuid.uuid4().hex[:8]}"
    url = make_url(servers.database_url).set(database=name).render_as_string(hide_password=False)
    assert await asyncio.to_thread(main, ["migrate", "--database-url", url]) == 0
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    finally:
        await engine.dispose()
        admin = make_engine(servers.database_url, pool_size=1)
        async with admin.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
    assert {"actors", "articles", "events", "event_actors", "event_sources"} <= set(tables)


def test_unreachable_database_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--database-url", "postgresql://postgres@127.0.0.1:1/x"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the database" in err
    assert "Traceback" not in err
