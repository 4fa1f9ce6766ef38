"""HTTP shapes of the change feed and the responses view."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from newsline_api.schemas import EventPublic

ChangeKind = Literal["created", "updated", "merged", "removed"]


class ChangePublic(BaseModel):
    """One change: what happened to which event, whose timelines it touches, when."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: ChangeKind
    event_id: uuid.UUID
    actors: list[str]
    at: dt.datetime


class ChangePage(BaseModel):
    """`GET /v1/changes`: changes after the cursor, oldest first.

    `next_cursor` is always set: pass it back as `after` (it stays put when nothing is new).
    """

    model_config = ConfigDict(frozen=True)

    data: list[ChangePublic]
    next_cursor: str


class ResponsePublic(BaseModel):
    """Another actor's event that answered the trigger, and how many days after."""

    model_config = ConfigDict(frozen=True)

    delay_days: int
    matched_by: Literal["shared_article", "names_subject"]
    event: EventPublic


class ResponsesPage(BaseModel):
    """`GET /v1/events/{id}/responses`: who answered a block or policy, how fast, with what."""

    model_config = ConfigDict(frozen=True)

    trigger: EventPublic
    # The day the trigger became known: its date, or its earliest report if that came first.
    anchor_date: dt.date
    window_days: int
    data: list[ResponsePublic]
