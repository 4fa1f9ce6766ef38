"""A date found in a text, and what every date finder asks of its surroundings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import regex

from .dateparse import PRECISION_RANK
from .lexicon import Lexicon

# "since Q3", "seit dem 1. Mai", "自从": a date that starts a span reaching to now.
SINCE = regex.compile(r"(?:\bseit|\bsince|自从|自從)\s*$", regex.I)


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


def effective(text: str, start: int, end: int, lo: int, hi: int, lex: Lexicon) -> bool:
    """The date at text[start:end] is when something takes effect ("starting", "ab dem",
    "从...起" before it, or the lexicon's words after it), within [lo:hi]."""
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
