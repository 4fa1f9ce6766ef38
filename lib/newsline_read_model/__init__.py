"""The public event document, defined once: its shapes and the pure rules that render it."""

from .documents import SOURCES_IN_PAGE, EventFacts, fold, ordered_actors, renamed, render
from .shapes import EventActorPublic, EventPublic, EvidencePublic, QuantityPublic, SourcePublic

__all__ = [
    "SOURCES_IN_PAGE",
    "EventActorPublic",
    "EventFacts",
    "EventPublic",
    "EvidencePublic",
    "QuantityPublic",
    "SourcePublic",
    "fold",
    "ordered_actors",
    "renamed",
    "render",
]
