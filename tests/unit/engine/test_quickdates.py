"""The common date shapes read without dateparser give what dateparser gives."""

from __future__ import annotations

from datetime import date

import pytest

from newsline_engine.dateparse import read_with_dateparser
from newsline_engine.quickdates import quick_date

EN_MONTHS = ["January", "Feb.", "March", "Apr", "May", "June", "July", "Aug.", "Sept.",
             "October", "Nov", "December"]
DE_MONTHS = ["Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "Sept.", "Oktober", "Dez."]


def _shapes() -> list[tuple[str, str]]:
    out = []
    for year, day in ((2024, 9), (2019, 1), (2026, 28)):
        for month in EN_MONTHS:
            out += [("en", f"{month} {day}, {year}"), ("en", f"{month} {day} {year}"),
                    ("en", f"{day} {month} {year}"), ("en", f"{month} {year}")]
        for month in DE_MONTHS:
            out += [("de", f"{day}. {month} {year}"), ("de", f"{month} {year}")]
        out += [("de", f"{day:02d}.07.{year}"), ("zh", f"{year}年7月{day}日"),
                ("zh", f"{year}年3月")]
    return out


@pytest.mark.parametrize(("language", "text"), _shapes())
def test_every_common_shape_reads_as_dateparser_reads_it(language: str, text: str) -> None:
    quick = quick_date(language, text)
    assert quick is not None, text
    assert quick == read_with_dateparser(language, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Tuesday, August 6, 2024"),  # weekdays stay with dateparser
    ("en", "next Tuesday"),
    ("en", "31 June 2024"),  # impossible day: dateparser decides
    ("de", "kommenden Montag"),
    ("de", "Juli"),  # yearless: the caller adds the year first
    ("zh", "下周一"),
    ("fr", "9 juillet 2024"),  # languages without a shape here
])
def test_other_forms_are_left_to_dateparser(language: str, text: str) -> None:
    assert quick_date(language, text) is None


def test_spoken_chinese_day_words_are_read_too() -> None:
    # "号" (spoken, mainland) and "號" (Traditional) name the day as "日" does; dateparser
    # reads neither, so such a date used to be lost.
    assert quick_date("zh", "2024年11月9号") == (date(2024, 11, 9), "day")
    assert quick_date("zh", "2024年11月9號") == (date(2024, 11, 9), "day")


def test_a_spaced_chinese_month_keeps_its_year() -> None:
    # dateparser reads "2023 年 6 月" as June of the year 3; the shape here does not.
    assert quick_date("zh", "2023 年 6 月") == (date(2023, 6, 1), "month")
