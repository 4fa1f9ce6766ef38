"""Find dates in a span: cheap regex candidates first, read by dateparse only on those."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import regex

from . import periods
from .date_mention import SINCE, DateMention, coarser, effective
from .dateparse import PRECISION_RANK, absolute, anchorless, clear_date_cache, relative
from .lexicon import Lexicon
from .literal_filter import may_match
from .model import truncate
from .tense import future_before

__all__ = ["PRECISION_RANK", "DateMention", "absolute_dates", "clear_date_cache", "find_dates"]


# A weekday written with its date names that date: "Tuesday, August 6", "7月9日（周二）".
_WEEKDAY_THEN_DATE = regex.compile(r"[\s,，、]*(?:(?:the|den)\s+)?")
_DATE_THEN_WEEKDAY = regex.compile(r"[\s,，、]*[（(]?\s*")



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


def _stated(text: str, start: int, end: int, lex: Lexicon,
            parse: Any) -> list[tuple[int, int, Any]]:
    """Date-pattern candidates in pattern order, non-overlapping, each with parse(candidate)."""
    found: list[tuple[int, int, Any]] = []
    if not may_match(lex.date_group, text, start, end):
        return found  # no literal any date pattern needs: the loop would find nothing
    for pattern in lex.dates:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and m.end() > s for s, e, _ in found):
                continue
            parsed = parse(m.group(), m.start())
            if parsed is not None:
                found.append((m.start(), m.end(), parsed))
    return found


def _with_tense(text: str, found: list[DateMention], lo: int, lex: Lexicon) -> list[DateMention]:
    """Mark each date spoken of as ahead: a future marker since the previous date."""
    out = []
    for d in sorted(found, key=lambda d: d.start):
        out.append(replace(d, future=future_before(text, lo, d.start, lex.language)))
        lo = max(lo, d.end)
    return out


def absolute_dates(text: str, start: int, end: int, lex: Lexicon) -> list[DateMention]:
    """The dates in text[start:end] that state their year: no reference time needed (and
    the past quarters with their year, at the month after them: see periods.reported_quarters).
    `future` here also marks a date something takes effect from ("ab dem", "自...起"), which
    news mostly report ahead of the day; "since"/"seit" ones stay past."""
    found = [DateMention(a, b, value, prec, "stated", effective(text, a, b, start, end, lex))
             for a, b, (value, prec) in _stated(text, start, end, lex,
                                                lambda c, _pos: anchorless(c, lex))]
    quarters = periods.reported_quarters(text, start, end, lex)
    if quarters:  # "2025年第三季度": the quarter, not the bare year inside it
        found = sorted([*quarters, *(d for d in found if all(
            d.end <= q.start or d.start >= q.end for q in quarters))], key=lambda d: d.start)
    return [replace(d, future=d.future or (d.effective and not SINCE.search(
        text[max(start, d.start - 12) : d.start]))) for d in _with_tense(text, found, start, lex)]


def find_dates(text: str, start: int, end: int, lex: Lexicon, anchor: date,
               previous: date | None = None, precision: str = "day",
               sentence_start: int | None = None, past: bool = False) -> list[DateMention]:
    """Dates stated or implied in text[start:end], in text order, non-overlapping.
    `anchor` is the reference time at `precision`: what it alone dates (a weekday, "last
    week") is no more precise than it. `previous` is the day the article named last
    ('当日', 'the same day' refer to it). `past`: the anchor is when the article was
    received, at or after it was written, so a yearless date not spoken of as ahead is the
    last such day up to the anchor ("On May 16" received in December is this May's)."""
    lo = start if sentence_start is None else min(sentence_start, start)
    precise = precision == "day"

    def parse(candidate: str, pos: int) -> tuple[date, str, bool] | None:
        ahead = future_before(text, lo, pos, lex.language)
        settled = not ahead and not effective(text, pos, pos + len(candidate), start, end, lex)
        return absolute(candidate, lex, anchor, ahead, precise, past and not ahead, settled)

    found: list[DateMention] = []
    for a, b, (value, prec, anchored) in _stated(text, start, end, lex, parse):
        if anchored:
            prec = coarser(prec, precision)
        found.append(DateMention(a, b, truncate(value, prec), prec, "stated",
                                 effective(text, a, b, start, end, lex)))

    def free(a: int, b: int) -> bool:
        return all(b <= d.start or a >= d.end for d in found)

    found.extend(q for q in periods.quarters(text, start, end, lo, lex, anchor, precision)
                 if free(q.start, q.end))
    named = periods.named_months(text, start, end, lex, anchor, precision)
    if named:  # "last October": the bare month the stated patterns read gives way
        found = [d for d in found if all(d.end <= n.start or d.start >= n.end for n in named)]
        found.extend(named)

    for pattern, day in lex.weekdays if may_match(lex.weekday_group, text, start, end) else ():
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            if _names_its_date(text, m.start(), m.end(), found, start, end, lex):
                continue
            eff = effective(text, m.start(), m.end(), start, end, lex)
            since = SINCE.search(text[max(start, m.start() - 12) : m.start()])
            # Against a month-only reference a weekday names a day of that month, not
            # one before its first day.
            value = _weekday(text, m.start(), start, day, lex, anchor, eff and not since) if (
                precise) else anchor
            prec = coarser("day", precision)
            found.append(DateMention(m.start(), m.end(), truncate(value, prec), prec,
                                     "relative", eff))
    phrases = lex.relative_dates if may_match(lex.relative_group, text, start, end) else ()
    for pattern, unit, offset in phrases:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()) or (unit == "same" and previous is None):
                continue
            if unit == "same" and previous:
                value, prec = previous, "day"
            elif unit in ("day", "week") and not precise:
                value, prec = anchor, precision  # "yesterday" of a month-only reference
            else:
                value, prec = relative(unit, offset, anchor)
                prec = coarser(prec, precision)
            eff = effective(text, m.start(), m.end(), start, end, lex)
            if unit == "year" and _year_of_month(text, found, m.start(), m.end(), value.year):
                continue  # "in May last year", "im Mai vergangenen Jahres": one date
            found.append(DateMention(m.start(), m.end(), truncate(value, prec), prec,
                                     "relative", eff))
    return _with_tense(text, found, lo, lex)


_JOIN_YEAR = regex.compile(r"[\s,]*(?:of\s+)?")
_HAS_YEAR = regex.compile(r"\d{4}")


def _year_of_month(text: str, found: list[DateMention], a: int, b: int, year: int) -> bool:
    """A yearless month or day right before a relative year ("May last year", "3. Mai
    vergangenen Jahres") is that year's: the two become one relative date."""
    for i, d in enumerate(found):
        if d.precision == "year" or d.end > a or _HAS_YEAR.search(text, d.start, d.end):
            continue
        joint = _JOIN_YEAR.match(text, d.end, a)
        if not (joint and joint.end() == a):
            continue
        try:
            value = d.value.replace(year=year)
        except ValueError:  # 29 February of a year without one
            return False
        found[i] = replace(d, end=b, value=value, basis="relative")
        return True
    return False



def _names_its_date(text: str, a: int, b: int, found: list[DateMention], start: int,
                    end: int, lex: Lexicon) -> bool:
    """A weekday beside a stated day ("Tuesday, August 6, 2024", "7月9日（周二）") adds
    nothing: the date is the date. The date's span grows to take the weekday in."""
    for i, d in enumerate(found):
        if d.precision != "day":
            continue
        if d.start >= b and _joins(_WEEKDAY_THEN_DATE, text, b, d.start):
            eff = d.effective or effective(text, a, d.end, start, end, lex)
            found[i] = replace(d, start=a, effective=eff)
            return True
        if a >= d.end and _joins(_DATE_THEN_WEEKDAY, text, d.end, a):
            return True
    return False


def _joins(pattern: regex.Pattern[str], text: str, a: int, b: int) -> bool:
    """text[a:b] is only what pattern allows between a weekday and its date."""
    m = pattern.match(text, a, b)
    return bool(m and m.end() == b)
