"""The owner's expectations on the two seed articles (read from seeds/originals/)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsline_engine import ArticleInput, Extraction, Extractor

from .conftest import REPO, events_of

RECEIVED = datetime(2024, 7, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def en(extractor: Extractor) -> Extraction:
    text = (REPO / "seeds" / "originals" / "article-en.txt").read_text(encoding="utf-8")
    return extractor.extract(ArticleInput(text=text, received_at=RECEIVED))


@pytest.fixture(scope="module")
def de(extractor: Extractor) -> Extraction:
    text = (REPO / "seeds" / "originals" / "article-de.txt").read_text(encoding="utf-8")
    return extractor.extract(ArticleInput(text=text, received_at=RECEIVED))


def test_languages(en: Extraction, de: Extraction) -> None:
    assert (en.language, de.language) == ("en", "de")


@pytest.mark.parametrize("article", ["en", "de"])
def test_openai_block_and_announcement(article: str, request: pytest.FixtureRequest) -> None:
    result: Extraction = request.getfixturevalue(article)
    [block] = events_of(result, "access_block", "openai")
    assert block.date == date(2024, 7, 9)
    assert (block.date_precision, block.date_basis) == ("day", "stated")
    assert block.merge_key == "access_block|openai|2024-07-09|"
    assert events_of(result, "announcement", "openai")


def test_block_merge_key_same_across_languages(en: Extraction, de: Extraction) -> None:
    keys = [events_of(r, "access_block", "openai")[0].merge_key for r in (en, de)]
    assert keys[0] == keys[1]


def test_sensetime_launch_and_offer(en: Extraction) -> None:
    [launch] = events_of(en, "product_launch", "sensetime")
    assert launch.product == "SenseNova 5.5"
    offers = events_of(en, "offer", "sensetime")
    assert any(o.quantity and (o.quantity.value, o.quantity.unit) == (5e7, "tokens")
               for o in offers)


def test_baidu_and_zhipu_offers_de(de: Extraction) -> None:
    baidu = events_of(de, "offer", "baidu")
    assert any(o.quantity and o.quantity.value == 5e7 and o.quantity.unit == "tokens"
               and o.product == "ERNIE 3.5" for o in baidu)
    zhipu = events_of(de, "offer", "zhipu-ai")
    assert any(o.quantity and o.quantity.value == 1.5e8 for o in zhipu)


def test_vendor_responses(en: Extraction, de: Extraction) -> None:
    refs = {a.slug: a for a in en.actors}
    assert refs["tencent-cloud"].parent == "tencent"
    assert events_of(en, "offer", "tencent-cloud") or events_of(
        en, "migration_program", "tencent-cloud")
    for slug in ("tencent", "alibaba"):
        assert events_of(de, "offer", slug) or events_of(de, "migration_program", slug)


def test_no_boilerplate_actors_or_events(en: Extraction, de: Extraction) -> None:
    names = {a.name.casefold() for r in (en, de) for a in r.actors}
    assert not any("zaibr" in n or "sentral" in n or "lumpur" in n for n in names)
    for result in (en, de):
        for event in result.events:
            assert event.actors[0].slug not in ("the-guardian", "winston-ma",
                                                "new-york-university", "kuaishou")
            for word in ("Asia people", "Portrait of", "Sources", "Zaibr", "Q1:", "A1:"):
                assert word not in event.evidence.text


def test_faq_adds_no_duplicates(en: Extraction) -> None:
    keys = [e.merge_key for e in en.events]
    assert len(keys) == len(set(keys))
    assert len(events_of(en, "access_block", "openai")) == 1


def test_evidence_offsets_refer_to_text(en: Extraction, de: Extraction) -> None:
    for name, result in (("en", en), ("de", de)):
        text = (REPO / "seeds" / "originals" / f"article-{name}.txt").read_text(encoding="utf-8")
        from newsline_engine import normalise_text

        norm = normalise_text(text)
        for event in result.events:
            assert norm[event.evidence.start : event.evidence.end] == event.evidence.text


def test_to_dict_is_json_ready(en: Extraction) -> None:
    import json

    data = json.loads(json.dumps(en.to_dict()))
    assert data["events"][0]["date"].count("-") == 2
