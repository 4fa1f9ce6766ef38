"""The event document's rules: actor and source order, the bounded page view, folding."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from newsline_read_model import (
    SOURCES_IN_PAGE,
    EventActorPublic,
    EventFacts,
    EvidencePublic,
    SourcePublic,
    fold,
    renamed,
    render,
)

NOW = dt.datetime(2024, 7, 9, 12, tzinfo=dt.UTC)


def facts() -> EventFacts:
    return EventFacts(
        id=uuid.UUID(int=1), type="offer", date=dt.date(2024, 7, 9), date_precision="day",
        date_basis="stated", quantity=None, product=None, summary="Baidu offers tokens",
        confidence=0.8, first_seen_at=NOW, updated_at=NOW)


def source(n: int, confidence: float, language: str = "en") -> SourcePublic:
    return SourcePublic(
        article_id=uuid.UUID(int=n), title=None, url=None, source=None, language=language,
        published_at=None, evidence=EvidencePublic(text=f"sentence {n}", start=0, end=10),
        quantity=None, confidence=confidence)


def test_the_most_confident_source_lends_its_evidence_and_ties_keep_stored_order() -> None:
    doc = render(facts(), [], [source(1, 0.5), source(2, 0.9), source(3, 0.9)])
    assert [s.article_id.int for s in doc.sources] == [2, 3, 1]
    assert doc.evidence == doc.sources[0].evidence


def test_the_subject_comes_first_then_roles_and_slugs() -> None:
    doc = render(facts(), [EventActorPublic(slug="openai", name="OpenAI", role="object"),
                           EventActorPublic(slug="zhipu", name="Zhipu", role="subject"),
                           EventActorPublic(slug="baidu", name="Baidu", role="object")], [])
    assert [a.slug for a in doc.actors] == ["zhipu", "baidu", "openai"]
    assert doc.evidence is None and doc.source_count == 0


def test_a_page_document_keeps_a_few_sources_but_counts_all_and_all_languages() -> None:
    sources = [source(i, 0.5 + i / 100, ("en", "de", "zh")[i % 3]) for i in range(7)]
    doc = render(facts(), [], sources, SOURCES_IN_PAGE)
    assert len(doc.sources) == SOURCES_IN_PAGE and doc.source_count == 7
    assert doc.languages == ["de", "en", "zh"]


def test_folding_batch_after_batch_equals_rendering_every_source() -> None:
    # Batches arrive in stored order (within a batch, sources are stored by article id).
    rng = random.Random(7)
    for _ in range(200):
        doc, stored, actors = None, [], []
        for _batch in range(rng.randint(1, 6)):
            ids = rng.sample(range(1000), rng.randint(1, 4))
            added = [source(i, rng.choice([0.5, 0.6, 0.9]), rng.choice(["en", "de", "zh"]))
                     for i in ids]
            stored += sorted(added, key=lambda s: str(s.article_id))
            actor = EventActorPublic(slug=f"a{rng.randint(0, 3)}", name="A", role="object")
            actors.append(actor)
            doc = fold(doc, facts(), [actor], added)
        assert doc == render(facts(), actors, stored, SOURCES_IN_PAGE)


def test_a_curated_name_replaces_the_guess_in_the_document() -> None:
    doc = render(facts(), [EventActorPublic(slug="cn-gov", name="China-Gov", role="object")], [])
    assert renamed(doc, "cn-gov", "Chinese government").actors[0].name == "Chinese government"
