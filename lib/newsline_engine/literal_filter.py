"""A cheap, exact prefilter for the lexicon's patterns: the literals every match must
contain (trigger_literals.py), found in the article once with `str.find`, tell which
patterns, and which alternatives of the trigger patterns, can match in a span; the
others do not run there.

Running every pattern over every sentence was most of the engine's time on Latin text
(the `regex` package tries each of a hundred alternatives at each position). Only what
cannot match is skipped, so every match stays the same: literals are compared the way
`regex` compares them case-insensitively (each character's case class is asked of
`regex` itself), and a pattern or alternative that promises no literal always runs."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from typing import Any

import regex

from .trigger_literals import DIGIT, required_sets

Pattern = Any  # a compiled `regex` pattern (the package ships no stubs)
WORTH = 3  # fewest literals (alternatives) for which a pattern is filtered
MOST_NEEDS = 3  # choices of literals checked per pattern (the most telling first)
_DIGIT = regex.compile(r"\d")  # where DIGIT probes start
_OVERLAPPED = frozenset({"overlapped"})  # the one keyword that leaves the filter valid
_CASE_CLASSES: dict[str, frozenset[str]] = {}  # char -> every char `regex` (?i) matches to it


def every_character() -> str:
    """All of Unicode in one string (4 MB, 0.03 s; dropped after use)."""
    codes = array("I", range(0x110000))
    if codes.itemsize != 4:
        return "".join(map(chr, range(0x110000)))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be",
                                  "surrogatepass")


def case_classes(chars: set[str]) -> dict[str, frozenset[str]]:
    """For each char, the characters a case-insensitive `regex` literal of it matches:
    asked of `regex` over all of Unicode once per new char ('s' also matches 'ſ')."""
    missing = sorted(c for c in chars if c not in _CASE_CLASSES)
    if missing:
        every = every_character()
        hit = "".join(dict.fromkeys(regex.findall(
            "[" + "".join(regex.escape(c) for c in missing) + "]", every, regex.IGNORECASE)))
        for c in missing:
            _CASE_CLASSES[c] = frozenset(regex.findall(regex.escape(c), hit, regex.IGNORECASE))
    return {c: _CASE_CLASSES[c] for c in chars}


def _folding(chars: set[str]) -> tuple[dict[int, str], frozenset[str]]:
    """A translation giving all characters of case classes that meet one representative,
    and the characters for which `str.lower` cannot stand in for it ("ſ", "İ")."""
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    classes = case_classes(chars)
    for c, members in classes.items():
        for x in members:
            a, b = sorted((root(c), root(x)))
            parent[b] = a
    table = {ord(c): root(c) for c in parent if root(c) != c}
    odd = frozenset(x for c, members in classes.items() for x in members
                    if len(x.lower()) != 1 or x.lower() != c.lower())
    return table, odd


class _Article:
    """One indexed text: its case-mapped form and, per probe, where it starts."""

    def __init__(self, text: str, index: LiteralIndex) -> None:
        self.text = text
        self.mapped, self.keys = index.mapped(text)
        self.digit = index.digit
        self.stand_in = index.stand_in
        self.starts: dict[int, list[int]] = {}  # probe -> starts, filled on demand
        self.merged: dict[tuple[int, ...], list[int]] = {}  # probe set -> sorted starts
        self.tags: dict[tuple[int, ...], tuple[list[int], list[int]]] = {}

    def of(self, probe: int) -> list[int]:
        probe = self.stand_in[probe]
        found = self.starts.get(probe)
        if found is None:
            key, mapped, found = self.keys[probe], self.mapped, []
            if probe == self.digit:
                found = [m.start() for m in _DIGIT.finditer(self.text)]
                key = ""
            at = mapped.find(key) if key else -1
            while at >= 0:
                found.append(at)
                at = mapped.find(key, at + 1)
            self.starts[probe] = found
        return found

    def tagged(self, probes: tuple[int, ...]) -> tuple[list[int], list[int]]:
        """Every start of the probes in text order, and which probe starts there."""
        key = (-1, *probes)
        found = self.tags.get(key)
        if found is None:
            pairs = sorted((at, i) for i in probes for at in self.of(i))
            found = self.tags[key] = ([a for a, _ in pairs], [i for _, i in pairs])
        return found

    def any_of(self, probes: tuple[int, ...]) -> list[int]:
        found = self.merged.get(probes)
        if found is None:
            found = self.merged[probes] = sorted(p for i in probes for p in self.of(i))
        return found


class LiteralIndex:
    """The probes (literals) of one lexicon and the two articles they were last looked for in."""

    def __init__(self) -> None:
        self.probes: list[str] = []
        self._ids: dict[str, int] = {}
        self._lower: list[str] = []
        self._folded: list[str] = []
        self._table: dict[int, str] = {}
        self._odd: Pattern | None = None
        self._recent: tuple[_Article, ...] = ()
        self.current: _Article | None = None  # the article last asked about
        self.digit = -1  # the probe id of DIGIT, if a pattern needs a digit
        self.stand_in: list[int] = []  # per probe, the probe looked for in its place

    def add(self, literals: frozenset[str]) -> tuple[int, ...]:
        """Probe ids of literals (call `freeze` after the last add)."""
        for lit in sorted(literals):
            if lit not in self._ids:
                self._ids[lit] = len(self.probes)
                self.probes.append(lit)
        return tuple(sorted(self._ids[lit] for lit in literals))

    def freeze(self) -> None:
        self.digit = self._ids.get(DIGIT, -1)
        self._table, odd = _folding({c for lit in self.probes for c in lit})
        self._odd = regex.compile("[" + "".join(map(regex.escape, sorted(odd))) + "]") \
            if odd else None
        self._lower = [lit.lower() for lit in self.probes]
        self._folded = [lit.translate(self._table) for lit in self.probes]
        # A probe holding a shorter one nearly as long ("announced", "announc") is looked
        # for as that one: wherever it starts in a span, the shorter one does too (inside).
        order = sorted(range(len(self.probes)), key=lambda i: len(self.probes[i]))
        self.stand_in = list(range(len(self.probes)))
        by_length: dict[int, list[int]] = {}
        for j in order:
            if j != self.digit:
                by_length.setdefault(len(self.probes[j]), []).append(j)
        for i in order:
            size = len(self.probes[i])
            # Not a far shorter one (less telling: not worth one search less).
            shorter = [j for n in range(max(4, size - 3), size) for j in by_length.get(n, ())]
            self.stand_in[i] = next(
                (j for j in shorter if self.stand_in[j] == j and i != self.digit
                 and self._lower[j] in self._lower[i] and self._folded[j] in self._folded[i]),
                i)

    def mapped(self, text: str) -> tuple[str, list[str]]:
        """text and the probes in one case mapping: `str.lower` where it agrees with
        `regex`, else the exact translation (same length: offsets stay)."""
        lowered = text.lower()
        if len(lowered) == len(text) and not (self._odd and self._odd.search(text)):
            return lowered, self._lower
        return text.translate(self._table), self._folded

    def article(self, text: str) -> _Article:
        """The index of text: kept for the two texts last asked about."""
        recent = self._recent
        for art in recent:
            if art.text is text:
                self.current = art
                return art
        art = self.current = _Article(text, self)
        self._recent = (art, recent[0]) if recent else (art,)
        return art


class FilteredPattern:
    """A compiled pattern whose `search` and `finditer` answer "no match" at once where one
    of the choices of literals it needs has none starting in the span of an indexed
    article; all else is the pattern's own (anchored `match` is cheap: it passes through,
    like every other attribute)."""

    def __init__(self, pattern: Pattern, needs: tuple[tuple[int, ...], ...],
                 index: LiteralIndex) -> None:
        self._pattern, self._needs, self._index = pattern, needs, index
        self.match, self.fullmatch = pattern.match, pattern.fullmatch  # no lookup detour
        self.pattern, self.flags = pattern.pattern, pattern.flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_pattern", "_needs", "_index"):
            raise AttributeError(name)  # copy and pickle probe before __init__ has run
        return getattr(self._pattern, name)

    def __repr__(self) -> str:
        return f"FilteredPattern({self._pattern!r})"

    def _cannot(self, art: _Article, pos: int | None, endpos: int | None) -> bool:
        """A needed choice of literals has none starting in the article's [pos:endpos]."""
        if pos is None:
            pos = 0
        if endpos is None:
            endpos = len(art.text)
        if pos < 0 or endpos < 0:
            return False
        for probes in self._needs:
            starts = art.merged.get(probes)
            if starts is None:
                starts = art.any_of(probes)
            k = bisect_left(starts, pos)
            if k == len(starts) or starts[k] >= endpos:
                return True
        return False

    # Only a span of the current article (the trigger filter or a date loop indexes it) is
    # checked; a window or a line is searched at once, at the cost of one comparison.

    def search(self, string: str, pos: int | None = None, endpos: int | None = None,
               **extra: Any) -> Any:
        art = self._index.current
        if art is not None and art.text is string and not extra and self._cannot(
                art, pos, endpos):
            return None
        return self._pattern.search(string, pos, endpos, **extra)

    def finditer(self, string: str, pos: int | None = None, endpos: int | None = None,
                 **extra: Any) -> Any:
        art = self._index.current
        if art is not None and art.text is string and (
                not extra or extra.keys() <= _OVERLAPPED) and self._cannot(art, pos, endpos):
            return iter(())
        return self._pattern.finditer(string, pos, endpos, **extra)

    def findall(self, string: str, pos: int | None = None, endpos: int | None = None,
                **extra: Any) -> Any:
        art = self._index.current
        if art is not None and art.text is string and (
                not extra or extra.keys() <= _OVERLAPPED) and self._cannot(art, pos, endpos):
            return []
        return self._pattern.findall(string, pos, endpos, **extra)


def needs_of(pattern: Pattern, source: str | None = None) -> tuple[frozenset[str], ...]:
    """What every match of a compiled pattern (or of `source`, a part of it) needs; nothing
    under flags that change how its text reads (verbose, full case folding, reversed, V1)."""
    if pattern.flags & (regex.VERBOSE | regex.FULLCASE | regex.REVERSE | regex.VERSION1):
        return ()
    return required_sets(pattern.pattern if source is None else source)


def filtered(pattern: Pattern | None, index: LiteralIndex) -> Pattern | None:
    """The pattern behind the literal filter where that pays: an alternation of at least
    WORTH literals, or one that needs a digit (a single phrase is found by `regex` about as
    fast as the filter checks)."""
    if pattern is None:
        return None
    needs = needs_of(pattern)[:MOST_NEEDS]
    if not needs or (len(needs[0]) < WORTH and not any(DIGIT in n for n in needs)):
        return pattern
    return FilteredPattern(pattern, tuple(index.add(n) for n in needs), index)


class LiteralGroup:
    """Whether any of several patterns can match in a span of an article: a loop over them
    all (the relative dates, the weekdays) is skipped where none can."""

    def __init__(self, patterns: list[Pattern], index: LiteralIndex) -> None:
        found = [(needs_of(p) or (None,))[0] for p in patterns]
        self._index = index
        self._always = not patterns or any(lits is None for lits in found)
        every = frozenset(lit for lits in found if lits is not None for lit in lits)
        self._probes = () if self._always else index.add(every)

    def holds(self, text: str, start: int, end: int) -> bool:
        """False only where no pattern of the group can match in text[start:end] (text is
        the article: indexed here unless the trigger filter did already)."""
        if self._always or start < 0 or end < 0:
            return True
        art = self._index.current
        if art is None or art.text is not text:
            art = self._index.article(text)
        starts = art.merged.get(self._probes)
        if starts is None:
            starts = art.any_of(self._probes)
        k = bisect_left(starts, start)
        return k < len(starts) and starts[k] < end


def may_match(group: LiteralGroup | None, text: str, start: int, end: int) -> bool:
    """A group's patterns can match in text[start:end] (always, without a group)."""
    return group is None or group.holds(text, start, end)
