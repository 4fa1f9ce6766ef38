"""Find dates in a span: cheap regex candidates first, dateparser only on those."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import regex

from .lexicon import Lexicon

_YEAR = regex.compile(r"\d{4}")
_ISO = regex.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SINCE = regex.compile(r"(?:\bseit|\bsince|自从|自從)\s*$", regex.I)
# Taiwanese press: "昨（12）日" / "今(13)日" = the 12th / 13th, the day named in brackets.
_BRACKET_DAY = regex.compile(r"^[昨今前明]\s*[（(]\s*(\d{1,2})\s*[)）]\s*日$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day | month | year
    basis: str  # stated | relative
    effective: bool  # introduced by "starting", "ab dem", "从...起": when something takes effect


@lru_cache(maxsize=8)
def _parser(language: str) -> Any:
    from dateparser.date import DateDataParser  # ~0.2 s import; once per process

    return DateDataParser(
        languages=[language],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month"]},
    )


def _absolute(candidate: str, lex: Lexicon, anchor: date) -> tuple[date, str] | None:
    bracket = _BRACKET_DAY.match(candidate)
    if bracket:
        return _bracket_day(int(bracket[1]), anchor)
    iso = _ISO.match(candidate)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3])), "day"
        except ValueError:
            return None
    if _YEAR.fullmatch(candidate.strip().rstrip("年")):
        return date(int(candidate.strip().rstrip("年")), 1, 1), "year"
    text = _relative_prefix(candidate, lex, anchor)
    has_year = bool(_YEAR.search(text))
    if not has_year:
        # Partial dates take the anchor's year (published_at, else received_at).
        zh = lex.language == "zh"
        text = f"{anchor.year}年{text}" if zh else f"{text} {anchor.year}"
    return _parse(lex.language, text)


def _relative_prefix(candidate: str, lex: Lexicon, anchor: date) -> str:
    """'今年3月', '本月15日': a relative year or month word before a partial date (zh)."""
    if lex.language != "zh":
        return candidate
    for pattern, unit, offset in lex.relative_dates:
        m = pattern.match(candidate)
        if m and unit in ("year", "month") and m.end() < len(candidate):
            value, _ = _relative(unit, offset, anchor)
            prefix = f"{value.year}年" + (f"{value.month}月" if unit == "month" else "")
            return prefix + candidate[m.end():]
    return candidate


def _bracket_day(day: int, anchor: date) -> tuple[date, str] | None:
    """The day of the month nearest the anchor: '昨（30）日' on 1 May is 30 April."""
    back = anchor.replace(day=1) - timedelta(days=1)
    for year, month in ((anchor.year, anchor.month), (back.year, back.month)):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if abs((value - anchor).days) <= 3:
            return value, "day"
    return None


@lru_cache(maxsize=4096)
def _parse(language: str, text: str) -> tuple[date, str] | None:
    """dateparser on one complete candidate (~1 ms); the same strings recur across articles."""
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


def _relative(unit: str, offset: int, anchor: date) -> tuple[date, str]:
    if unit == "day":
        return anchor + timedelta(days=offset), "day"
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(weeks=offset), "day"
    if unit == "month":
        months = anchor.year * 12 + anchor.month - 1 + offset
        return date(months // 12, months % 12 + 1, 1), "month"
    return date(anchor.year + offset, 1, 1), "year"


def _effective(text: str, start: int, end: int, lo: int, hi: int, lex: Lexicon) -> bool:
    if lex.effective_before is not None:
        window = text[max(lo, start - 25) : start].rstrip()
        for m in lex.effective_before.finditer(window, overlapped=True):
            if m.end() == len(window):
                return True
    if lex.effective_after is not None:
        after = regex.match(r"\s*", text[end:hi])
        pos = end + (after.end() if after else 0)
        if lex.effective_after.match(text, pos, hi):
            return True
    return False


def _weekday(text: str, start: int, lo: int, day: int, lex: Lexicon, anchor: date,
             ahead: bool = False) -> date:
    """'on Tuesday' is the latest Tuesday up to the article's date; 'next Tuesday' the coming;
    'from Friday' / 'ab Montag' (ahead) the coming one, or the article's day itself."""
    if ahead:
        return anchor + timedelta(days=(day - anchor.weekday()) % 7)
    window = text[max(lo, start - 12) : start].rstrip()
    if lex.next_word is not None and any(
        m.end() == len(window) for m in lex.next_word.finditer(window, overlapped=True)
    ):
        return anchor + timedelta(days=(day - anchor.weekday()) % 7 or 7)
    return anchor - timedelta(days=(anchor.weekday() - day) % 7)


def find_dates(text: str, start: int, end: int, lex: Lexicon, anchor: date,
               previous: date | None = None) -> list[DateMention]:
    """Dates stated or implied in text[start:end], in text order, non-overlapping.
    `previous` is the day the article named last ('当日', 'the same day' refer to it)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern in lex.dates:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            parsed = _absolute(m.group(), lex, anchor)
            if parsed is None:
                continue
            taken.append((m.start(), m.end()))
            eff = _effective(text, m.start(), m.end(), start, end, lex)
            found.append(DateMention(m.start(), m.end(), *parsed, "stated", eff))
    for pattern, day in lex.weekdays:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            eff = _effective(text, m.start(), m.end(), start, end, lex)
            since = _SINCE.search(text[max(start, m.start() - 12) : m.start()])
            value = _weekday(text, m.start(), start, day, lex, anchor, eff and not since)
            found.append(DateMention(m.start(), m.end(), value, "day", "relative", eff))
    for pattern, unit, offset in lex.relative_dates:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()) or (unit == "same" and previous is None):
                continue
            taken.append((m.start(), m.end()))
            value, precision = (previous, "day") if unit == "same" and previous else _relative(
                unit, offset, anchor)
            eff = _effective(text, m.start(), m.end(), start, end, lex)
            found.append(DateMention(m.start(), m.end(), value, precision, "relative", eff))
    return sorted(found, key=lambda d: d.start)
