"""Find dates in a span: cheap regex candidates first, read by dateparse only on those."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import regex

from .dateparse import PRECISION_RANK, absolute, anchorless, clear_date_cache, relative
from .lexicon import Lexicon
from .literal_filter import may_match
from .model import truncate
from .tense import future_before

__all__ = ["PRECISION_RANK", "DateMention", "absolute_dates", "clear_date_cache", "find_dates"]

_SINCE = regex.compile(r"(?:\bseit|\bsince|自从|自從)\s*$", regex.I)
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


def _quarters(text: str, start: int, end: int, lo: int, lex: Lexicon, anchor: date,
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
        eff = _effective(text, m.start(), m.end(), start, end, lex)
        # The future marker may follow the quarter: "第三季度将推出", "ist für Q3 geplant".
        ahead = future_before(text, lo, m.start(), lex.language) or future_before(
            text, m.end(), end, lex.language)
        since = _SINCE.search(text[max(start, m.start() - 12) : m.start()])
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


def _reported_quarters(text: str, start: int, end: int, lex: Lexicon) -> list[DateMention]:
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
        if _effective(text, m.start(), m.end(), start, end, lex):
            continue
        after = date(int(year) + quarter // 4, 3 * quarter % 12 + 1, 1)
        out.append(DateMention(m.start(), m.end(), after, "month", "stated", False))
    return out


# A weekday written with its date names that date: "Tuesday, August 6", "7月9日（周二）".
_WEEKDAY_THEN_DATE = regex.compile(r"[\s,，、]*(?:(?:the|den)\s+)?")
_DATE_THEN_WEEKDAY = regex.compile(r"[\s,，、]*[（(]?\s*")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day | month | year
    basis: str  # stated | relative
    effective: bool  # introduced by "starting", "ab dem", "从...起": when something takes effect
    future: bool = False  # spoken of as ahead of the writer ("will block from 9 July")


def coarser(a: str, b: str) -> str:
    """The less precise of two precisions."""
    return a if PRECISION_RANK[a] <= PRECISION_RANK[b] else b


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
    the past quarters with their year, at the month after them: see _reported_quarters).
    `future` here also marks a date something takes effect from ("ab dem", "自...起"), which
    news mostly report ahead of the day; "since"/"seit" ones stay past."""
    found = [DateMention(a, b, value, prec, "stated", _effective(text, a, b, start, end, lex))
             for a, b, (value, prec) in _stated(text, start, end, lex,
                                                lambda c, _pos: anchorless(c, lex))]
    quarters = _reported_quarters(text, start, end, lex)
    if quarters:  # "2025年第三季度": the quarter, not the bare year inside it
        found = sorted([*quarters, *(d for d in found if all(
            d.end <= q.start or d.start >= q.end for q in quarters))], key=lambda d: d.start)
    return [replace(d, future=d.future or (d.effective and not _SINCE.search(
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
        settled = not ahead and not _effective(text, pos, pos + len(candidate), start, end, lex)
        return absolute(candidate, lex, anchor, ahead, precise, past and not ahead, settled)

    found: list[DateMention] = []
    for a, b, (value, prec, anchored) in _stated(text, start, end, lex, parse):
        if anchored:
            prec = coarser(prec, precision)
        found.append(DateMention(a, b, truncate(value, prec), prec, "stated",
                                 _effective(text, a, b, start, end, lex)))

    def free(a: int, b: int) -> bool:
        return all(b <= d.start or a >= d.end for d in found)

    found.extend(q for q in _quarters(text, start, end, lo, lex, anchor, precision)
                 if free(q.start, q.end))
    named = _named_months(text, start, end, lex, anchor, precision)
    if named:  # "last October": the bare month the stated patterns read gives way
        found = [d for d in found if all(d.end <= n.start or d.start >= n.end for n in named)]
        found.extend(named)

    for pattern, day in lex.weekdays if may_match(lex.weekday_group, text, start, end) else ():
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            if _names_its_date(text, m.start(), m.end(), found, start, end, lex):
                continue
            eff = _effective(text, m.start(), m.end(), start, end, lex)
            since = _SINCE.search(text[max(start, m.start() - 12) : m.start()])
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
            eff = _effective(text, m.start(), m.end(), start, end, lex)
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


def _named_months(text: str, start: int, end: int, lex: Lexicon, anchor: date,
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
                               _effective(text, m.start(), m.end(), start, end, lex)))
    return out


def _names_its_date(text: str, a: int, b: int, found: list[DateMention], start: int,
                    end: int, lex: Lexicon) -> bool:
    """A weekday beside a stated day ("Tuesday, August 6, 2024", "7月9日（周二）") adds
    nothing: the date is the date. The date's span grows to take the weekday in."""
    for i, d in enumerate(found):
        if d.precision != "day":
            continue
        if d.start >= b and _joins(_WEEKDAY_THEN_DATE, text, b, d.start):
            eff = d.effective or _effective(text, a, d.end, start, end, lex)
            found[i] = replace(d, start=a, effective=eff)
            return True
        if a >= d.end and _joins(_DATE_THEN_WEEKDAY, text, d.end, a):
            return True
    return False


def _joins(pattern: regex.Pattern[str], text: str, a: int, b: int) -> bool:
    """text[a:b] is only what pattern allows between a weekday and its date."""
    m = pattern.match(text, a, b)
    return bool(m and m.end() == b)
