"""Event documents say what each source gave as the date and product, and what they disagree on.

Each source in `events.doc` now carries its own `date`, `date_precision` and `product`
(stored per source in `event_sources` from the start), and the document lists
`disagreements`: the date, amount or product some source states otherwise, found over
every source, not only the few a page keeps. The consumer maintains both with `fold`;
this migration renders the stored events once in the new shape with the same code.
Downgrading renders them again without the new keys (the 0005 shape).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from newsline_db import documents
from newsline_db.tables import events
from newsline_read_model import SOURCES_IN_PAGE, EventPublic, render

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 2_000
# The columns as they stand at this revision (later ones may add more).
_COLUMNS_AT_0006 = [events.c[name] for name in (
    "id", "type", "subtype", "date", "date_precision", "date_basis", "quantity_value",
    "quantity_unit", "product", "summary", "confidence", "first_seen_at", "updated_at")]


def _without_new_keys(doc: EventPublic) -> str:
    """The document as 0005 stored it: no per-source date or product, no disagreements."""
    body = doc.model_dump(mode="json")
    del body["disagreements"]
    for source in body["sources"]:
        for key in ("date", "date_precision", "product"):
            del source[key]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _rerender(dump: Callable[[EventPublic], str]) -> None:
    bind = op.get_bind()
    after = None
    while True:
        stmt = sa.select(events.c.id).order_by(events.c.id).limit(BATCH)
        if after is not None:
            stmt = stmt.where(events.c.id > after)
        ids = list(bind.execute(stmt).scalars())
        if not ids:
            break
        rows = bind.execute(sa.select(*_COLUMNS_AT_0006).where(events.c.id.in_(ids))
                            ).mappings().all()
        by_actor = documents.group(bind.execute(documents.actors_select(ids)).mappings(),
                                   documents.actor_of)
        by_source = documents.group(bind.execute(documents.sources_select(ids)).mappings(),
                                    documents.source_of)
        docs: list[dict[str, Any]] = [{"b_id": row["id"], "b_doc": dump(render(
            documents.facts(row), by_actor.get(row["id"], []), by_source.get(row["id"], []),
            SOURCES_IN_PAGE))} for row in rows]
        bind.execute(sa.update(events).where(events.c.id == sa.bindparam("b_id"))
                     .values(doc=sa.bindparam("b_doc")), docs)
        after = ids[-1]


def upgrade() -> None:
    _rerender(EventPublic.model_dump_json)


def downgrade() -> None:
    _rerender(_without_new_keys)
