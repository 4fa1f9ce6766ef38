"""Plain data passed in and out of the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from newsline_vocabulary import EVENT_TYPES as VOCABULARY_TYPES
from newsline_vocabulary import SUBTYPES as VOCABULARY_SUBTYPES

EXTRACTOR_VERSION = "0.4.0"

# The event types and subtypes of DESIGN.md "Event types", defined once for every package.
EVENT_TYPES: tuple[str, ...] = VOCABULARY_TYPES
SUBTYPES: tuple[str, ...] = VOCABULARY_SUBTYPES


class KnowledgeError(ValueError):
    """A knowledge data file is missing or malformed; str() names file, entry and problem."""


class ExtractionError(ValueError):
    """An article cannot be turned into text or events."""


# Where a reference time can come from, most trusted first (DESIGN.md "Dates").
KNOWN_SOURCES = frozenset({"published_at", "metadata", "dateline"})
# Bases of events the article gives no date of: they sit at the reference time.
UNDATED_BASES = frozenset({"reported", "inferred", "received"})


def truncate(value: date, precision: str) -> date:
    """The start of the precision interval containing value."""
    if precision == "year":
        return date(value.year, 1, 1)
    return value.replace(day=1) if precision == "month" else value


@dataclass(frozen=True)
class ReferenceTime:
    """When an article was written, as far as it lets us know, and how that was found."""

    value: date  # the day relative dates are read against
    precision: str  # day | month | year: how well that day is known
    source: str  # published_at | metadata | dateline | estimate | received
    span: tuple[int, int] | None = None  # the dateline's offsets: its date dates no event

    def undated(self) -> tuple[date, str, str]:
        """Where an event the article does not date sits: (date, precision, date_basis)."""
        if self.source in KNOWN_SOURCES:  # a month-only header dates it to its month
            return truncate(self.value, self.precision), self.precision, "reported"
        if self.source == "estimate":
            return truncate(self.value, self.precision), self.precision, "inferred"
        return self.value, "day", "received"

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"date": self.value.isoformat(), "precision": self.precision,
                "source": self.source}


@dataclass(frozen=True)
class ArticleInput:
    text: str  # as posted, or reduced from HTML: Extractor.extract normalises it
    received_at: datetime
    title: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    # The publication day the page's own metadata states (HTML), when published_at is absent.
    metadata_date: date | None = None


@dataclass(frozen=True)
class ActorRef:
    slug: str
    name: str
    kind: str
    parent: str | None
    reviewed: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "parent": self.parent,
            "reviewed": self.reviewed,
        }


@dataclass(frozen=True)
class EventActor:
    slug: str
    name: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"slug": self.slug, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Event:
    merge_key: str
    type: str
    actors: tuple[EventActor, ...]
    date: date
    date_precision: str
    date_basis: str
    quantity: Quantity | None
    product: str | None
    summary: str
    confidence: float
    evidence: Evidence
    subtype: str | None = None  # the finer kind the text names (fine, ruling, layoffs...)

    @property
    def subject(self) -> str:
        """Slug of the acting actor."""
        return self.actors[0].slug

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "merge_key": self.merge_key,
            "type": self.type,
            "subtype": self.subtype,
            "actors": [a.to_dict() for a in self.actors],
            "date": self.date.isoformat(),
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "product": self.product,
            "summary": self.summary,
            "confidence": self.confidence,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class Extraction:
    language: str
    actors: tuple[ActorRef, ...]
    events: tuple[Event, ...]
    extractor_version: str
    reference_time: ReferenceTime | None = None  # when the article was written, as known
    # The article's text normalised once, here: every evidence offset indexes it, so it
    # is the text callers store and publish (to_dict leaves it out: the caller has it).
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "language": self.language,
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "extractor_version": self.extractor_version,
            "reference_time": self.reference_time.to_dict() if self.reference_time else None,
        }
