"""Weak ETags for polled pages, `If-None-Match` comparison, and the answers built on them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from fastapi import Response

POLL_CACHE = "no-cache"


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


def not_modified(etag: str, cache: str = POLL_CACHE) -> Response:
    """304 with the validator and no body."""
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache})


def json_answer(body: bytes, etag: str, cache: str = POLL_CACHE) -> Response:
    """200 with pre-serialised JSON (the pydantic model's bytes) and its validator."""
    return Response(
        body, media_type="application/json", headers={"ETag": etag, "Cache-Control": cache}
    )


def conditional_json(body: bytes, if_none_match: str | None, cache: str = POLL_CACHE) -> Response:
    """The body with its own ETag, or 304 if the client already holds it.

    `cache` is the Cache-Control of both answers: by default a polled page, which a
    cache may keep but must revalidate every time.
    """
    etag = body_etag(body)
    if etag_matches(if_none_match, etag):
        return not_modified(etag, cache)
    return json_answer(body, etag, cache)
