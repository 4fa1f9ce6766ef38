"""Contracts shared by ingest, timeline and api: stream messages, names, ids."""

from newsline_contracts.ids import article_id, content_hash, event_id
from newsline_contracts.messages import (
    SCHEMA_VERSION,
    ActorSeen,
    ArticleParsed,
    EventActorSeen,
    EventExtracted,
    Evidence,
    Quantity,
)
from newsline_contracts.streams import StreamNames
from newsline_vocabulary import DateBasis, DatePrecision, EventType

__all__ = [
    "SCHEMA_VERSION",
    "ActorSeen",
    "ArticleParsed",
    "DateBasis",
    "DatePrecision",
    "EventActorSeen",
    "EventExtracted",
    "EventType",
    "Evidence",
    "Quantity",
    "StreamNames",
    "article_id",
    "content_hash",
    "event_id",
]
