"""Category 7 of issue 7 (dates), in English, German and Chinese; own sentences: an explicit
date beats a relative one, a weekday beside its date is that date, and each event keeps the
date it takes effect rather than the day it was reported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
PUBLISHED = datetime(2024, 8, 20, 9, 0, tzinfo=UTC)  # a Tuesday, two weeks after 6 August


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("On Tuesday, August 6, 2024, Baidu cut prices for ERNIE by 20%.", "en"),
        ("Am Dienstag, den 6. August 2024, hat Baidu die Preise für ERNIE um 20 Prozent "
         "gesenkt.", "de"),
        ("百度于2024年8月6日（周二）宣布，文心大模型降价20%。", "zh"),
    ],
)
def test_weekday_with_its_date_is_that_date(run: Run, text: str, lang: str) -> None:
    [cut] = events_of(run(text, lang, PUBLISHED), "price_cut", "baidu")
    assert (cut.date, cut.date_precision, cut.date_basis) == (date(2024, 8, 6), "day",
                                                              "stated")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Baidu cut prices for ERNIE by 20% yesterday, on August 6, 2024.", "en"),
        ("Baidu hat gestern, am 6. August 2024, die Preise für ERNIE um 20 Prozent gesenkt.",
         "de"),
        ("百度昨天（2024年8月6日）宣布文心大模型降价20%。", "zh"),
    ],
)
def test_explicit_date_beats_a_relative_one_in_the_sentence(run: Run, text: str,
                                                            lang: str) -> None:
    [cut] = events_of(run(text, lang, PUBLISHED), "price_cut", "baidu")
    assert (cut.date, cut.date_basis) == (date(2024, 8, 6), "stated")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Baidu cut its cloud prices by 20% today. The new prices apply from 1 September 2024.",
         "en"),
        ("Baidu hat heute die Cloud-Preise um 20 Prozent gesenkt. Die neuen Preise gelten ab "
         "dem 1. September 2024.", "de"),
        ("百度今天宣布云服务降价20%。新价格自2024年9月1日起生效。", "zh"),
    ],
)
def test_explicit_date_of_the_next_sentence_beats_a_relative_one(run: Run, text: str,
                                                                 lang: str) -> None:
    [cut] = events_of(run(text, lang, PUBLISHED), "price_cut", "baidu")
    assert (cut.date, cut.date_basis) == (date(2024, 9, 1), "stated")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("OpenAI said on Tuesday it will block API access on September 9, 2024.", "en"),
        ("OpenAI teilte am Dienstag mit, es werde den API-Zugang am 9. September 2024 "
         "sperren.", "de"),
        ("OpenAI周二表示，将于2024年9月9日封锁API访问。", "zh"),
    ],
)
def test_report_date_does_not_overwrite_the_effective_date(run: Run, text: str,
                                                           lang: str) -> None:
    [block] = events_of(run(text, lang, PUBLISHED), "access_block", "openai")
    assert (block.date, block.date_basis) == (date(2024, 9, 9), "stated")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("OpenAI announced yesterday that it would block API access starting September 9, "
         "2024.", "en"),
        ("OpenAI hat gestern angekündigt, den API-Zugang ab dem 9. September 2024 zu sperren.",
         "de"),
        ("OpenAI昨天宣布，将从2024年9月9日起封锁API访问。", "zh"),
    ],
)
def test_announcement_and_act_keep_their_own_dates(run: Run, text: str, lang: str) -> None:
    result = run(text, lang, PUBLISHED)
    [block] = events_of(result, "access_block", "openai")
    [notice] = events_of(result, "announcement", "openai")
    assert (block.date, block.date_basis) == (date(2024, 9, 9), "stated")
    assert (notice.date, notice.date_basis) == (date(2024, 8, 19), "relative")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tencent Cloud, founded in 2015, cut its model prices by 30% yesterday.", "en"),
        ("Tencent Cloud, gegründet 2015, hat gestern die Preise um 30 Prozent gesenkt.", "de"),
        ("成立于2015年的腾讯云昨天宣布，大模型价格下调30%。", "zh"),
    ],
)
def test_a_bare_background_year_does_not_beat_a_precise_relative_date(run: Run, text: str,
                                                                      lang: str) -> None:
    [cut] = events_of(run(text, lang, PUBLISHED), "price_cut", "tencent-cloud")
    assert (cut.date, cut.date_precision) == (date(2024, 8, 19), "day")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Baidu cut prices by 20% from 1 September 2024, and Alibaba Cloud cut prices by 30% "
         "from 15 September 2024.", "en"),
        ("Baidu senkt die Preise ab dem 1. September 2024 um 20 Prozent. Alibaba Cloud senkt "
         "die Preise ab dem 15. September 2024 um 30 Prozent.", "de"),
        ("百度自2024年9月1日起降价20%，阿里云自2024年9月15日起降价30%。", "zh"),
    ],
)
def test_each_event_keeps_its_own_effective_date(run: Run, text: str, lang: str) -> None:
    result = run(text, lang, PUBLISHED)
    [baidu] = events_of(result, "price_cut", "baidu")
    [alibaba] = events_of(result, "price_cut", "alibaba-cloud")
    assert (baidu.date, alibaba.date) == (date(2024, 9, 1), date(2024, 9, 15))
