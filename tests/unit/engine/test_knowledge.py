"""Knowledge is data: editing the files changes extraction; bad files fail loudly."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsline_engine import (
    ArticleInput,
    Extractor,
    KnowledgeError,
    default_knowledge_dir,
    load_knowledge,
)

NOW = datetime(2025, 3, 20, tzinfo=UTC)


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target)
    return target


def _extract(directory: Path, text: str) -> list[tuple[str, str]]:
    result = Extractor(load_knowledge(directory)).extract(ArticleInput(text=text, received_at=NOW))
    return [(e.type, e.actors[0].slug) for e in result.events]


def test_default_dir_loads_many_actors() -> None:
    knowledge = load_knowledge()
    assert len(knowledge.actors) >= 40
    assert knowledge.actors["alibaba-cloud"].parent == "alibaba"
    assert set(knowledge.lexicons) == {"en", "de", "zh"}


def test_adding_an_alias_changes_extraction(kdir: Path) -> None:
    text = "Bytedancer Labs launched a new model on May 2, 2025."
    assert _extract(kdir, text) == []
    path = kdir / "actors.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "aliases: {de: [ByteDances]", "aliases: {en: [Bytedancer Labs], de: [ByteDances]"),
        encoding="utf-8")
    assert _extract(kdir, text) == [("product_launch", "bytedance")]


def test_adding_a_trigger_changes_extraction(kdir: Path) -> None:
    text = "Baidu torpedoed its prices on May 2, 2025."
    assert _extract(kdir, text) == []
    path = kdir / "triggers" / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '    - "price cut*"', '    - "price cut*"\n    - "torpedo* ... price*"'), encoding="utf-8")
    assert _extract(kdir, text) == [("price_cut", "baidu")]


@pytest.mark.parametrize(
    ("file", "old", "new", "fragments"),
    [
        ("actors.yaml", "zh: [百度]}", "zh: 百度}",
         ["actors.yaml", "actor 'baidu'", "alias list 'zh'", "list of strings"]),
        ("actors.yaml", "zh: [百度]}", "zh: ['']}",
         ["actors.yaml", "actor 'baidu'", "empty"]),
        ("actors.yaml", "{slug: sensetime,", "{slug: baidu,", ["actor 'baidu'", "duplicate slug"]),
        ("actors.yaml", "parent: tencent,", "parent: tencnet,",
         ["actor 'tencent-cloud'", "parent 'tencnet' does not exist"]),
        ("actors.yaml", "kind: media", "kind: newspaper", ["actor 'reuters'", "kind"]),
        ("actors.yaml", "vendor: sensetime", "vendor: nobody", ["product 'SenseNova'", "vendor"]),
        ("triggers/en.yaml", "  price_cut:", "  price_slash:",
         ["en.yaml", "trigger 'price_slash'", "unknown event type"]),
        ("triggers/de.yaml", "\ntriggers:", "\ntriggers: 5\nold:", ["de.yaml", "'triggers'"]),
        ("triggers/zh.yaml", "  - 封锁\n", "  - 're:封锁('\n", ["zh.yaml", "invalid pattern"]),
        ("actors.yaml", "actors:", "actors: [", ["actors.yaml", "invalid YAML"]),
        ("actors.yaml", "not_within: [阿里山]", "not_within: [阿里山, 高山]",
         ["actor 'alibaba'", "not_within '高山'", "none of its aliases"]),
    ],
)
def test_malformed_files_name_file_entry_and_problem(
    kdir: Path, file: str, old: str, new: str, fragments: list[str]
) -> None:
    path = kdir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message


def test_missing_directory_and_file(tmp_path: Path, kdir: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(tmp_path / "nope")
    (kdir / "triggers" / "zh.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"zh\.yaml: file not found"):
        load_knowledge(kdir)


def test_unquoted_yaml_boolean_is_explained(kdir: Path) -> None:
    path = kdir / "triggers" / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"on"', "on"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"non_subject_before.*quote it"):
        load_knowledge(kdir)
