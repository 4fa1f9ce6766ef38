"""HTTP shapes of the responses view (an event itself is `newsline_read_model.EventPublic`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from newsline_api.shapes import Public
from newsline_read_model import EventPublic


class ResponsePublic(Public):
    """Another actor's event that answered the trigger, and how many days after."""

    delay_days: int
    matched_by: Literal["shared_article", "names_subject"]
    event: EventPublic


class ResponsesPage(Public):
    """`GET /v1/events/{id}/responses`: who answered a block or policy, how fast, with what."""

    trigger: EventPublic
    # The day the trigger became known: its date, or its earliest report if that came first.
    anchor_date: dt.date
    window_days: int
    data: list[ResponsePublic]
