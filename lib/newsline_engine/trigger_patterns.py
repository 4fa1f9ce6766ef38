"""A trigger file's `triggers` section compiled: one Trigger per event type, its phrases
grouped by subtype (DESIGN.md), weak ones (`~`, counting only beside an amount) apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import EVENT_TYPES, SUBTYPES, KnowledgeError
from .patterns import Pattern, alternation, compile_pattern, phrase_to_regex, strings

WEAK = "~"  # a weak trigger phrase only counts when its clause also states an amount
GENERAL = "general"  # the phrases of a type that name no subtype


@dataclass(frozen=True)
class Trigger:
    """One event type's phrases. `patterns` find them fast (the plain phrases under one pair
    of word edges, the `re:` ones apart: one alternation of both is several times slower);
    `parts` tell, at a found place, which subtype's phrase it is."""

    type: str
    patterns: tuple[Pattern, ...]
    parts: tuple[tuple[str | None, Pattern], ...]

    def finditer(self, text: str, start: int, end: int) -> list[Any]:
        """Every match in text[start:end], in text order."""
        found = [m for p in self.patterns for m in p.finditer(text, start, end)]
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
    patterns = []
    if words:
        patterns.append(compile_pattern(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", where))
    if tails:
        patterns.append(compile_pattern(rf"(?:{'|'.join(tails)})(?!\w)", where))
    if raw:
        patterns.append(compile_pattern("|".join(raw), where))
    return Trigger(etype, tuple(patterns), tuple(parts))


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
