"""`newsline extract` on seed copies, JSON/HTML files, broken files and broken knowledge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsline_cli.main import main
from newsline_engine import default_knowledge_dir

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds" / "originals"


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_extract_seed_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(SEEDS / "article-en.txt"), str(SEEDS / "article-de.txt")])
    assert code == 0
    en, de = _lines(capsys.readouterr().out)
    assert (en["language"], de["language"]) == ("en", "de")
    blocks = [e for r in (en, de) for e in r["events"] if e["type"] == "access_block"]  # type: ignore[union-attr]
    assert {b["merge_key"] for b in blocks} == {"access_block|openai|2024-07-09|"}
    event = blocks[0]
    assert set(event) >= {"type", "actors", "date", "date_precision", "date_basis", "quantity",
                          "product", "summary", "evidence", "confidence", "merge_key"}
    assert event["actors"][0] == {"slug": "openai", "name": "OpenAI", "role": "subject"}
    assert set(event["evidence"]) == {"text", "start", "end"}


def test_extract_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.json"
    article.write_text(json.dumps({
        "title": "Baidu", "url": "https://example.com/a", "language": "en",
        "published_at": "2024-05-20T08:00:00Z",
        "text": "Baidu cut prices for ERNIE 3.5 by 30% yesterday.",
    }), encoding="utf-8")
    page = tmp_path / "b.html"
    para = "Huawei launched its new Ascend 910C chip on March 3, 2025, the company said. " * 3
    page.write_text(f"<html><body><nav>Menu</nav><article><h1>Huawei chip</h1><p>{para}</p>"
                    f"<p>{para}</p></article></body></html>", encoding="utf-8")
    assert main(["extract", str(article), str(page)]) == 0
    first, second = _lines(capsys.readouterr().out)
    [cut] = first["events"]  # type: ignore[misc]
    assert cut["date"] == "2024-05-19" and cut["date_basis"] == "relative"
    assert cut["quantity"] == {"value": 30.0, "unit": "percent"}
    assert any(e["type"] == "product_launch" for e in second["events"])  # type: ignore[union-attr]


def test_broken_file_reported_and_others_continue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    code = main(["extract", str(broken), str(missing), str(SEEDS / "article-de.txt")])
    assert code == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines[0]["source"] == str(broken) and "invalid JSON" in str(lines[0]["error"])
    assert lines[1]["source"] == str(missing) and "no such file" in str(lines[1]["error"])
    assert lines[2]["language"] == "de"
    assert "broken.json" in captured.err


def test_broken_knowledge_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kdir = tmp_path / "k"
    shutil.copytree(default_knowledge_dir(), kdir)
    (kdir / "actors.yaml").write_text("actors: 5\n", encoding="utf-8")
    code = main(["extract", "--knowledge", str(kdir), str(SEEDS / "article-en.txt")])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "actors.yaml" in captured.err and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_language_flag_and_txt_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Baidu\n\n百度宣布降价。\n", encoding="utf-8")
    assert main(["extract", "--language", "zh", str(note)]) == 0
    [line] = _lines(capsys.readouterr().out)
    assert line["language"] == "zh"
