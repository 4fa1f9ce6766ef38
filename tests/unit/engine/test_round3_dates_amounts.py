"""Dates and amounts, engine round 3 (issue 7). Own sentences, not the corpus articles':
quarters, a future participle without its auxiliary, follow-up sentences that date or
quantify the event before them, past quarters and embedded posts for the reference time,
amounts in words, country dollars and currency signs after the amount."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction, Knowledge
from newsline_engine.dates import absolute_dates, find_dates
from newsline_engine.quantities import find_quantities

from .conftest import events_of

Run = Callable[..., Extraction]
MAY = date(2024, 5, 10)


def _dates(knowledge: Knowledge, text: str, lang: str, anchor: date = MAY
           ) -> list[tuple[str, str, str]]:
    lex = knowledge.lexicons[lang]
    return [(d.value.isoformat(), d.precision, text[d.start:d.end])
            for d in find_dates(text, 0, len(text), lex, anchor)]


def _amounts(knowledge: Knowledge, text: str, lang: str) -> list[tuple[float, str]]:
    lex = knowledge.lexicons[lang]
    return [(q.quantity.value, q.quantity.unit) for q in find_quantities(text, 0, len(text), lex)]


# --- quarters ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "lang", "year"),
    [
        ("Nordwind Foods will book a restructuring charge in the fourth quarter.", "en", 2024),
        ("The merger is expected to close in Q1 2026.", "en", 2026),
        ("Deliveries are set to start in the second quarter of next year.", "en", 2025),
        ("Die Brauerei will die Anlage im dritten Quartal in Betrieb nehmen.", "de", 2024),
        ("Das Werk soll im ersten Quartal des kommenden Jahres schließen.", "de", 2025),
        ("该集团计划于第四季度推出新款芯片。", "zh", 2024),
        ("这家车企预计明年一季度交付新车型。", "zh", 2025),
        ("该公司第三季度将推出折叠屏手机。", "zh", 2024),
        ("Der Marktstart ist für die zweite Jahreshälfte 2026 geplant.", "de", 2026),
        ("The airline will take delivery of the jets in H2 2025.", "en", 2025),
        ("该车企计划于明年上半年在欧洲上市。", "zh", 2025),
    ],
)
def test_a_quarter_ahead_dates_the_event_at_its_year(knowledge: Knowledge, text: str,
                                                      lang: str, year: int) -> None:
    [(value, precision, _)] = _dates(knowledge, text, lang)
    assert (value, precision) == (f"{year}-01-01", "year")


def test_a_quarter_ahead_in_january_may_be_last_years_last_quarter(knowledge: Knowledge) -> None:
    # Written on 3 January: "will report in the fourth quarter" cannot be a quarter already
    # over for weeks, so it is this year's.
    [(value, _, _)] = _dates(knowledge, "The bank will close the branch in the fourth quarter.",
                             "en", date(2025, 1, 3))
    assert value == "2025-01-01"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Revenue at the brewer rose 12% in the third quarter.", "en"),
        ("It reported fourth-quarter sales of $3 billion.", "en"),
        ("Der Umsatz des Versandhändlers stieg im zweiten Quartal um 8 Prozent.", "de"),
        ("该公司第三季度营收增长两成。", "zh"),
        ("Im ersten Halbjahr sank der Gewinn des Maschinenbauers.", "de"),
        ("上半年净利润同比下降。", "zh"),
        ("The team spent a quarter of its budget on travel.", "en"),
    ],
)
def test_a_past_quarter_is_a_reporting_period_not_a_date(knowledge: Knowledge, text: str,
                                                          lang: str) -> None:
    assert _dates(knowledge, text, lang) == []


def test_a_quarter_something_takes_effect_from_is_a_date(knowledge: Knowledge) -> None:
    [(value, precision, _)] = _dates(
        knowledge, "Ab dem zweiten Quartal 2025 gelten für Geschäftskunden neue Tarife.", "de")
    assert (value, precision) == ("2025-01-01", "year")


def test_a_past_quarter_with_its_year_dates_the_article_after_it(knowledge: Knowledge) -> None:
    lex = knowledge.lexicons["de"]
    text = "Die Reederei hat im dritten Quartal 2025 mehr Container befördert als erwartet."
    [mention] = absolute_dates(text, 0, len(text), lex)
    assert (mention.value, mention.precision, mention.future) == (date(2025, 10, 1), "month",
                                                                   False)


def test_reference_time_without_publication_date_follows_a_past_quarter(run: Run) -> None:
    # No publication date (received 20 March 2025): the quarter puts the article in spring
    # 2023, so the yearless "am 24. März" is 2023's, not the last 24 March before receipt.
    text = ("Die Reederei Hanseline hat im ersten Quartal 2023 mehr Container befördert als "
            "erwartet. Die Hanseline AG kündigte am 24. März eine neue Route an.")
    result = run(text, "de", None)
    assert result.reference_time.source == "estimate"
    assert result.reference_time.value.year == 2023
    [event] = events_of(result, "announcement", "hanseline")
    assert event.date == date(2023, 3, 24)


# --- tense ---------------------------------------------------------------------------------

def test_slated_to_without_auxiliary_puts_its_date_ahead(knowledge: Knowledge) -> None:
    lex = knowledge.lexicons["en"]
    text = ("The old tier will be retired in mid-March 2026, with access slated to end on "
            "March 20th.")
    mentions = find_dates(text, 0, len(text), lex, date(2025, 12, 1))
    assert [(m.value, m.future) for m in mentions] == [(date(2026, 3, 1), True),
                                                       (date(2026, 3, 20), True)]


# --- follow-up sentences -------------------------------------------------------------------

def test_follow_up_does_not_replace_a_day_with_a_coarser_until_year(run: Run) -> None:
    text = ("date 2019-03 Brüssel. Die EU-Kommission genehmigte die Beihilfe für das "
            "Batteriewerk, wie sie am Dienstag mitteilte. Bis 2027 dürfen demnach bis zu "
            "300 Millionen Euro fließen.")
    result = run(text, "de")
    [event] = events_of(result, "policy", "eu-commission")
    assert (event.date, event.date_precision) == (date(2019, 3, 1), "month")
    assert event.quantity is not None and event.quantity.value == 300_000_000


def test_follow_up_day_after_the_article_dates_an_undated_offer(run: Run) -> None:
    published = datetime(2026, 3, 2, tzinfo=UTC)
    text = ("Tencent will 2 Milliarden Yuan an Gutscheinen für seine KI-App verschenken. "
            "Die Aktion beginnt am 9. März.")
    result = run(text, "de", published)
    [event] = events_of(result, "offer", "tencent")
    assert (event.date, event.date_basis) == (date(2026, 3, 9), "stated")


def test_follow_up_headcount_goes_to_a_layoff(run: Run) -> None:
    text = ("Der Autozulieferer Continental kündigte am Montag den Abbau von Stellen an. "
            "Betroffen sind rund 1200 Stellen in Hessen.")
    result = run(text, "de", datetime(2025, 6, 13, tzinfo=UTC))
    with_amount = [e for e in result.events if e.actors[0].slug == "continental"
                   and e.quantity is not None]
    assert all(e.quantity.unit == "jobs" for e in with_amount)


# --- amounts -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The fund put two billion dollars into the venture.", "en", (2e9, "USD")),
        ("It raised almost half a billion euros.", "en", (5e8, "EUR")),
        ("Der Konzern zahlt rund drei Milliarden Euro für den Rivalen.", "de", (3e9, "EUR")),
        ("Die Stadt erhält eine halbe Milliarde Euro.", "de", (5e8, "EUR")),
        ("Die Strafe beträgt zehn Millionen Euro.", "de", (1e7, "EUR")),
        ("Das Budget liegt bei 100 Mio. € im Jahr.", "de", (1e8, "EUR")),
        ("The port operator paid HK$4.3 billion for the stake.", "en", (4.3e9, "HKD")),
        ("The chipmaker will spend NT$12 billion on a new fab.", "en", (1.2e10, "TWD")),
        ("Der Versicherer streicht 3000 Stellen.", "de", (3000, "jobs")),
        ("该行今年裁员1.6万人。", "zh", (16000, "jobs")),
        ("该银行计划投资5000億日圓。", "zh", (5e11, "JPY")),
        ("The retailer agreed to pay €200m to settle the case.", "en", (2e8, "EUR")),
        ("The insurer will cut 12,000 jobs.", "en", (12000, "jobs")),
        ("The utility issued bonds worth USD 2 billion.", "en", (2e9, "USD")),
        ("The fund raised RMB 5 billion in its first close.", "en", (5e9, "CNY")),
        ("Die Reederei investiert EUR 300 Mio. in neue Schiffe.", "de", (3e8, "EUR")),
        ("该平台宣布推理服务降价五成。", "zh", (50, "percent")),
        ("该厂商投入逾千亿元建设算力中心。", "zh", (1e11, "CNY")),
        ("新用户可获赠百万tokens。", "zh", (1e6, "tokens")),
    ],
)
def test_amounts(knowledge: Knowledge, text: str, lang: str,
                 expected: tuple[float, str]) -> None:
    value, unit = expected
    assert any(u == unit and v == pytest.approx(value) for v, u in _amounts(knowledge, text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The buyer raised its bid by $3 to $41 a share, about $4.1 billion in all.", "en",
         [(4.1e9, "USD")]),
        ("Der Investor erhöhte sein Angebot um 3 Euro auf 41 Euro je Aktie, insgesamt rund "
         "4,1 Mrd. Euro.", "de", [(4.1e9, "EUR")]),
        ("发行价为每股作价3港元，总代价1.2亿港元。", "zh", [(1.2e8, "HKD")]),
        ("该企业一成不变地执行千人计划。", "zh", []),
    ],
)
def test_share_prices_and_idioms_are_no_amount(knowledge: Knowledge, text: str, lang: str,
                                               expected: list[tuple[float, str]]) -> None:
    got = _amounts(knowledge, text, lang)
    assert [u for _, u in got] == [u for _, u in expected]
    assert [v for v, _ in got] == pytest.approx([v for v, _ in expected])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("One of the two managers left after a billion-dollar loss.", "en"),
        ("Ein Teil der Millionen Nutzer wechselte.", "de"),
    ],
)
def test_number_words_without_scale_and_unit_are_no_amount(knowledge: Knowledge, text: str,
                                                           lang: str) -> None:
    assert [u for _, u in _amounts(knowledge, text, lang) if u != "users"] == []


def test_an_embedded_posts_date_bounds_an_undated_article(run: Run) -> None:
    # A German article without a date quoting a post: written after 2 October 2023, so
    # "am Montag" is no Monday of the receipt year (2025).
    text = ("Der Chiphersteller Nordchip hat am Montag seinen Chef entlassen.\n"
            "NORDCHIP FIRES ITS CEO\n"
            "— Chip Watcher (@chipwatch) October 2, 2023\n"
            "Der Aufsichtsrat äußerte sich zunächst nicht.")
    result = run(text, "de", None)
    assert result.reference_time.source == "estimate"
    assert result.reference_time.value.year == 2023


# --- months named from the reference time; tense of yearless dates ------------------------

JAN = date(2025, 1, 3)


@pytest.mark.parametrize(
    ("text", "lang", "value", "precision"),
    [
        ("Back in May last year, the carrier lowered its fares.", "en", "2024-05-01", "month"),
        ("On June 4 last year the bakery chain opened its first shop.", "en", "2024-06-04",
         "day"),
        ("The ministry announced last October that it would tighten the rules.", "en",
         "2024-10-01", "month"),
        ("The airline will add the route next March.", "en", "2025-03-01", "month"),
        ("Im Juni vergangenen Jahres senkte der Versender seine Gebühren.", "de",
         "2024-06-01", "month"),
        ("Der Verband hatte im vergangenen November eine Klage eingereicht.", "de",
         "2024-11-01", "month"),
        ("Am 2. Juli letzten Jahres eröffnete die Kette ihre erste Filiale.", "de",
         "2024-07-02", "day"),
    ],
)
def test_months_named_from_the_reference_time(knowledge: Knowledge, text: str, lang: str,
                                              value: str, precision: str) -> None:
    [(got, prec, _)] = _dates(knowledge, text, lang, JAN)
    assert (got, prec) == (value, precision)


def test_an_unmarked_yearless_date_is_not_put_months_ahead(knowledge: Knowledge) -> None:
    # Written on 11 December: "Founded in May" is this year's May, not next year's.
    [(value, _, _)] = _dates(knowledge, "Founded in May by two chemists, the start-up grew "
                             "fast.", "en", date(2023, 12, 11))
    assert value == "2023-05-01"


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("The tariffs will rise on March 3.", "en", "2024-03-03"),
        ("The new fees apply from March 3.", "en", "2024-03-03"),
        ("Die Aktion beginnt am 6. Januar.", "de", "2024-01-06"),
    ],
)
def test_marked_or_near_yearless_dates_stay_ahead(knowledge: Knowledge, text: str, lang: str,
                                                  value: str) -> None:
    [(got, _, _)] = _dates(knowledge, text, lang, date(2023, 12, 11))
    assert got == value
