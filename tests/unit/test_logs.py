"""One log line per record, JSON by default, carrying the article id it was given."""

from __future__ import annotations

import json
import logging

import pytest

from newsline_contracts.logs import configure


@pytest.fixture(autouse=True)
def _restore_root_logger() -> object:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def _emit(capsys: pytest.CaptureFixture[str]) -> str:
    logging.getLogger("newsline.test").warning(
        "dead-lettered article %s", "a-1", extra={"article_id": "a-1"})
    return capsys.readouterr().err.strip()


def test_json_lines_name_the_service_and_carry_the_article_id(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSLINE_LOG_FORMAT", raising=False)
    configure("timeline")
    record = json.loads(_emit(capsys))
    assert record["service"] == "timeline" and record["level"] == "WARNING"
    assert record["article_id"] == "a-1" and record["message"] == "dead-lettered article a-1"
    assert record["time"].endswith("+00:00")


def test_text_format_for_reading_in_a_terminal(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSLINE_LOG_FORMAT", "text")
    configure("ingest")
    line = _emit(capsys)
    assert " ingest WARNING dead-lettered article a-1" in line and not line.startswith("{")
