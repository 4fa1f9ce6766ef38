"""Stream messages: frozen, versioned, named for what already happened."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The vocabulary is defined once (newsline_vocabulary); messages name it, re-exported here.
from newsline_vocabulary import DateBasis, DatePrecision, EventType, Subtype

SCHEMA_VERSION: Literal[1] = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActorSeen(_Frozen):
    """An organisation or person named in an article."""

    slug: str
    name: str
    kind: str = "company"
    parent: str | None = None
    reviewed: bool = True
    # Every name the knowledge files give it, any language (`Baidu`, `百度`); optional so
    # messages published before the field existed still validate.
    aliases: tuple[str, ...] = ()


class EventActorSeen(_Frozen):
    """An actor's part in one event (`subject` is the one acting)."""

    slug: str
    name: str
    role: str = "subject"


class Quantity(_Frozen):
    """An amount with its unit (`tokens`, `USD`, `percent`, ...)."""

    value: float
    unit: str


class Evidence(_Frozen):
    """The sentence an event was read from, with offsets into the normalised text."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class EventExtracted(_Frozen):
    """One event as the engine read it from one article."""

    event_id: uuid.UUID
    merge_key: str
    type: EventType
    actors: tuple[EventActorSeen, ...]
    date: dt.date
    date_precision: DatePrecision
    date_basis: DateBasis
    quantity: Quantity | None = None
    product: str | None = None
    summary: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: Evidence
    extractor_version: str
    # The finer kind the text names (fine, ruling, layoffs ...); added in schema 1 with a
    # default, so messages from before it still validate.
    subtype: Subtype | None = None


class ArticleParsed(_Frozen):
    """Published by ingest once an article was normalised and its events extracted."""

    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: uuid.UUID
    content_hash: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str
    published_at: dt.datetime | None = None
    received_at: dt.datetime
    text: str
    actors: tuple[ActorSeen, ...] = ()
    events: tuple[EventExtracted, ...] = ()
    # Published by `newsline reextract`: `events` is everything the current engine reads
    # in this article, so what the article's earlier extraction reported and this one no
    # longer does is withdrawn (an event left with no source is removed).
    reextracted: bool = False
