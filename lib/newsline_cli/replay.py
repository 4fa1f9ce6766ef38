"""`newsline replay`: put dead-lettered articles back on the stream once the cause is fixed."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import cast

from faststream.redis import RedisBroker
from pydantic import ValidationError
from redis.asyncio import Redis

from newsline_contracts import ArticleParsed, StreamNames
from newsline_contracts.streams import DEFAULT_PREFIX


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `replay` subcommand."""
    p = sub.add_parser("replay", help="re-publish dead-lettered articles to the stream")
    p.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    p.add_argument("--prefix", default=os.environ.get("NEWSLINE_STREAM_PREFIX", DEFAULT_PREFIX))
    p.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    p.set_defaults(func=run)


async def replay(redis_url: str, names: StreamNames, dry_run: bool) -> tuple[int, list[str]]:
    """Move every dead letter back to the articles stream; return (replayed, problems)."""
    redis: Redis = Redis.from_url(redis_url)
    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=names.articles)
    replayed, problems = 0, []
    await broker.connect()
    try:
        entries = cast(
            list[tuple[bytes, dict[bytes, bytes]]], await redis.xrange(names.dead_letters)
        )
        for entry_id, fields in entries:
            ident = entry_id.decode()
            try:
                message = ArticleParsed.model_validate_json(fields[b"body"])
            except (KeyError, ValidationError) as exc:
                problems.append(f"{ident}: not an ArticleParsed message ({exc.__class__.__name__})")
                continue
            print(
                f"{ident}: article {message.article_id} "
                f"(failed with {fields.get(b'error', b'?').decode()})"
            )
            if not dry_run:
                await publisher.publish(message)
                await redis.xdel(names.dead_letters, entry_id)
            replayed += 1
    finally:
        await broker.stop()
        await redis.aclose()
    return replayed, problems


def run(args: argparse.Namespace) -> int:
    """Replay the dead letters and report."""
    replayed, problems = asyncio.run(replay(args.redis_url, StreamNames(args.prefix), args.dry_run))
    verb = "would replay" if args.dry_run else "replayed"
    print(f"{verb} {replayed}, unreadable {len(problems)}")
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0
