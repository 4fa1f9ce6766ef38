"""Articles the time-axis tests need, published to the stream of a running `newsline up`.

Messages go through ingest's own publisher (`ArticlePublisher`), so the real timeline
consumer stores them exactly as it stores posted articles; only extraction is skipped,
which lets a test say precisely which dates, amounts and bases it wants.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import get_args

from newsline_contracts import (
    ActorSeen,
    ArticleParsed,
    DateBasis,
    EventExtracted,
    StreamNames,
    event_id,
)
from newsline_ingest.publishing import ArticlePublisher
from tests.support.factories import article, event
from tests.support.newsline_up import Running

TYPES = ("announcement", "offer", "price_cut", "product_launch", "policy", "partnership")
BULK_START = dt.date(2021, 1, 1)


def redis_url(running: Running) -> str:
    """The Redis URL `newsline up` printed at start."""
    for line in running.output:
        if found := re.search(r"redis (redis://\S+)", line):
            return found.group(1)
    raise AssertionError("newsline up printed no redis URL:\n" + "".join(running.output))


def publish(running: Running, messages: Iterable[ArticleParsed]) -> None:
    """XADD each message with ingest's publisher; returns once Redis has them all."""

    async def run() -> None:
        publisher = ArticlePublisher.create(redis_url(running), StreamNames(), 3600)
        await publisher.start()
        try:
            for message in messages:
                await publisher.publish(message)
        finally:
            await publisher.close()

    # Its own thread: Playwright's sync API keeps an event loop running on this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


def unique(extracted: EventExtracted, tag: str) -> EventExtracted:
    """The same event under a merge key of its own, so it never merges with another."""
    key = f"{extracted.merge_key}|{tag}"
    return extracted.model_copy(update={"merge_key": key, "event_id": event_id(key)})


def bulk(slug: str, count: int, per_article: int = 100, seed: int = 5000) -> list[ArticleParsed]:
    """`count` distinct events of `slug` over five years: days, months, years, every basis."""
    rng = random.Random(seed)
    bases = get_args(DateBasis)
    name = slug.replace("-", " ").title()
    events = []
    for i in range(count):
        day = BULK_START + dt.timedelta(days=rng.randrange(5 * 365))
        precision = rng.choices(("day", "month", "year"), (88, 9, 3))[0]
        if precision != "day":
            day = day.replace(day=1) if precision == "month" else day.replace(month=1, day=1)
        extracted = event(
            slug, rng.choice(TYPES), day, precision, name=name, basis=rng.choice(bases),
            evidence=f"{name} event number {i} on {day.isoformat()}.",
        )
        events.append(unique(extracted, f"bulk:{i}"))
    return [
        article(*events[i : i + per_article], title=f"{name} digest {i // per_article}")
        for i in range(0, count, per_article)
    ]


def idle_actor(slug: str) -> ArticleParsed:
    """An article naming `slug` in passing: the actor exists with no event of its own."""
    name = slug.replace("-", " ").title()
    return article(text=f"{name} was mentioned in passing.").model_copy(
        update={"actors": (ActorSeen(slug=slug, name=name),)}
    )
