"""A trigger file's `triggers` section compiled: one Trigger per event type, its phrases
grouped by subtype (DESIGN.md), weak ones (`~`, counting only beside an amount) apart."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regex

from .literal_filter import LiteralIndex, needs_of
from .model import EVENT_TYPES, SUBTYPES, KnowledgeError
from .patterns import Pattern, alternation, compile_pattern, phrase_to_regex, strings

# Group references, conditionals, recursion and whole-pattern flags: what ties alternatives.
_TANGLED = regex.compile(r"\\[1-9]|\\[gk]<|\(\?(?:P[=>]|\(|&|R\)|[+-]?\d|[a-zA-Z-]+\))")
WEAK = "~"  # a weak trigger phrase only counts when its clause also states an amount
GENERAL = "general"  # the phrases of a type that name no subtype


@dataclass(frozen=True)
class Alternation:
    """A pattern written as prefix + one of `alternatives` + suffix: TriggerFilter rebuilds
    it from the alternatives that can match in a span (same order: the same matches)."""

    pattern: Pattern
    prefix: str
    alternatives: tuple[str, ...]
    suffix: str


@dataclass(frozen=True)
class Trigger:
    """One event type's phrases. `patterns` find them fast (the plain phrases under one pair
    of word edges, the `re:` ones apart: one alternation of both is several times slower);
    `parts` tell, at a found place, which subtype's phrase it is."""

    type: str
    patterns: tuple[Pattern, ...]
    parts: tuple[tuple[str | None, Pattern], ...]
    alternations: tuple[Alternation, ...] = ()  # `patterns` by phrase, for TriggerFilter

    def finditer(self, text: str, start: int, end: int,
                 possible: Sequence[Pattern | None] | None = None) -> list[Any]:
        """Every match in text[start:end], in text order. `possible` (per pattern, from the
        lexicon's TriggerFilter) runs in place of `patterns`: only what can match there."""
        found = [m for p in (self.patterns if possible is None else possible) if p is not None
                 for m in p.finditer(text, start, end)]
        return sorted(found, key=lambda m: m.start()) if len(self.patterns) > 1 else found

    def search(self, text: str, start: int, end: int) -> Any:
        """The first match in text[start:end], or None."""
        found = [m for p in self.patterns if (m := p.search(text, start, end))]
        return min(found, key=lambda m: m.start()) if found else None

    def subtype(self, match: Any) -> str | None:
        """The subtype the matched phrase names, None for a general phrase."""
        text, begin = match.string, match.start()
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
            begin -= 1  # a "*gesetz" phrase was found mid-word: its part starts the word
        for sub, part in self.parts:
            if part.match(text, begin, match.endpos) or part.match(text, match.start(),
                                                                   match.endpos):
                return sub
        return None


def _by_subtype(phrases: Any, where: str) -> dict[str, list[str]]:
    """A type's phrases: a list (no subtype) or a mapping of subtype (or `general`) to lists."""
    if not isinstance(phrases, dict):
        return {GENERAL: strings({"p": phrases}, "p", where)}
    out = {}
    for sub, items in phrases.items():
        if sub != GENERAL and sub not in SUBTYPES:
            raise KnowledgeError(
                f"{where}: subtype {sub!r} is not one of {GENERAL}, {', '.join(SUBTYPES)}")
        out[str(sub)] = strings({"p": items}, "p", f"{where}/{sub}")
    return out


def _trigger(etype: str, groups: dict[str, list[str]], cjk: bool, where: str, gap: int
             ) -> Trigger | None:
    every = [i for items in groups.values() for i in items]
    if not every:
        return None
    parts = []
    for sub, items in groups.items():
        part = alternation(items, cjk, f"{where}/{sub}", gap)  # validates each phrase
        if part is not None:
            parts.append((None if sub == GENERAL else sub, part))
    # Named subtypes first: a general phrase at the same place ("decision") yields.
    parts.sort(key=lambda item: item[0] is None)
    ordered = sorted(every, key=len, reverse=True)
    raw = [f"(?:{phrase_to_regex(i, cjk, gap)})" for i in ordered if cjk or i.startswith("re:")]
    plain = [i for i in ordered if not cjk and not i.startswith("re:")]
    words = [phrase_to_regex(i, cjk, gap, edges=False) for i in plain if not i.startswith("*")]
    # "*gesetz" (any word ending so): found where its end is, not by `\w*` at every place.
    tails = [phrase_to_regex(i[1:], cjk, gap, edges=False) for i in plain if i.startswith("*")]
    pieces = [(r"(?<!\w)(?:", words, r")(?!\w)"), ("(?:", tails, r")(?!\w)"), ("", raw, "")]
    alternations = [Alternation(compile_pattern(f"{before}{'|'.join(alts)}{after}", where),
                                before, tuple(alts), after)
                    for before, alts, after in pieces if alts]
    return Trigger(etype, tuple(a.pattern for a in alternations), tuple(parts),
                   tuple(alternations))


def compile_triggers(raw: Any, cjk: bool, where: str, gap: int
              ) -> tuple[tuple[Trigger, ...], tuple[Trigger, ...]]:
    if not isinstance(raw, dict) or not raw:
        raise KnowledgeError(f"{where}: 'triggers' must be a mapping of event type to phrases")
    strong: list[Trigger] = []
    weak: list[Trigger] = []
    for etype, phrases in raw.items():
        if etype not in EVENT_TYPES:
            raise KnowledgeError(
                f"{where}: trigger {etype!r}: unknown event type (expected one of "
                f"{', '.join(EVENT_TYPES)})"
            )
        groups = _by_subtype(phrases, f"{where}: trigger {etype!r}")
        for bucket, pick in ((strong, lambda i: not i.startswith(WEAK)),
                             (weak, lambda i: i.startswith(WEAK))):
            chosen = {sub: [i.removeprefix(WEAK) for i in items if pick(i)]
                      for sub, items in groups.items()}
            trigger = _trigger(str(etype), chosen, cjk, f"{where}: trigger {etype!r}", gap)
            if trigger is not None:
                bucket.append(trigger)
    return tuple(strong), tuple(weak)


class TriggerFilter:
    """For a span of an article, what to run of each trigger pattern (strong then weak, in
    order): None where no alternative's literal occurs, else the pattern rebuilt from the
    alternatives whose literals occur (or that promise none), compiled once per choice.
    A choice is a bit mask over a pattern's alternatives."""

    MAX_CHOICES = 20000  # past it the whole pattern runs: slower, the same matches

    def __init__(self, triggers: list[tuple[Trigger, bool]], index: LiteralIndex) -> None:
        alternations = [a for t, _ in triggers for a in t.alternations]
        self.alternations = alternations
        self.index = index
        # Per trigger: (trigger, weak, index of its first pattern, how many); pattern -> trigger.
        self._triggers: list[tuple[Trigger, bool, int, int]] = []
        self._owner: list[int] = []
        for t, weak in triggers:
            self._triggers.append((t, weak, len(self._owner), len(t.alternations)))
            self._owner.extend([len(self._triggers) - 1] * len(t.alternations))
        users: dict[int, dict[int, int]] = {}  # probe -> pattern -> alternatives' mask
        self._always: list[int] = []  # per pattern: mask of alternatives with no literal
        # A pattern whose alternatives refer to groups or set flags for the whole pattern
        # is not rebuilt from a part of them: it runs whole, or not where its literals lack.
        self._parts = [(alt.pattern.pattern,) if any(_TANGLED.search(a) for a in
                                                     alt.alternatives) else alt.alternatives
                       for alt in alternations]
        self._full = [(1 << len(parts)) - 1 for parts in self._parts]
        # One choice of literals per alternative: checking the others too ("block ...
        # access": "access", then "block") costs more than the runs it saves.
        for p, parts in enumerate(self._parts):
            always = 0
            for a, source in enumerate(parts):
                literals = (needs_of(self.alternations[p].pattern, source) or (None,))[0]
                if literals is None:
                    always |= 1 << a
                    continue
                for probe in index.add(literals):
                    mine = users.setdefault(probe, {})
                    mine[p] = mine.get(p, 0) | 1 << a
            self._always.append(always)
        self._users = {probe: tuple(masks.items()) for probe, masks in users.items()}
        self._probes = tuple(sorted(users))
        self._compiled: dict[tuple[int, int], Pattern] = {}
        self._base = {p: self._choice(p, m) for p, m in enumerate(self._always) if m}

    def _chosen(self, text: str, start: int, end: int) -> dict[int, Pattern | None]:
        """Pattern -> what to run of it over text[start:end], for those that can match."""
        starts, which = self.index.article(text).tagged(self._probes)
        kept: dict[int, int] = {}
        for probe in set(which[bisect_left(starts, start) : bisect_left(starts, end)]):
            for p, mask in self._users[probe]:
                kept[p] = kept.get(p, 0) | mask
        chosen = dict(self._base)
        for p, mask in kept.items():
            chosen[p] = self._choice(p, mask | self._always[p])
        return chosen

    def runs(self, text: str, start: int, end: int
             ) -> list[tuple[Trigger, bool, list[Pattern | None]]]:
        """(trigger, weak, what to run of each of its patterns) for the triggers that can
        match in text[start:end], in order."""
        chosen = self._chosen(text, start, end)
        out = []
        for ti in sorted({self._owner[p] for p in chosen}):
            t, weak, first, n = self._triggers[ti]
            out.append((t, weak, [chosen.get(first + i) for i in range(n)]))
        return out

    def possible(self, text: str, start: int, end: int) -> list[Pattern | None]:
        """Per pattern (strong triggers' then weak ones'), what to run over text[start:end]:
        None where it cannot match."""
        out: list[Pattern | None] = [None] * len(self.alternations)
        for p, pattern in self._chosen(text, start, end).items():
            out[p] = pattern
        return out

    def _choice(self, p: int, mask: int) -> Pattern | None:
        if not mask:
            return None
        alt = self.alternations[p]
        if mask == self._full[p]:
            return alt.pattern
        found = self._compiled.get((p, mask))
        if found is None:
            if len(self._compiled) >= self.MAX_CHOICES:
                return alt.pattern
            body = "|".join(a for i, a in enumerate(alt.alternatives) if mask >> i & 1)
            # Not in `regex`'s own cache: thousands of choices would push out the engine's
            # module-level patterns, recompiled on every call then.
            found = regex.compile(f"{alt.prefix}{body}{alt.suffix}", alt.pattern.flags,
                                  cache_pattern=False)
            self._compiled[(p, mask)] = found
        return found


def filter_triggers(strong: tuple[Trigger, ...], weak: tuple[Trigger, ...],
                    index: LiteralIndex) -> TriggerFilter:
    """The filter of the trigger patterns, strong ones first."""
    return TriggerFilter([*((t, False) for t in strong), *((t, True) for t in weak)], index)
