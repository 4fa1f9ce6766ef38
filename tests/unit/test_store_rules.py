"""Pure rules of the timeline store: what a new report changes about what is known."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from newsline_contracts import (
    ArticleParsed,
    EventActorSeen,
    EventExtracted,
    Evidence,
    Quantity,
)
from newsline_db import documents
from newsline_read_model import EventActorPublic, SourcePublic, fold
from newsline_timeline.born import born_document, source_fields
from newsline_timeline.rules import actor_rows_to_write, event_row, merge_event_rows


def _actor(slug: str, reviewed: bool = True, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"slug": slug, "reviewed": reviewed, "aliases": list(aliases)}


def _event(**fields: Any) -> dict[str, Any]:
    base = {
        "quantity_value": None,
        "quantity_unit": None,
        "product": None,
        "summary": "X offers tokens",
        "confidence": 0.5,
    }
    return base | fields


def test_only_new_curated_or_newly_aliased_actors_are_written() -> None:
    known = {"baidu": (True, ["百度"]), "acme": (False, [])}
    rows = [
        _actor("baidu", aliases=("百度",)),
        _actor("acme"),
        _actor("zhipu-ai"),
        _actor("baidu", aliases=("百度", "Baidu AI Cloud")),
    ]
    written = actor_rows_to_write(rows, known)
    assert [r["slug"] for r in written] == ["acme", "zhipu-ai", "baidu"]


def test_a_replayed_actor_is_not_written() -> None:
    assert (
        actor_rows_to_write(
            [_actor("baidu", aliases=("百度",))], {"baidu": (True, ["百度", "Baidu"])}
        )
        == []
    )


def test_merge_fills_missing_amount_and_product_but_keeps_a_stated_one() -> None:
    vague = _event()
    precise = _event(
        quantity_value=5e7,
        quantity_unit="tokens",
        product="ERNIE 3.5",
        summary="X offers 50M tokens",
        confidence=0.8,
    )
    other = _event(quantity_value=1.5e8, quantity_unit="tokens", confidence=0.9)
    filled = merge_event_rows(vague, precise)
    assert (filled["quantity_value"], filled["product"], filled["summary"]) == (
        5e7,
        "ERNIE 3.5",
        "X offers 50M tokens",
    )
    kept = merge_event_rows(filled, other)
    assert (kept["quantity_value"], kept["confidence"]) == (5e7, 0.9)


def _report(rng: random.Random, n: int) -> tuple[ArticleParsed, EventExtracted]:
    day = dt.date(2024, 7, rng.choice([9, 9, 10]))
    quantity = rng.choice([None, Quantity(value=5e7, unit="tokens"), Quantity(value=3, unit="%")])
    ev = EventExtracted(
        event_id=uuid.UUID(int=1), merge_key="k", type="offer",
        actors=(EventActorSeen(slug="baidu", name="百度", role="subject"),),
        date=day, date_precision=rng.choice(["day", "month"]), date_basis="stated",
        quantity=quantity, product=rng.choice([None, "ERNIE 3.5", "Ernie-3.5", "GLM"]),
        summary="Baidu «offers» tokens", confidence=rng.choice([0.5, 0.6, 0.9, 1.0]),
        evidence=Evidence(text=f"Satz {n} — ½\n\"quoted\"", start=n, end=n + 9),
        extractor_version="t", subtype=rng.choice([None, "deal"]))
    published = rng.choice([None, dt.datetime(2024, 7, 9, 8, 30, 0, 120000, tzinfo=dt.UTC),
                            dt.datetime(2024, 7, 9, 16, tzinfo=dt.timezone(dt.timedelta(hours=8)))])
    msg = ArticleParsed(
        article_id=uuid.UUID(int=rng.randrange(1 << 64)), content_hash=f"h{n}",
        title=rng.choice([None, "Titel ü"]), url=None, source="Caixin",
        language=rng.choice(["en", "de", "zh"]), published_at=published,
        received_at=dt.datetime(2024, 7, 9, tzinfo=dt.UTC), text="x", events=(ev,))
    return msg, ev


def test_a_new_events_document_is_the_read_models_fold_byte_for_byte() -> None:
    rng = random.Random(11)
    now = dt.datetime(2024, 7, 9, 12, 0, 0, 5, tzinfo=dt.UTC)
    for _ in range(300):
        reports = sorted((_report(rng, n) for n in range(rng.randint(1, 6))),
                         key=lambda r: str(r[0].article_id))  # stored order
        row = event_row(reports[0][1])
        for _, ev in reports[1:]:
            row = merge_event_rows(row, event_row(ev))
        actors = [{"slug": s, "name": s.upper(), "role": r}
                  for s, r in rng.sample([("zhipu", "object"), ("baidu", "subject"),
                                          ("openai", "object")], rng.randint(0, 3))]
        sources = [source_fields(m, ev) for m, ev in reports]
        facts = documents.facts(row | {"first_seen_at": now, "updated_at": now})
        expected = fold(None, facts, [EventActorPublic(**a) for a in actors],
                        [SourcePublic.model_validate(s) for s in sources])
        assert born_document(row, now, actors, sources) == expected.model_dump_json().encode()
