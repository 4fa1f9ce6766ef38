"""The timeline store on a real PostgreSQL: idempotent, merging, one transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from newsline_db import actor_stats, articles, changes, event_actors, event_sources, events
from newsline_db.documents import load_documents
from newsline_read_model import SOURCES_IN_PAGE, EventPublic
from newsline_timeline.store import persist_batch
from tests.support.factories import article, event

pytestmark = pytest.mark.integration


async def _count(engine: AsyncEngine, table: sa.Table) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar())


async def test_replayed_batch_changes_nothing(clean_db: AsyncEngine) -> None:
    batch = [article(event("openai"), event("baidu", "offer", quantity=(5e7, "tokens")))]
    async with clean_db.begin() as conn:
        assert await persist_batch(conn, batch) == 2
    async with clean_db.begin() as conn:
        assert await persist_batch(conn, batch) == 0
    assert await _count(clean_db, events) == 2
    assert await _count(clean_db, event_sources) == 2


async def test_same_event_from_two_articles_is_one_event_with_two_sources(
    clean_db: AsyncEngine,
) -> None:
    english = article(event("openai", evidence="OpenAI will block access from July 9, 2024."))
    german = article(
        event("openai", evidence="OpenAI blockiert ab dem 9. Juli 2024 den Zugang."),
        language="de",
    )
    async with clean_db.begin() as conn:
        await persist_batch(conn, [english])
    async with clean_db.begin() as conn:
        await persist_batch(conn, [german])
    assert await _count(clean_db, events) == 1
    async with clean_db.connect() as conn:
        languages = (await conn.execute(sa.select(event_sources.c.language))).scalars().all()
    assert sorted(languages) == ["de", "en"]


async def test_link_rows_carry_the_event_sort_key(clean_db: AsyncEngine) -> None:
    async with clean_db.begin() as conn:
        await persist_batch(conn, [article(event("openai", others=("china-gov",)))])
    async with clean_db.connect() as conn:
        rows = (await conn.execute(sa.select(event_actors))).mappings().all()
        seq = (await conn.execute(sa.select(events.c.first_seen_seq))).scalar_one()
    assert {r["actor_slug"]: r["role"] for r in rows} == {
        "openai": "subject",
        "china-gov": "object",
    }
    assert {(r["date"], r["first_seen_seq"]) for r in rows} == {(dt.date(2024, 7, 9), seq)}


async def test_failed_batch_leaves_nothing_behind(clean_db: AsyncEngine) -> None:
    good = article(event("openai"))
    with pytest.raises(sa.exc.DBAPIError):
        async with clean_db.begin() as conn:
            await persist_batch(conn, [good])
            await conn.execute(sa.text("SELECT 1/0"))
    assert await _count(clean_db, events) == 0


async def _orphans(engine: AsyncEngine) -> dict[str, int]:
    """Links and sources without their event, actor or article (no foreign key checks it)."""
    async with engine.connect() as conn:
        return dict((await conn.execute(sa.text("""
            SELECT
              (SELECT count(*) FROM event_actors l WHERE NOT EXISTS
                  (SELECT 1 FROM events e WHERE e.id = l.event_id)) AS links_without_event,
              (SELECT count(*) FROM event_actors l WHERE NOT EXISTS
                  (SELECT 1 FROM actors a WHERE a.slug = l.actor_slug)) AS links_without_actor,
              (SELECT count(*) FROM event_sources s WHERE NOT EXISTS
                  (SELECT 1 FROM events e WHERE e.id = s.event_id)) AS sources_without_event,
              (SELECT count(*) FROM event_sources s WHERE NOT EXISTS
                  (SELECT 1 FROM articles a WHERE a.id = s.article_id))
                  AS sources_without_article"""))).mappings().one())


NO_ORPHANS = {"links_without_event": 0, "links_without_actor": 0,
              "sources_without_event": 0, "sources_without_article": 0}


async def test_every_link_and_source_has_its_event_actor_and_article(
    clean_db: AsyncEngine,
) -> None:
    # event_actors and event_sources keep no foreign key to events, actors and articles
    # (migrations 0007 and 0008): the store writes all three parents in the batch's own
    # transaction, including an actor only an event names.
    unlisted = article(event("openai", others=("china-gov",)), actors=())
    batches = [[unlisted], [article(event("openai"), event("baidu", "offer"))], [unlisted]]
    for batch in batches:
        async with clean_db.begin() as conn:
            await persist_batch(conn, batch)
    assert await _count(clean_db, event_actors) == 3
    assert await _count(clean_db, event_sources) == 3
    assert await _orphans(clean_db) == NO_ORPHANS


async def test_removing_an_event_removes_its_links_and_sources(
    clean_db: AsyncEngine, database_url: str
) -> None:
    # No foreign key cascades from events any more (migration 0008): both paths that
    # delete an event, the api's DELETE and re-extraction's removal of an event no
    # source reports any more, go through remove_event, which deletes them explicitly.
    from newsline_api.app import create_app
    from newsline_api.settings import ApiSettings
    from tests.integration.api.conftest import _started_client

    block = event("openai", others=("china-gov",))
    offer = event("baidu", "offer", others=("openai",))
    launch = event("baidu", "product_launch", others=("china-gov",))
    first = article(block, offer, launch)
    second = article(block, offer, language="de")  # offer keeps a source after re-extraction
    async with clean_db.begin() as conn:
        await persist_batch(conn, [first, second])
    assert (await _count(clean_db, event_actors), await _count(clean_db, event_sources)) == (6, 5)

    app = create_app(ApiSettings(database_url=database_url, etag_poll_ms=0))
    async for client in _started_client(app):
        assert (await client.delete(f"/v1/events/{block.event_id}")).status_code == 204
    assert (await _count(clean_db, event_actors), await _count(clean_db, event_sources)) == (4, 3)
    assert await _orphans(clean_db) == NO_ORPHANS

    # The first article, read again, reports neither `offer` nor `launch`: `launch` has
    # no source left and is removed with its links; `offer` keeps the second article's.
    again = first.model_copy(update={"events": (), "reextracted": True})
    async with clean_db.begin() as conn:
        await persist_batch(conn, [again])
    async with clean_db.connect() as conn:
        left = set((await conn.execute(sa.select(events.c.id))).scalars().all())
        links = (await conn.execute(sa.select(event_actors.c.event_id))).scalars().all()
        sources = (await conn.execute(sa.select(event_sources.c.event_id))).scalars().all()
    assert left == {offer.event_id}
    assert sorted(links) == [offer.event_id] * 2 and sources == [offer.event_id]
    assert await _orphans(clean_db) == NO_ORPHANS
    assert [kind for kind, _ in await _changes(clean_db)][-3:] == [
        "removed", "removed", "updated"]


async def test_a_text_stored_under_another_id_fails_its_batch(clean_db: AsyncEngine) -> None:
    # A producer whose article id is not derived from the text: the articles insert
    # refuses it (as the foreign key used to), so no source is left without its article.
    stored = article(event("openai"))
    async with clean_db.begin() as conn:
        await persist_batch(conn, [stored])
    stranger = article(event("baidu", "offer"), text=stored.text,
                       article_id=uuid.uuid4())
    with pytest.raises(asyncpg.UniqueViolationError):
        async with clean_db.begin() as conn:
            await persist_batch(conn, [stranger])
    assert (await _count(clean_db, articles), await _count(clean_db, events)) == (1, 1)


async def _changes(engine: AsyncEngine) -> list[tuple[str, list[str]]]:
    async with engine.connect() as conn:
        stmt = sa.select(changes.c.kind, changes.c.actors).order_by(changes.c.id)
        rows = await conn.execute(stmt)
        return [(kind, list(slugs)) for kind, slugs in rows]


async def test_store_records_one_change_per_changed_event_and_none_on_replay(
    clean_db: AsyncEngine,
) -> None:
    block = event("openai", others=("china",))
    batch = [article(block), article(block, language="de")]  # created once, in one batch
    async with clean_db.begin() as conn:
        await persist_batch(conn, batch)
    async with clean_db.begin() as conn:
        await persist_batch(conn, batch)
    assert await _changes(clean_db) == [("created", ["china", "openai"])]
    async with clean_db.begin() as conn:
        await persist_batch(conn, [article(block, language="zh")])
    assert (await _changes(clean_db))[-1] == ("merged", ["china", "openai"])


async def test_store_keeps_actor_stats_in_step(clean_db: AsyncEngine) -> None:
    async with clean_db.begin() as conn:
        await persist_batch(
            conn, [article(event("openai"), event("openai", "policy", dt.date(2024, 8, 1)))]
        )
    async with clean_db.begin() as conn:  # a replay counts nothing twice
        await persist_batch(conn, [article(event("openai", "policy", dt.date(2024, 8, 1)))])
    async with clean_db.connect() as conn:
        stats = (await conn.execute(sa.select(actor_stats))).mappings().one()
        last = (await conn.execute(sa.select(sa.func.max(changes.c.id)))).scalar()
    assert (stats["event_count"], stats["latest_event_date"]) == (2, dt.date(2024, 8, 1))
    assert stats["last_change_id"] == last


async def test_a_later_source_fills_in_the_amount_and_conflicts_stay_per_source(
    clean_db: AsyncEngine,
) -> None:
    vague = article(event("sensetime", "offer", evidence="SenseTime offers free tokens."))
    precise = article(
        event(
            "sensetime",
            "offer",
            quantity=(5e7, "tokens"),
            evidence="SenseTime offers 50 million free tokens.",
        )
    )
    other = article(
        event(
            "sensetime",
            "offer",
            quantity=(1.5e8, "tokens"),
            evidence="SenseTime offers 150 million free tokens.",
        )
    )
    for message in (vague, precise, other):
        async with clean_db.begin() as conn:
            await persist_batch(conn, [message])
    async with clean_db.connect() as conn:
        row = (await conn.execute(sa.select(events))).mappings().one()
        per_source = (await conn.execute(sa.select(event_sources.c.quantity_value))).scalars()
        values = sorted(v for v in per_source if v is not None)
    assert (row["quantity_value"], row["quantity_unit"]) == (5e7, "tokens")
    assert "50 million" in row["summary"]
    assert values == [5e7, 1.5e8]


async def test_reports_of_one_event_in_one_batch_complete_each_other(
    clean_db: AsyncEngine,
) -> None:
    batch = [
        article(event("baidu", "offer", quantity=(5e7, "tokens"), evidence="Baidu: 50M tokens.")),
        article(event("baidu", "offer", evidence="Baidu offers tokens.")),
    ]
    async with clean_db.begin() as conn:
        await persist_batch(conn, batch)
    async with clean_db.connect() as conn:
        assert (await conn.execute(sa.select(events.c.quantity_value))).scalar_one() == 5e7


async def test_stored_documents_equal_a_full_render_whether_new_or_folded(
    clean_db: AsyncEngine,
) -> None:
    # A new event's document is built from the batch and inserted with it; a later
    # batch folds into it. Either way it is what rendering every stored source gives.
    first = [article(event("baidu", "offer", quantity=(5e7, "tokens"), others=("zhipu",),
                           confidence=0.7)),
             article(event("baidu", "offer", product="ERNIE 3.5", confidence=0.8),
                     language="de", published_at=dt.datetime(2024, 7, 9, 8, tzinfo=dt.UTC))]
    later = [article(event("baidu", "offer", quantity=(6e7, "tokens"), confidence=0.9),
                     language="zh", title="百度")]
    for batch in (first, later):
        async with clean_db.begin() as conn:
            await persist_batch(conn, batch)
        async with clean_db.connect() as conn:
            stored = {r.id: r.doc for r in await conn.execute(sa.select(events.c.id,
                                                                        events.c.doc))}
            rendered = await load_documents(conn, list(stored), SOURCES_IN_PAGE)
        assert {k: EventPublic.model_validate_json(v) for k, v in stored.items()} == rendered
