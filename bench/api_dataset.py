"""The api bench's data set: 1 M events over 10 k actors, loaded through `persist_batch`.

Deterministic (seeded), so a re-run builds the same messages. Events are written only
through the timeline service's real write path, one transaction per batch, so the
tables, indexes, change feed and actor_stats are exactly what production would hold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing as mp
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_args

from newsline_contracts import (
    ActorSeen,
    ArticleParsed,
    EventActorSeen,
    EventExtracted,
    EventType,
    Evidence,
    Quantity,
    article_id,
    content_hash,
    event_id,
)

TYPES = get_args(EventType)
OUTLETS = (
    "Reuters",
    "Bloomberg",
    "Handelsblatt",
    "TechCrunch",
    "Caixin",
    "Le Monde",
    "The Verge",
    "Heise",
    "Nikkei",
    "Financial Times",
    "The Information",
    "SCMP",
)
LANGUAGES = ("en",) * 7 + ("de",) * 2 + ("zh",)
UNITS = ("USD", "EUR", "tokens", "percent", "users")
PRODUCTS = ("Cloud", "Chat", "Search", "API", "Maps", "Ads", "Store", "Assistant")
START = dt.date(2021, 1, 1)
DAYS = 5 * 365
RECEIVED = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DatasetSpec:
    """What to load: sizes and the shape of the actor distribution."""

    events: int = 1_000_000
    actors: int = 10_000
    hot_actors: int = 3
    hot_events: int = 150_000  # subject events per hot actor
    events_per_article: int = 4
    second_source_share: float = 0.4  # events also reported by a second article
    object_share: float = 0.3  # events naming a second actor
    batch_articles: int = 250  # articles per persist_batch transaction (~1,000 events)
    seed: int = 20261122


def actor_slug(i: int) -> str:
    """Hot actors are `hot-0..`, the rest `actor-00042`."""
    return f"actor-{i:05d}"


def _actor_seen(slug: str) -> ActorSeen:
    name = slug.replace("-", " ").title()
    return ActorSeen(slug=slug, name=name, aliases=(name, f"{name} Inc."))


def _subjects(spec: DatasetSpec, rng: random.Random) -> list[int]:
    """Subject actor index per event: the hot ones fixed, the rest a long (Zipf-like) tail."""
    hot = [i for i in range(spec.hot_actors) for _ in range(spec.hot_events)]
    rest_n = spec.events - len(hot)
    tail = range(spec.hot_actors, spec.actors)
    cum, total = [], 0.0
    for rank, _ in enumerate(tail, start=1):
        total += 1.0 / rank**0.9
        cum.append(total)
    rest = rng.choices(list(tail), cum_weights=cum, k=rest_n)
    # Every actor appears at least once (the tail would leave some empty otherwise).
    rest[: len(tail)] = list(tail)
    subjects = hot + rest
    rng.shuffle(subjects)
    return subjects


def _event(i: int, subject: str, other: str | None, rng: random.Random) -> EventExtracted:
    etype = rng.choice(TYPES)
    date = START + dt.timedelta(days=rng.randrange(DAYS))
    precision = rng.choices(("day", "month", "year"), (85, 10, 5))[0]
    if precision == "month":
        date = date.replace(day=1)
    elif precision == "year":
        date = date.replace(month=1, day=1)
    product = rng.choice(PRODUCTS) if rng.random() < 0.4 else None
    quantity = (
        Quantity(value=round(rng.uniform(1, 5000), 2), unit=rng.choice(UNITS))
        if rng.random() < 0.3
        else None
    )
    name = subject.replace("-", " ").title()
    text = (
        f"{name} announced a {etype.replace('_', ' ')}"
        f"{' of ' + product if product else ''} on {date.isoformat()}"
        f"{f' worth {quantity.value} {quantity.unit}' if quantity else ''} (report {i})."
    )
    bucket = {"day": date.isoformat(), "month": date.isoformat()[:7], "year": str(date.year)}
    key = f"{etype}|{subject}|{bucket[precision]}|{(product or '').lower()}|bench:{i}"
    actors = [EventActorSeen(slug=subject, name=name, role="subject")]
    if other:
        actors.append(
            EventActorSeen(slug=other, name=other.replace("-", " ").title(), role="object")
        )
    return EventExtracted(
        event_id=event_id(key),
        merge_key=key,
        type=etype,
        actors=tuple(actors),
        date=date,
        date_precision=precision,
        date_basis=rng.choice(("stated", "relative", "reported")),
        quantity=quantity,
        product=product,
        summary=text,
        confidence=round(rng.uniform(0.5, 0.99), 3),
        evidence=Evidence(text=text, start=0, end=len(text)),
        extractor_version="bench-1",
    )


def _article(n: int, events: list[EventExtracted], rng: random.Random) -> ArticleParsed:
    body = f"Bench article {n}. " + " ".join(e.evidence.text for e in events)
    slugs = sorted({a.slug for e in events for a in e.actors})
    outlet = rng.choice(OUTLETS)
    first = min(e.date for e in events)
    return ArticleParsed(
        article_id=article_id(body),
        content_hash=content_hash(body),
        title=f"{events[0].summary[:60]}",
        url=f"https://news.example/{outlet.lower()}/{n}",
        source=outlet,
        language=rng.choice(LANGUAGES),
        published_at=dt.datetime.combine(first, dt.time(9), tzinfo=dt.UTC),
        received_at=RECEIVED,
        text=body,
        actors=tuple(_actor_seen(s) for s in slugs),
        events=tuple(events),
    )


def batch_count(spec: DatasetSpec) -> int:
    """How many persist_batch transactions the data set takes."""
    per_batch = spec.batch_articles * spec.events_per_article
    return -(-spec.events // per_batch)


def batches(spec: DatasetSpec, part: int = 0, parts: int = 1) -> Iterator[list[ArticleParsed]]:
    """Every `parts`-th batch from `part`; some events reported by two articles.

    Each batch draws from its own seeded generator, so a loader process builds only
    its share and the union over all parts is always the same data set.
    """
    subjects = _subjects(spec, random.Random(spec.seed))
    per_batch = spec.batch_articles * spec.events_per_article
    for index in range(part, batch_count(spec), parts):
        rng = random.Random(spec.seed * 1_000_003 + index)
        start = index * per_batch
        n_article = index * spec.batch_articles
        batch: list[ArticleParsed] = []
        echo: list[EventExtracted] = []  # events the next article reports again
        for a_start in range(start, min(start + per_batch, spec.events), spec.events_per_article):
            own = []
            for i in range(a_start, min(a_start + spec.events_per_article, spec.events)):
                subject = actor_slug(subjects[i])
                other = None
                if rng.random() < spec.object_share:
                    other = actor_slug(rng.randrange(spec.actors))
                    other = None if other == subject else other
                own.append(_event(i, subject, other, rng))
            batch.append(_article(n_article, own + echo, rng))
            n_article += 1
            echo = [e for e in own if rng.random() < spec.second_source_share]
        yield batch


async def _load_part(
    database_url: str,
    spec: DatasetSpec,
    part: int,
    parts: int,
    workers: int,
    progress: Any,
) -> None:
    from newsline_db import make_engine
    from newsline_timeline.store import persist_batch

    engine = make_engine(database_url, pool_size=workers)
    queue: asyncio.Queue[list[ArticleParsed] | None] = asyncio.Queue(maxsize=workers)

    async def worker() -> None:
        while (batch := await queue.get()) is not None:
            async with engine.begin() as conn:  # one transaction per batch
                await persist_batch(conn, batch)
            with progress.get_lock():
                progress.value += len({e.event_id for m in batch for e in m.events})

    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    try:
        for batch in batches(spec, part, parts):
            await queue.put(batch)
        for _ in tasks:
            await queue.put(None)
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await engine.dispose()


def _part_main(
    database_url: str, spec: DatasetSpec, part: int, parts: int, workers: int, progress: Any
) -> None:
    asyncio.run(_load_part(database_url, spec, part, parts, workers, progress))


def load(
    database_url: str, spec: DatasetSpec, processes: int = 2, workers: int = 2
) -> dict[str, float]:
    """Write every batch with persist_batch from `processes` loaders; print progress.

    Several processes because building messages and SQLAlchemy's statement work are
    CPU-bound in Python; each process overlaps its DB waits with `workers` transactions.
    """
    ctx = mp.get_context("spawn")
    progress = ctx.Value("q", 0)
    procs = [
        ctx.Process(target=_part_main, args=(database_url, spec, p, processes, workers, progress))
        for p in range(processes)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    try:
        last = started
        while any(proc.is_alive() for proc in procs):
            time.sleep(0.2)
            now = time.perf_counter()
            if now - last < 5:
                continue
            last = now
            done = progress.value
            rate = done / (now - started)
            left = (spec.events - done) / rate if rate else float("nan")
            print(
                f"  loaded {done:>9,} events  {rate:>7,.0f} events/s  ~{left:,.0f} s left",
                flush=True,
            )
        failed = [proc.exitcode for proc in procs if proc.exitcode]
        if failed:
            raise RuntimeError(f"a loader process failed (exit codes {failed})")
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "events": progress.value,
        "events_per_s": round(progress.value / seconds),
        "processes": processes,
        "transactions_in_flight": processes * workers,
        "events_per_batch": spec.batch_articles * spec.events_per_article,
        "write_path": "newsline_timeline.store.persist_batch, one transaction per batch",
    }
