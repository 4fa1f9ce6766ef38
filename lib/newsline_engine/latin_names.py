"""Case-insensitive Latin-script names located with the standard library's `re`, several
times faster than `regex` runs its `(?i:...)` prefix tree over a whole text (the largest
single cost of extraction on Latin text), with the very same matches.

For `edge (?i:names) suffix edge`, the text is lower-cased once (same length, so every
offset stays) and `re` looks for where a lower-cased name starts in it, after the same
edge spelled out as a character class; `regex` then matches only there. That finds every
match where lower-casing agrees with how `regex` compares case and keeps each
character's edge class: the characters for which it does not (found over all of Unicode,
once per process) send any text holding one to the `regex` pattern on its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import regex

from .literal_filter import case_classes, every_character

WORD = r"[\p{Latin}\p{N}_]"  # a name's edges: not next to one of these


@lru_cache(maxsize=1)
def _unicode() -> tuple[frozenset[str], str, dict[str, str]]:
    """The edge characters, the same as a `re` class body, and every character that
    lower-casing changes with what it becomes."""
    every = every_character()
    word = frozenset(regex.findall(WORD, every))
    codes = sorted(map(ord, word))
    spans: list[tuple[int, int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1] = (spans[-1][0], c)
        else:
            spans.append((c, c))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in spans)
    lowered: dict[str, str] = {}
    for at in range(0, len(every), 2048):  # most blocks lower-case to themselves: skipped
        block = every[at : at + 2048]
        if block.lower() != block:
            lowered.update((x, x.lower()) for x in block if x.lower() != x)
    return word, body, lowered


def odd_characters(name_chars: Iterable[str]) -> frozenset[str]:
    """Characters of a text for which `x.lower() == c` is not `regex`'s case-insensitive
    "x matches c" for some character c of the (lower-cased) names, lower-casing is not one
    character, or it moves the character in or out of the edge class."""
    word, _, lowered = _unicode()
    chars = set(name_chars)
    classes = case_classes(chars)
    odd = {x for x, low in lowered.items() if len(low) != 1 or (x in word) != (low in word)}
    suspects = set(lowered) | chars | {x for c in chars for x in classes[c]}
    for x in suspects - odd:
        low = x.lower()
        if any((low == c) != (x in classes[c]) for c in chars):
            odd.add(x)
    return frozenset(odd)


class FoldedNames:
    """`regex` pattern `{before}(?i:{tree}){suffix}{after}`, before/after the WORD edges, as
    per-position matches: for each start in a span, the match `regex` prefers there.

    `re` finds where a name starts in the lower-cased text (every start `regex` would
    find, and a few it rejects: the end is not checked); the `regex` pattern, anchored
    there, tells whether and how far it matches."""

    def __init__(self, names: list[str], tree: Callable[[list[str], Any], str],
                 suffix: str = "") -> None:
        _, body, _ = _unicode()
        folded = list(dict.fromkeys(n.lower() for n in names))
        self._pattern = regex.compile(
            rf"(?<!{WORD})(?i:{tree(folded, regex.escape)}){suffix}(?!{WORD})")
        self._starts = re.compile(rf"(?<![{body}])(?:{tree(folded, re.escape)})")
        odd = odd_characters(c for n in folded for c in n)
        self._odd = re.compile("[" + "".join(map(re.escape, sorted(odd))) + "]") if odd else None
        self._last: tuple[str, str | None] = ("", None)

    def _lowered(self, text: str) -> str | None:
        """text lower-cased, or None where `re` cannot stand in for `regex` on it."""
        last = self._last  # read once: another thread may set it meanwhile
        if last[0] is not text:
            ok = self._odd is None or self._odd.search(text) is None
            last = self._last = (text, text.lower() if ok else None)
        return last[1]

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """(start, end) of the preferred match at each position of text[start:end]."""
        lowered = self._lowered(text)
        if lowered is None:
            return [m.span() for m in self._pattern.finditer(text, start, end, overlapped=True)]
        out, search, match = [], self._starts.search, self._pattern.match
        at = search(lowered, start, end)
        while at is not None:
            found = match(text, at.start(), end)
            if found is not None:
                out.append(found.span())
            at = search(lowered, at.start() + 1, end)
        return out


def leftmost(first: list[tuple[int, int]], second: list[tuple[int, int]]
             ) -> list[tuple[int, int]]:
    """Non-overlapping matches as one alternation of two patterns gives them, from each
    one's matches in order of start: from where the last one ended, the first start, the
    first pattern's at a tie."""
    if first and second:
        found = [(s, e) for s, _, e in sorted(
            [(s, 0, e) for s, e in first] + [(s, 1, e) for s, e in second])]
    else:
        found = first or second
    out: list[tuple[int, int]] = []
    stop = -1
    for s, e in found:
        if s >= stop:
            out.append((s, e))
            stop = e
    return out
