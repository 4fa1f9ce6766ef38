"""Reference times and dates without a year or month (real-corpus round 2). Own sentences,
not the corpus articles': a page's metadata date, weekdays against a month-only reference,
Chinese day-only dates, yearless dates against the receipt time, "said ... that it will"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from newsline_engine import Extraction

from .conftest import events_of

Run = Callable[..., Extraction]
FRIDAY = datetime(2025, 6, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("date 2024-11 Berlin. SAP kündigte am Dienstag an, 3000 Stellen abzubauen.",
         date(2024, 11, 1), "month"),
        ("date 2024-11-14 Berlin. SAP hat am Dienstag angekündigt, 3000 Stellen abzubauen.",
         date(2024, 11, 14), "day"),
    ],
)
def test_metadata_date_line_is_the_reference(run: Run, text: str, value: date,
                                             precision: str) -> None:
    result = run(text, "de")
    assert result.reference_time.source == "metadata"
    assert (result.reference_time.value, result.reference_time.precision) == (value, precision)


def test_weekday_against_a_month_reference_is_that_month(run: Run) -> None:
    # Which Tuesday of November is unknown: the event is dated November, not October.
    result = run("date 2024-11 Berlin. SAP kündigte am Dienstag an, 3000 Stellen abzubauen.",
                 "de")
    [event] = events_of(result, "announcement", "sap")
    assert (event.date, event.date_precision) == (date(2024, 11, 1), "month")


def test_weekday_against_a_day_reference_is_the_day_before_it(run: Run) -> None:
    result = run("date 2024-11-14 Berlin. SAP hat am Dienstag angekündigt, 3000 Stellen "
                 "abzubauen.", "de")
    [event] = events_of(result, "announcement", "sap")
    assert event.date == date(2024, 11, 12)


def test_chinese_day_only_date_is_a_day_of_the_reference_month(run: Run) -> None:
    result = run("华为29日宣布，旗下云服务即日起停止向海外用户提供服务。", "zh", FRIDAY)
    [event] = events_of(result, "announcement", "huawei")
    assert (event.date, event.date_basis) == (date(2025, 5, 29), "stated")


def test_yearless_date_against_receipt_time_is_the_last_such_day(run: Run) -> None:
    # Received 20 March 2025 with no publication date: "May 16" is May 2024, not 2025.
    result = run("On May 16, Tencent Cloud announced price cuts of up to 40% for its database "
                 "products.", "en")
    [event] = events_of(result, "announcement", "tencent-cloud")
    assert event.date == date(2024, 5, 16)


@pytest.mark.parametrize(
    ("text", "slug", "day"),
    [
        ("Samsung said yesterday it will cut the price of the Galaxy S25 by 10%.",
         "samsung", date(2025, 6, 12)),
        ("DeepSeek said on May 23, according to Reuters, that it would make its discount "
         "permanent.", "deepseek", date(2025, 5, 23)),
        ("Alibaba's chair Joe Tsai said at a conference in Dubai on Thursday that the tech "
         "firm would work with Apple.", "alibaba", date(2025, 6, 12)),
    ],
)
def test_said_that_it_will_is_an_announcement_dated_when_said(run: Run, text: str, slug: str,
                                                               day: date) -> None:
    [event] = events_of(run(text, "en", FRIDAY), "announcement", slug)
    assert event.date == day


def test_german_this_year_dates_the_year(run: Run) -> None:
    result = run("Siemens will die Übernahme von Altair noch in diesem Jahr abschließen.", "de",
                 FRIDAY)
    dated = [(e.date, e.date_precision) for e in result.events]
    assert (date(2025, 1, 1), "year") in dated, dated
