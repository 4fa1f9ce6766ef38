"""Newsline's vocabulary, defined once: event types and subtypes, date precisions and
bases, the timeline order, and when two product names are one product.

Plain Python (no framework): the engine, the stream contracts, the database schema and
the api (its OpenAPI enums and `GET /v1/vocabulary`, which the dashboard reads) all take
theirs from here. Each tuple is derived from its `Literal`, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple, get_args

__all__ = [
    "DATE_BASES",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "PRECISION_RANK",
    "SUBTYPES",
    "TIMELINE_ORDER",
    "DateBasis",
    "DatePrecision",
    "EventType",
    "Subtype",
    "TimelineKey",
    "product_key",
]

# In the order the dashboard lists them (filters, lanes).
EventType = Literal[
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
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)

# The finer kinds of DESIGN.md "Event types"; a trigger file may name any of them.
Subtype = Literal[
    "acquisition", "merger", "ruling", "fine", "law", "regulation", "export_control",
    "sanction", "licence", "subsidy", "approval", "investigation", "shutdown",
    "end_of_support", "suspension", "funding", "layoffs", "restructuring", "earnings",
    "charge", "founding", "lawsuit", "settlement", "appointment", "entity_list", "tariff",
    "ban", "recall", "plan", "statement", "deal",
]
SUBTYPES: tuple[Subtype, ...] = get_args(Subtype)

# Most precise first: the order the timeline puts them in at the same start date.
DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)

# Where an event's date comes from: written in the article (`stated`), counted from its
# reference time (`relative`), or, for an undated event, the publication date
# (`reported`), an estimate from the article's other dates (`inferred`) or the day it
# arrived (`received`).
DateBasis = Literal["stated", "relative", "reported", "inferred", "received"]
DATE_BASES: tuple[DateBasis, ...] = get_args(DateBasis)

# A precision's place in the timeline order (day 0, month 1, year 2), as stored in
# `precision_rank` (DESIGN.md, timeline order).
PRECISION_RANK: Mapping[DatePrecision, int] = MappingProxyType(
    {precision: rank for rank, precision in enumerate(DATE_PRECISIONS)}
)


class TimelineKey(NamedTuple):
    """An event's place in a timeline: by date, then precision, then first seen, then id.

    Every timeline (one actor's, several merged, an export) is in this order, and a
    keyset cursor is the last key of a page.
    """

    date: dt.date
    precision_rank: int
    first_seen_seq: int
    event_id: uuid.UUID


# The timeline order as field (and `event_actors` column) names.
TIMELINE_ORDER: tuple[str, ...] = TimelineKey._fields


_SPELLING = re.compile(r"[\s\-_]+")


def product_key(product: str | None) -> str:
    """Spelling-insensitive product key: 'ERNIE 3.5', 'Ernie-3.5' -> 'ernie3.5' ('' if none).

    The one product comparison: the engine's merge key and `same_event`, and the read
    model's "sources disagree on the product", all compare products by this key.
    """
    return _SPELLING.sub("", product.casefold()) if product else ""
