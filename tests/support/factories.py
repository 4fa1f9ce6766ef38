"""Factories for stream messages: tests say only what matters to them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from newsline_contracts import (
    ActorSeen,
    ArticleParsed,
    EventActorSeen,
    EventExtracted,
    Evidence,
    Quantity,
    article_id,
    content_hash,
    event_id,
)

_counter = itertools.count(1)
RECEIVED = dt.datetime(2024, 7, 10, 8, 0, tzinfo=dt.UTC)


def event(
    actor: str = "openai",
    type: str = "access_block",
    date: dt.date = dt.date(2024, 7, 9),
    precision: str = "day",
    *,
    name: str | None = None,
    others: tuple[str, ...] = (),
    quantity: tuple[float, str] | None = None,
    product: str | None = None,
    evidence: str | None = None,
    confidence: float = 0.9,
    basis: str = "stated",
    subtype: str | None = None,
) -> EventExtracted:
    """One extracted event; the merge key follows the engine's shape."""
    bucket = {"day": date.isoformat(), "month": date.isoformat()[:7], "year": str(date.year)}
    key = f"{type}|{actor}|{bucket[precision]}|{(product or '').lower()}"
    text = evidence or f"{name or actor.title()} did {type} on {date.isoformat()}."
    return EventExtracted(
        event_id=event_id(key),
        merge_key=key,
        type=type,  # type: ignore[arg-type]
        subtype=subtype,  # type: ignore[arg-type]
        actors=(
            EventActorSeen(slug=actor, name=name or actor.title(), role="subject"),
            *(EventActorSeen(slug=o, name=o.title(), role="object") for o in others),
        ),
        date=date,
        date_precision=precision,
        date_basis=basis,  # type: ignore[arg-type]
        quantity=Quantity(value=quantity[0], unit=quantity[1]) if quantity else None,
        product=product,
        summary=text,
        confidence=confidence,
        evidence=Evidence(text=text, start=0, end=len(text)),
        extractor_version="test",
    )


def article(*events: EventExtracted, text: str | None = None, **fields: Any) -> ArticleParsed:
    """An article message carrying `events`; its text is unique unless given."""
    body = text or f"Article {next(_counter)}: " + " ".join(e.evidence.text for e in events)
    slugs = {a.slug: a.name for e in events for a in e.actors}
    values: dict[str, Any] = {
        "article_id": article_id(body),
        "content_hash": content_hash(body),
        "language": "en",
        "received_at": RECEIVED,
        "text": body,
        "actors": tuple(ActorSeen(slug=s, name=n) for s, n in sorted(slugs.items())),
        "events": events,
    }
    return ArticleParsed(**(values | fields))
