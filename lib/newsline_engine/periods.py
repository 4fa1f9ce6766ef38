"""Dates named as periods: quarters and half-years ("Q3 2024", "im dritten Quartal",
"第三季度", "H1 2025") and months named by where they lie from the reference time ("last
October", "im vergangenen Mai"). dates.find_dates adds what these find to the dates it reads.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import regex

from .date_mention import SINCE, DateMention, coarser, effective
from .dateparse import anchorless
from .lexicon import Lexicon
from .model import truncate
from .period_words import Periods
from .tense import future_before

# Quarters ("in the fourth quarter", "Q3 2024", "im dritten Quartal", "第三季度"): the words
# are each language's, in the `periods` section of its triggers file. A quarter dates an
# event at its year (no precision is finer and still true), and only when spoken of as
# ahead or as when something takes effect: a past quarter in news is a reporting period
# ("revenue rose in the third quarter"), not when the reported act happened.


def _quarter_of(m: Any, words: Periods) -> int:
    """The quarter a match names; a half-year counts as its last quarter (its end is what
    the year choice and the estimate need)."""
    groups = m.groupdict()
    half = groups.get("half") or groups.get("h")
    if half:
        return 2 * words.halves.get(half.casefold(), 0)
    return words.ordinals.get((groups.get("ord") or groups.get("q") or "").casefold(), 0)


def _stated_year(groups: dict[str, Any]) -> str | None:
    return next((groups[k] for k in ("y1", "y2", "y3", "y4", "y5") if groups.get(k)), None)


def _quarter_year(quarter: int, anchor: date, ahead: bool) -> int:
    """The year of a yearless quarter: the nearest one to the reference time, not yet over
    when spoken of as ahead ("will close in the fourth quarter" on 3 January: this year's)."""
    def span(year: int) -> tuple[date, date]:
        first = date(year, 3 * quarter - 2, 1)
        return first, date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - timedelta(days=1)

    years = [anchor.year - 1, anchor.year, anchor.year + 1]
    if ahead:
        years = [y for y in years if span(y)[1] >= anchor]

    def distance(year: int) -> int:
        a, b = span(year)
        return 0 if a <= anchor <= b else min(abs((a - anchor).days), abs((b - anchor).days))

    return min(years, key=distance)


def quarters(text: str, start: int, end: int, lo: int, lex: Lexicon, anchor: date,
              precision: str) -> list[DateMention]:
    """Quarters spoken of as ahead or as taking effect, dated at their year."""
    words = lex.periods
    pattern = words.quarter
    span = text[start:end]
    if pattern is None or not any(lit in span for lit in words.quarter_literals):
        return []
    out = []
    for m in pattern.finditer(text, start, end):
        eff = effective(text, m.start(), m.end(), start, end, lex)
        # The future marker may follow the quarter: "第三季度将推出", "ist für Q3 geplant".
        ahead = future_before(text, lo, m.start(), lex.language) or future_before(
            text, m.end(), end, lex.language)
        since = SINCE.search(text[max(start, m.start() - 12) : m.start()])
        if not (ahead or (eff and not since)):
            continue
        quarter = _quarter_of(m, words)
        if not quarter:
            continue
        groups = m.groupdict()
        stated = _stated_year(groups)
        rel = groups.get("ry") or groups.get("ry2") or groups.get("ry3")
        if stated:
            year, basis = int(stated), "stated"
        elif groups.get("yy"):
            year, basis = 2000 + int(groups["yy"]), "stated"
        elif rel:
            key = regex.sub(r"\s+", " ", rel.casefold()).removesuffix(" jahres").strip()
            year, basis = anchor.year + words.relative_years.get(key, 0), "relative"
        else:
            year, basis = _quarter_year(quarter, anchor, True), "relative"
        prec = "year" if basis == "stated" else coarser("year", precision)
        out.append(DateMention(m.start(), m.end(), date(year, 1, 1), prec, basis, eff))
    return out


def reported_quarters(text: str, start: int, end: int, lex: Lexicon) -> list[DateMention]:
    """Quarters with their year spoken of as past ("TSMC hat im dritten Quartal 2025 den
    Markt übertroffen"): results are reported after the quarter ends, so the article was
    written after it. Each sits at the month after its quarter, for the estimate only."""
    words = lex.periods
    if words.quarter is None or not any(lit in text[start:end] for lit in words.quarter_literals):
        return []
    out = []
    for m in words.quarter.finditer(text, start, end):
        groups = m.groupdict()
        year = _stated_year(groups)
        quarter = _quarter_of(m, words)
        if not (year and quarter) or future_before(text, start, m.start(), lex.language) or (
                future_before(text, m.end(), end, lex.language)):
            continue
        if effective(text, m.start(), m.end(), start, end, lex):
            continue
        after = date(int(year) + quarter // 4, 3 * quarter % 12 + 1, 1)
        out.append(DateMention(m.start(), m.end(), after, "month", "stated", False))
    return out


# "last October", "next March", "im vergangenen Mai": a month named by where it lies from
# the reference time. The words are the triggers file's (periods.relative_month_words),
# the month names the lexicon's.
_MONTH_PATTERNS: dict[str, tuple[Lexicon, Any, dict[str, int]]] = {}


def _month_pattern(lex: Lexicon) -> tuple[Any, dict[str, int]] | None:
    words = lex.periods.month_words
    if not words or not lex.month_names:
        return None
    cached = _MONTH_PATTERNS.get(lex.language)
    if cached is not None and cached[0] is lex:
        return cached[1], cached[2]
    months: dict[str, int] = {}
    for name in lex.month_names:
        parsed = anchorless(f"{name.capitalize()} 2000", lex)
        if parsed is not None and parsed[1] == "month":
            months[name.capitalize()] = parsed[0].month
    names = "|".join(regex.escape(n) for n in sorted(months, key=len, reverse=True))
    alts = "|".join(regex.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=len, reverse=True))
    # The month name keeps its capital ("last may" is no month); no day after it.
    pattern = regex.compile(rf"(?<!\w)(?i:(?P<w>{alts}))\s+(?P<m>{names})(?!\w)(?!\s*\d)")
    _MONTH_PATTERNS[lex.language] = (lex, pattern, months)
    return pattern, months


def named_months(text: str, start: int, end: int, lex: Lexicon, anchor: date,
                  precision: str) -> list[DateMention]:
    spec = _month_pattern(lex)
    if spec is None:
        return []
    pattern, months = spec
    words = lex.periods.month_words
    span = text[start:end]
    if not any(w[1:] in span for w in words):  # "ast" of "Last" or "last": cheap first
        return []
    out = []
    for m in pattern.finditer(text, start, end):
        offset = words[regex.sub(r"\s+", " ", m.group("w").casefold())]
        month = months[m.group("m")]
        year = anchor.year
        if offset < 0 and month >= anchor.month:
            year -= 1  # the last such month before the reference month
        elif offset > 0 and month <= anchor.month:
            year += 1
        prec = coarser("month", precision) if precision == "year" else "month"
        value = truncate(date(year, month, 1), prec)
        out.append(DateMention(m.start(), m.end(), value, prec, "relative",
                               effective(text, m.start(), m.end(), start, end, lex)))
    return out
