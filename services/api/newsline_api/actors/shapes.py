"""HTTP shapes of actors."""

from __future__ import annotations

import datetime as dt

from newsline_api.shapes import Public


class ActorPublic(Public):
    """An actor with how many events name it and the date of the latest one."""

    slug: str
    name: str
    kind: str
    parent: str | None
    reviewed: bool
    aliases: list[str]
    event_count: int
    latest_event_date: dt.date | None


class ActorList(Public):
    """`GET /v1/actors`: busiest actors first."""

    data: list[ActorPublic]
