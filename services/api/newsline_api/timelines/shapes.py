"""HTTP shapes of timeline pages (field order is the JSON order `page` writes)."""

from __future__ import annotations

from newsline_api.actors.shapes import ActorPublic
from newsline_api.shapes import Public
from newsline_read_model import EventPublic


class TimelinePage(Public):
    """One page of an actor's timeline; pass `next_cursor` back as `cursor` for the next."""

    actor: ActorPublic
    # Slugs whose events the page holds: the actor, plus its units with include_units=true.
    included: list[str]
    data: list[EventPublic]
    next_cursor: str | None


class MultiTimelinePage(Public):
    """`GET /v1/timeline`: several actors' timelines merged, each event once."""

    actors: list[ActorPublic]
    included: list[str]
    data: list[EventPublic]
    next_cursor: str | None
