"""The rules that turn an event's stored facts into its public document. Pure.

One event document is kept per event (`events.doc`): the bytes a timeline page
serves. The consumer maintains it incrementally with `fold`, from the document it
had and what the batch added, so a batch costs the same whether an event has two
sources or twenty thousand; `/v1/events/{id}` renders every source with `render`.
Both order actors and sources the same way, defined here once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsline_contracts import DateBasis, DatePrecision, EventType
from newsline_vocabulary import PRECISION_RANK, Subtype, product_key

from .shapes import (
    DISAGREEMENTS,
    Disagreement,
    EventActorPublic,
    EventPublic,
    QuantityPublic,
    SourcePublic,
)

# How many sources a timeline page carries per event (the most confident); the
# event's own endpoint carries all of them.
SOURCES_IN_PAGE = 3


@dataclass(frozen=True)
class EventFacts:
    """An event's own merged fields, as the events table holds them."""

    id: uuid.UUID
    type: EventType
    date: dt.date
    date_precision: DatePrecision
    date_basis: DateBasis
    quantity: QuantityPublic | None
    product: str | None
    summary: str
    confidence: float
    first_seen_at: dt.datetime
    updated_at: dt.datetime
    subtype: Subtype | None = None


def ordered_actors(actors: Iterable[EventActorPublic]) -> list[EventActorPublic]:
    """The one acting first, then the rest by role and slug; one entry per slug."""
    unique: dict[str, EventActorPublic] = {}
    for actor in actors:
        unique.setdefault(actor.slug, actor)
    return sorted(unique.values(), key=lambda a: (a.role != "subject", a.role, a.slug))


def ordered_sources(stored_order: Iterable[SourcePublic]) -> list[SourcePublic]:
    """Most confident first; ties keep the order they were stored in.

    `stored_order` lists sources as they were stored (earlier transactions first,
    within one by article id): the source that lends the event its evidence is the
    most confident one that came first.
    """
    return sorted(stored_order, key=lambda s: -s.confidence)


def _same_date(a: dt.date, a_precision: DatePrecision,
               b: dt.date, b_precision: DatePrecision) -> bool:
    # Compared at the coarser precision: "July 2024" does not contradict "9 July 2024".
    parts = 3 - max(PRECISION_RANK[a_precision], PRECISION_RANK[b_precision])
    return (a.year, a.month, a.day)[:parts] == (b.year, b.month, b.day)[:parts]


def disagreements(facts: EventFacts, sources: Iterable[SourcePublic]) -> set[Disagreement]:
    """What some of `sources` state otherwise than the event: its date, amount or product.

    The event keeps the first report's date and the first amount and product any source
    stated, so a source that differs from the event differs from another source; comparing
    each with the event lets `fold` find them batch by batch without reading old sources.
    """
    found: set[Disagreement] = set()
    product = product_key(facts.product)  # spelling aside: "ERNIE 3.5" is "Ernie-3.5"
    for s in sources:
        if not _same_date(s.date, s.date_precision, facts.date, facts.date_precision):
            found.add("date")
        if s.quantity and facts.quantity and s.quantity != facts.quantity:
            found.add("amount")
        if (s.product and product and s.product != facts.product
                and product_key(s.product) != product):
            found.add("product")
        if len(found) == len(DISAGREEMENTS):
            break
    return found


def render(facts: EventFacts, actors: Iterable[EventActorPublic],
           stored_order: Sequence[SourcePublic], limit: int | None = None) -> EventPublic:
    """The document of an event from all of its sources (the first `limit` kept)."""
    sources = ordered_sources(stored_order)
    return _document(facts, ordered_actors(actors), sources[:limit], len(sources),
                     {s.language for s in sources}, disagreements(facts, sources))


def fold(previous: EventPublic | None, facts: EventFacts,
         new_actors: Iterable[EventActorPublic],
         new_sources: Iterable[SourcePublic]) -> EventPublic:
    """The page document after a batch: the previous one plus what the batch added.

    Equal to `render(..., limit=SOURCES_IN_PAGE)` over every source: a source that
    was not among the previous few is outranked by all of them, and the batch's own
    sources were stored after every earlier one (so they lose ties).
    """
    added = sorted(new_sources, key=lambda s: str(s.article_id))
    kept = list(previous.sources) if previous else []
    actors = [*(previous.actors if previous else []), *new_actors]
    languages = {*(previous.languages if previous else []), *(s.language for s in added)}
    count = (previous.source_count if previous else 0) + len(added)
    sources = ordered_sources([*kept, *added])[:SOURCES_IN_PAGE]
    found = {*(previous.disagreements if previous else []), *disagreements(facts, added)}
    return _document(facts, ordered_actors(actors), sources, count, languages, found)


def renamed(doc: EventPublic, slug: str, name: str) -> EventPublic:
    """The document with an actor's curated name."""
    actors = [a.model_copy(update={"name": name}) if a.slug == slug else a for a in doc.actors]
    return doc.model_copy(update={"actors": actors})


def _document(facts: EventFacts, actors: list[EventActorPublic], sources: list[SourcePublic],
              count: int, languages: set[str], found: set[Disagreement]) -> EventPublic:
    return EventPublic(
        id=facts.id, type=facts.type, subtype=facts.subtype, actors=actors, date=facts.date,
        date_precision=facts.date_precision, date_basis=facts.date_basis,
        quantity=facts.quantity, product=facts.product, summary=facts.summary,
        confidence=facts.confidence, evidence=sources[0].evidence if sources else None,
        sources=sources, source_count=count, languages=sorted(languages),
        disagreements=[kind for kind in DISAGREEMENTS if kind in found],
        first_seen_at=facts.first_seen_at, updated_at=facts.updated_at,
    )
