"""One reader for article files: `extract` and `ingest` read every file the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsline_cli import ingest
from newsline_cli.articles import ArticleFileError, collect_files, read_article_file
from newsline_cli.extract import read_article
from newsline_cli.main import main
from newsline_engine import ExtractionError
from tests.support.files import write

ARTICLE = "On 9 July 2024 OpenAI blocked API access from China, the company said.\n"


def test_txt_with_short_first_line_and_blank_line_gets_a_title(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "OpenAI blocks China\n\nOn 9 July 2024 OpenAI...\n")
    assert read_article_file(path) == {
        "text": "OpenAI blocks China\n\nOn 9 July 2024 OpenAI...\n",
        "source": "a.txt",
        "title": "OpenAI blocks China",
    }


def test_txt_without_title_shape_has_no_title(tmp_path: Path) -> None:
    long_line = "x" * 130
    assert "title" not in read_article_file(write(tmp_path / "a.txt", "One\nTwo\n"))
    assert "title" not in read_article_file(write(tmp_path / "b.txt", f"{long_line}\n\nz"))


def test_html_and_json_files(tmp_path: Path) -> None:
    html = write(tmp_path / "a.html", "<p>Baidu offers free tokens</p>")
    assert read_article_file(html) == {"html": "<p>Baidu offers free tokens</p>",
                                       "source": "a.html"}
    assert read_article_file(write(tmp_path / "a.htm", "<p>x</p>"))["html"] == "<p>x</p>"
    article = {"title": "T", "text": "Body", "url": "https://x.test/a", "language": "en",
               "published_at": "2024-07-09", "source": "X"}
    assert read_article_file(write(tmp_path / "a.json", json.dumps(article))) == article


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", "\ufeffTitle\n\n" + ARTICLE)
    assert read_article_file(path)["title"] == "Title"
    assert read_article(path, None).text.startswith("Title")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.json", "{not json", "invalid JSON"),
        ("list.json", "[1, 2]", "expected an object"),
        ("empty-text.json", '{"title": "only a title"}', '"text" or "html"'),
        ("notes.md", "# notes", "unsupported extension .md"),
        ("README", "text", r"unsupported extension \(none\)"),
        ("latin1.txt", "Müller".encode("latin-1"), "not UTF-8"),
        ("blank.txt", "  \n", "empty"),
    ],
)
def test_both_commands_refuse_the_same_files_for_the_same_reason(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ArticleFileError, match=reason):
        read_article_file(path)
    with pytest.raises(ArticleFileError, match=reason):
        ingest.build_payload(path)
    with pytest.raises(ExtractionError, match=reason):
        read_article(path, None)


def test_a_missing_file_is_named_so(tmp_path: Path) -> None:
    with pytest.raises(ArticleFileError, match="no such file"):
        read_article_file(tmp_path / "gone.txt")


def test_extract_reads_the_title_and_text_ingest_would_send(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\n\nOpenAI blocks China\n\n" + ARTICLE)
    sent = ingest.build_payload(path)
    read = read_article(path, None)
    assert (read.title, read.text) == (sent["title"], sent["text"]) == (
        "OpenAI blocks China", "\n\nOpenAI blocks China\n\n" + ARTICLE)


def test_collect_files_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "x")
    write(tmp_path / "a.json", "{}")
    write(tmp_path / "b" / "deep" / "1.html", "x")
    write(tmp_path / ".git" / "config", "x")
    write(tmp_path / "b" / ".DS_Store", "x")
    single = tmp_path / "elsewhere.txt"

    found = collect_files([tmp_path, single, tmp_path / "a.json"])

    assert found == [tmp_path / "a.json", tmp_path / "b" / "2.txt",
                     tmp_path / "b" / "deep" / "1.html", single]


def test_extract_takes_a_folder_as_ingest_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "feed" / "b.txt", ARTICLE)
    write(tmp_path / "feed" / "a.json", json.dumps({"text": ARTICLE, "language": "en"}))
    assert main(["extract", str(tmp_path / "feed")]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(line["source"]).name for line in lines] == ["a.json", "b.txt"]
    assert all(line["events"][0]["type"] == "access_block" for line in lines)


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_help_of_both_commands_describes_the_files(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = capsys.readouterr().out
    assert "article files:" in shown and ".html, .htm" in shown and "byte-order mark" in shown
