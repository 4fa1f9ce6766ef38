"""The reference time of an article (DESIGN.md "Dates"): published_at, page metadata, a
dateline or byline, an estimate from the article's own dates, else receipt. Own sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import ArticleInput, Extraction, Extractor

from .conftest import RECEIVED, events_of

Run = Callable[..., Extraction]


def test_published_at_dates_relative_and_undated_events(run: Run) -> None:
    text = "Tencent Cloud cut its model prices by 30% yesterday. Baidu offers free tokens."
    result = run(text, "en", datetime(2024, 7, 3, 9, 0, tzinfo=UTC))
    [cut] = events_of(result, "price_cut", "tencent-cloud")
    [offer] = events_of(result, "offer", "baidu")
    assert (cut.date, cut.date_basis) == (date(2024, 7, 2), "relative")
    assert (offer.date, offer.date_precision, offer.date_basis) == (
        date(2024, 7, 3), "day", "reported")


def test_published_at_is_read_in_its_own_time_zone(run: Run) -> None:
    # 01:30 in Beijing on 4 July is still 3 July in UTC: "yesterday" is 3 July.
    beijing = datetime.fromisoformat("2024-07-04T01:30:00+08:00")
    result = run("腾讯云昨天宣布，大模型价格下调30%。", "zh", beijing)
    [cut] = events_of(result, "price_cut", "tencent-cloud")
    assert cut.date == date(2024, 7, 3)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        ("Tencent Cloud cut its model prices by 30% yesterday.", "en", "price_cut",
         "tencent-cloud"),
        ("Baidu hat gestern die Preise für ERNIE um 10 Prozent gesenkt.", "de", "price_cut",
         "baidu"),
        ("腾讯云昨天宣布，大模型价格下调30%。", "zh", "price_cut", "tencent-cloud"),
    ],
)
def test_metadata_date_when_no_published_at(extractor: Extractor, text: str, lang: str,
                                            etype: str, slug: str) -> None:
    result = extractor.extract(ArticleInput(text=text, received_at=RECEIVED, language=lang,
                                            metadata_date=date(2024, 7, 3)))
    [event] = events_of(result, etype, slug)
    assert (event.date, event.date_basis) == (date(2024, 7, 2), "relative")
    assert result.reference_time is not None and result.reference_time.source == "metadata"


@pytest.mark.parametrize(
    ("text", "lang", "slug", "published"),
    [
        ("SHENZHEN, March 4, 2025 (Asia Wire) - Tencent Cloud cut its model prices by 30% "
         "yesterday.", "en", "tencent-cloud", date(2025, 3, 4)),
        ("SHENZHEN, March 4 (Asia Wire) - Tencent Cloud cut its model prices by 30% "
         "yesterday.", "en", "tencent-cloud", date(2025, 3, 4)),
        ("München, 4. März 2025 (nlp) – Baidu hat gestern die Preise für ERNIE um 10 Prozent "
         "gesenkt.", "de", "baidu", date(2025, 3, 4)),
        ("04.03.2025 – Berlin (nlp) – Baidu hat gestern die Preise für ERNIE um 10 Prozent "
         "gesenkt.", "de", "baidu", date(2025, 3, 4)),
        ("新华社深圳3月4日电 腾讯云昨天宣布，将旗下大模型价格下调30%。", "zh", "tencent-cloud",
         date(2025, 3, 4)),
        ("中新网上海2024年11月5日电 阿里云昨天宣布，通义千问大模型降价20%。", "zh",
         "alibaba-cloud", date(2024, 11, 5)),
    ],
)
def test_dateline_is_the_reference_and_dates_no_event(run: Run, text: str, lang: str,
                                                      slug: str, published: date) -> None:
    result = run(text, lang)
    assert result.reference_time is not None
    assert (result.reference_time.value, result.reference_time.source) == (published,
                                                                            "dateline")
    [cut] = events_of(result, "price_cut", slug)
    # "yesterday" of the dateline's day, not the dateline's own date
    assert (cut.date, cut.date_basis) == (date.fromordinal(published.toordinal() - 1),
                                          "relative")


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        ("Tencent cuts prices\n\n2024-07-03 10:12\n\nTencent Cloud cut its model prices by "
         "30% yesterday.", "en", "tencent-cloud"),
        ("Cloud | 3. Juli 2024 | 2 Min. Lesezeit\n\nBaidu hat gestern die Preise für ERNIE um "
         "10 Prozent gesenkt.", "de", "baidu"),
        ("騰訊雲降價\n\n2024-07-03 10:12\n\n騰訊雲昨（2）日宣布，大模型價格下調30%。", "zh",
         "tencent-cloud"),
    ],
)
def test_byline_date_is_the_reference(run: Run, text: str, lang: str, slug: str) -> None:
    result = run(text, lang)
    [cut] = events_of(result, "price_cut", slug)
    assert cut.date == date(2024, 7, 2)


def test_a_dateline_date_does_not_date_events_when_published_at_is_known(run: Run) -> None:
    text = "SHENZHEN, March 4 (Asia Wire) - Tencent Cloud cut its model prices by 30% yesterday."
    result = run(text, "en", datetime(2025, 3, 4, 8, 0, tzinfo=UTC))
    [cut] = events_of(result, "price_cut", "tencent-cloud")
    assert (cut.date, cut.date_basis) == (date(2025, 3, 3), "relative")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("OpenAI will block access to its API from 9 July 2024. Baidu offers 10 million free "
         "tokens to developers.", "en"),
        ("OpenAI wird den Zugang zu seiner API ab dem 9. Juli 2024 sperren. Baidu bietet "
         "Entwicklern 10 Millionen kostenlose Tokens an.", "de"),
        ("OpenAI将于2024年7月9日起封锁API访问。百度向开发者提供1000万免费tokens。", "zh"),
    ],
)
def test_undated_events_are_inferred_from_a_date_ahead(run: Run, text: str, lang: str) -> None:
    # Written before 9 July 2024: the offer sits in July 2024, not at receipt (March 2025).
    result = run(text, lang)
    [block] = events_of(result, "access_block", "openai")
    [offer] = events_of(result, "offer", "baidu")
    assert (block.date, block.date_basis) == (date(2024, 7, 9), "stated")
    assert (offer.date, offer.date_precision, offer.date_basis) == (
        date(2024, 7, 1), "month", "inferred")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("On 20 November 2024 Alibaba Cloud cut prices by 20%. Baidu offers free tokens.", "en"),
        ("Alibaba Cloud hat am 20. November 2024 die Preise um 20 Prozent gesenkt. Baidu bietet "
         "kostenlose Tokens an.", "de"),
        ("阿里云已于2024年11月20日宣布降价20%。百度向开发者提供免费tokens。", "zh"),
    ],
)
def test_undated_events_are_inferred_after_a_past_date(run: Run, text: str, lang: str) -> None:
    result = run(text, lang)
    [offer] = events_of(result, "offer", "baidu")
    assert (offer.date, offer.date_precision, offer.date_basis) == (
        date(2024, 11, 1), "month", "inferred")


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        ("Huawei launched a new AI chip.", "en", "product_launch", "huawei"),
        ("Baidu bietet Entwicklern kostenlose Tokens an.", "de", "offer", "baidu"),
        ("百度向开发者提供免费tokens。", "zh", "offer", "baidu"),
    ],
)
def test_received_when_nothing_dates_the_article(run: Run, text: str, lang: str, etype: str,
                                                 slug: str) -> None:
    result = run(text, lang)
    [event] = events_of(result, etype, slug)
    assert (event.date, event.date_basis) == (RECEIVED.date(), "received")


def test_relative_dates_against_an_estimate_are_no_more_precise_than_it(run: Run) -> None:
    text = ("OpenAI will block access to its API from 9 July 2024. Baidu cut its prices by 10% "
            "yesterday.")
    [cut] = events_of(run(text, "en"), "price_cut", "baidu")
    assert (cut.date, cut.date_precision, cut.date_basis) == (date(2024, 7, 1), "month",
                                                              "relative")


def test_bare_years_do_not_date_the_article(run: Run) -> None:
    # "founded in 2015" is background: "yesterday" stays relative to receipt.
    text = "Tencent Cloud, founded in 2015, cut its model prices by 30% yesterday."
    [cut] = events_of(run(text, "en"), "price_cut", "tencent-cloud")
    assert cut.date == date(2025, 3, 19)


@pytest.mark.parametrize(
    ("text", "lang", "published", "expected"),
    [
        ("Tencent Cloud cut its model prices by 30% on December 20.", "en",
         datetime(2025, 1, 5, tzinfo=UTC), date(2024, 12, 20)),
        ("Baidu senkt die Preise für ERNIE ab dem 15. Januar um 10 Prozent.", "de",
         datetime(2024, 12, 20, tzinfo=UTC), date(2025, 1, 15)),
        ("百度将于1月15日起下调文心大模型价格10%。", "zh", datetime(2024, 12, 20, tzinfo=UTC),
         date(2025, 1, 15)),
    ],
)
def test_yearless_dates_take_the_nearest_year(run: Run, text: str, lang: str,
                                              published: datetime, expected: date) -> None:
    result = run(text, lang, published)
    [cut] = events_of(result, "price_cut", "tencent-cloud" if lang == "en" else "baidu")
    assert cut.date == expected


def test_bracket_day_falls_in_the_estimated_month(run: Run) -> None:
    # "昨（12）日" needs a reference: here the estimate (written before 1 June 2024).
    result = run("騰訊雲昨（12）日宣布，自2024年6月1日起，大模型價格下調10%。", "zh")
    [notice] = events_of(result, "announcement", "tencent-cloud")
    [cut] = events_of(result, "price_cut", "tencent-cloud")
    assert (notice.date, notice.date_precision) == (date(2024, 5, 1), "month")
    assert (cut.date, cut.date_precision, cut.date_basis) == (date(2024, 6, 1), "day", "stated")


def test_bracket_day_against_a_known_publication_date(run: Run) -> None:
    published = datetime(2025, 5, 13, tzinfo=UTC)
    result = run("騰訊雲昨（12）日宣布，大模型價格下調10%。", "zh", published)
    [cut] = events_of(result, "price_cut", "tencent-cloud")
    assert (cut.date, cut.date_precision) == (date(2025, 5, 12), "day")
