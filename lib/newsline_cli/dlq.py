"""`newsline dlq list|retry|drop`: look at the dead-letter stream and act on its entries.

    newsline dlq list                 every dead letter: entry id, article id, deliveries,
                                      error; entries that are not an ArticleParsed message
                                      are marked unreadable
    newsline dlq retry [ID ...]       put these (default: every readable one) back on the
                                      articles stream, then remove them from the dead letters
    newsline dlq drop ID ... | --unreadable
                                      remove entries for good (after reading them with list)

`newsline replay` is `newsline dlq retry`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError

from newsline_cli.options import add_stream_options
from newsline_contracts import ArticleParsed, StreamNames


@dataclass(frozen=True)
class DeadLetter:
    """One entry of the dead-letter stream, read or not."""

    entry_id: str
    message: ArticleParsed | None  # None: not an ArticleParsed message (unreadable)
    error: str
    deliveries: str


def _text(fields: dict[bytes, bytes], key: bytes, default: str = "?") -> str:
    return fields.get(key, default.encode()).decode("utf-8", "replace")


async def read_dead_letters(redis: Any, names: StreamNames) -> list[DeadLetter]:
    """Every dead letter, oldest first."""
    entries = cast(list[tuple[bytes, dict[bytes, bytes]]], await redis.xrange(names.dead_letters))
    out = []
    for entry_id, fields in entries:
        try:
            message: ArticleParsed | None = ArticleParsed.model_validate_json(fields[b"body"])
        except (KeyError, ValidationError):
            message = None
        out.append(DeadLetter(entry_id.decode(), message, _text(fields, b"error"),
                              _text(fields, b"deliveries")))
    return out


async def retry(redis_url: str, names: StreamNames, only: set[str] | None = None,
                dry_run: bool = False) -> tuple[list[DeadLetter], list[DeadLetter]]:
    """Re-publish readable dead letters (all, or `only`); return (retried, unreadable)."""
    from faststream.redis import RedisBroker
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
    retried, unreadable = [], []
    await broker.connect()
    try:
        for letter in await read_dead_letters(redis, names):
            if only is not None and letter.entry_id not in only:
                continue
            if letter.message is None:
                unreadable.append(letter)
                continue
            if not dry_run:
                await publisher.publish(letter.message)
                await redis.xdel(names.dead_letters, letter.entry_id)
            retried.append(letter)
    finally:
        await broker.stop()
        await redis.aclose()
    return retried, unreadable


async def drop(redis_url: str, names: StreamNames, ids: set[str], unreadable: bool) -> int:
    """Delete the given entries (and, with `unreadable`, every unreadable one)."""
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    try:
        letters = await read_dead_letters(redis, names)
        doomed = [d.entry_id for d in letters
                  if d.entry_id in ids or (unreadable and d.message is None)]
        return int(await redis.xdel(names.dead_letters, *doomed)) if doomed else 0
    finally:
        await redis.aclose()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `dlq` subcommand and its actions."""
    p = sub.add_parser("dlq", help="list, retry or drop dead-lettered articles",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="show every dead letter")
    add_stream_options(listing)
    listing.set_defaults(func=run_list)
    again = actions.add_parser("retry", help="put dead letters back on the articles stream")
    again.add_argument("ids", nargs="*", metavar="ID", help="entry ids (default: all readable)")
    again.add_argument("--dry-run", action="store_true", help="say what would be retried")
    add_stream_options(again)
    again.set_defaults(func=run_retry)
    gone = actions.add_parser("drop", help="remove dead letters for good")
    gone.add_argument("ids", nargs="*", metavar="ID")
    gone.add_argument("--unreadable", action="store_true",
                      help="drop every entry that is not an ArticleParsed message")
    add_stream_options(gone)
    gone.set_defaults(func=run_drop)


def run_list(args: argparse.Namespace) -> int:
    """Print the dead letters."""
    from redis.asyncio import Redis

    async def _list() -> list[DeadLetter]:
        redis = Redis.from_url(args.redis_url)
        try:
            return await read_dead_letters(redis, StreamNames(args.prefix))
        finally:
            await redis.aclose()

    letters = asyncio.run(_list())
    for d in letters:
        what = f"article {d.message.article_id}" if d.message else "UNREADABLE (not an article)"
        print(f"{d.entry_id}  {what}  deliveries {d.deliveries}  {d.error}")
    print(f"{len(letters)} dead letter(s), "
          f"{sum(d.message is None for d in letters)} unreadable")
    return 0


def run_retry(args: argparse.Namespace) -> int:
    """Retry and report; exit 1 when an asked-for entry is unreadable."""
    only = set(args.ids) if args.ids else None
    retried, unreadable = asyncio.run(retry(args.redis_url, StreamNames(args.prefix), only,
                                            getattr(args, "dry_run", False)))
    verb = "would retry" if getattr(args, "dry_run", False) else "retried"
    for d in retried:
        print(f"{d.entry_id}: {verb} article {d.message.article_id if d.message else '?'}")
    print(f"{verb} {len(retried)}, unreadable {len(unreadable)}")
    for d in unreadable:
        print(f"  {d.entry_id}: not an ArticleParsed message; `newsline dlq drop {d.entry_id}` "
              "removes it", file=sys.stderr)
    # Unreadable entries left alone are reported, not an error, unless they were asked for.
    return 1 if only and unreadable else 0


def run_drop(args: argparse.Namespace) -> int:
    """Drop and report; exit 2 when nothing was named."""
    if not args.ids and not args.unreadable:
        print("newsline dlq drop: name entry ids or pass --unreadable", file=sys.stderr)
        return 2
    removed = asyncio.run(drop(args.redis_url, StreamNames(args.prefix), set(args.ids),
                               args.unreadable))
    print(f"dropped {removed} dead letter(s)")
    return 0
