"""Newsline's pure extraction engine: article text in, actors and dated events out."""

from .extractor import Extractor
from .knowledge import Knowledge, default_knowledge_dir, load_knowledge
from .model import (
    EXTRACTOR_VERSION,
    ActorRef,
    ArticleInput,
    Event,
    EventActor,
    Evidence,
    Extraction,
    ExtractionError,
    KnowledgeError,
    Quantity,
    ReferenceTime,
)
from .summary import merge_key, product_key, same_event
from .text import html_date, html_to_text, normalise_text

__all__ = [
    "EXTRACTOR_VERSION",
    "ActorRef",
    "ArticleInput",
    "Event",
    "EventActor",
    "Evidence",
    "Extraction",
    "ExtractionError",
    "Extractor",
    "Knowledge",
    "KnowledgeError",
    "Quantity",
    "ReferenceTime",
    "default_knowledge_dir",
    "html_date",
    "html_to_text",
    "load_knowledge",
    "merge_key",
    "normalise_text",
    "product_key",
    "same_event",
]
