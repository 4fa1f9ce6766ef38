"""The timeline sort key (newsline_vocabulary.TimelineKey) as the api's SQL spells it.

Every ORDER BY, keyset comparison and cursor of the api is built from here, so the
order is written once: date, precision rank, first-seen sequence, event id (the
columns of `ix_event_actors_timeline`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from newsline_db import event_actors, events
from newsline_vocabulary import TIMELINE_ORDER, TimelineKey

# The key as stored on each link row (every link of an event carries the same key).
LINK_ORDER: tuple[sa.ColumnElement[Any], ...] = tuple(
    event_actors.c[name] for name in TIMELINE_ORDER
)
# The key on the event row itself, where the id is `id`.
EVENT_ORDER: tuple[sa.ColumnElement[Any], ...] = tuple(
    events.c["id" if name == "event_id" else name] for name in TIMELINE_ORDER
)


def order_sql(alias: str = "", *, descending: bool = False) -> str:
    """The key as a raw-SQL ORDER BY list (`k.date, k.precision_rank, ...`)."""
    prefix = f"{alias}." if alias else ""
    suffix = " DESC" if descending else ""
    return ", ".join(f"{prefix}{name}{suffix}" for name in TIMELINE_ORDER)


def after_key(
    columns: tuple[sa.ColumnElement[Any], ...], after: TimelineKey
) -> sa.ColumnElement[bool]:
    """`columns > after` as a row comparison (a range scan on the timeline index)."""
    return sa.tuple_(*columns) > sa.tuple_(
        *(sa.literal(value, col.type) for value, col in zip(after, columns, strict=True))
    )


def event_key(row: RowMapping) -> TimelineKey:
    """An event row's place in the timeline, for the next page's cursor."""
    return TimelineKey(*(row["id" if name == "event_id" else name] for name in TIMELINE_ORDER))
