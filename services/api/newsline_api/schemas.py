"""HTTP shapes, named by role: what the api promises its clients (never DB rows)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from newsline_read_model import (
    EventActorPublic,
    EventPublic,
    EvidencePublic,
    QuantityPublic,
    SourcePublic,
)

# The event document is defined once, in the read model the consumer renders with.
__all__ = [
    "ActorList",
    "ActorPublic",
    "EventActorPublic",
    "EventPublic",
    "EvidencePublic",
    "Health",
    "MultiTimelinePage",
    "QuantityPublic",
    "Readiness",
    "SourcePublic",
    "TimelineExport",
    "TimelinePage",
]


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


class TimelineExport(_Public):
    """`GET /v1/actors/{slug}/timeline.json`: the whole filtered timeline in one file."""

    actor: ActorPublic
    included: list[str]
    events: list[EventPublic]


class Health(_Public):
    """`GET /healthz`: the process answers."""

    status: str


class Readiness(_Public):
    """`GET /readyz`: whether the database answers."""

    status: str
    database: str
