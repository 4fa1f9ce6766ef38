"""The real-news corpus tool: drafts become offset annotations, splits are fixed by the texts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus", REPO / "eval" / "real" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("TEXTS", "DRAFTS", "ANNOTATIONS"):
        monkeypatch.setattr(module, name, tmp_path / name.lower())
        (tmp_path / name.lower()).mkdir()
    return module


def _draft(corpus: ModuleType, article_id: str, text: str, quote: str, **extra: object) -> None:
    (corpus.TEXTS / f"{article_id}.txt").write_text(text, encoding="utf-8")
    draft = {"id": article_id, "url": f"https://example.org/{article_id}", "query": "q",
             "sha256": "", "length": 0, "language": article_id[:2], "script": "latin",
             "genre": "wire", "topic": "policy", "published_at": "2024-07-03",
             "events": [{"type": "policy", "subtype": "export_control", "subject": "mofcom",
                         "other_actors": [], "date": "2024-08-01", "quantity": None,
                         "product": None, "evidence_text": quote}], **extra}
    (corpus.DRAFTS / f"{article_id}.json").write_text(json.dumps(draft), encoding="utf-8")


def test_finalize_replaces_the_quote_with_offsets_and_records_the_digest(
        corpus: ModuleType) -> None:
    text = "BEIJING, July 3 - The ministry said exports need licences from August 1.\n"
    _draft(corpus, "en-wire-001", text, "exports need licences from August 1")
    data = json.loads(corpus.finalize("en-wire-001").read_text(encoding="utf-8"))
    [event] = data["events"]
    assert "evidence_text" not in event
    assert text[event["evidence"]["start"]:event["evidence"]["end"]] == (
        "exports need licences from August 1")
    assert data["sha256"] == corpus.digest(text) and data["length"] == len(text)


def test_restore_puts_back_the_exact_bytes_and_refuses_other_ones(corpus: ModuleType) -> None:
    text = "BEIJING, July 3 - The ministry said exports need licences.\r\nMore.\n"
    _draft(corpus, "en-wire-002", text, "exports need licences")
    corpus.finalize("en-wire-002")
    corpus.text_path("en-wire-002").unlink()
    with pytest.raises(corpus.CorpusError, match="differs from the annotated one"):
        corpus.restore("en-wire-002", text.replace("\r\n", "\n").encode("utf-8"))
    assert not corpus.text_path("en-wire-002").exists()
    corpus.restore("en-wire-002", text.encode("utf-8"))
    assert corpus.read_text("en-wire-002") == text


def test_a_quote_not_in_the_text_is_refused_naming_the_draft(corpus: ModuleType) -> None:
    _draft(corpus, "en-wire-002", "Some text.", "words that are not there")
    with pytest.raises(corpus.CorpusError, match=r"en-wire-002\.json"):
        corpus.finalize("en-wire-002")


def test_an_unknown_event_type_is_refused(corpus: ModuleType) -> None:
    _draft(corpus, "en-wire-003", "A text.", "A text")
    path = corpus.DRAFTS / "en-wire-003.json"
    data = json.loads(path.read_text())
    data["events"][0]["type"] = "rumour"
    path.write_text(json.dumps(data))
    with pytest.raises(corpus.CorpusError, match="rumour"):
        corpus.finalize("en-wire-003")


def test_every_third_article_of_a_language_goes_to_the_locked_test_and_stays(
        corpus: ModuleType) -> None:
    for i in range(6):
        _draft(corpus, f"de-pol-00{i}", f"Text {i}.", f"Text {i}")
        corpus.finalize(f"de-pol-00{i}")
    assert dict(corpus.assign_splits()) == {"de dev": 4, "de test": 2}
    before = {d["id"]: d["split"] for d in corpus.load_all()}
    _draft(corpus, "de-pol-009", "Another text.", "Another text")
    corpus.finalize("de-pol-009")
    corpus.assign_splits()
    after = {d["id"]: d["split"] for d in corpus.load_all()}
    assert {k: after[k] for k in before} == before  # adding an article moves none
