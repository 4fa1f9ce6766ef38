"""Text normalisation, HTML to text, sentence segmentation and boilerplate flags."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import islice

import regex

from .lexicon import Lexicon
from .model import ExtractionError

_TRAILING_SPACE = regex.compile(r"[ \t\u00a0\u3000]+$", regex.M)
_BLANK_RUNS = regex.compile(r"\n{3,}")
_TERMINAL = regex.compile(r"[.!?。！？…:;：；][\"'”’»」』)）]*\s*$")
_LATIN_BREAK = regex.compile(r"[.!?]+[\"'”’»)]*\s+")
# Portal copy that lost its full stops keeps a space between two sentences: "应询答记者问
# 有记者问" (a space after a long run of text ends a sentence; "商务部 海关总署" does not).
_CJK_BREAK = regex.compile(
    r"[。！？!?]+[”」』）)\"']*\s*|(?<=[^\s,，、；;:：()（）]{8})(?<=\p{Han})[ \u3000]+(?=\p{Han})")
_INITIALS = regex.compile(r"^(?:\p{L}\.)+\p{L}?$|^\p{Lu}$")
_WORDS = regex.compile(r"\w+")
_CJK_WORDS = regex.compile(r"\p{Han}|[^\W\p{Han}]+")  # a Han character or a run of others


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    heading: bool  # its line has no terminal punctuation: headline, caption, widget
    boilerplate: bool  # matched a page-furniture pattern
    tail: bool  # after an end-of-story marker (sources, table of contents, contact form)
    marketing: bool  # addresses the reader ("we", "you", "du") or asks a question
    short: bool  # too few words to state an event


def normalise_text(text: str) -> str:
    """NFC, unified newlines, no trailing spaces, at most one blank line in a row, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _TRAILING_SPACE.sub("", text)
    return str(_BLANK_RUNS.sub("\n\n", text)).strip()


def html_to_text(html: str) -> str:
    """Main text of an HTML page via trafilatura, not yet normalised (Extractor.extract
    normalises every text once); ExtractionError if nothing readable."""
    import trafilatura  # imported lazily: ~0.16 s, only HTML callers pay for it

    try:
        text = trafilatura.extract(
            html,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_recall=True,
            deduplicate=True,
        )
    except Exception as exc:  # trafilatura raises a variety of parser errors
        raise ExtractionError(f"cannot parse HTML: {exc}") from exc
    if not text or not text.strip():
        raise ExtractionError("no readable main text found in the HTML")
    return str(text)


def html_date(html: str) -> date | None:
    """The publication day a page's metadata and markup state (htmldate, no guessing from
    the body text); None when it states none or cannot be parsed."""
    import htmldate  # imported lazily, like trafilatura (which imports it anyway)

    try:
        found = htmldate.find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises a variety of parser errors; a date is optional
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def _ordinal(before: list[str], after: str, lex: Lexicon) -> bool:
    """A number + dot is an ordinal before a month name or after an article/preposition."""
    if not lex.ordinal_before:
        return False
    following = after.split(maxsplit=1)[0].strip(".,;:") if after.strip() else ""
    previous = before[-2].casefold() if len(before) > 1 else ""
    return following.casefold() in lex.month_names or previous in lex.ordinal_before


def _split_latin(line: str, lex: Lexicon) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for match in _LATIN_BREAK.finditer(line):
        end = match.end()
        if end >= len(line):
            break
        before = line[begin : match.start() + 1].split()
        token = before[-1].rstrip(".!?").lstrip("([\"'„“‘«") if before else ""  # "(26. August"
        nxt = line[end]
        if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“„‘«("):
            continue
        if line[match.start()] == ".":
            low = token.casefold()
            if low in lex.abbreviations or _INITIALS.match(token):
                continue
            if token.isdigit() and len(token) <= 2 and _ordinal(before, line[end:], lex):
                continue  # German ordinals: "am 9. Juli", "der 3. Platz"; not "auf 12. Im"
        spans.append((begin, match.end()))
        begin = end
    spans.append((begin, len(line)))
    return spans


def _split_cjk(line: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for match in _CJK_BREAK.finditer(line):
        if match.end() >= len(line):
            break
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, len(line)))
    return spans


def _is_short(text: str, language: str) -> bool:
    """Fewer than 6 words (Han characters count one each) in Chinese, 4 elsewhere: counted
    only up to that many, since a long sentence would take finding all of its words."""
    words, least = (_CJK_WORDS, 6) if language == "zh" else (_WORDS, 4)
    return sum(1 for _ in islice(words.finditer(text), least)) < least


# Wire copy wrapped at a fixed width: "The European Commission said\non Monday it had ...".
_WRAP = regex.compile(r"(?<=[^\n]{30})(?<![.!?:;\"”»)])\n(?=\p{Ll})")


def _unwrap(text: str) -> str:
    """The text with hard line wraps (a long line without an end, the next one going on in
    lower case) turned into spaces: same length, so every offset stays the same."""
    return str(_WRAP.sub(" ", text))


def segment(text: str, lex: Lexicon) -> list[Sentence]:
    """Split normalised text into sentences with offsets and boilerplate flags."""
    sentences: list[Sentence] = []
    offset, paragraph, tail = 0, 0, False
    lines = text.split("\n") if lex.language == "zh" else _unwrap(text).split("\n")
    for line in lines:
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        if lex.tail_marker is not None and lex.tail_marker.search(line):
            tail = True
        line_boiler = bool(lex.boilerplate is not None and lex.boilerplate.search(line))
        pieces = _split_cjk(line) if lex.language == "zh" else _split_latin(line, lex)
        # A line without an end is a headline, caption or widget; unless it holds whole
        # sentences and only ends in a credit ("... wie das Unternehmen mitteilte. (dpa)").
        heading = not _TERMINAL.search(line) and sum(
            bool(_TERMINAL.search(line[b:e])) for b, e in pieces) < 2
        for begin, end in pieces:
            raw = line[begin:end]
            stripped = raw.strip()
            if not stripped:
                continue
            start = line_start + begin + (len(raw) - len(raw.lstrip()))
            sentences.append(
                Sentence(
                    text=stripped,
                    start=start,
                    end=start + len(stripped),
                    paragraph=paragraph,
                    heading=heading,
                    boilerplate=line_boiler
                    or bool(lex.boilerplate is not None and lex.boilerplate.search(stripped)),
                    tail=tail,
                    marketing=bool(lex.marketing is not None and lex.marketing.search(stripped)),
                    short=_is_short(stripped, lex.language),
                )
            )
    return sentences
