"""HTTP shapes of the change feed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from newsline_api.shapes import Public

ChangeKind = Literal["created", "updated", "merged", "removed"]


class ChangePublic(Public):
    """One change: what happened to which event, whose timelines it touches, when."""

    id: int
    kind: ChangeKind
    event_id: uuid.UUID
    actors: list[str]
    at: dt.datetime


class ChangePage(Public):
    """`GET /v1/changes`: changes after the cursor, oldest first.

    `next_cursor` is always set: pass it back as `after` (it stays put when nothing is new).
    """

    data: list[ChangePublic]
    next_cursor: str
