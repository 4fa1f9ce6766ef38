"""HTTP shapes of downloads (the JSON one; the others are files in their own formats)."""

from __future__ import annotations

from newsline_api.actors.shapes import ActorPublic
from newsline_api.shapes import Public
from newsline_read_model import EventPublic


class TimelineExport(Public):
    """`GET /v1/actors/{slug}/timeline.json`: the whole filtered timeline in one file."""

    actor: ActorPublic
    included: list[str]
    events: list[EventPublic]
