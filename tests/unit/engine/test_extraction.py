"""Engine features on hand-written sentences in English, German and Chinese (both scripts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction, product_key

from .conftest import events_of

Run = Callable[..., Extraction]


def slugs(result: Extraction) -> set[str]:
    return {a.slug for a in result.actors}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OpenAI's move surprised Microsoft's partners. Nvidia's chips sold out.",
            {"openai", "microsoft", "nvidia"},
        ),
        (
            "OpenAIs Entscheidung trifft Googles Kunden und die Kunden von Huawei.",
            {"openai", "google", "huawei"},
        ),
        (
            "百度、阿里云和腾讯云回应了智谱AI的降价。",
            {"baidu", "alibaba-cloud", "tencent-cloud", "zhipu-ai"},
        ),
        (
            "騰訊雲、智譜AI與商湯今日回應。百度智能雲也表示歡迎。",
            {"tencent-cloud", "zhipu-ai", "sensetime", "baidu-ai-cloud"},
        ),
        (
            "月之暗面、零一万物和百川智能在上海开会，快手也参加了。",
            {"moonshot-ai", "01-ai", "baichuan", "kuaishou"},
        ),
    ],
)
def test_actor_aliases_inflected_and_scripts(run: Run, text: str, expected: set[str]) -> None:
    assert expected <= slugs(run(text))


def test_longest_alias_wins_and_parent_kept(run: Run) -> None:
    result = run("Tencent Cloud and Alibaba Cloud cut prices for their models by 20%.")
    refs = {a.slug: a for a in result.actors}
    assert refs["tencent-cloud"].parent == "tencent" and "tencent" not in refs
    assert refs["alibaba-cloud"].parent == "alibaba"


def test_short_aliases_are_case_sensitive(run: Run) -> None:
    result = run("The meta analysis of the amd datasets was published by researchers.")
    assert not {"meta", "amd"} & slugs(result)


@pytest.mark.parametrize(
    ("text", "name", "reviewed_slug"),
    [
        (
            "Acme Robotics Inc. launched a new AI chip on March 3, 2025.",
            "Acme Robotics Inc.",
            "acme-robotics",
        ),
        (
            "Die Müller Robotik GmbH hat eine Partnerschaft mit Huawei angekündigt.",
            "Müller Robotik GmbH",
            "mueller-robotik",
        ),
        (
            "Cloud providers such as Nimbus Labs and Baidu cut prices by 50%.",
            "Nimbus Labs",
            "nimbus-labs",
        ),
        (
            "Firmen wie Kraftwerk Data und Baidu bieten kostenlose Tokens an.",
            "Kraftwerk Data",
            "kraftwerk-data",
        ),
        ("深圳星河科技公司推出了新模型。", "深圳星河科技公司", None),
    ],
)
def test_unknown_organisations_flagged(
    run: Run, text: str, name: str, reviewed_slug: str | None
) -> None:
    refs = [a for a in run(text).actors if not a.reviewed]
    assert any(a.name == name for a in refs), refs
    if reviewed_slug:
        assert any(a.slug == reviewed_slug for a in refs)


@pytest.mark.parametrize(
    ("text", "etype", "members"),
    [
        (
            "Chinese firms like Baidu, SenseTime, and Tencent Cloud are offering free tokens.",
            "offer",
            ["baidu", "sensetime", "tencent-cloud"],
        ),
        (
            "Unternehmen wie Baidu, Alibaba und Tencent bieten Migrationsdienste an.",
            "migration_program",
            ["baidu", "alibaba", "tencent"],
        ),
        (
            "百度、阿里云和腾讯云宣布降价。",
            "price_cut",
            ["baidu", "alibaba-cloud", "tencent-cloud"],
        ),
    ],
)
def test_group_statement_gives_one_event_per_actor(
    run: Run, text: str, etype: str, members: list[str]
) -> None:
    result = run(text)
    for slug in members:
        [event] = events_of(result, etype, slug)
        assert event.confidence < 0.75  # a group statement is less direct than a named one


@pytest.mark.parametrize(
    ("text", "slug", "etype"),
    [
        (
            "At its conference, SenseTime unveiled SenseNova 5.5. The company is also offering "
            "20 million free tokens.",
            "sensetime",
            "offer",
        ),
        (
            "Baidu stellte Ernie 4.0 vor. "
            "Das Unternehmen bietet 10 Millionen kostenlose Tokens an.",
            "baidu",
            "offer",
        ),
        ("智谱AI发布了GLM-4。该公司还赠送1.5亿tokens。", "zhipu-ai", "offer"),
        ("商湯發布了日日新5.5。該公司還贈送1千萬tokens。", "sensetime", "offer"),
    ],
)
def test_coreference_to_last_subject(run: Run, text: str, slug: str, etype: str) -> None:
    [event] = events_of(run(text), etype, slug)
    assert event.quantity is not None
    assert event.confidence < 0.8


def test_coreference_refuses_ambiguous_singular(run: Run) -> None:
    result = run("Baidu and Alibaba met analysts. The company then cut prices by 10%.")
    assert not [e for e in result.events if e.type == "price_cut"]


@pytest.mark.parametrize(
    ("text", "lang", "when", "precision"),
    [
        (
            "OpenAI will block access to its API starting July 9, 2024.",
            "en",
            date(2024, 7, 9),
            "day",
        ),
        ("OpenAI wird ab dem 9. Juli 2024 den Zugang sperren.", "de", date(2024, 7, 9), "day"),
        ("OpenAI将从2024年7月9日起封锁中国的API访问。", "zh", date(2024, 7, 9), "day"),
        ("OpenAI將於2024年7月9日起封鎖中國的API訪問。", "zh", date(2024, 7, 9), "day"),
        (
            "OpenAI will block access to its services in China from July 2024.",
            "en",
            date(2024, 7, 1),
            "month",
        ),
    ],
)
def test_explicit_dates(run: Run, text: str, lang: str, when: date, precision: str) -> None:
    [event] = events_of(run(text, lang), "access_block", "openai")
    assert (event.date, event.date_precision, event.date_basis) == (when, precision, "stated")


@pytest.mark.parametrize(
    "text",
    [
        "OpenAI will block access to its API from July 9.",
        "OpenAI sperrt ab dem 9. Juli den Zugang zu seinen Diensten.",
        "OpenAI从7月9日起封锁API访问。",
    ],
)
def test_partial_dates_take_the_anchor_year(run: Run, text: str) -> None:
    published = datetime(2023, 6, 1, tzinfo=UTC)
    [event] = events_of(run(text, published_at=published), "access_block", "openai")
    assert event.date == date(2023, 7, 9) and event.date_basis == "stated"


@pytest.mark.parametrize(
    ("text", "etype", "slug", "when", "precision"),
    [
        (
            "Last month, Baidu cut prices for ERNIE by 30%.",
            "price_cut",
            "baidu",
            date(2025, 2, 1),
            "month",
        ),
        ("Baidu hat gestern die Preise gesenkt.", "price_cut", "baidu", date(2025, 3, 19), "day"),
        ("百度上周宣布降价。", "price_cut", "baidu", date(2025, 3, 10), "day"),
        ("騰訊雲上個月宣佈降價。", "price_cut", "tencent-cloud", date(2025, 2, 1), "month"),
    ],
)
def test_relative_dates_anchor_on_received_at(
    run: Run, text: str, etype: str, slug: str, when: date, precision: str
) -> None:
    [event] = events_of(run(text), etype, slug)
    assert (event.date, event.date_precision, event.date_basis) == (when, precision, "relative")


def test_relative_dates_prefer_published_at(run: Run) -> None:
    result = run("Baidu cut prices yesterday.", published_at=datetime(2024, 1, 10, tzinfo=UTC))
    assert events_of(result, "price_cut", "baidu")[0].date == date(2024, 1, 9)


def test_reported_date_when_sentence_has_none(run: Run) -> None:
    published = datetime(2025, 3, 18, tzinfo=UTC)
    result = run("Huawei launched a new AI chip.", published_at=published)
    [event] = events_of(result, "product_launch", "huawei")
    assert (event.date, event.date_basis) == (date(2025, 3, 18), "reported")


def test_received_date_when_nothing_dates_the_article(run: Run) -> None:
    [event] = events_of(run("Huawei launched a new AI chip."), "product_launch", "huawei")
    assert (event.date, event.date_basis) == (date(2025, 3, 20), "received")


def test_announcement_and_block_keep_their_own_dates(run: Run) -> None:
    result = run("OpenAI announced yesterday that it would block access starting July 9, 2025.")
    [ann] = events_of(result, "announcement", "openai")
    [block] = events_of(result, "access_block", "openai")
    assert (ann.date, ann.date_basis) == (date(2025, 3, 19), "relative")
    assert (block.date, block.date_basis) == (date(2025, 7, 9), "stated")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Baidu offers 50 million free tokens to new users.", 5e7, "tokens"),
        ("Baidu is giving away up to 2.5 billion tokens.", 2.5e9, "tokens"),
        ("Baidu offers 10-20 million free tokens.", 2e7, "tokens"),
        ("Baidu cut prices by 30 percent.", 30, "percent"),
        ("Baidu offers $2 million in free credits.", 2e6, "USD"),
        ("Baidu bietet 50 Millionen kostenlose Tokens an.", 5e7, "tokens"),
        ("Baidu bietet bis zu 1,5 Mrd. Tokens an.", 1.5e9, "tokens"),
        ("百度赠送5000万tokens。", 5e7, "tokens"),
        ("百度赠送1.5亿tokens。", 1.5e8, "tokens"),
        ("百度贈送1千萬個tokens。", 1e7, "tokens"),
        ("百度提供价值100万元的代金券。", 1e6, "CNY"),
    ],
)
def test_quantities_with_scale_words(run: Run, text: str, value: float, unit: str) -> None:
    events = [e for e in run(text).events if e.quantity]
    assert events and events[0].quantity is not None
    assert (events[0].quantity.value, events[0].quantity.unit) == (value, unit)


def test_possessive_and_prepositional_mentions_are_not_subjects(run: Run) -> None:
    result = run("In response to OpenAI's withdrawal, Baidu launched Ernie 4.0.")
    assert events_of(result, "product_launch", "baidu")
    assert not [e for e in result.events if e.actors[0].slug == "openai"]


def test_media_are_never_subjects(run: Run) -> None:
    result = run("Reuters reported that Baidu launched a new model. Bloomberg announced a survey.")
    assert {e.actors[0].slug for e in result.events} == {"baidu"}
    assert "reuters" in slugs(result)


def test_boilerplate_lines_are_ignored(run: Run) -> None:
    text = (
        "Skip links\n\n5 min read\n\n"
        "Huawei launched a new chip on May 2, 2025.\n\n"
        "Portrait of Huawei engineer smiling at desk\n\n"
        "Sources Reuters\n\n"
        "Subscribe to our newsletter and get Baidu news first!\n\n"
        "Q1: Did Huawei launch a new chip?\n\n"
        "A1: Huawei launched a new chip on May 2, 2025 after months of testing.\n"
    )
    result = run(text)
    assert [e.type for e in result.events] == ["product_launch"]
    assert result.events[0].evidence.text.startswith("Huawei launched")


def test_german_marketing_tail_is_ignored(run: Run) -> None:
    text = (
        "Baidu hat am 3. März 2025 neue Modelle vorgestellt.\n\nInhaltsverzeichnis\n\n"
        "Willkommen bei Nebula Studios GmbH, deiner Agentur. Wir bieten kostenlose Tokens!\n"
    )
    result = run(text)
    assert all(a.reviewed for a in result.actors)
    assert {e.actors[0].slug for e in result.events} == {"baidu"}


def test_chinese_boilerplate_is_ignored(run: Run) -> None:
    result = run(
        "百度今日发布文心一言4.0。\n\n来源：新华社\n\n扫码关注我们，免费领取腾讯云代金券。"
    )
    assert {e.actors[0].slug for e in result.events} == {"baidu"}


def test_same_event_twice_in_one_article_is_one_event(run: Run) -> None:
    text = (
        "OpenAI will block access to its API in China from July 9, 2024.\n\n"
        "Later on, OpenAI said it would cut off access on July 9, 2024, as planned.\n"
    )
    result = run(text)
    [block] = events_of(result, "access_block", "openai")
    assert block.evidence.start == 0  # first occurrence wins a tie


def test_same_merge_key_across_languages(run: Run) -> None:
    texts = [
        ("Baidu cut prices for ERNIE 3.5 on May 15, 2024.", "en"),
        ("Baidu hat am 15. Mai 2024 die Preise für Ernie 3.5 gesenkt.", "de"),
        ("百度于2024年5月15日宣布文心3.5降价。", "zh"),
    ]
    cuts = [events_of(run(t, lang), "price_cut", "baidu")[0] for t, lang in texts]
    assert {e.merge_key for e in cuts} == {"price_cut|baidu|2024-05-15|"}
    assert {product_key(e.product) for e in cuts} == {"ernie3.5"}


def test_a_report_without_the_product_merges_with_one_that_names_it(run: Run) -> None:
    vague = events_of(run("Baidu cut prices on May 15, 2024."), "price_cut", "baidu")[0]
    named = events_of(run("百度于2024年5月15日宣布文心3.5降价。", "zh"), "price_cut", "baidu")[0]
    assert vague.merge_key == named.merge_key


def test_two_launches_on_one_day_stay_two_events(run: Run) -> None:
    keys = {
        e.merge_key
        for text in (
            "OpenAI launched GPT-4o on May 13, 2024.",
            "OpenAI hat am 13. Mai 2024 GPT-4 Turbo vorgestellt.",
        )
        for e in events_of(
            run(text, "en" if "launched" in text else "de"), "product_launch", "openai"
        )
    }
    assert len(keys) == 2


def test_confidence_orders_by_directness(run: Run) -> None:
    direct = events_of(
        run("Baidu blocked access to its API on May 2, 2025."), "access_block", "baidu"
    )[0]
    vague = events_of(
        run("Firms like Baidu and Huawei block access to their APIs."), "access_block", "baidu"
    )[0]
    assert direct.confidence > vague.confidence
