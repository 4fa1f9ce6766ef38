"""`make run` with NEWSLINE_API_KEY set loads its own seeds: the key goes with them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from newsline_cli import ingest, up


def test_the_seed_loader_sends_the_first_configured_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sent: dict[str, Any] = {}

    def fake_ingest_paths(url: str, paths: list[Path], api_key: str | None = None,
                          **_: Any) -> ingest.Summary:
        sent.update(url=url, api_key=api_key)
        return ingest.Summary()

    monkeypatch.setattr(ingest, "ingest_paths", fake_ingest_paths)
    monkeypatch.setenv("NEWSLINE_API_KEY", " k1 , k2")
    args = argparse.Namespace(no_seeds=False, seeds=tmp_path, host="127.0.0.1", ingest_port=1)
    up._load_seeds(args)
    assert sent == {"url": "http://127.0.0.1:1", "api_key": "k1"}


def test_without_a_key_none_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSLINE_API_KEY", raising=False)
    assert ingest.key_from_env() is None
    monkeypatch.setenv("NEWSLINE_API_KEY", "")
    assert ingest.key_from_env() is None
