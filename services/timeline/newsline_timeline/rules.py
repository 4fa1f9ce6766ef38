"""The timeline's rules over plain values: message -> rows, merging, curation, change kinds.

Pure: no SQL, no I/O. `store.py` runs the statements these rows feed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from newsline_contracts import ArticleParsed, EventExtracted
from newsline_db import PRECISION_RANK


def article_row(msg: ArticleParsed) -> dict[str, Any]:
    """The articles row of a message."""
    return {
        "id": msg.article_id, "content_hash": msg.content_hash, "title": msg.title,
        "url": msg.url, "source": msg.source, "language": msg.language,
        "published_at": msg.published_at, "received_at": msg.received_at, "text": msg.text,
    }


def event_row(ev: EventExtracted) -> dict[str, Any]:
    """The events row of one extracted event, as this report states it."""
    return {
        "id": ev.event_id, "merge_key": ev.merge_key, "type": ev.type, "subtype": ev.subtype,
        "date": ev.date,
        "date_precision": ev.date_precision, "date_basis": ev.date_basis,
        "precision_rank": PRECISION_RANK[ev.date_precision],
        "quantity_value": ev.quantity.value if ev.quantity else None,
        "quantity_unit": ev.quantity.unit if ev.quantity else None,
        "product": ev.product, "summary": ev.summary, "confidence": ev.confidence,
        "extractor_version": ev.extractor_version,
    }


def source_row(msg: ArticleParsed, ev: EventExtracted) -> dict[str, Any]:
    """The event_sources row: what one article said about one event (actors as plain
    dicts in the contract's shape, which the jsonb column holds)."""
    return {
        "event_id": ev.event_id, "article_id": msg.article_id, "language": msg.language,
        "evidence_text": ev.evidence.text, "evidence_start": ev.evidence.start,
        "evidence_end": ev.evidence.end, "confidence": ev.confidence, "date": ev.date,
        "date_precision": ev.date_precision, "date_basis": ev.date_basis,
        "quantity_value": ev.quantity.value if ev.quantity else None,
        "quantity_unit": ev.quantity.unit if ev.quantity else None,
        "product": ev.product,
        "actors": [{"slug": a.slug, "name": a.name, "role": a.role} for a in ev.actors],
        "extractor_version": ev.extractor_version,
    }


def actor_rows(batch: Sequence[ArticleParsed]) -> list[dict[str, Any]]:
    """One actors row per slug the batch names, aliases accumulated, in slug order."""
    rows: dict[str, dict[str, Any]] = {}
    aliases: dict[str, set[str]] = {}
    for msg in batch:
        for actor in msg.actors:
            if actor.slug not in rows:
                rows[actor.slug] = {
                    "slug": actor.slug, "name": actor.name, "kind": actor.kind,
                    "parent_slug": actor.parent, "reviewed": actor.reviewed,
                }
                aliases[actor.slug] = set()
            aliases[actor.slug].update(actor.aliases)
        for ev in msg.events:
            for ea in ev.actors:  # an event may name an actor the article list missed
                if ea.slug not in rows:
                    rows[ea.slug] = {"slug": ea.slug, "name": ea.name, "kind": "company",
                                     "parent_slug": None, "reviewed": False}
                    aliases[ea.slug] = set()
    # Sorted once per slug at the end: a hot actor is named by most articles of a batch.
    return [rows[k] | {"aliases": sorted(aliases[k])} for k in sorted(rows)]


def actor_rows_to_write(
    rows: list[dict[str, Any]], known: dict[str, tuple[bool, list[str]]]
) -> list[dict[str, Any]]:
    """The rows that would change something: new actors, curation, new aliases."""
    return [
        row
        for row in rows
        if row["slug"] not in known
        or (row["reviewed"] and not known[row["slug"]][0])
        or not set(row["aliases"]) <= set(known[row["slug"]][1])
    ]


def curates(row: dict[str, Any], known: dict[str, tuple[bool, list[str]]]) -> bool:
    """A reviewed entry replaces an earlier unreviewed guess of the same slug."""
    return row["slug"] in known and row["reviewed"] and not known[row["slug"]][0]


def merge_event_rows(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Combine two reports of one event: keep what the first said, fill what it lacked.

    A source that states the amount or the product completes an event first seen
    without them; when both state different values, the event keeps the first and
    each source row keeps its own, so the conflict stays visible. (The events upsert
    in store.py applies the same rule against the stored row.)
    """
    merged = dict(first)
    fills = (first["quantity_value"] is None and other["quantity_value"] is not None) or (
        first["product"] is None and other["product"] is not None
    )
    if first["quantity_value"] is None:
        merged["quantity_value"], merged["quantity_unit"] = (
            other["quantity_value"],
            other["quantity_unit"],
        )
    merged["product"] = first["product"] or other["product"]
    merged["subtype"] = first.get("subtype") or other.get("subtype")
    if fills:
        merged["summary"] = other["summary"]
    merged["confidence"] = max(first["confidence"], other["confidence"])
    return merged


def classify(created: Iterable[uuid.UUID], raised: Iterable[uuid.UUID],
             sourced: Iterable[uuid.UUID], linked: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """What happened to each event a batch changed: created, merged or updated.

    `merged`: a new article's source joined; `updated`: higher confidence, a filled-in
    amount or product, or a new actor; `created` wins over both.
    """
    sourced = set(sourced)
    kinds = {ev_id: "merged" if ev_id in sourced else "updated"
             for ev_id in {*raised, *sourced, *linked}}
    kinds.update(dict.fromkeys(created, "created"))
    return kinds
