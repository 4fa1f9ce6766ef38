"""Event reads: one event's row and documents, and who answered a block or policy."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from newsline_api.timelines.order import EVENT_ORDER
from newsline_db import actors, articles, event_actors, event_sources, events
from newsline_db.documents import load_documents
from newsline_read_model import EventPublic
from newsline_vocabulary import EventType


async def get_event_row(conn: AsyncConnection, event_id: uuid.UUID) -> RowMapping | None:
    """One event row, or None."""
    return (await conn.execute(sa.select(events).where(events.c.id == event_id))).mappings().first()


async def load_events(conn: AsyncConnection, rows: Sequence[RowMapping]) -> list[EventPublic]:
    """The full documents (every source) of event rows, in the rows' order."""
    docs = await load_documents(conn, [row["id"] for row in rows])
    return [docs[row["id"]] for row in rows if row["id"] in docs]


# The types are the vocabulary's (mypy checks each name against it).
TRIGGER_TYPES: tuple[EventType, ...] = ("access_block", "access_restriction", "policy")
RESPONSE_TYPES: tuple[EventType, ...] = (
    "offer", "migration_program", "price_cut", "product_launch", "partnership",
)
MAX_RESPONSES = 200


def _days_after(day: dt.date, days: int) -> dt.date:
    # A trigger stored at the end of time (9999-12-31, PostgreSQL's 'infinity') has no
    # later day to reach: the window stops at the last one.
    return day + dt.timedelta(days=min(days, (dt.date.max - day).days))


def _interval_end() -> sa.ColumnElement[dt.date]:
    """The last day an event's date stands for, at its precision."""
    spans = {"month": "interval '1 month'", "year": "interval '1 year'"}
    return sa.case(
        *((events.c.date_precision == p, sa.cast(
            events.c.date + sa.literal_column(span) - sa.literal_column("interval '1 day'"),
            sa.Date)) for p, span in spans.items()),
        else_=events.c.date)


@dataclass(frozen=True)
class Responses:
    """The anchor day and the answering events with their match rule."""

    anchor: dt.date
    rows: Sequence[RowMapping]


async def find_responses(
    conn: AsyncConnection, trigger: RowMapping, window_days: int
) -> Responses:
    """Events answering `trigger` within `window_days` of the day it became known.

    The rule, pragmatic by design:
    - the anchor is the trigger's date, or the earliest publication date of an article
      reporting it when that came first (a block announced on 25 June, effective 9 July,
      is answered from 25 June on);
    - a response is an offer, migration programme, price cut, product launch or
      partnership whose date interval (a day, or the whole month or year its precision
      spans: "July 2024" answers a block of 9 July) meets the anchor to anchor + window,
      whose subject is not one of the trigger's subjects;
    - and it names them: it shares an article with the trigger (`shared_article`), or
      one of its articles mentions a trigger subject by name or alias, or it lists the
      subject among its own actors (`names_subject`).
    """
    subjects = (await conn.execute(
        sa.select(actors.c.slug, actors.c.name, actors.c.aliases)
        .join(event_actors, event_actors.c.actor_slug == actors.c.slug)
        .where(event_actors.c.event_id == trigger["id"], event_actors.c.role == "subject")
    )).mappings().all()
    first_report = (await conn.execute(
        sa.select(sa.func.min(articles.c.published_at))
        .join(event_sources, event_sources.c.article_id == articles.c.id)
        .where(event_sources.c.event_id == trigger["id"])
    )).scalar()
    anchor = min(trigger["date"], first_report.date()) if first_report else trigger["date"]
    slugs = [s["slug"] for s in subjects]
    names = sorted({n for s in subjects for n in (s["name"], *s["aliases"]) if n.strip()})

    trigger_articles = sa.select(event_sources.c.article_id).where(
        event_sources.c.event_id == trigger["id"]
    )
    shares_article = sa.exists().where(
        event_sources.c.event_id == events.c.id,
        event_sources.c.article_id.in_(trigger_articles),
    )
    mentions = sa.exists().where(
        event_sources.c.event_id == events.c.id,
        articles.c.id == event_sources.c.article_id,
        sa.or_(sa.false(), *(articles.c.text.icontains(n, autoescape=True) for n in names)),
    )
    lists_subject = sa.exists().where(
        event_actors.c.event_id == events.c.id, event_actors.c.actor_slug.in_(slugs)
    )
    acted_by_subject = sa.exists().where(
        event_actors.c.event_id == events.c.id, event_actors.c.role == "subject",
        event_actors.c.actor_slug.in_(slugs),
    )
    stmt = (
        sa.select(events, sa.case((shares_article, "shared_article"),
                                  else_="names_subject").label("matched_by"))
        .where(
            events.c.type.in_(RESPONSE_TYPES),
            events.c.date <= _days_after(anchor, window_days),
            _interval_end() >= anchor,
            events.c.id != trigger["id"],
            sa.not_(acted_by_subject),
            sa.or_(shares_article, mentions, lists_subject),
        )
        .order_by(*EVENT_ORDER)
        .limit(MAX_RESPONSES)
    )
    return Responses(anchor, (await conn.execute(stmt)).mappings().all())
