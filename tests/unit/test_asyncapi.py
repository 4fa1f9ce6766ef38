"""docs/asyncapi.json is what FastStream writes from the consumer's subscribers today."""

from __future__ import annotations

import json
from pathlib import Path

from newsline_timeline.asyncapi import document

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"


def test_the_committed_asyncapi_document_matches_the_code() -> None:
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == document(), (
        "the stream contract changed: run `.venv/bin/python -m newsline_timeline.asyncapi "
        "> docs/asyncapi.json` and commit it")


def test_it_describes_the_article_message_and_the_consumer_group() -> None:
    text = json.dumps(document())
    assert "ArticleParsed" in text and "newsline.timeline" in text
    assert "schema_version" in text and "reextracted" in text
