"""Publication dates at the edges: an HTML page's metadata date, a .txt article's dateline and
`--published-at` on `newsline extract` / `newsline ingest` date relative expressions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsline_cli import ingest
from newsline_cli.main import main
from newsline_engine import Extractor, html_date, load_knowledge
from newsline_ingest.parsing import extract_article
from newsline_ingest.schemas import ArticleIn

PARA = ("Tencent Cloud cut the prices of its Hunyuan models by 30% yesterday, the company "
        "said in a statement. Baidu offers developers ten million free tokens. ")
PAGE = ('<html><head><title>Price cut</title>'
        '<meta property="article:published_time" content="2024-07-03T08:00:00+02:00">'
        "</head><body><nav>Home | Tech</nav><article><h1>Tencent Cloud cuts prices</h1>"
        f"<p>{PARA}</p><p>{PARA}</p></article></body></html>")


def _events(out: str) -> list[dict[str, Any]]:
    [line] = [json.loads(x) for x in out.splitlines() if x.strip()]
    return list(line["events"])


def _one(events: list[dict[str, Any]], etype: str, slug: str) -> dict[str, Any]:
    found = [e for e in events if e["type"] == etype and e["actors"][0]["slug"] == slug]
    assert found, events
    return found[0]


def test_html_metadata_date() -> None:
    assert html_date(PAGE) == dt.date(2024, 7, 3)
    assert html_date("<html><body><p>no date here</p></body></html>") is None


def test_extract_html_dates_relative_expressions_by_its_metadata(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["extract", str(page)]) == 0
    events = _events(capsys.readouterr().out)
    cut = _one(events, "price_cut", "tencent-cloud")
    offer = _one(events, "offer", "baidu")
    assert (cut["date"], cut["date_basis"]) == ("2024-07-02", "relative")
    assert (offer["date"], offer["date_basis"]) == ("2024-07-03", "reported")


@pytest.mark.parametrize(
    ("body", "slug", "expected"),
    [
        ("SHENZHEN, July 3, 2024 (Asia Wire) - Tencent Cloud cut the prices of its models by "
         "30% yesterday.", "tencent-cloud", "2024-07-02"),
        ("München, 3. Juli 2024 (nlp) – Baidu hat gestern die Preise für ERNIE um 10 Prozent "
         "gesenkt.", "baidu", "2024-07-02"),
        ("新华社深圳2024年7月3日电 腾讯云昨天宣布，大模型价格下调30%。", "tencent-cloud",
         "2024-07-02"),
    ],
)
def test_extract_txt_dates_relative_expressions_by_its_dateline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, slug: str,
        expected: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"Prices fall\n\n{body}\n", encoding="utf-8")
    assert main(["extract", str(article)]) == 0
    cut = _one(_events(capsys.readouterr().out), "price_cut", slug)
    assert (cut["date"], cut["date_basis"]) == (expected, "relative")


@pytest.mark.parametrize("when", ["2024-07-03", "2024-07-03T10:00:00+08:00"])
def test_extract_published_at_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     when: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(PARA, encoding="utf-8")
    assert main(["extract", "--published-at", when, str(article)]) == 0
    events = _events(capsys.readouterr().out)
    cut = _one(events, "price_cut", "tencent-cloud")
    offer = _one(events, "offer", "baidu")
    assert (cut["date"], cut["date_basis"]) == ("2024-07-02", "relative")
    assert (offer["date"], offer["date_basis"]) == ("2024-07-03", "reported")


def test_extract_published_at_yields_to_the_files_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.json"
    article.write_text(json.dumps({"text": PARA, "published_at": "2024-05-20T08:00:00Z"}),
                       encoding="utf-8")
    assert main(["extract", "--published-at", "2024-07-03", str(article)]) == 0
    cut = _one(_events(capsys.readouterr().out), "price_cut", "tencent-cloud")
    assert cut["date"] == "2024-05-19"


def test_extract_rejects_a_malformed_published_at(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--published-at", "last Tuesday", str(tmp_path / "a.txt")])
    assert "published_at" in capsys.readouterr().err


def test_ingest_sends_published_at_for_files_without_one(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_text(PARA, encoding="utf-8")
    own = tmp_path / "b.json"
    own.write_text(json.dumps({"text": PARA, "published_at": "2024-05-20"}), encoding="utf-8")
    sent: dict[str, Any] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent[body.get("source") or "json"] = body.get("published_at")
        return httpx.Response(202, json={"article_id": "x", "duplicate": False, "events": []})

    summary = ingest.ingest_paths("http://ingest.test", [plain, own], retries=0,
                                  transport=httpx.MockTransport(handle),
                                  published_at="2024-07-03")
    assert summary.ok
    assert sent == {"a.txt": "2024-07-03", "json": "2024-05-20"}


def test_ingest_published_at_option_is_checked() -> None:
    with pytest.raises(SystemExit):
        main(["ingest", "--published-at", "yesterday-ish", "x.txt"])


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_knowledge())


def test_ingest_service_reads_the_pages_metadata_date(extractor: Extractor) -> None:
    received = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    message = extract_article(ArticleIn(html=PAGE), extractor, received)
    cut = next(e for e in message.events if e.type == "price_cut")
    offer = next(e for e in message.events if e.type == "offer")
    assert (cut.date, cut.date_basis) == (dt.date(2024, 7, 2), "relative")
    assert (offer.date, offer.date_basis) == (dt.date(2024, 7, 3), "reported")


def test_ingest_service_prefers_the_posted_published_at(extractor: Extractor) -> None:
    received = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    body = ArticleIn(html=PAGE, published_at=dt.datetime(2024, 7, 10, tzinfo=dt.UTC))
    cut = next(e for e in extract_article(body, extractor, received).events
               if e.type == "price_cut")
    assert cut.date == dt.date(2024, 7, 9)
