"""Names an article introduces itself and then reuses in a shorter form.

"Der Chiphersteller Infineon" (a descriptor before a capitalised name), "Veridian Robotics
Inc. ... Veridian also" (the first word of a new multi-word name), "北京星图智算科技有限公司
（以下简称“星图智算”）" and '(hereinafter "Acme")' (an explicit short form).
"""

from __future__ import annotations

import regex

from .actors import Mention, org_slug
from .lexicon import Lexicon

_OPENING_QUOTE = regex.compile(r"[“\"„「『]$")
_CAPS = regex.compile(r"\s+((?:\p{Lu}|\d)[\w&'’-]*(?:\s+(?:\p{Lu}|\d)[\w&'’-]*){0,2})")
_SHORT_DEF = regex.compile(
    r"[（(]\s*(?:以下简称|以下簡稱|下称|下稱|简称|簡稱|hereinafter|im Folgenden)?\s*[:：]?\s*"
    r"[“\"„「『]([^”\"“」』]{2,20})[”\"“」』]\s*[)）]")
# First words too generic to stand for a whole company name on their own.
_GENERIC = frozenset({
    "the", "new", "first", "general", "national", "international", "global", "united", "china",
    "american", "european", "german", "deutsche", "digital", "data", "open", "smart", "advanced",
    "applied", "royal", "bank", "der", "die", "das", "neue",
})


class ArticleNames:
    """Per-article registry of organisation names the knowledge files do not hold."""

    def __init__(self) -> None:
        self.short: dict[str, tuple[str, str, str]] = {}  # surface -> (slug, full name, kind)

    def scan(self, text: str, start: int, end: int, lex: Lexicon, known: list[Mention],
             unknown: list[Mention]) -> list[Mention]:
        """`unknown` plus descriptor-introduced names and earlier names' short forms."""
        found = list(unknown)

        def free(a: int, b: int) -> bool:
            return all(b <= m.start or a >= m.end for m in [*known, *found])

        if lex.name_descriptor is not None:
            for d in lex.name_descriptor.finditer(text, start, end):
                name = _CAPS.match(text, d.end(), end)
                if not name or not free(name.start(1), name.end(1)):
                    continue
                words = name.group(1).split()
                if lex.language == "de":
                    words = words[:1]  # German capitalises nouns: take the name only
                if lex.name_prefix is not None and lex.name_prefix.fullmatch(words[0]):
                    continue
                surface = " ".join(words)
                s = name.start(1)
                cue = lex.authority_cue
                kind = "government" if cue is not None and (
                    cue.search(d.group()) or cue.search(surface)) else "company"
                found.append(Mention(org_slug(surface), s, s + len(surface), name=surface,
                                     kind=kind))
        for m in found:
            self._learn(m, lex)
        for d in _SHORT_DEF.finditer(text, start, end):
            owner = [m for m in [*known, *found] if m.end <= d.start() and d.start() - m.end < 3]
            if owner and owner[-1].slug:
                self.short[d.group(1)] = (owner[-1].slug, owner[-1].name or d.group(1),
                                          owner[-1].kind)
        for surface, (slug, full, kind) in self.short.items():
            pattern = regex.escape(surface) if lex.language == "zh" else (
                rf"(?<![\w-]){regex.escape(surface)}(?:['’]s)?(?![\w-])")
            for m in regex.finditer(pattern, text[start:end]):
                a, b = start + m.start(), start + m.end()
                if free(a, b) and not _inside_def(text, a):
                    possessive = text[a:b].endswith("s") and b - a > len(surface)
                    found.append(Mention(slug, a, b, possessive, name=full, kind=kind))
        return sorted(found, key=lambda m: m.start)

    def _learn(self, m: Mention, lex: Lexicon) -> None:
        if not m.slug or lex.language == "zh" or not m.name:
            return
        words = m.name.split()
        first = words[0].rstrip(",.")
        if len(words) >= 2 and len(first) >= 4 and first[0].isupper() and (
            first.casefold() not in _GENERIC
        ):
            self.short.setdefault(first, (m.slug, m.name, m.kind))


def _inside_def(text: str, pos: int) -> bool:
    return bool(_OPENING_QUOTE.search(text[max(0, pos - 1) : pos]))
