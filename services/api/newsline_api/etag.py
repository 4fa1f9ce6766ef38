"""Weak ETags for polled pages, and `If-None-Match` comparison."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import RowMapping

from newsline_api.schemas import ActorPublic


def timeline_etag(
    actor: ActorPublic, rows: Sequence[RowMapping], has_more: bool,
    query: Iterable[tuple[str, str]],
) -> str:
    """A weak validator of one timeline page: its actor, events (id, updated_at) and query."""
    digest = hashlib.sha256()
    # The actor's count and latest date are part of the page, so a new event anywhere
    # in the timeline changes every page's ETag: pollers of page one see it.
    digest.update(actor.model_dump_json().encode())
    for row in rows:
        digest.update(f"|{row['id']}@{row['updated_at'].isoformat()}".encode())
    digest.update(f"|more={has_more}|".encode())
    digest.update("&".join(f"{k}={v}" for k, v in sorted(query)).encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
