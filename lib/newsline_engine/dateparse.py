"""Read one date candidate: ISO dates and bare years directly, the rest with dateparser
(cached: the same strings recur across articles); a yearless one takes the year nearest the
reference time, a relative year or month word ("今年3月") the reference time's."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import regex

from .lexicon import Lexicon
from .quickdates import quick_date

PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_YEAR = regex.compile(r"\d{4}")
_SETTLED_AHEAD = 92  # days: beyond this, an unmarked yearless date is taken as past
_ISO = regex.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Taiwanese press: "昨（12）日" / "今(13)日" = the 12th / 13th, the day named in brackets.
_BRACKET_DAY = regex.compile(r"^[昨今前明]\s*[（(]\s*(\d{1,2})\s*[)）]\s*日$")
# Chinese news name a day of the current month alone: "商务部29日宣布" (the 29th).
_DAY_ONLY = regex.compile(r"^(\d{1,2})\s*[日号號]$")


def _interval_end(value: date, precision: str) -> date:
    if precision == "year":
        return date(value.year, 12, 31)
    if precision == "month":
        nxt = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return value


@lru_cache(maxsize=8)
def _parser(language: str) -> Any:
    from dateparser.date import DateDataParser  # ~0.2 s import; once per process

    return DateDataParser(
        languages=[language],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month"]},
    )


def _fixed(candidate: str) -> tuple[date, str] | None:
    """ISO dates and bare years, read without dateparser."""
    iso = _ISO.match(candidate)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3])), "day"
        except ValueError:
            return None
    if _YEAR.fullmatch(candidate.strip().rstrip("年")):
        return date(int(candidate.strip().rstrip("年")), 1, 1), "year"
    return None


def anchorless(candidate: str, lex: Lexicon) -> tuple[date, str] | None:
    """A candidate that states its own year; None when it needs a reference time."""
    fixed = _fixed(candidate)
    if fixed is not None or _ISO.match(candidate) or _BRACKET_DAY.match(candidate):
        return fixed
    if not _YEAR.search(candidate) or _relative_prefix(candidate, lex, None) != candidate:
        return None
    return _parse(lex.language, candidate)


def parse_candidate(candidate: str, lex: Lexicon, anchor: date, past: bool = False
                    ) -> tuple[date, str] | None:
    """One date-pattern match read against anchor; `past`: a yearless one not after it."""
    parsed = absolute(candidate, lex, anchor, False, True, past)
    return (parsed[0], parsed[1]) if parsed else None


def absolute(candidate: str, lex: Lexicon, anchor: date, future: bool, precise: bool,
              past: bool = False, settled: bool = False) -> tuple[date, str, bool] | None:
    """(value, precision, whether the reference time supplied more than the year).
    `settled`: nothing marks the date as ahead (no future word, not when something takes
    effect), so a yearless one is not put months after the reference time."""
    bracket = _BRACKET_DAY.match(candidate)
    if bracket:
        day = _bracket_day(int(bracket[1]), anchor, precise)
        return (*day, True) if day else None
    day_only = _DAY_ONLY.match(candidate)
    if day_only:
        day = _month_day(int(day_only[1]), anchor, precise, future)
        return (*day, True) if day else None
    if _ISO.match(candidate) or _YEAR.fullmatch(candidate.strip().rstrip("年")):
        fixed = _fixed(candidate)
        return (*fixed, False) if fixed else None
    text = _relative_prefix(candidate, lex, anchor)
    if _YEAR.search(text):
        parsed = _parse(lex.language, text)
        return (*parsed, text != candidate) if parsed else None
    # A yearless date ("July 9", "7月9日") takes the year that puts it nearest the reference
    # time; one spoken of as ahead ("will ... from 9 January") the next such day.
    zh = lex.language == "zh"
    parsed = _parse(lex.language, f"{anchor.year}年{text}" if zh else f"{text} {anchor.year}")
    return (*_nearest_year(*parsed, anchor, future, past, settled), False) if parsed else None


def _nearest_year(value: date, precision: str, anchor: date, future: bool,
                  past: bool = False, settled: bool = False) -> tuple[date, str]:
    options = []
    for year in (value.year, value.year - 1, value.year + 1):
        try:
            options.append(value.replace(year=year))
        except ValueError:  # 29 February
            continue

    def distance(option: date) -> int:
        end = _interval_end(option, precision)
        return 0 if option <= anchor <= end else min(abs((option - anchor).days),
                                                     abs((end - anchor).days))

    if future:
        ahead = [o for o in options if _interval_end(o, precision) >= anchor - timedelta(7)]
        options = ahead or options
    if past:
        options = [o for o in options if o <= anchor + timedelta(1)] or options
    best = min(options, key=distance)
    if settled and best > anchor + timedelta(days=_SETTLED_AHEAD):
        # "Founded in May" written in December: news tell the past unless they mark the
        # future, so a date more than a quarter ahead is the last such one instead.
        before = [o for o in options if o <= anchor]
        best = max(before) if before else best
    return best, precision


def _relative_prefix(candidate: str, lex: Lexicon, anchor: date | None) -> str:
    """'今年3月', '本月15日': a relative year or month word before a partial date (zh).
    With no anchor, only whether there is one: the candidate comes back changed or not."""
    if lex.language != "zh":
        return candidate
    for pattern, unit, offset in lex.relative_dates:
        m = pattern.match(candidate)
        if m and unit in ("year", "month") and m.end() < len(candidate):
            if anchor is None:
                return ""
            value, _ = relative(unit, offset, anchor)
            prefix = f"{value.year}年" + (f"{value.month}月" if unit == "month" else "")
            return prefix + candidate[m.end():]
    return candidate


def _bracket_day(day: int, anchor: date, precise: bool = True) -> tuple[date, str] | None:
    """The day of the month nearest the anchor: '昨（30）日' on 1 May is 30 April. Against an
    estimated reference time (not `precise`) the day falls in the reference month."""
    if not precise:
        try:
            return date(anchor.year, anchor.month, day), "day"
        except ValueError:
            return None
    back = anchor.replace(day=1) - timedelta(days=1)
    for year, month in ((anchor.year, anchor.month), (back.year, back.month)):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if abs((value - anchor).days) <= 3:
            return value, "day"
    return None


def _month_day(day: int, anchor: date, precise: bool, future: bool) -> tuple[date, str] | None:
    """'29日' read against the reference day: that day of its month if not after it (or,
    spoken of as ahead, not before it), else of the month before (after). Against a month-
    only reference it is that month's day."""
    months = [anchor.replace(day=1)]
    if precise:
        other = months[0] + timedelta(days=32) if future else months[0] - timedelta(days=1)
        months.append(other.replace(day=1))
    for first in months:
        try:
            value = date(first.year, first.month, day)
        except ValueError:
            continue
        if not precise or (value >= anchor - timedelta(days=1) if future
                           else value <= anchor + timedelta(days=1)):
            return value, "day"
    return None


@lru_cache(maxsize=4096)
def _parse(language: str, text: str) -> tuple[date, str] | None:
    """One complete candidate: the common shapes directly (quickdates), the rest with
    dateparser (~1-2 ms); the same strings recur across articles."""
    quick = quick_date(language, text)
    return quick if quick is not None else read_with_dateparser(language, text)


def read_with_dateparser(language: str, text: str) -> tuple[date, str] | None:
    """dateparser's reading of one complete candidate, at the precision it names."""
    data = _parser(language).get_date_data(text)
    if data.date_obj is None:
        return None
    parsed = data.date_obj.date()
    if data.period == "month":
        return parsed.replace(day=1), "month"
    if data.period == "year":
        return date(parsed.year, 1, 1), "year"
    return parsed, "day"


def clear_date_cache() -> None:
    """Forget cached date parses (benchmarks measure the uncached cost with it)."""
    _parse.cache_clear()


def relative(unit: str, offset: int, anchor: date) -> tuple[date, str]:
    if unit == "day":
        return anchor + timedelta(days=offset), "day"
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(weeks=offset), "day"
    if unit == "month":
        months = anchor.year * 12 + anchor.month - 1 + offset
        return date(months // 12, months % 12 + 1, 1), "month"
    return date(anchor.year + offset, 1, 1), "year"
