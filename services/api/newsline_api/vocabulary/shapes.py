"""HTTP shape of the vocabulary: newsline_vocabulary's lists, as a client reads them."""

from __future__ import annotations

from pydantic import Field

from newsline_api.shapes import Public
from newsline_vocabulary import DateBasis, DatePrecision, EventType, Subtype


class VocabularyPublic(Public):
    """`GET /v1/vocabulary`: every name an event's fields use, and the timeline order."""

    event_types: list[EventType] = Field(description="In the order the dashboard lists them")
    subtypes: list[Subtype] = Field(description="Finer kinds a type may name")
    date_precisions: list[DatePrecision] = Field(description="Most precise first")
    date_bases: list[DateBasis] = Field(description="Where an event's date comes from")
    precision_rank: dict[DatePrecision, int] = Field(
        description="A precision's place in the timeline order (lower comes first)")
    timeline_order: list[str] = Field(
        description="What a timeline is sorted by, first to last (ties broken by the next)")
    response_triggers: list[EventType] = Field(
        description="Types whose events GET /v1/events/{id}/responses answers for")
