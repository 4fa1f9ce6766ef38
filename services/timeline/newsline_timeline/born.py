"""The document of an event a batch creates, built from plain values: the write path's
hot loop, without one pydantic model per source, actor and event.

The document is still defined once, by `newsline_read_model`: the JSON comes from a
serializer derived from `EventPublic`'s own schema (same field order, same encoding of
dates, floats and ids), the dicts are ordered by the models' fields (a field the models
gain and this module does not fill fails loudly), and the rules that pick, order and
compare sources are the read model's (`ordered_actors`, `ordered_sources`,
`disagreements`), called on light records. tests/unit/test_born_document.py checks that
the bytes equal `fold(None, ...)` of the same reports.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel
from pydantic_core import SchemaSerializer

from newsline_contracts import ArticleParsed, EventExtracted
from newsline_read_model import SOURCES_IN_PAGE, EventPublic, SourcePublic, ordered_actors
from newsline_read_model.documents import disagreements, ordered_sources
from newsline_read_model.shapes import DISAGREEMENTS


def _plain(schema: Any) -> Any:
    """A model's core schema with every model turned into a typed dict of its fields."""
    if isinstance(schema, dict):
        if schema.get("type") == "model":
            return _plain(schema["schema"])
        if schema.get("type") == "model-fields":
            return {"type": "typed-dict", "fields": {
                name: {"type": "typed-dict-field", "schema": _plain(field["schema"]),
                       "required": True}
                for name, field in schema["fields"].items()}}
        return {key: _plain(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_plain(item) for item in schema]
    return schema


def plain_serializer(model: type[BaseModel]) -> SchemaSerializer:
    """Serialises dicts (in `model`'s field order) exactly as `model_dump_json` would."""
    return SchemaSerializer(_plain(model.__pydantic_core_schema__))


_DOCUMENT = plain_serializer(EventPublic)
_EVENT_FIELDS = tuple(EventPublic.model_fields)
_SOURCE_FIELDS = tuple(SourcePublic.model_fields)


def _quantity(value: float | None, unit: str | None) -> dict[str, Any] | None:
    return None if value is None or unit is None else {"value": value, "unit": unit}


def source_fields(msg: ArticleParsed, ev: EventExtracted) -> dict[str, Any]:
    """One report as the document's `SourcePublic` shows it, as a dict in field order."""
    fields = {
        "article_id": msg.article_id, "title": msg.title, "url": msg.url, "source": msg.source,
        "language": msg.language, "published_at": msg.published_at,
        "evidence": {"text": ev.evidence.text, "start": ev.evidence.start,
                     "end": ev.evidence.end},
        "date": ev.date, "date_precision": ev.date_precision,
        "quantity": _quantity(ev.quantity.value, ev.quantity.unit) if ev.quantity else None,
        "product": ev.product, "confidence": ev.confidence,
    }
    return {name: fields[name] for name in _SOURCE_FIELDS}


def born_document(row: dict[str, Any], now: dt.datetime, actors: list[dict[str, str]],
                  sources: list[dict[str, Any]]) -> bytes:
    """`fold(None, facts(row), actors, sources).model_dump_json()`, without the models.

    `row` is the event's merged events row, `actors` its links ({slug, name, role}),
    `sources` its reports (`source_fields`) in the order they are stored (by article id,
    as text), all from the batch that inserts it.
    """
    facts = SimpleNamespace(
        date=row["date"], date_precision=row["date_precision"], product=row["product"],
        quantity=_quantity(row["quantity_value"], row["quantity_unit"]))
    added = [SimpleNamespace(**s) for s in sources]
    kept = ordered_sources(added)[:SOURCES_IN_PAGE]  # type: ignore[arg-type]
    found = disagreements(facts, added)  # type: ignore[arg-type]
    by_slug = ordered_actors(SimpleNamespace(**a) for a in actors)  # type: ignore[misc]
    doc = {
        "id": row["id"], "type": row["type"], "subtype": row.get("subtype"),
        "actors": [a.__dict__ for a in by_slug], "date": row["date"],
        "date_precision": row["date_precision"], "date_basis": row["date_basis"],
        "quantity": facts.quantity, "product": row["product"], "summary": row["summary"],
        "confidence": row["confidence"],
        "evidence": kept[0].evidence if kept else None,
        "sources": [s.__dict__ for s in kept], "source_count": len(added),
        "languages": sorted({s.language for s in added}),
        "disagreements": [kind for kind in DISAGREEMENTS if kind in found],
        "first_seen_at": now, "updated_at": now,
    }
    return _DOCUMENT.to_json({name: doc[name] for name in _EVENT_FIELDS})
