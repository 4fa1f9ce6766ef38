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
    QuantityPublic,
    SourcePublic,
    fold,
    renamed,
    render,
)

NOW = dt.datetime(2024, 7, 9, 12, tzinfo=dt.UTC)


JULY_9 = dt.date(2024, 7, 9)
TOKENS = QuantityPublic(value=5e7, unit="tokens")
ONE_TOKEN = QuantityPublic(value=1, unit="tokens")


def facts(quantity: QuantityPublic | None = None, product: str | None = None) -> EventFacts:
    return EventFacts(
        id=uuid.UUID(int=1), type="offer", date=JULY_9, date_precision="day",
        date_basis="stated", quantity=quantity, product=product, summary="Baidu offers tokens",
        confidence=0.8, first_seen_at=NOW, updated_at=NOW)


def source(n: int, confidence: float, language: str = "en", *, date: dt.date = JULY_9,
           precision: str = "day", quantity: QuantityPublic | None = None,
           product: str | None = None) -> SourcePublic:
    return SourcePublic.model_validate(dict(
        article_id=uuid.UUID(int=n), title=None, url=None, source=None, language=language,
        published_at=None, evidence=EvidencePublic(text=f"sentence {n}", start=0, end=10),
        date=date, date_precision=precision, quantity=quantity, product=product,
        confidence=confidence))


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
            added = [source(i, rng.choice([0.5, 0.6, 0.9]), rng.choice(["en", "de", "zh"]),
                            quantity=rng.choice([None, TOKENS, TOKENS, ONE_TOKEN]),
                            product=rng.choice([None, "ERNIE", "ERNIE", "GLM"]))
                     for i in ids]
            stored += sorted(added, key=lambda s: str(s.article_id))
            actor = EventActorPublic(slug=f"a{rng.randint(0, 3)}", name="A", role="object")
            actors.append(actor)
            doc = fold(doc, facts(TOKENS, "ERNIE"), [actor], added)
        assert doc == render(facts(TOKENS, "ERNIE"), actors, stored, SOURCES_IN_PAGE)


def test_a_curated_name_replaces_the_guess_in_the_document() -> None:
    doc = render(facts(), [EventActorPublic(slug="cn-gov", name="China-Gov", role="object")], [])
    assert renamed(doc, "cn-gov", "Chinese government").actors[0].name == "Chinese government"


def test_sources_agreeing_on_everything_they_state_raise_no_disagreement() -> None:
    doc = render(facts(TOKENS, "ERNIE 3.5"), [], [
        source(1, 0.9, quantity=TOKENS, product="ERNIE 3.5"),
        source(2, 0.8, product="Ernie-3.5"),  # the same product, spelt otherwise
        source(3, 0.7, date=dt.date(2024, 7, 1), precision="month"),  # July holds the 9th
    ])
    assert doc.disagreements == []


def test_a_source_stating_another_date_amount_or_product_is_a_disagreement() -> None:
    doc = render(facts(TOKENS, "ERNIE 3.5"), [], [
        source(1, 0.9, quantity=TOKENS, product="ERNIE 3.5"),
        source(2, 0.8, quantity=QuantityPublic(value=6e7, unit="tokens")),
        source(3, 0.7, date=dt.date(2024, 7, 10), product="ERNIE 4"),
    ])
    assert doc.disagreements == ["date", "amount", "product"]
    assert [(s.date, s.product) for s in doc.sources][2] == (dt.date(2024, 7, 10), "ERNIE 4")


def test_a_page_names_a_disagreement_of_a_source_it_does_not_carry() -> None:
    sources = [source(i, 0.9, quantity=TOKENS) for i in range(SOURCES_IN_PAGE)]
    sources.append(source(99, 0.1, quantity=ONE_TOKEN))
    doc = render(facts(TOKENS), [], sources, SOURCES_IN_PAGE)
    assert 99 not in [s.article_id.int for s in doc.sources]
    assert doc.disagreements == ["amount"]
    folded = fold(fold(None, facts(TOKENS), [], sources[:-1]), facts(TOKENS), [], sources[-1:])
    assert folded == doc
