"""Request → engine input → stream message: the ingest service's only logic."""

from __future__ import annotations

import datetime as dt
import logging
import math

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
from newsline_engine import (
    ArticleInput,
    Event,
    Extraction,
    Extractor,
    html_date,
    html_to_text,
)
from newsline_ingest.schemas import ArticleIn, EventOut
from newsline_ingest.window import EARLIEST, event_date_ok, latest_event_date

log = logging.getLogger("newsline.ingest")


class TextTooLong(Exception):
    """The text the engine would read is longer than the configured limit."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(
            f"the article's text is {length} characters, more than the limit of {limit} "
            "(NEWSLINE_MAX_TEXT_CHARS; for html, counted after reduction to its main text)")
        self.length, self.limit = length, limit


def check_text_length(body: ArticleIn, limit: int) -> None:
    """Raise TextTooLong for a posted `text` over the limit (cheap: before any work)."""
    if body.text is not None and len(body.text) > limit:
        raise TextTooLong(len(body.text), limit)


def _event_message(ev: Event, version: str) -> EventExtracted:
    return EventExtracted(
        event_id=event_id(ev.merge_key),
        merge_key=ev.merge_key,
        type=ev.type,
        actors=tuple(EventActorSeen(slug=a.slug, name=a.name, role=a.role) for a in ev.actors),
        date=ev.date,
        date_precision=ev.date_precision,
        date_basis=ev.date_basis,
        # An amount too large for a float ("1e400 tokens") is no amount.
        quantity=Quantity(value=ev.quantity.value, unit=ev.quantity.unit)
        if ev.quantity and math.isfinite(ev.quantity.value) else None,
        product=ev.product,
        summary=ev.summary,
        confidence=ev.confidence,
        evidence=Evidence(text=ev.evidence.text, start=ev.evidence.start, end=ev.evidence.end),
        extractor_version=version,
        subtype=ev.subtype,
    )


def _aliases(extractor: Extractor, slug: str) -> tuple[str, ...]:
    # The engine exposes no alias lookup; read its knowledge (ActorDef.aliases) read-only.
    known = extractor.knowledge.actors.get(slug)
    return tuple(known.aliases) if known else ()


def _in_window(events: tuple[Event, ...], received_at: dt.datetime) -> tuple[Event, ...]:
    kept = tuple(e for e in events if event_date_ok(e.date, received_at))
    if len(kept) < len(events):
        # Dropped, not clamped: a clamped date would be invented.
        dates = sorted({e.date.isoformat() for e in events if e not in kept})
        log.info("dropped %d event(s) dated %s, outside %s..%s", len(events) - len(kept),
                 ", ".join(dates), EARLIEST, latest_event_date(received_at))
    return kept


def extract_article(
    body: ArticleIn, extractor: Extractor, received_at: dt.datetime,
    max_text_chars: int | None = None,
) -> ArticleParsed:
    """Extract one posted article and wrap it as the stream message (CPU only, no I/O).

    The engine gets the text as posted (or reduced from the HTML) and normalises it;
    the message carries the engine's text, the one every evidence offset indexes, and
    its hash names the article. Raises TextTooLong past `max_text_chars`; events dated
    outside the window (newsline_ingest.window) are dropped.
    """
    raw = body.text if body.text else html_to_text(body.html or "")
    if max_text_chars is not None and len(raw) > max_text_chars:
        raise TextTooLong(len(raw), max_text_chars)
    # Without published_at, the page's own metadata may still say when it was published.
    page_date = html_date(body.html) if body.html and body.published_at is None else None
    result: Extraction = extractor.extract(
        ArticleInput(
            text=raw,
            received_at=received_at,
            title=body.title,
            language=body.language,
            published_at=body.published_at,
            metadata_date=page_date,
        )
    )
    text = result.text
    return ArticleParsed(
        article_id=article_id(text),
        content_hash=content_hash(text),
        title=body.title,
        url=body.url,
        source=body.source,
        language=result.language,
        published_at=body.published_at,
        received_at=received_at,
        text=text,
        actors=tuple(
            ActorSeen(
                slug=a.slug,
                name=a.name,
                kind=a.kind,
                parent=a.parent,
                reviewed=a.reviewed,
                aliases=_aliases(extractor, a.slug),
            )
            for a in result.actors
        ),
        events=tuple(_event_message(e, result.extractor_version)
                     for e in _in_window(result.events, received_at)),
    )


def events_out(message: ArticleParsed) -> list[EventOut]:
    """The events of a message in the HTTP answer's shape."""
    return [
        EventOut(
            id=e.event_id, **e.model_dump(exclude={"event_id", "merge_key", "extractor_version"})
        )
        for e in message.events
    ]


def actors_out(message: ArticleParsed) -> list[dict[str, object]]:
    """The actors of a message as plain JSON objects."""
    return [a.model_dump() for a in message.actors]


__all__ = ["TextTooLong", "actors_out", "check_text_length", "events_out", "extract_article"]
