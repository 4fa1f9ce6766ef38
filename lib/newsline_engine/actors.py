"""Find known actors, products and unknown organisations in text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from .knowledge import Knowledge, ProductDef
from .lexicon import Lexicon

# Latin names need word edges against Latin letters/digits only: "OpenAI將於" is a match.
_EDGE_BEFORE = r"(?<![\p{Latin}\p{N}_])"
_EDGE_AFTER = r"(?![\p{Latin}\p{N}_])"
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_NAME = regex.compile(r"(?:\p{Lu}|\d)[\w.&'’-]*(?:\s+(?:\p{Lu}|\d)[\w.&'’-]*){0,3}")
_NAME_STOP = frozenset(
    {"the", "a", "an", "they", "it", "this", "these", "and",
     "der", "die", "das", "ein", "eine", "sie", "es", "diese", "und"}
)
_NAME_BEFORE = regex.compile(r"((?:(?:\p{Lu}|\d)[\w&'-]*\s+){1,4})$")
_DOTTED_SUFFIXES = frozenset({"Inc", "Co", "Ltd", "Corp", "S.A", "N.V"})
_ZH_STOP = set("的在和与與及、，,是由据據向对對从從为為该該这這那将將了被把给給让讓等如像")


@dataclass(frozen=True)
class Mention:
    slug: str
    start: int
    end: int
    possessive: bool = False
    name: str = ""  # surface name for unknown organisations


@dataclass(frozen=True)
class ProductMention:
    product: ProductDef
    name: str  # canonical, e.g. "ERNIE 3.5"
    start: int
    end: int


def slugify(name: str) -> str:
    """Lower-case, accent-free, hyphen-separated slug; CJK characters are kept."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return str(regex.sub(r"[^\p{L}\p{N}]+", "-", text)).strip("-")


def _alias_body(alias: str) -> str:
    body = str(regex.escape(alias))
    # Short or all-caps aliases are case-sensitive ("AMD", "Meta"); longer names are not.
    if len(alias) > 5 and not alias.isupper() and not _CJK.search(alias):
        body = f"(?i:{body})"
    return body


def _alias_regex(alias: str) -> str:
    if _CJK.search(alias):
        return _alias_body(alias)
    return rf"{_EDGE_BEFORE}{_alias_body(alias)}{_EDGE_AFTER}"


def _product_regex(alias: str, versioned: bool) -> str:
    body = _alias_body(alias)
    if versioned:
        # Short family names ("GPT", "Yi") only count with a version ("GPT-4", "Yi-34").
        body += r"(?:[ -]?\d+(?:\.\d+)?[a-z]?)" + ("" if len(alias) <= 3 else "?")
    if _CJK.search(alias):
        return body
    return rf"{_EDGE_BEFORE}{body}{_EDGE_AFTER}"


class ActorMatcher:
    """One compiled alternation over every alias (longest first)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._alias_to_slug: dict[str, str] = {}
        for actor in knowledge.actors.values():
            for alias in actor.aliases:
                self._alias_to_slug[alias.casefold()] = actor.slug
        aliases = sorted(
            {a for actor in knowledge.actors.values() for a in actor.aliases}, key=len, reverse=True
        )
        self._actors = regex.compile("|".join(_alias_regex(a) for a in aliases))
        self._product_of: dict[str, ProductDef] = {}
        parts: list[tuple[str, str]] = []
        for product in knowledge.products:
            for alias in product.aliases:
                self._product_of[alias.casefold()] = product
                parts.append((alias, _product_regex(alias, product.versioned)))
        parts.sort(key=lambda p: len(p[0]), reverse=True)
        self._products = regex.compile("|".join(f"(?:{p})" for _, p in parts))

    def find(self, text: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
        """Known-actor mentions in text[start:end] with absolute offsets."""
        out: list[Mention] = []
        for m in self._actors.finditer(text, start, end):
            surface = m.group()
            slug = self._alias_to_slug[surface.casefold()]
            own = self.knowledge.actors[slug].aliases
            possessive = surface.endswith("s") and any(
                a.casefold() == surface[:-1].casefold() for a in own
            )
            after = lex.possessive_after
            if after is not None and after.match(text, m.end(), end):
                possessive = True
            out.append(Mention(slug, m.start(), m.end(), possessive))
        return out

    def products(self, text: str, start: int, end: int) -> list[ProductMention]:
        """Product mentions with their canonical (versioned) names."""
        out = []
        for m in self._products.finditer(text, start, end):
            surface = m.group()
            base = regex.sub(r"[ -]?\d+(?:\.\d+)?[a-z]?$", "", surface)
            product = self._product_of.get(surface.casefold()) or self._product_of.get(
                base.casefold()
            )
            if product is None:
                continue
            name = product.name
            if product.versioned and base != surface:
                version = surface[len(base) :]
                sep = "-" if version[0] == "-" else " "
                name = f"{product.name}{sep}{version.lstrip(' -')}"
            out.append(ProductMention(product, name, m.start(), m.end()))
        return out

    def unknown_orgs(
        self, text: str, start: int, end: int, lex: Lexicon, known: list[Mention]
    ) -> list[Mention]:
        """Organisations the knowledge lacks, found from legal suffixes and list cues."""
        spans = [(k.start, k.end) for k in known]

        def clash(a: int, b: int) -> bool:
            return any(a < ke and ks < b for ks, ke in spans)

        out: list[Mention] = []
        if lex.language == "zh":
            if lex.org_suffix is not None:
                for m in lex.org_suffix.finditer(text, start, end):
                    i = m.start()
                    while i > start and m.start() - i < 6 and text[i - 1] not in _ZH_STOP and (
                        _CJK.match(text[i - 1]) or text[i - 1].isalnum()
                    ):
                        i -= 1
                    if m.start() - i >= 2 and not clash(i, m.end()):
                        name = text[i : m.end()]
                        # "星河科技" then "星河科技公司": keep the longest name per start.
                        out = [o for o in out if o.start != i]
                        out.append(Mention(slugify(name), i, m.end(), name=name))
            return out
        if lex.org_suffix is not None:
            for m in lex.org_suffix.finditer(text, start, end):
                if m.start() == start or not text[m.start() - 1].isspace():
                    continue
                if m.end() < end and text[m.end()].isalnum():
                    continue
                head = _NAME_BEFORE.search(text[start : m.start()])
                if head:
                    s = m.start() - len(head.group(1))
                    self._add_name(text, s, m.end(), out, clash, m.start())
        if lex.group_cue is not None:
            for cue in lex.group_cue.finditer(text, start, end):
                pos = cue.end()
                while pos < end:
                    name = _NAME.match(text, pos, end)
                    if not name:
                        break
                    self._add_name(text, name.start(), name.end(), out, clash)
                    sep = lex.coordinator.match(text, name.end(), end)
                    if not sep or not sep.group().strip():
                        break
                    pos = sep.end()
        return out

    @staticmethod
    def _add_name(
        text: str, s: int, e: int, out: list[Mention], clash: object, suffix_at: int = -1
    ) -> None:
        words = text[s:e].split()
        while words and words[0].casefold() in _NAME_STOP:
            s += len(words[0]) + 1
            words = words[1:]
        name = regex.sub(r"(?:['’]s?)$", "", text[s:e].rstrip(" ,"))
        last = name.rsplit(" ", 1)[-1]
        if name.endswith(".") and last.rstrip(".") not in _DOTTED_SUFFIXES:
            name = name[:-1]
        if len(words) == 0 or (callable(clash) and clash(s, e)):
            return
        if not any(m.name == name for m in out):
            core = text[s:suffix_at] if suffix_at > s else name
            out.append(Mention(slugify(core), s, s + len(name), name=name))
