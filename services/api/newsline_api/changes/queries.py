"""Change-feed reads: the rows after a cursor, oldest first."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.changes.shapes import ChangePublic
from newsline_db import changes


async def changes_after(conn: AsyncConnection, after: int, limit: int) -> list[ChangePublic]:
    """Up to `limit` changes with id > `after`, by id (a primary-key range scan).

    Writers make ids visible in id order (newsline_db.feed), so once a poller has
    seen id N no change with a smaller id can appear later: `after` never skips one.
    """
    stmt = (
        sa.select(changes.c.id, changes.c.kind, changes.c.event_id, changes.c.actors,
                  changes.c.at)
        .where(changes.c.id > after)
        .order_by(changes.c.id)
        .limit(limit)
    )
    return [ChangePublic.model_validate(row) for row in (await conn.execute(stmt)).mappings()]
