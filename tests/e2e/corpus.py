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

import httpx

from newsline_contracts import (
    ActorSeen,
    ArticleParsed,
    DateBasis,
    EventExtracted,
    StreamNames,
    event_id,
)
from newsline_ingest.publishing import ArticlePublisher
from tests.e2e.browsing import timeline, wait_until
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


def as_reported_in(extracted: EventExtracted, first: EventExtracted) -> EventExtracted:
    """Another source's report of `first`'s event, with whatever it says otherwise.

    The engine keys some details out of the merge (an offer's product), so two reports
    that differ there are one event; a test states which event a report joins.
    """
    return extracted.model_copy(update={"merge_key": first.merge_key,
                                        "event_id": first.event_id})


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


BULK = 5000  # events on one actor, for the axis's speed
UNDATED = "received" if "received" in get_args(DateBasis) else "reported"
D = dt.date
# One offer three sources report: one names another product, one dates it a day later.
DISPUTED = event("dispute-co", "offer", D(2025, 4, 1), name="Dispute Co", product="ERNIE 3.5")
# One offer four sources put at 10 million tokens, and a fifth, less confident, at 12 million.
QUIET = event("quiet-co", "offer", D(2025, 5, 1), name="Quiet Co",
              quantity=(10_000_000, "tokens"))


def dashboard_articles() -> list[ArticleParsed]:
    """A few actors with exactly the dates, amounts, products and bases the tests look at."""
    return [
        article(event("axis-co", "announcement", D(2024, 1, 10), name="Axis Co")),
        article(event("axis-co", "policy", D(2024, 1, 11), name="Axis Co")),
        article(event("axis-co", "partnership", D(2025, 1, 10), name="Axis Co")),
        article(event("axis-co", "product_launch", D(2024, 6, 1), "month", name="Axis Co")),
        article(event("axis-co", "offer", D(2025, 3, 4), name="Axis Co", basis=UNDATED)),
        # One offer two sources report with different amounts, and one a day later.
        article(event("conflict-co", "offer", D(2025, 3, 4), name="Conflict Co",
                      quantity=(10_000_000, "tokens")), source="Reuters"),
        article(event("conflict-co", "offer", D(2025, 3, 4), name="Conflict Co",
                      quantity=(12_000_000, "tokens")), source="Heise", language="de"),
        article(event("conflict-co", "offer", D(2025, 3, 5), name="Conflict Co",
                      quantity=(10_000_000, "tokens")), source="Caixin"),
        article(DISPUTED, source="Reuters"),
        article(as_reported_in(event("dispute-co", "offer", D(2025, 4, 1), name="Dispute Co",
                                     product="ERNIE 4.0"), DISPUTED), source="Caixin"),
        article(as_reported_in(event("dispute-co", "offer", D(2025, 4, 2), name="Dispute Co"),
                               DISPUTED), source="Xinhua"),
        *(article(QUIET, source=f"Wire {n}") for n in range(4)),
        article(as_reported_in(event("quiet-co", "offer", D(2025, 5, 1), name="Quiet Co",
                                     quantity=(12_000_000, "tokens"), confidence=0.4), QUIET),
                source="Blog"),
        # A block and a rival's answer, for the responses view on a phone.
        article(
            event("block-co", "access_block", D(2025, 2, 1), name="Block Co"),
            event("rival-co", "offer", D(2025, 2, 3), name="Rival Co", others=("block-co",),
                  quantity=(5_000_000, "tokens")),
        ),
        idle_actor("idle-co"),
        *bulk("bulk-co", BULK),
    ]


def _event_count(api: str, slug: str) -> int:
    body = httpx.get(f"{api}/v1/actors", params={"q": slug}, timeout=10).json()
    return next((a["event_count"] for a in body["data"] if a["slug"] == slug), -1)


def _source_counts(api: str, slug: str) -> list[int]:
    return [e["source_count"] for e in timeline(api, slug)]


def load(running: Running) -> None:
    """Publish `dashboard_articles()` and wait until the api serves all of them."""
    publish(running, dashboard_articles())
    api = running.api
    wait_until(lambda: _event_count(api, "bulk-co") == BULK, 300, f"{BULK} bulk events")
    wait_until(lambda: len(timeline(api, "conflict-co")) == 2, 30, "the conflict events")
    wait_until(lambda: len(timeline(api, "axis-co")) == 5, 30, "the axis events")
    wait_until(lambda: _source_counts(api, "dispute-co") == [3], 30, "the disputed offer")
    wait_until(lambda: _source_counts(api, "quiet-co") == [5], 30, "the quiet offer")
