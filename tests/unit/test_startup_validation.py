"""A malformed knowledge file stops ingest and `newsline up` at startup with one clear line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsline_cli.main import main
from newsline_engine import default_knowledge_dir
from newsline_ingest.app import create_app
from newsline_ingest.settings import IngestSettings


@pytest.fixture
def broken_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target)
    actors = target / "actors.yaml"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("slug: baidu", "slug: ''", 1), encoding="utf-8"
    )
    return target


def test_ingest_refuses_to_start_naming_the_file(broken_knowledge: Path) -> None:
    settings = IngestSettings(knowledge_dir=broken_knowledge)
    with pytest.raises(SystemExit) as stopped:
        create_app(settings)
    assert "actors.yaml" in str(stopped.value.code)


def test_up_refuses_before_starting_anything(
    broken_knowledge: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSLINE_KNOWLEDGE_DIR", str(broken_knowledge))
    assert main(["up", "--api-port", "1", "--ingest-port", "2"]) == 2
    err = capsys.readouterr().err
    assert "knowledge files are invalid" in err and "actors.yaml" in err
