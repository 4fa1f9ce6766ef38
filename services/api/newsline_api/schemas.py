"""HTTP shapes, named by role: what the api promises its clients (never DB rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

from newsline_contracts import DateBasis, DatePrecision, EventType


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class ActorPublic(_Public):
    """An actor with how many events name it and the date of the latest one."""

    slug: str
    name: str
    kind: str
    parent: str | None
    reviewed: bool
    aliases: list[str]
    event_count: int
    latest_event_date: dt.date | None


class ActorList(_Public):
    """`GET /v1/actors`: busiest actors first."""

    data: list[ActorPublic]


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
    quantity: QuantityPublic | None
    confidence: float


class EventPublic(_Public):
    """One event merged from every article that reported it."""

    id: uuid.UUID
    type: EventType
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
    first_seen_at: dt.datetime
    updated_at: dt.datetime


class TimelinePage(_Public):
    """One page of an actor's timeline; pass `next_cursor` back as `cursor` for the next."""

    actor: ActorPublic
    # Slugs whose events the page holds: the actor, plus its units with include_units=true.
    included: list[str]
    data: list[EventPublic]
    next_cursor: str | None


class MultiTimelinePage(_Public):
    """`GET /v1/timeline`: several actors' timelines merged, each event once."""

    actors: list[ActorPublic]
    included: list[str]
    data: list[EventPublic]
    next_cursor: str | None



class Health(_Public):
    """`GET /healthz`: the process answers."""

    status: str


class Readiness(_Public):
    """`GET /readyz`: whether the database answers."""

    status: str
    database: str
