"""Genre rules added after the blind held-out measurement (own sentences, not the holdout's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
WEDNESDAY = datetime(2025, 10, 15, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug", "expected"),
    [
        ("Xiaomi will cut the prices of its phones by 10% starting Monday.", "en",
         "price_cut", "xiaomi", date(2025, 10, 20)),
        ("Xiaomi senkt die Preise ab Montag um 10 Prozent.", "de", "price_cut", "xiaomi",
         date(2025, 10, 20)),
    ],
)
def test_effective_weekday_is_the_coming_one(run: Run, text: str, lang: str, etype: str,
                                            slug: str, expected: date) -> None:
    [event] = events_of(run(text, lang, WEDNESDAY), etype, slug)
    assert event.date == expected


def test_taiwanese_bracket_day(run: Run) -> None:
    [event] = events_of(run("廣達昨（14）日宣布推出新款伺服器。", "zh", WEDNESDAY),
                        "announcement", "quanta")
    assert (event.date, event.date_precision) == (date(2025, 10, 14), "day")
    [early] = events_of(run("華為昨（30）日宣布降價。", "zh",
                            datetime(2025, 11, 1, tzinfo=UTC)), "announcement", "huawei")
    assert early.date == date(2025, 10, 30)


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [("Xiaomi announced it will release a new car next year.", "en", "xiaomi"),
     ("Xiaomi hat angekündigt, im nächsten Jahr ein Auto auf den Markt zu bringen.", "de",
      "xiaomi"),
     ("小米宣布，将于明年推出新车。", "zh", "xiaomi")],
)
def test_announcement_is_not_dated_in_the_future(run: Run, text: str, lang: str,
                                                 slug: str) -> None:
    [event] = events_of(run(text, lang, WEDNESDAY), "announcement", slug)
    assert event.date_basis == "reported"


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        ("Storm Analytics Ltd. opened an office. Storm also launched a new data platform.",
         "en", "product_launch", "storm-analytics"),
        ("Der Softwarehersteller Quellwerk hat eine Partnerschaft mit SAP geschlossen.",
         "de", "partnership", "quellwerk"),
        ("The drone maker Aerolux announced a new drone.", "en", "announcement", "aerolux"),
        ("杭州云帆智能科技有限公司（以下简称“云帆智能”）成立于2019年，总部位于杭州。云帆智能宣布降价。",
         "zh", "announcement", "杭州云帆智能科技"),
    ],
)
def test_article_local_names(run: Run, text: str, lang: str, etype: str, slug: str) -> None:
    assert events_of(run(text, lang, WEDNESDAY), etype, slug)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        # An authority's export rules are policy (DESIGN.md "Event types").
        ("China's commerce ministry added 12 firms to its export control list.", "en",
         "policy", "mofcom"),
        ("The EU Commission published a code of practice for model providers.", "en",
         "policy", "eu-commission"),
        ("Das US-Handelsministerium setzt zehn Firmen auf die Entity List.", "de",
         "policy", "us-commerce-department"),
        ("Die EU-Kommission hat Leitlinien zu KI-Modellen veröffentlicht.", "de", "policy",
         "eu-commission"),
        ("网信办发布新指引，规范生成式人工智能服务。", "zh", "policy", "cac"),
        ("特斯拉推出限時優惠，提供免息貸款。", "zh", "offer", "tesla"),
    ],
)
def test_new_lexicon_entries(run: Run, text: str, lang: str, etype: str, slug: str) -> None:
    assert events_of(run(text, lang, WEDNESDAY), etype, slug)


def test_reporter_status_line_is_no_event(run: Run) -> None:
    result = run("截至发稿，华为官网已上线新价格页面。", "zh", WEDNESDAY)
    assert not result.events


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Ein Programm für Kunden, die von AWS oder Microsoft Azure wechseln, startet.", "de"),
     ("A program for customers moving from AWS or Microsoft Azure has started.", "en")],
)
def test_or_joins_non_subjects(run: Run, text: str, lang: str) -> None:
    assert not run(text, lang, WEDNESDAY).events
