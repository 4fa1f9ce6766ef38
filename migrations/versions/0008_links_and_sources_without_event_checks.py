"""Link and source rows no longer pay a foreign-key check to `events` either.

After 0007 the one check left on each `event_actors` and `event_sources` insert was
its event: an index probe and a KEY SHARE row lock per row, more than half of those
inserts' execution (3.3 of 6.0 ms and 3.5 of 6.4 ms per batch of 100 articles, round 2
of issue 8). The guarantee is the store's already: the batch upserts every event its
links and sources name, in the same transaction and before them, and that upsert
locks each event row until commit, so no removal can slip in between. What the key's
ON DELETE CASCADE did is now done explicitly: `newsline_db.feed.remove_event` (the
api's DELETE and re-extraction's removal, the only paths that delete events) locks the
event, then deletes its links and sources, then the event, in one transaction.
tests/integration/test_store.py checks that no link or source is ever left without its
event.

Downgrading adds both keys back (ON DELETE CASCADE, validated, so it fails on a row
without its event).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("fk_event_actors_event_id_events", "event_actors", type_="foreignkey")
    op.drop_constraint("fk_event_sources_event_id_events", "event_sources", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key("fk_event_actors_event_id_events", "event_actors", "events",
                          ["event_id"], ["id"], ondelete="CASCADE")
    op.create_foreign_key("fk_event_sources_event_id_events", "event_sources", "events",
                          ["event_id"], ["id"], ondelete="CASCADE")
