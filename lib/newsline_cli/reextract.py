"""`newsline reextract`: run the current engine over every stored article and republish.

After the engine or the knowledge files change, timelines built by the old version
still show what it found. This reads every stored article, extracts it again exactly
as ingest would (same translation, same date window), and publishes the result on the
articles stream marked `reextracted`: the consumer then adds what is new, updates what
changed, and withdraws what the article no longer supports (an event left with no
source is removed, and says so in the change feed). Running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from newsline_cli.options import add_database_option, add_stream_options
from newsline_contracts import ArticleParsed, StreamNames

CHUNK = 200


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `reextract` subcommand."""
    p = sub.add_parser(
        "reextract", help="extract every stored article again with the current engine",
        description=__doc__.split("\n\n")[1] if __doc__ else None)
    add_database_option(p, "PostgreSQL holding the articles")
    add_stream_options(p)
    p.add_argument("--dry-run", action="store_true",
                   help="extract and count, publish nothing")
    p.set_defaults(func=run)


@dataclass
class Summary:
    """What a run did."""

    articles: int = 0
    events: int = 0
    published: int = 0
    failed: int = 0


async def _stored_articles(database_url: str) -> AsyncIterator[list[dict[str, Any]]]:
    """Stored articles in id order, a chunk at a time (keyset, no long transaction)."""
    import sqlalchemy as sa

    from newsline_db import articles, make_engine

    engine = make_engine(database_url, pool_size=1)
    columns = [articles.c[name] for name in (
        "id", "title", "url", "source", "language", "published_at", "received_at", "text")]
    try:
        after = None
        while True:
            stmt = sa.select(*columns).order_by(articles.c.id).limit(CHUNK)
            if after is not None:
                stmt = stmt.where(articles.c.id > after)
            async with engine.connect() as conn:
                rows = [dict(r) for r in (await conn.execute(stmt)).mappings()]
            if not rows:
                return
            yield rows
            after = rows[-1]["id"]
    finally:
        await engine.dispose()


def extract_again(row: dict[str, Any], extractor: Any) -> ArticleParsed:
    """One stored article through the current engine, as ingest would publish it."""
    from newsline_ingest.parsing import extract_article
    from newsline_ingest.schemas import ArticleIn

    # Stored values were validated when they were posted: no second validation.
    body = ArticleIn.model_construct(
        title=row["title"], text=row["text"], html=None, url=row["url"], source=row["source"],
        language=row["language"], published_at=row["published_at"])
    message = extract_article(body, extractor, row["received_at"])
    return message.model_copy(update={"reextracted": True, "article_id": row["id"]})


async def reextract(database_url: str, redis_url: str, names: StreamNames,
                    dry_run: bool = False, extractor: Any = None,
                    progress: Any = None) -> Summary:
    """Extract every stored article again and publish it; return the counts."""
    from faststream.redis import RedisBroker

    from newsline_engine import Extractor, load_knowledge
    from newsline_streams import ensure_group

    extractor = extractor or Extractor(load_knowledge())
    summary = Summary()
    broker = RedisBroker(redis_url)
    publisher = broker.publisher(stream=names.articles, schema=ArticleParsed)
    if not dry_run:
        await broker.connect()
        from redis.asyncio import Redis

        redis = Redis.from_url(redis_url)
        await ensure_group(redis, names)
        await redis.aclose()
    try:
        async for chunk in _stored_articles(database_url):
            for row in chunk:
                summary.articles += 1
                try:
                    message = extract_again(row, extractor)
                except Exception as exc:  # one unreadable article must not stop the run
                    summary.failed += 1
                    print(f"newsline reextract: article {row['id']}: {exc}", file=sys.stderr)
                    continue
                summary.events += len(message.events)
                if not dry_run:
                    await publisher.publish(message)
                    summary.published += 1
            if progress is not None:
                progress(summary)
    finally:
        if not dry_run:
            await broker.stop()
    return summary


def run(args: argparse.Namespace) -> int:
    """Re-extract and report; exit 1 if an article could not be extracted."""
    if not args.database_url:
        print("newsline reextract: set DATABASE_URL or pass --database-url", file=sys.stderr)
        return 2
    from tqdm import tqdm

    bar = tqdm(unit="article", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)

    def progress(summary: Summary) -> None:
        bar.n = summary.articles
        bar.refresh()

    try:
        summary = asyncio.run(reextract(args.database_url, args.redis_url,
                                        StreamNames(args.prefix), args.dry_run,
                                        progress=progress))
    except (OSError, ConnectionError) as exc:
        print(f"newsline reextract: {exc}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    verb = "would publish" if args.dry_run else "published"
    print(f"re-extracted {summary.articles} article(s): {summary.events} event(s); {verb} "
          f"{summary.published if not args.dry_run else summary.articles - summary.failed}"
          f", failed {summary.failed}")
    return 1 if summary.failed else 0
