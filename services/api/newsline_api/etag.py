"""Weak ETags for polled pages, `If-None-Match` comparison, and the answers built on them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import Response

from newsline_api.page_sql import ACTOR_FIELDS

POLL_HEADERS = {"Cache-Control": "no-cache"}


def version_etag(version: int, *parts: str, query: Iterable[tuple[str, str]] = ()) -> str:
    """An ETag from a change id and what else shapes the answer, without reading the page.

    `version` is the newest change id touching the actors shown; `parts` are the other
    things a page carries (the actor rows); `query` the request's parameters, so two
    filters of one timeline never share a tag.
    """
    digest = hashlib.sha256(f"v{version}".encode())
    for part in parts:
        digest.update(b"|" + part.encode())
    digest.update(b"|" + "&".join(f"{k}={v}" for k, v in sorted(query)).encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def actor_part(row: Mapping[str, Any]) -> str:
    """An actor row as the timeline ETag hashes it (figures, names, aliases, version)."""
    return repr([row[field] for field in ACTOR_FIELDS])


def timeline_etag(
    version: int, parts: Iterable[str], included: Sequence[str], query: Iterable[tuple[str, str]]
) -> str:
    """A timeline's ETag: one formula for the database path and the in-memory one."""
    return version_etag(version, *parts, ",".join(included), query=query)


def body_etag(body: bytes) -> str:
    """An ETag of a serialised answer, for lists cheap enough to build on every poll."""
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def not_modified(etag: str) -> Response:
    """304 with the validator and no body."""
    return Response(status_code=304, headers={"ETag": etag, **POLL_HEADERS})


def json_answer(body: bytes, etag: str) -> Response:
    """200 with pre-serialised JSON (the pydantic model's bytes) and polling headers."""
    return Response(body, media_type="application/json", headers={"ETag": etag, **POLL_HEADERS})


def conditional_json(body: bytes, if_none_match: str | None) -> Response:
    """The body with its own ETag, or 304 if the client already holds it."""
    etag = body_etag(body)
    return not_modified(etag) if etag_matches(if_none_match, etag) else json_answer(body, etag)
