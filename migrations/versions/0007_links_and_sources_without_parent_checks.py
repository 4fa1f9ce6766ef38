"""Link and source rows no longer pay foreign-key checks to `actors` and `articles`.

Each `event_actors` row checked that its actor exists and each `event_sources` row
that its article exists: two index probes and row locks per row, about 30 % of a link
insert. Only the timeline store writes these rows, and it writes their parents first
in the same transaction: every slug a link names is upserted into `actors`
(rules.actor_rows), every article a source names into `articles`, whose insert now
conflicts on `id` only, so an article whose text is stored under another id fails the
batch as the check did. Nothing deletes actors or articles. The keys to `events` stay:
removing an event cascades to its links and sources. tests/integration/test_store.py
checks that no link or source is ever left without its parent.

Downgrading adds both keys back (validated, so it fails on a row without its parent).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("fk_event_actors_actor_slug_actors", "event_actors", type_="foreignkey")
    op.drop_constraint("fk_event_sources_article_id_articles", "event_sources",
                       type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key("fk_event_actors_actor_slug_actors", "event_actors", "actors",
                          ["actor_slug"], ["slug"])
    op.create_foreign_key("fk_event_sources_article_id_articles", "event_sources", "articles",
                          ["article_id"], ["id"], ondelete="CASCADE")
