"""Genre rules of the second generalisation round (eval/holdout2). Own sentences, not the
held-out articles': separable verbs, fines, follow-up sentences, references, dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
TUESDAY = datetime(2025, 11, 4, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "etype", "slug"),
    [
        # An authority's export rules are policy (DESIGN.md "Event types").
        ("Die US-Regierung schränkt den Export von KI-Chips nach Russland weiter ein.", "de",
         "policy", "us-government"),
        ("Microsoft schränkt den Zugang zu Copilot für Schulen in Bayern ein.", "de",
         "access_restriction", "microsoft"),
        ("Die Bundesregierung verschärft die Exportregeln für Drohnenteile.", "de",
         "policy", "bundesregierung"),
        ("Tesla lässt die Preise für das Model Y in Europa um 5 Prozent sinken.", "de",
         "price_cut", "tesla"),
        ("快手对外宣布，即日起不再向未实名认证的用户提供直播服务。", "zh",
         "access_block", "kuaishou"),
    ],
)
def test_separable_and_split_triggers(run: Run, text: str, lang: str, etype: str,
                                      slug: str) -> None:
    assert events_of(run(text, lang, TUESDAY), etype, slug)


@pytest.mark.parametrize(
    ("text", "lang", "slug", "value", "unit"),
    [
        ("Die EU-Kommission hat gegen Apple ein Bußgeld von 500 Millionen Euro verhängt.", "de",
         "eu-commission", 500_000_000, "EUR"),
        ("The European Commission fined Apple 500 million euros on Monday.", "en",
         "eu-commission", 500_000_000, "EUR"),
        ("网信办对快手处以罚款50万元。", "zh", "cac", 500_000, "CNY"),
    ],
)
def test_a_fine_is_a_policy_with_its_amount(run: Run, text: str, lang: str, slug: str,
                                            value: float, unit: str) -> None:
    [event] = events_of(run(text, lang, TUESDAY), "policy", slug)
    assert event.quantity is not None
    assert (event.quantity.value, event.quantity.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        ("Google senkt die Preise für Gemini. Wie aus einem Bericht von Reuters hervorgeht, "
         "gelten die neuen Preise ab dem 1. Dezember und liegen um 25 Prozent niedriger.",
         "de", "google"),
        ("Google is cutting prices for Gemini. According to Reuters, the new prices take "
         "effect on December 1 and are 25% lower.", "en", "google"),
        ("华为云宣布降价。据新华社报道，新价格自12月1日起生效，降幅为25%。", "zh", "huawei-cloud"),
    ],
)
def test_follow_up_sentence_naming_only_media_dates_and_quantifies(
        run: Run, text: str, lang: str, slug: str) -> None:
    [event] = events_of(run(text, lang, TUESDAY), "price_cut", slug)
    assert (event.date, event.date_precision) == (date(2025, 12, 1), "day")
    assert event.quantity is not None and event.quantity.value == 25


def test_follow_up_reaches_past_a_sentence_without_actors(run: Run) -> None:
    text = ("Die niederländische Regierung verschärft die Exportregeln für Lasersysteme. "
            "Wie das Ministerium in Den Haag mitteilte, brauchen Hersteller eine Lizenz. "
            "Die Vorgaben gelten zum 1. Januar 2026.")
    [event] = events_of(run(text, "de", TUESDAY), "policy", "dutch-government")
    assert event.date == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("text", "lang", "subject", "partner"),
    [
        ("SAP senkt die Preise für seine Cloud. Zudem hat der Konzern eine Kooperation mit "
         "dem Kölner Software-Anbieter Quellbau vereinbart.", "de", "sap", "quellbau"),
        ("SAP senkt die Preise. Gleichzeitig gab das Unternehmen eine Partnerschaft mit dem "
         "jungen Start-up Wolkenhaus bekannt.", "de", "sap", "wolkenhaus"),
        ("Microsoft cut prices for Azure. It also signed a partnership with the Berlin-based "
         "provider Wolkenhaus.", "en", "microsoft", "wolkenhaus"),
        ("腾讯云宣布降价。\n\n该公司还表示将推出新模型。\n\n此外，其还与京东达成合作。", "zh",
         "tencent-cloud", "jd-com"),
    ],
)
def test_partner_after_preposition_article_and_descriptor_is_no_subject(
        run: Run, text: str, lang: str, subject: str, partner: str) -> None:
    result = run(text, lang, TUESDAY)
    assert events_of(result, "partnership", subject)
    assert not events_of(result, "partnership", partner)


@pytest.mark.parametrize(
    ("text", "lang", "expected", "precision"),
    [
        ("商务部宣布，相关措施自本月20日起实施出口管制。", "zh", date(2025, 11, 20), "day"),
        ("工信部已于今年3月发布相关指引。", "zh", date(2025, 3, 1), "month"),
        ("Amazon senkt die Preise für Speicher ab Anfang Dezember um 10 Prozent.", "de",
         date(2025, 12, 1), "month"),
    ],
)
def test_relative_prefix_and_part_of_month_dates(run: Run, text: str, lang: str,
                                                 expected: date, precision: str) -> None:
    events = [e for e in run(text, lang, TUESDAY).events if e.type != "announcement"]
    assert [(e.date, e.date_precision) for e in events] == [(expected, precision)]


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        ("9月3日，小米发布新手机。同日，华为也宣布推出新款平板。", "zh", "huawei"),
        ("Xiaomi launched a phone on September 3. Huawei announced a tablet the same day.",
         "en", "huawei"),
        ("Xiaomi hat am 3. September ein Handy vorgestellt. Huawei kündigte am selben Tag "
         "ein Tablet an.", "de", "huawei"),
    ],
)
def test_same_day_is_the_day_named_before(run: Run, text: str, lang: str, slug: str) -> None:
    [event] = events_of(run(text, lang, TUESDAY), "announcement", slug)
    assert (event.date, event.date_precision) == (date(2025, 9, 3), "day")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("百度发布文心一言4.5。文心一言即日起向企业开放，新用户可免费获得1000万tokens。", "zh"),
        ("Baidu launched ERNIE 4.5 on Monday. ERNIE is free for developers today, and new "
         "users get 10 million free tokens.", "en"),
    ],
)
def test_product_of_the_last_subject_stands_for_its_vendor(run: Run, text: str,
                                                           lang: str) -> None:
    assert events_of(run(text, lang, TUESDAY), "offer", "baidu")


def test_privacy_regulator_sentence_is_not_footer(run: Run) -> None:
    # (No country before the descriptor: actors.yaml now knows "französische Datenschutzbehörde".)
    text = ("Die Datenschutzbehörde Nimbra hat gegen Google ein Bußgeld "
            "von 150 Millionen Euro verhängt.\nDatenschutz | Impressum")
    assert events_of(run(text, "de", TUESDAY), "policy", "nimbra")
    only_footer = run("Kontakt\nDatenschutz | Impressum | Cookies", "de", TUESDAY)
    assert not only_footer.events


def test_bare_descriptor_introduces_a_name(run: Run) -> None:
    text = "Der Anbieter Fluxwerk GmbH hat eine neue Plattform vorgestellt."
    assert events_of(run(text, "de", TUESDAY), "product_launch", "fluxwerk")
