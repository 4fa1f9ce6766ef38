"""Find known actors and products in text (unknown organisations: see orgs.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from .knowledge import Knowledge, ProductDef
from .lexicon import Lexicon

# Latin names need word edges against Latin letters/digits only: "OpenAI將於" is a match.
_EDGE_BEFORE = r"(?<![\p{Latin}\p{N}_])"
_EDGE_AFTER = r"(?![\p{Latin}\p{N}_])"
CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_LEGAL_FORM = regex.compile(
    r"(?:(?<=\s)(?:Inc|Ltd|LLC|Corp|Corporation|Co|plc|PLC|GmbH|AG|SE|KG|S\.A|N\.V|Limited|"
    r"Holdings?|Group)\.?|股份有限公司|有限责任公司|有限責任公司|有限公司|公司|集团|集團)$")


@dataclass(frozen=True)
class Mention:
    slug: str
    start: int
    end: int
    possessive: bool = False
    name: str = ""  # surface name for unknown organisations
    kind: str = ""  # for unknown organisations: "government" when the name says so
    referred: bool = False  # a description standing for the actor ("the company")


@dataclass(frozen=True)
class ProductMention:
    product: ProductDef
    name: str  # canonical, e.g. "ERNIE 3.5"
    start: int
    end: int


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(name: str) -> str:
    """Lower-case, accent-free, hyphen-separated slug; CJK characters are kept. German
    umlauts are written out as the knowledge files' slugs do ("Köln" -> "koeln")."""
    text = unicodedata.normalize("NFC", name.casefold()).translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return str(regex.sub(r"[^\p{L}\p{N}]+", "-", text)).strip("-")


def org_slug(name: str) -> str:
    """Slug of an unknown organisation: legal forms dropped ('Nexora GmbH' -> 'nexora')."""
    core = name.strip()
    while True:
        shorter = _LEGAL_FORM.sub("", core).rstrip(" ,&")
        if shorter == core or not shorter:
            return slugify(core)
        core = shorter


def _alias_body(alias: str) -> str:
    body = str(regex.escape(alias))
    # Short or all-caps aliases are case-sensitive ("AMD", "Meta"); longer names are not.
    if len(alias) > 5 and not alias.isupper() and not CJK.search(alias):
        body = f"(?i:{body})"
    return body


def trie_regex(items: list[str]) -> str:
    """An alternation of literals as a prefix tree: "Baidu|Baidu AI Cloud|Bai" becomes
    "Bai(?:du(?: AI Cloud)?)?". The engine then follows one path per position instead of
    trying every name, and the greedy optional parts still prefer the longest name."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for item in items:
        node = trie
        for char in item:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = [str(regex.escape(c)) + emit(child)
                    for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if end:
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return emit(trie) if items else "(?!)"


def names_regex(aliases: list[str], suffix: str = "") -> tuple[str, str]:
    """Two prefix trees, Latin names (word edges and case flags factored out of the
    branches: per-branch lookarounds make `regex` try every branch at every position) and
    names in Chinese or Japanese script. Kept apart: one alternation of both is five times
    slower than the two run one after the other."""
    def alt(items: list[str]) -> str:
        return trie_regex(list(dict.fromkeys(items))) or "(?!)"

    cjk = [a for a in aliases if CJK.search(a)]
    latin = [a for a in aliases if not CJK.search(a)]
    # Matched case-insensitively: one lower-case tree, so "OpenAI" and "Openai Inc" share it.
    folded = [a.lower() for a in latin if _alias_body(a) != regex.escape(a)]
    exact = [a for a in latin if _alias_body(a) == regex.escape(a)]
    return (rf"{_EDGE_BEFORE}(?:(?i:{alt(folded)})|{alt(exact)}){suffix}{_EDGE_AFTER}",
            rf"(?:{alt(cjk)}){suffix}")


def _compile(sources: tuple[str, str]) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    return regex.compile(sources[0]), regex.compile(sources[1])


def _scan(patterns: tuple[regex.Pattern[str], regex.Pattern[str]], text: str, start: int,
          end: int) -> list[regex.Match[str]]:
    """Leftmost non-overlapping matches of either pattern, a Latin one first at a tie (as
    one alternation of both would give). Each name of the second has a character of
    Chinese or Japanese script: it runs only where the span has one."""
    found = [(m.start(), rank, m) for rank, p in enumerate(patterns)
             if rank == 0 or CJK.search(text, start, end)
             for m in p.finditer(text, start, end)]
    out: list[regex.Match[str]] = []
    stop = start
    for begin, _, m in sorted(found, key=lambda f: (f[0], f[1])):
        if begin >= stop:
            out.append(m)
            stop = m.end()
    return out


_VERSION = r"(?:[ -]?\d+(?:\.\d+)?[a-z]?)?"  # "GPT-4", "ERNIE 3.5", "Qwen2"


class ActorMatcher:
    """One compiled alternation over every alias (longest first)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._alias_to_slug: dict[str, str] = {}
        for actor in knowledge.actors.values():
            for alias in actor.aliases:
                self._alias_to_slug[alias.casefold()] = actor.slug
        aliases = sorted({a for actor in knowledge.actors.values() for a in actor.aliases})
        self._actors = _compile(names_regex(aliases))
        decoys = sorted({w for actor in knowledge.actors.values() for w in actor.not_within})
        self._decoys = regex.compile(trie_regex(decoys)) if decoys else None
        self._product_of: dict[str, ProductDef] = {}
        for product in knowledge.products:
            for alias in product.aliases:
                self._product_of[alias.casefold()] = product
        products = sorted({a for p in knowledge.products for a in p.aliases})
        self._products = _compile(names_regex(products, _VERSION))

    def find(self, text: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
        """Known-actor mentions in text[start:end] with absolute offsets."""
        out: list[Mention] = []
        covers = [(d.start(), d.end()) for d in self._decoys.finditer(text, start, end)] if (
            self._decoys is not None) else []
        for m in _scan(self._actors, text, start, end):
            surface = m.group()
            slug = self._alias_to_slug[surface.casefold()]
            if any(a <= m.start() and m.end() <= b and text[a:b] in
                   self.knowledge.actors[slug].not_within for a, b in covers):
                continue  # "高通胀", "阿里山": a longer word, not the actor
            own = self.knowledge.actors[slug].aliases
            possessive = surface.endswith("s") and any(
                a.casefold() == surface[:-1].casefold() for a in own
            )
            after = lex.possessive_after
            if after is not None and after.match(text, m.end(), end):
                possessive = True
            stop = m.end()
            legal = lex.org_suffix.match(text, stop + 1, end) if lex.org_suffix else None
            if legal and text[stop] == " " and _LEGAL_FORM.search(" " + legal.group()):
                stop = legal.end()  # "Deutsche Telekom AG" is one mention
            out.append(Mention(slug, m.start(), stop, possessive))
        return out

    def products(self, text: str, start: int, end: int) -> list[ProductMention]:
        """Product mentions with their canonical (versioned) names."""
        out = []
        for m in _scan(self._products, text, start, end):
            surface = m.group()
            base = regex.sub(r"[ -]?\d+(?:\.\d+)?[a-z]?$", "", surface)
            product = self._product_of.get(surface.casefold()) or self._product_of.get(
                base.casefold()
            )
            if product is None or (product.versioned and len(base) <= 3 and base == surface):
                continue  # short family names ("GPT", "Yi") only count with a version
            name = product.name
            if product.versioned and base != surface:
                version = surface[len(base) :]
                # "GPT-4", "ERNIE 3.5", "文心一言3.5" -> "ERNIE 3.5", "DeepSeek-R1", "Qwen2"
                sep = version[0] if version[0] in "- " else " " if CJK.search(base) else ""
                name = f"{product.name}{sep}{version.lstrip(' -')}"
            out.append(ProductMention(product, name, m.start(), m.end()))
        return out
