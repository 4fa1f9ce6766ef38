"""`newsline migrate`: apply (or roll back) the Alembic migrations."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from newsline_cli.options import add_database_option
from newsline_db import async_url

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the repository's migrations and `database_url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a literal % (URL-encoded sockets) must be doubled.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def _create_missing_database(database_url: str) -> bool:
    url = make_url(async_url(database_url))
    probe = create_async_engine(url, poolclass=NullPool)
    try:
        async with probe.connect():
            return False
    except DBAPIError as exc:
        if "does not exist" not in str(exc) or not url.database:
            raise
    finally:
        await probe.dispose()
    admin = create_async_engine(
        url.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            quoted = url.database.replace('"', '""')
            await conn.execute(sa.text(f'CREATE DATABASE "{quoted}"'))
    finally:
        await admin.dispose()
    return True


def ensure_database(database_url: str) -> None:
    """Create the URL's database if the server does not have it yet."""
    if asyncio.run(_create_missing_database(database_url)):
        print(f"newsline: created database {make_url(database_url).database}", file=sys.stderr)


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Roll the schema back to `revision` (`base` drops everything)."""
    command.downgrade(alembic_config(database_url), revision)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `migrate` subcommand."""
    parser = sub.add_parser("migrate", help="apply database migrations")
    add_database_option(parser)
    parser.add_argument("--downgrade", metavar="REVISION", help="roll back to REVISION")
    parser.add_argument("--revision", default="head", help="upgrade target (default: head)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the migration the arguments ask for."""
    if not args.database_url:
        print("newsline migrate: set DATABASE_URL or pass --database-url", file=sys.stderr)
        return 2
    try:
        if args.downgrade:
            downgrade(args.database_url, args.downgrade)
        else:
            ensure_database(args.database_url)
            upgrade(args.database_url, args.revision)
    except (OSError, ConnectionError, DBAPIError) as exc:
        print(f"newsline migrate: cannot reach the database: {exc}", file=sys.stderr)
        return 1
    return 0
