"""Event documents from stored rows: the SQL that gathers an event's facts, actors and
sources, and the translation of those rows into the read model's typed values.

The rules (order, bounded view, incremental fold) live in `newsline_read_model`;
this module only reads. `statements(ids)` is plain Core, so the async api and
consumer and the synchronous migration share it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_db.tables import actors, articles, event_actors, event_sources, events
from newsline_read_model import (
    EventActorPublic,
    EventFacts,
    EventPublic,
    EvidencePublic,
    QuantityPublic,
    SourcePublic,
    render,
)

_FACT_COLUMNS = (
    events.c.id, events.c.type, events.c.subtype, events.c.date, events.c.date_precision,
    events.c.date_basis,
    events.c.quantity_value, events.c.quantity_unit, events.c.product, events.c.summary,
    events.c.confidence, events.c.first_seen_at, events.c.updated_at,
)


def quantity(row: Mapping[str, Any]) -> QuantityPublic | None:
    """A row's amount, when it states one."""
    if row["quantity_value"] is None or row["quantity_unit"] is None:
        return None
    return QuantityPublic(value=row["quantity_value"], unit=row["quantity_unit"])


def facts(row: Mapping[str, Any]) -> EventFacts:
    """An events row as the read model's facts."""
    return EventFacts(
        id=row["id"], type=row["type"], date=row["date"], date_precision=row["date_precision"],
        date_basis=row["date_basis"], quantity=quantity(row), product=row["product"],
        summary=row["summary"], confidence=row["confidence"],
        first_seen_at=row["first_seen_at"], updated_at=row["updated_at"],
        subtype=row.get("subtype"),  # absent in rows read by migrations before 0005
    )


def facts_select(ids: Sequence[uuid.UUID]) -> sa.Select[Any]:
    """The events' own fields (and stored document)."""
    return sa.select(*_FACT_COLUMNS, events.c.doc).where(events.c.id.in_(ids))


def actors_select(ids: Sequence[uuid.UUID]) -> sa.Select[Any]:
    """The events' actors with their current names."""
    return (
        sa.select(event_actors.c.event_id, event_actors.c.actor_slug.label("slug"),
                  actors.c.name, event_actors.c.role)
        .join(actors, actors.c.slug == event_actors.c.actor_slug)
        .where(event_actors.c.event_id.in_(ids))
    )


def sources_select(ids: Sequence[uuid.UUID],
                   article_ids: Sequence[uuid.UUID] | None = None) -> sa.Select[Any]:
    """The events' sources in stored order (optionally only those of some articles)."""
    s = event_sources.c
    stmt = (
        sa.select(s.event_id, s.article_id, articles.c.title, articles.c.url,
                  articles.c.source, s.language, articles.c.published_at, s.evidence_text,
                  s.evidence_start, s.evidence_end, s.date, s.date_precision,
                  s.quantity_value, s.quantity_unit, s.product, s.confidence)
        .join(articles, articles.c.id == s.article_id)
        .where(s.event_id.in_(ids))
        .order_by(s.event_id, s.stored_at, s.article_id)
    )
    if article_ids is not None:
        stmt = stmt.where(s.article_id.in_(article_ids))
    return stmt


def actor_of(row: Mapping[str, Any]) -> EventActorPublic:
    """An actors_select row as an event actor."""
    return EventActorPublic(slug=row["slug"], name=row["name"], role=row["role"])


def source_of(row: Mapping[str, Any]) -> SourcePublic:
    """A sources_select row as a source."""
    return SourcePublic(
        article_id=row["article_id"], title=row["title"], url=row["url"],
        source=row["source"], language=row["language"], published_at=row["published_at"],
        evidence=EvidencePublic(text=row["evidence_text"], start=row["evidence_start"],
                                end=row["evidence_end"]),
        date=row["date"], date_precision=row["date_precision"], quantity=quantity(row),
        product=row["product"], confidence=row["confidence"],
    )


def group(rows: Iterable[Mapping[str, Any]], shape: Any) -> dict[uuid.UUID, list[Any]]:
    """Rows shaped and grouped by their event id, in row order."""
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        found[row["event_id"]].append(shape(row))
    return found


async def load_documents(conn: AsyncConnection, ids: Sequence[uuid.UUID],
                         limit: int | None = None) -> dict[uuid.UUID, EventPublic]:
    """Documents of the events that exist among `ids`, from every source (first `limit`)."""
    if not ids:
        return {}
    rows = (await conn.execute(facts_select(ids))).mappings().all()
    by_actor = group((await conn.execute(actors_select(ids))).mappings(), actor_of)
    by_source = group((await conn.execute(sources_select(ids))).mappings(), source_of)
    return {row["id"]: render(facts(row), by_actor.get(row["id"], []),
                              by_source.get(row["id"], []), limit) for row in rows}


_WRITE = """
UPDATE events AS e SET doc = v.doc, updated_at = coalesce($3, e.updated_at)
FROM unnest($1::uuid[], $2::text[]) AS v(id, doc)
WHERE e.id = v.id
"""


async def write_documents(pg: Any, docs: Iterable[EventPublic],
                          updated_at: dt.datetime | None = None) -> None:
    """Store event documents in one statement (`pg`: the transaction's driver connection);
    with `updated_at`, the events' change time too."""
    ordered = sorted(docs, key=lambda d: d.id)
    if ordered:
        await pg.execute(_WRITE, [d.id for d in ordered], [d.model_dump_json() for d in ordered],
                         updated_at)
