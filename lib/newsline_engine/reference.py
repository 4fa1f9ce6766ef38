"""The reference time of an article (DESIGN.md "Dates"): the day its relative and yearless
dates are read against, and where the events it does not date sit.

In order: `published_at` from the request; the publication date of its HTML metadata (or
the metadata header a page reduced to text starts with: "date 2024-06" or "date
2024-06-26"); a dateline or byline in the text ("BEIJING, July 3 (Reuters) -", "新华社北京7月3日电",
"2024-07-03 10:12"); an estimate from the dates the article states, minding their tense
("will block from 9 July 2024" was written before that day); else the receipt time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import regex

from .dateparse import PRECISION_RANK, parse_candidate
from .dates import DateMention, absolute_dates
from .lexicon import Lexicon
from .model import ReferenceTime
from .text import Sentence

_LEAD_DAYS = 7  # an article speaks of a date ahead about a week before it
_NEAR_DAYS = 183
_HEAD_LINES = 15  # datelines and bylines stand near the top
_LINE = regex.compile(r"\S[^\n]*")
# A page reduced to text may start with the date its metadata states, at month or day.
_HEADER = regex.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?(?=\s)")
# "新华社北京7月3日电", "本报上海2024年7月3日讯", "（中央社記者台北3日電）"; not "3日电话会议"
_WIRE_WORD = r"(?:电|電|讯|訊)(?![话話脑腦视視池力网網商子动動器影信台气氣费費息号號])"
_WIRE_ZH = regex.compile(
    rf"^[^\n。]{{0,30}}?(?:(\d{{4}})\s*年\s*)?(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日\s*{_WIRE_WORD}")
_DAY_ZH = regex.compile(rf"^[（(〔【][^）)〕】\n]{{0,30}}?(\d{{1,2}})\s*日\s*{_WIRE_WORD}")
# "BEIJING, July 3 (Reuters) -", "Berlin, 3. Juli 2024 (dpa) –", "PARIS, 3 July /PRNewswire/ --"
_PLACE = regex.compile(r"^\p{Lu}[\p{L}.'’-]*(?:[ /-]\p{Lu}[\p{L}.'’-]*){0,3},\s+")
_WIRE_TAIL = regex.compile(r"\s*(?:\([^()\n]{2,40}\)|/[^/\n]{2,40}/)?\s*[-–—:]")
_NUMERIC = regex.compile(
    r"(?<!\d)(?:(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"|(\d{1,2})\.(\d{1,2})\.(\d{4}))(?!\d)")
_TIME_AFTER = regex.compile(r"\s*[,，|·\-–—]?\s*(?:at\s+|um\s+)?\d{1,2}:\d{2}")
_SEGMENT = regex.compile(r"\s*[|·•]\s*")
_SEPARATORS = " \t|·,-–—()（）:："
_YEAR = regex.compile(r"\d{4}")
# An embedded post's signature line: "— Jane Doe (@jdoe) November 18, 2023". Embeds render
# it in English whatever the article's language; the article was written after the post.
_EMBED = regex.compile(
    r"^[—–-]\s*[^\n()]{1,60}\(@\w{1,30}\)\s+(January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\s+(\d{1,2}),\s+(\d{4})\s*$", regex.M)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_BYLINE_CUE = regex.compile(
    r"(?:published|posted|updated|veröffentlicht|aktualisiert|stand|datum|date|"
    r"发布时间|發布時間|发布日期|發布日期|更新时间|更新時間|日期)\s*(?:am|on)?\s*[:：]?\s*$",
    regex.I)


def calendar_day(moment: datetime) -> date:
    """The day a time stamp names in its own zone (naive ones are taken as UTC)."""
    return moment.date() if moment.tzinfo else moment.replace(tzinfo=UTC).date()


def reference_time(text: str, sentences: list[Sentence], lex: Lexicon, *,
                   received_at: datetime, published_at: datetime | None = None,
                   metadata_date: date | None = None) -> ReferenceTime:
    """The article's reference time and how it was found (with the dateline's span even
    when the publication date is known: a dateline's date is no event's date)."""
    given = calendar_day(published_at) if published_at is not None else metadata_date
    header = metadata_header(text)
    if given is not None:
        line = dateline(text, lex, given, False)
        span = (line[1], line[2]) if line else header[2] if header else None
        source = "published_at" if published_at is not None else "metadata"
        return ReferenceTime(given, "day", source, span)
    if header is not None:
        return ReferenceTime(header[0], header[1], "metadata", header[2])
    received = calendar_day(received_at.astimezone(UTC) if received_at.tzinfo else received_at)
    stated = [d for s in sentences if not (s.boilerplate or s.tail)
              for d in absolute_dates(text, s.start, s.end, lex)]
    stated += embedded_posts(text)
    guess = estimate(stated, received)
    line = dateline(text, lex, guess.value if guess else received, guess is None)
    if line is not None:
        return ReferenceTime(line[0], "day", "dateline", (line[1], line[2]))
    return guess or ReferenceTime(received, "day", "received")


def embedded_posts(text: str) -> list[DateMention]:
    """The days of the posts the article embeds (past: the article quotes them)."""
    if "(@" not in text:
        return []
    out = []
    for m in _EMBED.finditer(text):
        day = _valid(int(m[3]), _MONTHS.index(m[1]) + 1, int(m[2]))
        if day is not None:
            out.append(DateMention(m.start(), m.end(), day, "day", "stated", False))
    return out


def metadata_header(text: str) -> tuple[date, str, tuple[int, int]] | None:
    """The publication date a page's metadata header states ("date 2024-06" at month,
    "date 2024-06-26" at day), with its span; None when the text has no such header."""
    m = _HEADER.match(text)
    if m is None:
        return None
    day = _valid(int(m[1]), int(m[2]), int(m[3]) if m[3] else 1)
    if day is None:
        return None
    return day, "day" if m[3] else "month", (m.start(1) - 5, m.end())


def estimate(stated: list[DateMention], received: date) -> ReferenceTime | None:
    """When the article was written, at month precision, from the days and months it
    states: after the latest one it speaks of as past, before the first one it speaks of
    as ahead (a future tense, or a date something takes effect from). When the one ahead is
    near, a week before it (news report a coming rule days before it applies). Bare years
    ("founded in 2015", "plans to list in 2027") say too little to date an article by."""
    usable = [d for d in stated if d.value <= received and d.precision != "year"]
    past = [d for d in usable if not d.future]
    ahead = [d for d in usable if d.future]
    first = min(ahead, key=lambda d: d.value) if ahead else None
    latest = max(past, key=lambda d: (d.value, PRECISION_RANK[d.precision])) if past else None
    if first is not None and (latest is None or 0 < (first.value - latest.value).days
                              <= _NEAR_DAYS):
        before = max(first.value - timedelta(days=_LEAD_DAYS), latest.value if latest else date.min)
        return ReferenceTime(before, "month", "estimate")
    if latest is not None:
        middle = 14 if latest.precision == "month" else 0
        return ReferenceTime(min(latest.value + timedelta(days=middle), received), "month",
                             "estimate")
    return None


def dateline(text: str, lex: Lexicon, near: date, only_received: bool
             ) -> tuple[date, int, int] | None:
    """The day a dateline or byline near the top of the text states, with its span. A
    yearless one takes the year nearest `near` (the estimate, else the receipt day, which
    it cannot follow)."""
    for n, line in enumerate(_LINE.finditer(text)):
        if n >= _HEAD_LINES:
            break
        found = _line_date(line.group(), lex, near, only_received)
        if found is not None and found[0] is not None:
            return found[0], line.start() + found[1], line.start() + found[2]
    return None


def _line_date(line: str, lex: Lexicon, near: date, past: bool
               ) -> tuple[date | None, int, int] | None:
    wire = _WIRE_ZH.match(line)
    if wire:
        if wire[1]:
            return _valid(int(wire[1]), int(wire[2]), int(wire[3])), 0, wire.end()
        options = [_valid(y, int(wire[2]), int(wire[3])) for y in _around(near.year)]
        return _nearest(options, near, past), 0, wire.end()
    day = _DAY_ZH.match(line)
    if day:
        first = near.replace(day=1)
        months = (first - timedelta(days=1), first, first + timedelta(days=32))
        options = [_valid(m.year, m.month, int(day[1])) for m in months]
        return _nearest(options, near, past), 0, day.end()
    place = _PLACE.match(line)
    if place and lex.language != "zh":
        for pattern in lex.dates:
            m = pattern.match(line, place.end())
            tail = _WIRE_TAIL.match(line, m.end()) if m else None
            if m and tail:
                return _day(m.group(), lex, near, past), 0, tail.end()
    lead = _NUMERIC.match(line)
    tail = _WIRE_TAIL.match(line, lead.end()) if lead else None
    if lead and tail:  # "03.07.2024 – Berlin (dpa) – ..."
        return _numeric_date(lead), 0, tail.end()
    if len(line) > 120:
        return None
    for m in _NUMERIC.finditer(line):
        if _byline(line, m.start(), m.end(), True):
            return _numeric_date(m), m.start(), m.end()
    for pattern in lex.dates:
        for m in pattern.finditer(line):
            if _byline(line, m.start(), m.end(), bool(_YEAR.search(m.group()))):
                found = _day(m.group(), lex, near, past)
                if found is not None:
                    return found, m.start(), m.end()
    return None


def _byline(line: str, start: int, end: int, has_year: bool) -> bool:
    """A date with a clock time after it; or, stating its year, after a cue ("Published:")
    or at one end of a short line ("By Jane Doe, July 3, 2024")."""
    if _TIME_AFTER.match(line, end):
        return True
    if not has_year:
        return False
    if _BYLINE_CUE.search(line[:start]) or line[start:end] in _SEGMENT.split(line):
        return True  # "Published: 3 July 2024", "Software | 19. März 2024 | 2 Min. Lesezeit"
    head, tail = line[:start].strip(_SEPARATORS), line[end:].strip(_SEPARATORS)
    return len(line) <= 60 and (not head or not tail) and len(head) + len(tail) <= 25 and not (
        tail.endswith((".", "。")))


def _numeric_date(m: regex.Match[str]) -> date | None:
    """2024-07-03, 2024/07/03, 2024年07月03日 or 03.07.2024."""
    y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    return _valid(int(y), int(mo), int(d))


def _day(candidate: str, lex: Lexicon, near: date, past: bool) -> date | None:
    parsed = parse_candidate(candidate, lex, near, past)
    return parsed[0] if parsed and parsed[1] == "day" else None


def _around(year: int) -> tuple[int, int, int]:
    return year - 1, year, year + 1


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest(options: list[date | None], near: date, past: bool) -> date | None:
    """The option nearest `near`; with `past`, none after it (a dateline precedes receipt)."""
    real = [o for o in options if o is not None]
    if past:
        real = [o for o in real if o <= near + timedelta(days=1)] or real
    return min(real, key=lambda o: abs((o - near).days)) if real else None
