"""A timeline's ETag: one formula for the database path (`page`) and the in-memory one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newsline_api.etag import version_etag
from newsline_api.timelines.queries import ACTOR_FIELDS


def actor_part(row: Mapping[str, Any]) -> str:
    """An actor row as the timeline ETag hashes it (figures, names, aliases, version)."""
    return repr([row[field] for field in ACTOR_FIELDS])


def timeline_etag(
    version: int, parts: Iterable[str], included: Sequence[str], query: Iterable[tuple[str, str]]
) -> str:
    """The tag of a timeline page: its newest change id, its actor rows, units, parameters."""
    return version_etag(version, *parts, ",".join(included), query=query)
