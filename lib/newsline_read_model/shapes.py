"""The public event document: what a timeline page and `/v1/events/{id}` serve.

Defined once and shared by the writer (the timeline consumer renders it into
`events.doc`) and the reader (the api serves it). Field order is the JSON order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from newsline_contracts import DateBasis, DatePrecision, EventType
from newsline_vocabulary import Subtype

# What the sources of one event can disagree on, in the order a card names them.
Disagreement = Literal["date", "amount", "product"]
DISAGREEMENTS: tuple[Disagreement, ...] = get_args(Disagreement)


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class EventActorPublic(_Public):
    """An actor's part in an event (`subject` acts, `object` is acted upon)."""

    slug: str
    name: str
    role: str


class QuantityPublic(_Public):
    """An amount with its unit (`tokens`, `USD`, `percent`, ...)."""

    value: float
    unit: str


class EvidencePublic(_Public):
    """The sentence an event was read from, with offsets into the article's normalised text."""

    text: str
    start: int
    end: int


class SourcePublic(_Public):
    """One article that reported the event, with what it said."""

    article_id: uuid.UUID
    title: str | None
    url: str | None
    source: str | None
    language: str
    published_at: dt.datetime | None
    evidence: EvidencePublic
    # The date, amount and product as this source gave them: the event keeps the first
    # report's, so these are how a disagreement shows who said what.
    date: dt.date
    date_precision: DatePrecision
    quantity: QuantityPublic | None
    product: str | None
    confidence: float


class EventPublic(_Public):
    """One event merged from every article that reported it.

    In a timeline page `sources` holds the most confident few (`source_count` says how
    many there are, `languages` lists all of theirs); `/v1/events/{id}` holds them all.
    """

    id: uuid.UUID
    type: EventType
    # The finer kind (acquisition, fine, ruling, layoffs ...) where the text names one.
    subtype: Subtype | None = None
    actors: list[EventActorPublic]
    date: dt.date
    date_precision: DatePrecision
    date_basis: DateBasis
    quantity: QuantityPublic | None
    product: str | None
    summary: str
    confidence: float
    # The most confident source's evidence; null only if every source was deleted.
    evidence: EvidencePublic | None
    sources: list[SourcePublic]
    source_count: int
    languages: list[str]
    # What some source (among all of them, not only those above) states otherwise.
    disagreements: list[Disagreement]
    first_seen_at: dt.datetime
    updated_at: dt.datetime
