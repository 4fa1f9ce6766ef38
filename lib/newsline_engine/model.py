"""Plain data passed in and out of the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

EXTRACTOR_VERSION = "0.2.0"

EVENT_TYPES = (
    "announcement",
    "access_block",
    "access_restriction",
    "offer",
    "price_cut",
    "migration_program",
    "product_launch",
    "policy",
    "partnership",
    "other",
)


class KnowledgeError(ValueError):
    """A knowledge data file is missing or malformed; str() names file, entry and problem."""


class ExtractionError(ValueError):
    """An article cannot be turned into text or events."""


@dataclass(frozen=True)
class ArticleInput:
    text: str
    received_at: datetime
    title: str | None = None
    language: str | None = None
    published_at: datetime | None = None


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

    @property
    def subject(self) -> str:
        """Slug of the acting actor."""
        return self.actors[0].slug

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "merge_key": self.merge_key,
            "type": self.type,
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "language": self.language,
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "extractor_version": self.extractor_version,
        }
