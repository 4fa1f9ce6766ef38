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
from .tense import future_before

# Quarters ("in the fourth quarter", "Q3 2024", "im dritten Quartal", "第三季度"): calendar
# words of each language, not of any trade. A quarter dates an event at its year (no
# precision is finer and still true), and only when spoken of as ahead or as when something
# takes effect: a past quarter in news is a reporting period ("revenue rose in the third
# quarter"), not when the reported act happened.
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
        "4th": 4, "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "ersten": 1,
        "zweiten": 2, "dritten": 3, "vierten": 4, "1.": 1, "2.": 2, "3.": 3, "4.": 4,
        "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HALF = {"first": 1, "second": 2, "erste": 1, "zweite": 2, "ersten": 1, "zweiten": 2,
         "上": 1, "下": 2, "1": 1, "2": 2}
_REL_YEAR = {"this": 0, "next": 1, "last": -1, "dieses": 0, "des laufenden": 0,
             "laufenden": 0, "diesen": 0, "nächsten": 1, "kommenden": 1, "des nächsten": 1,
             "des kommenden": 1, "vergangenen": -1, "des vergangenen": -1, "letzten": -1,
             "des letzten": -1, "今年": 0, "明年": 1, "去年": -1, "本年": 0, "次年": 1}
_QUARTER = {
    "en": (regex.compile(
        r"(?<![\w-])(?:(?P<ry>this|next|last)\s+year['’]s\s+)?(?:(?:the|its|their)\s+)?"
        r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?!-)"
        r"(?:\s+of\s+(?:(?P<y1>\d{4})|(?P<ry2>this|next|last)\s+year)|,?\s+(?P<y2>\d{4}))?"
        r"|(?P<half>first|second)\s+half(?!-)(?:\s+of\s+(?:(?P<y4>\d{4})|(?P<ry3>this|next|"
        r"last)\s+year))?"
        r"|Q(?P<q>[1-4])(?:\s*(?:of\s+)?(?P<y3>\d{4})|\s*['’](?P<yy>\d{2}))?"
        r"|H(?P<h>[12])\s*(?P<y5>\d{4}))(?![\w-])",
        regex.I), ("uarter", "Q", "half", "H1", "H2")),
    "de": (regex.compile(
        r"(?<![\w-])(?:(?P<ord>(?:erste|zweite|dritte|vierte)n?|[1-4]\.)\s*Quartal(?:s|es)?"
        r"|(?P<half>(?:erste|zweite)n?)\s+(?:Halbjahr(?:es|s)?|Jahreshälfte)"
        r"|Q(?P<q>[1-4])|H(?P<h>[12]))(?:\s+(?:(?P<y1>\d{4})|(?P<ry2>des\s+(?:laufenden|vergangenen|"
        r"nächsten|kommenden|letzten)|dieses|diesen|nächsten|kommenden)\s+Jahres))?(?![\w-])"),
        ("Quartal", "Q", "albjahr", "hälfte", "H1", "H2")),
    "zh": (regex.compile(
        r"(?:(?P<y1>\d{4})\s*年\s*|(?P<ry>今年|明年|去年|本年|次年)\s*)?(?:第\s*)?"
        r"(?:(?P<ord>[一二三四1-4])\s*(?:季度|季)(?![节節])|(?P<half>上|下)半年|Q(?P<q>[1-4])"
        r"|H(?P<h>[12]))"),
        ("季", "Q", "半年", "H1", "H2")),
}


def _quarter_of(m: Any) -> int:
    """The quarter a match names; a half-year counts as its last quarter (its end is what
    the year choice and the estimate need)."""
    groups = m.groupdict()
    half = groups.get("half") or groups.get("h")
    if half:
        return 2 * _HALF.get(half.casefold(), 0)
    return _ORD.get((groups.get("ord") or groups.get("q") or "").casefold(), 0)


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
    spec = _QUARTER.get(lex.language)
    if spec is None:
        return []
    pattern, literals = spec
    span = text[start:end]
    if not any(lit in span for lit in literals):
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
        quarter = _quarter_of(m)
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
            year, basis = anchor.year + _REL_YEAR.get(key, 0), "relative"
        else:
            year, basis = _quarter_year(quarter, anchor, True), "relative"
        prec = "year" if basis == "stated" else coarser("year", precision)
        out.append(DateMention(m.start(), m.end(), date(year, 1, 1), prec, basis, eff))
    return out


def reported_quarters(text: str, start: int, end: int, lex: Lexicon) -> list[DateMention]:
    """Quarters with their year spoken of as past ("TSMC hat im dritten Quartal 2025 den
    Markt übertroffen"): results are reported after the quarter ends, so the article was
    written after it. Each sits at the month after its quarter, for the estimate only."""
    spec = _QUARTER.get(lex.language)
    if spec is None or not any(lit in text[start:end] for lit in spec[1]):
        return []
    out = []
    for m in spec[0].finditer(text, start, end):
        groups = m.groupdict()
        year = _stated_year(groups)
        quarter = _quarter_of(m)
        if not (year and quarter) or future_before(text, start, m.start(), lex.language) or (
                future_before(text, m.end(), end, lex.language)):
            continue
        if effective(text, m.start(), m.end(), start, end, lex):
            continue
        after = date(int(year) + quarter // 4, 3 * quarter % 12 + 1, 1)
        out.append(DateMention(m.start(), m.end(), after, "month", "stated", False))
    return out


# "last October", "next March", "im vergangenen Mai": a month named by where it lies from
# the reference time. Grammar words of each language; the month names are the lexicon's.
_MONTH_WORDS = {
    "en": {"last": -1, "past": -1, "this past": -1, "next": 1, "this coming": 1,
           "coming": 1, "this": 0},
    "de": {"vergangenen": -1, "letzten": -1, "kommenden": 1, "nächsten": 1, "diesen": 0},
}
_MONTH_PATTERNS: dict[str, tuple[Lexicon, Any, dict[str, int]]] = {}


def _month_pattern(lex: Lexicon) -> tuple[Any, dict[str, int]] | None:
    words = _MONTH_WORDS.get(lex.language)
    if words is None or not lex.month_names:
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
    words = _MONTH_WORDS[lex.language]
    span = text[start:end]
    if not any(w in span for w in ("ast", "ext", "his", "oming", "ergangen", "etzten",
                                   "ommenden", "ächsten", "iesen")):
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
