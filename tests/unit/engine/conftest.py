"""Shared fixtures: one Extractor per session (construction compiles every alias)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsline_engine import ArticleInput, Extraction, Extractor, Knowledge, load_knowledge

RECEIVED = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)  # a Thursday
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def extractor(knowledge: Knowledge) -> Extractor:
    return Extractor(knowledge)


@pytest.fixture(scope="session")
def run(extractor: Extractor) -> Callable[..., Extraction]:
    def _run(text: str, language: str | None = None,
             published_at: datetime | None = None) -> Extraction:
        return extractor.extract(ArticleInput(text=text, received_at=RECEIVED,
                                              language=language, published_at=published_at))
    return _run


def events_of(result: Extraction, etype: str, slug: str) -> list:
    return [e for e in result.events if e.type == etype and e.actors[0].slug == slug]
