"""The HTTP parameters every timeline route shares (pages, merged timelines, exports)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query
from pydantic import BeforeValidator

from newsline_api.cursor import InvalidCursor, decode_cursor
from newsline_api.errors import ApiError
from newsline_api.timelines.queries import TimelineFilters
from newsline_http import NO_CONTROL_CHARS
from newsline_vocabulary import EventType, TimelineKey

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    # pydantic would also read `0` or `1720483200` as a Unix time, and `20240709` too.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a calendar date written YYYY-MM-DD")
    return value


# A date exactly as ISO 8601 writes a calendar day (2024-07-09), nothing looser.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
# An actor's slug in a path: letters, digits and hyphens in practice; never a control.
Slug = Annotated[str, Path(max_length=200, pattern=NO_CONTROL_CHARS)]


@dataclass(frozen=True)
class TimelineParams:
    """Filters, the unit switch, and where the page starts."""

    filters: TimelineFilters
    include_units: bool
    after: TimelineKey | None


async def timeline_params(
    type: Annotated[list[EventType] | None, Query(description="Repeat to allow several")] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="Inclusive, YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Inclusive, YYYY-MM-DD")
    ] = None,
    language: Annotated[
        str | None,
        Query(max_length=35, pattern=NO_CONTROL_CHARS,
              description="Keep events with a source in it"),
    ] = None,
    source: Annotated[
        str | None,
        Query(max_length=200, pattern=NO_CONTROL_CHARS,
              description="Article source name, any case"),
    ] = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    include_units: Annotated[
        bool, Query(description="Also events of actors whose parent is this one")
    ] = False,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> TimelineParams:
    """Validate and bundle the timeline parameters."""
    try:
        after = decode_cursor(cursor) if cursor else None
    except InvalidCursor as exc:
        raise ApiError(
            400, "invalid_cursor",
            "Query parameter 'cursor' is not a cursor this API issued; pass back a "
            "`next_cursor` unchanged, or omit it for the first page.",
            [{"location": ["query", "cursor"], "message": str(exc)}],
        ) from exc
    if date_from and date_to and date_from > date_to:
        raise ApiError(
            422, "validation_error",
            f"Query parameter 'from' ({date_from}) is after 'to' ({date_to}).",
        )
    filters = TimelineFilters(
        types=tuple(type or ()), date_from=date_from, date_to=date_to,
        language=language.lower() if language else None, source=source or None,
        min_confidence=min_confidence,
    )
    return TimelineParams(filters, include_units, after)


TimelineParamsDep = Annotated[TimelineParams, Depends(timeline_params)]
