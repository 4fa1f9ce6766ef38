"""Descriptive mentions resolved to the actor they refer to: "die Kommission" after "die
EU-Kommission", "the company" after the last company that acted, "the Claude maker" (the
vendor of a known product), "该公司". A description becomes a mention of that actor at its own
place in the clause, so the clause's subject is found as if the name stood there."""

from __future__ import annotations

import regex

from .actors import Mention
from .knowledge import Knowledge
from .lexicon import Lexicon

AUTHORITY = frozenset({"government", "regulator"})
# A capitalised description with no body named before it that it could stand for: in
# English news "the Commission" alone is the European Commission (an EU press release
# names it no other way); "the FTC", "the agency" name the others.
_UNNAMED = {"en": {"the Commission": "eu-commission"}}
_POSSESSIVE = regex.compile(r"['’]s?(?!\w)")


class Referents:
    """Per-article memory of the actors named so far, in text order."""

    def __init__(self, knowledge: Knowledge, products: dict[str, str]) -> None:
        self.knowledge = knowledge
        self.products = products  # case-folded product name -> vendor slug
        self.seen: list[tuple[int, Mention]] = []  # (paragraph, mention): no media, no persons
        self.subjects: list[Mention] = []  # the companies that acted last (one sentence)
        self.acted_in = -10  # the paragraph they acted in

    def kind(self, m: Mention) -> str:
        """The actor kind of a mention (unknown organisations: what their name said)."""
        actor = self.knowledge.actors.get(m.slug)
        return actor.kind if actor is not None else (m.kind or "company")

    def resolve(self, text: str, start: int, end: int, lex: Lexicon,
                taken: list[Mention], paragraph: int) -> list[Mention]:
        """Mentions for the descriptions in text[start:end] that do not overlap `taken`; a
        description reaches back to the paragraph before, a named authority's ("die
        Kommission" for "die EU-Kommission") anywhere."""
        out: list[Mention] = []

        def free(a: int, b: int) -> bool:
            return all(b <= m.start or a >= m.end for m in [*taken, *out])

        for group, pattern in (("authority", lex.authority_description),
                               ("company", lex.company_description)):
            if pattern is None:
                continue
            for d in pattern.finditer(text, start, end):
                if not free(d.start(), d.end()):
                    continue
                earlier = [*self.seen, *((paragraph, m) for m in taken if m.end <= d.start())]
                target = self._referent(group, d.group(), earlier, paragraph)
                if target is None and group == "authority":
                    target = self._unnamed(lex.language, d.group())
                if target is not None:
                    out.append(self._mention(text, target, d.start(), d.end(), end))
        if lex.maker is not None:
            for d in lex.maker.finditer(text, start, end):
                vendor = self.products.get(d.group("product").casefold())
                if vendor and free(d.start(), d.end()):
                    out.append(self._mention(text, Mention(vendor, 0, 0), d.start(), d.end(),
                                             end))
        return out

    def note(self, mentions: list[Mention], subjects: list[Mention], paragraph: int) -> None:
        """Remember a sentence's actor mentions and the companies that acted in it."""
        self.seen.extend((paragraph, m) for m in mentions
                         if self.kind(m) not in ("media", "person"))
        companies = [s for s in subjects if self.kind(s) == "company"]
        if companies:
            self.subjects, self.acted_in = companies, paragraph

    def _referent(self, group: str, surface: str, earlier: list[tuple[int, Mention]],
                  paragraph: int) -> Mention | None:
        near = [m for p, m in earlier if paragraph - p <= 1]
        if group == "company":
            if paragraph - self.acted_in > 1:
                pool = [m for m in near if self.kind(m) == "company"]
                return pool[-1] if len({m.slug for m in pool}) == 1 else None
            if len({m.slug for m in self.subjects}) > 1:
                return None  # "Baidu and Alibaba ... The company": which one?
            return self.subjects[-1]
        words = surface.split()
        head = words[-1].casefold() if len(words) > 1 else ""
        # "the Italian regulator": only an authority of that country (its names hold "ital").
        place = words[1][:4].casefold() if len(words) > 2 and words[1][:1].isupper() else ""
        authorities = [m for _, m in earlier if self.kind(m) in AUTHORITY
                       and (not place or place in self._names(m))]
        named = [m for m in authorities if head and head in self._names(m)]
        pool = named or [m for m in near if self.kind(m) in AUTHORITY
                         and (not place or place in self._names(m))]
        return pool[-1] if pool else None

    def _unnamed(self, language: str, surface: str) -> Mention | None:
        """The body a capitalised description means when nothing named before fits it."""
        slug = _UNNAMED.get(language, {}).get(surface[:1].casefold() + surface[1:])
        capital = surface.split()[-1][:1].isupper()
        if slug is None or slug not in self.knowledge.actors or not capital:
            return None
        return Mention(slug, 0, 0)

    def _names(self, m: Mention) -> str:
        actor = self.knowledge.actors.get(m.slug)
        names = actor.aliases if actor is not None else (m.name,)
        return " ".join(names).casefold()

    @staticmethod
    def _mention(text: str, target: Mention, a: int, b: int, end: int) -> Mention:
        possessive = bool(_POSSESSIVE.match(text, b, end))
        return Mention(target.slug, a, b, possessive, name=target.name, kind=target.kind,
                       referred=True)
