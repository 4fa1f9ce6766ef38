"""What the api changes, in its JSON log, with the article ids of what it touched.

The same `article_ids` field as ingest's and the consumer's lines
(newsline_contracts.logs), so a filter on one article id also finds its event's removal.
"""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_contracts.logs import article_ids
from newsline_db import event_sources

log = logging.getLogger("newsline.api.audit")


async def source_articles(conn: AsyncConnection, event_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the articles an event was extracted from (read before removing it)."""
    rows = await conn.execute(sa.select(event_sources.c.article_id)
                              .where(event_sources.c.event_id == event_id)
                              .order_by(event_sources.c.article_id))
    return list(rows.scalars())


def log_removal(event_id: uuid.UUID, articles: list[uuid.UUID], change_id: int) -> None:
    """One line per removed event: which, from which articles, under which change id."""
    log.info("removed event %s (from %d article(s)), change %d", event_id, len(articles),
             change_id, extra={"event_id": str(event_id), "change_id": change_id,
                               **article_ids(articles)})
