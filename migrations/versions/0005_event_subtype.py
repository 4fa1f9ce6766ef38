"""Events keep the finer kind the text names (`subtype`: acquisition, fine, ruling ...).

A nullable column: events stored before it have none, and a later report that names
the subtype fills it in (the store's merge rule). Stored documents need no re-render:
a document without the key reads as `subtype: null`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("subtype", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("events", "subtype")
