"""Who acts, and where a name or trigger is only part of a longer word (real-corpus round
2). Own sentences, not the corpus articles'."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
FRIDAY = datetime(2025, 6, 13, tzinfo=UTC)


def test_country_after_a_preposition_is_a_recipient_not_the_authority(run: Run) -> None:
    result = run("Nvidia darf keine H20-Chips mehr nach China exportieren, weil die "
                 "US-Regierung eine Lizenzpflicht eingeführt hat.", "de", FRIDAY)
    assert events_of(result, "policy", "us-government")
    assert not [e for e in result.events if e.actors[0].slug == "chinese-government"]


def test_authority_replying_to_another_authority_makes_a_statement_not_a_rule(
        run: Run) -> None:
    result = run("商务部新闻发言人就美国财政部将12家中国企业列入制裁清单答记者问。", "zh", FRIDAY)
    assert events_of(result, "announcement", "mofcom")
    assert not events_of(result, "policy", "mofcom")


def test_rule_taking_effect_continues_the_authority_before(run: Run) -> None:
    result = run("Die EU-Kommission hat den Digital Markets Act beschlossen. Die Regeln gelten "
                 "ab dem 2. Mai 2023.", "de", FRIDAY)
    assert [e.date for e in events_of(result, "policy", "eu-commission")] == [date(2023, 5, 2)]


def test_actor_name_inside_a_longer_word_is_no_mention(run: Run) -> None:
    assert not events_of(run("美联储表示，高通胀仍将持续。", "zh", FRIDAY),
                         "announcement", "qualcomm")
    assert not run("台湾阿里山公路局宣布，今年夏季将关闭部分路段。", "zh", FRIDAY).events
    result = run("He praised the continental market. Continental said it will close two "
                 "plants in Ohio.", "en", FRIDAY)
    assert [e.evidence.text[:11] for e in events_of(result, "announcement", "continental")] \
        == ["Continental"]


def test_trigger_inside_a_longer_set_phrase_yields_to_it(run: Run) -> None:
    result = run("百度宣布文心一言免费开放。", "zh", FRIDAY)
    assert events_of(result, "price_cut", "baidu")
    assert not events_of(result, "offer", "baidu")


def test_one_line_article_ending_in_an_agency_credit_is_body_text(run: Run) -> None:
    result = run("Continental plant Werksschließungen in Hessen. Insgesamt sind rund 580 "
                 "Arbeitsplätze betroffen, wie das Unternehmen mitteilte. (dpa)", "de", FRIDAY)
    [event] = events_of(result, "other", "continental")
    assert event.quantity is not None and event.quantity.value == 580


def test_earnings_noun_without_an_amount_is_no_report(run: Run) -> None:
    assert not run("The ruling found that Google used its monopoly to raise its revenue.",
                   "en", FRIDAY).events
    [event] = events_of(run("Google reported revenue of $96 billion for the quarter.", "en",
                            FRIDAY), "other", "google")
    assert event.quantity is not None and event.quantity.unit == "USD"
