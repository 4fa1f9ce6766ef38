"""The seed articles carry no published_at and reach Newsline years after they were written:
their events must still sit in 2024, the vendors' responses near the 9 July 2024 block."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from newsline_engine import ArticleInput, Extraction, Extractor

from .conftest import REPO, events_of

LATE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # ingested long after publication
BLOCK = date(2024, 7, 9)
VENDORS = ("baidu", "sensetime", "zhipu-ai", "alibaba", "tencent")
RESPONSES = ("offer", "migration_program", "price_cut", "product_launch")


@pytest.fixture(scope="module")
def seeds(extractor: Extractor) -> list[Extraction]:
    results = []
    for path in sorted((REPO / "seeds" / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert not data.get("published_at")
        results.append(extractor.extract(ArticleInput(
            text=data["text"], title=data.get("title"), language=data.get("language"),
            received_at=LATE)))
    return results


def test_no_seed_event_is_dated_after_2024(seeds: list[Extraction]) -> None:
    events = [e for r in seeds for e in r.events]
    assert events and all(e.date.year <= 2024 for e in events)


def test_vendor_responses_sit_within_a_month_of_the_block(seeds: list[Extraction]) -> None:
    for vendor in VENDORS:
        family = {vendor, f"{vendor}-cloud"}  # Tencent Cloud answers for Tencent
        responses = [e for r in seeds for t in RESPONSES for slug in family
                     for e in events_of(r, t, slug)]
        assert responses, vendor
        for event in responses:
            assert abs((event.date - BLOCK).days) <= 31, (vendor, event)
            assert event.date_basis in ("stated", "relative", "inferred"), (vendor, event)
        assert any(e.date_basis == "inferred" and e.date_precision == "month"
                   for e in responses), vendor


def test_the_block_keeps_its_stated_day(seeds: list[Extraction]) -> None:
    for result in seeds:
        [block] = events_of(result, "access_block", "openai")
        assert (block.date, block.date_precision, block.date_basis) == (BLOCK, "day", "stated")


def test_the_reference_time_is_an_estimate_in_july_2024(seeds: list[Extraction]) -> None:
    for result in seeds:
        ref = result.reference_time
        assert ref is not None and (ref.source, ref.precision) == ("estimate", "month")
        assert (ref.value.year, ref.value.month) == (2024, 7)
