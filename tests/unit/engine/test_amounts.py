"""Amounts beyond tokens and percent (issue 7 category 8): money with scale words in every
language and headcounts, each on the event it belongs to. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
THURSDAY = datetime(2025, 10, 16, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug", "value", "unit"),
    [
        ("The EU Commission fined Meta €250m for breaching its rules.", "en", "policy",
         "eu-commission", 250_000_000, "EUR"),
        ("Die EU-Kommission verhängte gegen Google eine Geldbuße von rund 2,4 Milliarden Euro.",
         "de", "policy", "eu-commission", 2_400_000_000, "EUR"),
        ("欧盟委员会对苹果公司处以18亿欧元罚款。", "zh", "policy", "eu-commission",
         1_800_000_000, "EUR"),
        ("Microsoft completed its acquisition of a game studio for $7.5 billion.", "en",
         "partnership", "microsoft", 7_500_000_000, "USD"),
        ("索尼宣布以3000億日圓收購一家遊戲公司。", "zh", "announcement", "sony",
         300_000_000_000, "JPY"),
        ("Nvidia will take a charge of $2.5 billion, the company said.", "en", "other",
         "nvidia", 2_500_000_000, "USD"),
        ("Baidu meldete einen Umsatz von 32 Milliarden Yuan.", "de", "other", "baidu",
         32_000_000_000, "CNY"),
    ],
)
def test_money_belongs_to_its_event(run: Run, text: str, lang: str, etype: str, slug: str,
                                    value: float, unit: str) -> None:
    [event] = events_of(run(text, lang, THURSDAY), etype, slug)
    assert event.quantity is not None
    assert (event.quantity.value, event.quantity.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("Intel said it will cut 15,000 jobs by the end of the year.", "en", 15_000),
        ("Intel streicht 4500 Stellen in Europa.", "de", 4_500),
        ("英特尔宣布裁员1.5万人。", "zh", 15_000),
    ],
)
def test_a_layoff_counts_jobs(run: Run, text: str, lang: str, value: float) -> None:
    [event] = events_of(run(text, lang, THURSDAY), "other", "intel")
    assert event.subtype == "layoffs"
    assert event.quantity is not None
    assert (event.quantity.value, event.quantity.unit) == (value, "jobs")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Intel launched a new chip with 24 cores for $589.", "en"),
        ("Intel stellte einen neuen Chip für 589 Dollar vor.", "de"),
        ("英特尔发布了售价589美元的新芯片。", "zh"),
    ],
)
def test_a_launch_carries_no_amount(run: Run, text: str, lang: str) -> None:
    [event] = events_of(run(text, lang, THURSDAY), "product_launch", "intel")
    assert event.quantity is None


def test_a_price_cut_keeps_its_percentage_over_money(run: Run) -> None:
    text = "Tencent Cloud cut prices by 30% to 2 yuan per million tokens."
    [event] = events_of(run(text, "en", THURSDAY), "price_cut", "tencent-cloud")
    assert event.quantity is not None
    assert (event.quantity.value, event.quantity.unit) == (30, "percent")
