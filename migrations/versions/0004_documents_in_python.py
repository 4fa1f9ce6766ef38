"""Event documents rendered in Python, bounded in size; the SQL renderer goes.

`events.doc` is now maintained by the timeline consumer with the read model's `fold`
(`newsline_read_model`): the document carries the most confident few sources, how
many there are and all their languages, and a batch updates it from what it added
instead of re-rendering every source. This migration renders the stored events once
in that shape, with the same code, and drops `newsline_event_doc` and
`newsline_json_float`. Downgrading recreates them and re-renders with SQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from newsline_db import documents
from newsline_db.tables import events
from newsline_read_model import SOURCES_IN_PAGE, render

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 2_000
_COLUMNS_AT_0004 = [events.c[name] for name in (
    "id", "type", "date", "date_precision", "date_basis", "quantity_value", "quantity_unit",
    "product", "summary", "confidence", "first_seen_at", "updated_at")]


def upgrade() -> None:
    bind = op.get_bind()
    after = None
    while True:
        stmt = sa.select(events.c.id).order_by(events.c.id).limit(BATCH)
        if after is not None:
            stmt = stmt.where(events.c.id > after)
        ids = list(bind.execute(stmt).scalars())
        if not ids:
            break
        # The columns as they stand at this revision (later ones may add more).
        rows = bind.execute(sa.select(*_COLUMNS_AT_0004).where(events.c.id.in_(ids))
                            ).mappings().all()
        by_actor = documents.group(bind.execute(documents.actors_select(ids)).mappings(),
                                   documents.actor_of)
        by_source = documents.group(bind.execute(documents.sources_select(ids)).mappings(),
                                    documents.source_of)
        docs = [{"b_id": row["id"], "b_doc": render(
            documents.facts(row), by_actor.get(row["id"], []), by_source.get(row["id"], []),
            SOURCES_IN_PAGE).model_dump_json()} for row in rows]
        bind.execute(sa.update(events).where(events.c.id == sa.bindparam("b_id"))
                     .values(doc=sa.bindparam("b_doc")), docs)
        after = ids[-1]
    op.execute("DROP FUNCTION newsline_event_doc(uuid)")
    op.execute("DROP FUNCTION newsline_json_float(double precision)")


def downgrade() -> None:
    spec = importlib.util.spec_from_file_location(
        "event_doc_0003", Path(__file__).with_name("0003_event_doc.py"))
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous._JSON_FLOAT)
    op.execute(previous._EVENT_DOC)
    op.execute("UPDATE events SET doc = newsline_event_doc(id)")
