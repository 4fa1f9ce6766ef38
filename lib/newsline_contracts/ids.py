"""Deterministic identifiers: the same content always gets the same id."""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f1c2a5e-2b7d-4c1e-9a57-3d1f0c9b8e21")


def content_hash(normalised_text: str) -> str:
    """SHA-256 hex digest of an article's normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def article_id(normalised_text: str) -> uuid.UUID:
    """The article id: a name-based UUID of its content hash."""
    return uuid.uuid5(_NAMESPACE, "article:" + content_hash(normalised_text))


def event_id(merge_key: str) -> uuid.UUID:
    """The event id: a name-based UUID of the engine's merge key."""
    return uuid.uuid5(_NAMESPACE, "event:" + merge_key)
