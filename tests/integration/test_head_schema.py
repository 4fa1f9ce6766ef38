"""The head schema renders nothing: no PL/pgSQL (or other) function of Newsline's.

The event document is rendered in Python (newsline_read_model) and stored by the
consumer; migration 0003's PL/pgSQL renderer is dropped again by 0004.
"""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.integration


async def test_the_migrated_database_defines_no_function_of_its_own(database_url: str) -> None:
    url = make_url(database_url).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        functions = await conn.fetch("""
            SELECT n.nspname || '.' || p.proname AS name, l.lanname AS language
            FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_language l ON l.oid = p.prolang
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.objid = p.oid AND d.deptype = 'e')""")
    finally:
        await conn.close()
    assert [dict(f) for f in functions] == []
