"""The engine normalises an article's text once; ingest publishes that text, offsets and all."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from newsline_engine import Extractor, load_knowledge, normalise_text
from newsline_ingest.parsing import extract_article
from newsline_ingest.schemas import ArticleIn

RECEIVED = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
# Windows line ends, trailing blanks, a decomposed "é", four blank lines in a row.
MESSY = ("  Northwind Cloud Ltd. said on 3 March 2025 that it will cut API prices by 30%.  \r\n"
         "\r\n\r\n\r\n\r\nThe Caf\u0065\u0301 chain Baidu said on 9 July 2024 it will offer "
         "50 million free tokens to developers.\t\r\n")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_knowledge(None))


def test_the_published_text_is_the_engines_and_evidence_indexes_it(extractor: Extractor) -> None:
    message = extract_article(ArticleIn(text=MESSY), extractor, RECEIVED)
    assert message.text == normalise_text(MESSY)
    assert "\r" not in message.text and "\n\n\n" not in message.text and "Café" in message.text
    assert message.events
    for event in message.events:
        ev = event.evidence
        assert message.text[ev.start:ev.end] == ev.text


def test_the_article_is_named_by_the_normalised_text(extractor: Extractor) -> None:
    messy = extract_article(ArticleIn(text=MESSY), extractor, RECEIVED)
    clean = extract_article(ArticleIn(text=normalise_text(MESSY)), extractor, RECEIVED)
    assert messy.content_hash == hashlib.sha256(messy.text.encode()).hexdigest()
    assert (messy.article_id, messy.events) == (clean.article_id, clean.events)


def test_a_page_is_reduced_then_normalised_once_by_the_engine(extractor: Extractor) -> None:
    para = "Huawei launched its new Ascend 910C chip on March 3, 2025, the company said."
    page = (f"<html><body><nav>Menu</nav><article><h1>Huawei chip</h1><p>{para}   </p>"
            f"<p>{para}</p></article></body></html>")
    message = extract_article(ArticleIn(html=page), extractor, RECEIVED)
    assert message.text == normalise_text(message.text) and "<" not in message.text
    for event in message.events:
        assert message.text[event.evidence.start:event.evidence.end] == event.evidence.text
