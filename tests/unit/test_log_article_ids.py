"""Every log line about articles carries `article_ids`, a list, in every service."""

from __future__ import annotations

import io
import json
import logging

import pytest

from newsline_contracts.logs import article_ids, formatter


def _line(service: str, message: str, **extra: object) -> dict[str, object]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(service))
    logger = logging.getLogger(f"newsline.test.{service}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(message, extra=extra)
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue())  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSLINE_LOG_FORMAT", raising=False)


def test_a_line_naming_one_article_lists_it_under_article_ids_too() -> None:
    line = _line("ingest", "accepted article a-1", article_id="a-1")
    assert line["article_id"] == "a-1" and line["article_ids"] == ["a-1"]


def test_a_batch_line_keeps_its_list_of_article_ids() -> None:
    line = _line("timeline", "stored 2 article(s)", **article_ids(["a-1", "a-2"]))
    assert line["article_ids"] == ["a-1", "a-2"] and "article_id" not in line


def test_a_line_about_no_article_has_no_article_ids() -> None:
    line = _line("api", "GET /healthz 200")
    assert "article_ids" not in line and line["service"] == "api"
