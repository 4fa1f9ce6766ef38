"""Possibilities, proposals, questions, rumours and forecasts are not events (issue 7
category 5); an event stated before a hedge stays one. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
FRIDAY = datetime(2025, 5, 16, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Baidu could cut prices for its ERNIE models next month.", "en"),
        ("Analysts say Baidu may offer free tokens to lure developers.", "en"),
        ("Baidu is considering whether to launch a new chatbot.", "en"),
        ("Baidu könnte die Preise für seine Modelle senken.", "de"),
        ("Baidu erwägt, ein neues Modell vorzustellen.", "de"),
        ("百度可能下调文心大模型的价格。", "zh"),
        ("据知情人士称，百度考虑推出新的聊天机器人。", "zh"),
    ],
)
def test_a_possibility_is_no_event(run: Run, text: str, lang: str) -> None:
    assert not events_of(run(text, lang, FRIDAY), "price_cut", "baidu")
    assert not events_of(run(text, lang, FRIDAY), "offer", "baidu")
    assert not events_of(run(text, lang, FRIDAY), "product_launch", "baidu")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The EU Commission could fine Apple if it finds a breach.", "en"),
        ("Die EU-Kommission könnte gegen Apple ein Bußgeld verhängen.", "de"),
        ("如果发现违规，欧盟委员会可能对苹果公司处以罚款。", "zh"),
    ],
)
def test_a_possible_fine_is_no_policy(run: Run, text: str, lang: str) -> None:
    assert not events_of(run(text, lang, FRIDAY), "policy", "eu-commission")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # The launch is stated as done; the hedge speaks of its consequences.
        ("Baidu launched ERNIE 5, which could change how developers work.", "en"),
        ("Baidu hat ERNIE 5 vorgestellt, das die Branche verändern könnte.", "de"),
        ("百度发布了文心大模型5.0，可能改变开发者的工作方式。", "zh"),
    ],
)
def test_a_hedge_after_the_act_leaves_the_act(run: Run, text: str, lang: str) -> None:
    assert events_of(run(text, lang, FRIDAY), "product_launch", "baidu")


def test_the_month_may_is_no_hedge(run: Run) -> None:
    assert events_of(run("Baidu cut prices for ERNIE 4 in May.", "en", FRIDAY),
                     "price_cut", "baidu")
