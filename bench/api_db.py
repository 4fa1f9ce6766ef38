"""The api bench's database: the embedded server (or DATABASE_URL), migrated and loaded once."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

import asyncpg
from api_dataset import DatasetSpec, load
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / ".data" / "bench-pg"
DB_NAME = "newsline_bench"


def bench_url(server_url: str, name: str = DB_NAME) -> str:
    """The server's URL pointing at the dedicated bench database."""
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def plain_dsn(url: str) -> str:
    """A libpq/asyncpg DSN (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _scalar(url: str, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def _recreate(url: str) -> None:
    name = make_url(url).database
    admin = await asyncpg.connect(
        plain_dsn(make_url(url).set(database="postgres").render_as_string(hide_password=False))
    )
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _vacuum(url: str) -> None:
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def prepare(url: str, spec: DatasetSpec, processes: int = 2, workers: int = 2) -> dict[str, Any]:
    """Migrate and load the bench database unless it already holds the full data set.

    Returns the load figures (those of the run that loaded it, kept next to the data).
    """
    from newsline_cli.migrate import ensure_database, upgrade

    name = make_url(url).database
    meta_file = DATA_DIR / f"load-{make_url(url).port or 'socket'}-{name}.json"
    ensure_database(url)
    upgrade(url)
    have = asyncio.run(_scalar(url, "SELECT count(*) FROM events"))
    if have == spec.events and meta_file.exists():
        meta: dict[str, Any] = json.loads(meta_file.read_text())
        meta["reused"] = True
        print(f"bench db: reusing {have:,} events already loaded")
        return meta
    if have:
        print(f"bench db: {have:,} events, not the {spec.events:,} wanted: recreating it")
        asyncio.run(_recreate(url))
        ensure_database(url)
        upgrade(url)
    print(
        f"bench db: loading {spec.events:,} events over {spec.actors:,} actors "
        f"through persist_batch ({processes} processes x {workers} transactions)"
    )
    meta = load(url, spec, processes=processes, workers=workers)
    started = time.perf_counter()
    asyncio.run(_vacuum(url))
    meta["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    meta["loaded_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    meta["reused"] = False
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    meta_file.write_text(json.dumps(meta, indent=2))
    print(
        f"bench db: loaded in {meta['seconds']} s ({meta['events_per_s']:,} events/s), "
        f"VACUUM ANALYZE {meta['vacuum_analyze_s']} s"
    )
    return meta


class Database:
    """DATABASE_URL if set, else the embedded server under .data/bench-pg (kept between runs)."""

    def __init__(self) -> None:
        self._server: Any = None

    def start(self) -> str:
        """The server URL (not yet pointing at the bench database)."""
        if os.environ.get("DATABASE_URL"):
            return os.environ["DATABASE_URL"]
        from newsline_cli.embedded import EmbeddedServers

        self._server = EmbeddedServers(DATA_DIR)
        url: str = self._server.start_postgres()
        return url

    def stop(self) -> None:
        """Stop the embedded server if this run started it."""
        if self._server is not None:
            self._server.stop()
            self._server = None
