"""Find known actors and products in text (unknown organisations: see orgs.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import regex

from .knowledge import Knowledge, ProductDef
from .latin_names import FoldedNames, leftmost
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


def trie_regex(items: list[str], escape: Callable[[str], str] = regex.escape) -> str:
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
        branches = [str(escape(c)) + emit(child)
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


class _NamePatterns:
    """The two patterns of names_regex, the Latin one run as its folded and exact halves
    (latin_names.py: the same matches, faster), merged as one alternation would give."""

    def __init__(self, aliases: list[str], suffix: str = "") -> None:
        latin = [a for a in aliases if not CJK.search(a)]
        exact = [a for a in latin if _alias_body(a) == regex.escape(a)]
        kept = set(exact)
        self._folded = FoldedNames([a for a in latin if a not in kept], trie_regex, suffix)
        self._exact = regex.compile(rf"{_EDGE_BEFORE}(?:{trie_regex(list(dict.fromkeys(exact)))})"
                                    rf"{suffix}{_EDGE_AFTER}")
        self._whole, cjk = names_regex(aliases, suffix)
        self._latin: regex.Pattern[str] | None = None  # compiled on first Chinese text
        self._cjk = regex.compile(cjk)
        self._last: tuple[str, bool] = ("", False)

    def _mostly_latin(self, text: str) -> bool:
        """More than half of the characters one byte long in UTF-8: the halves pay off
        there; on Chinese text the one `regex` pattern is cheaper (few Latin letters)."""
        last = self._last  # read once: another thread may set it meanwhile
        if last[0] is not text:
            last = self._last = (text, len(text.encode()) < 1.5 * len(text))
        return last[1]

    def spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Leftmost non-overlapping matches in text[start:end]: Latin names (a folded one
        first at a tie, as in one alternation), then names in Chinese or Japanese script
        where the span has such a character (a Latin name first at a tie)."""
        if self._mostly_latin(text):
            exact = [m.span() for m in self._exact.finditer(text, start, end, overlapped=True)]
            latin = leftmost(self._folded.spans(text, start, end), exact)
        else:
            if self._latin is None:
                self._latin = regex.compile(self._whole)
            latin = [m.span() for m in self._latin.finditer(text, start, end)]
        if not CJK.search(text, start, end):
            return latin
        return leftmost(latin, [m.span() for m in self._cjk.finditer(text, start, end)])


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
        self._actors = _NamePatterns(aliases)
        decoys = sorted({w for actor in knowledge.actors.values() for w in actor.not_within})
        self._decoys = regex.compile(trie_regex(decoys)) if decoys else None
        self._product_of: dict[str, ProductDef] = {}
        for product in knowledge.products:
            for alias in product.aliases:
                self._product_of[alias.casefold()] = product
        products = sorted({a for p in knowledge.products for a in p.aliases})
        self._products = _NamePatterns(products, _VERSION)

    def find(self, text: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
        """Known-actor mentions in text[start:end] with absolute offsets."""
        out: list[Mention] = []
        covers = [(d.start(), d.end()) for d in self._decoys.finditer(text, start, end)] if (
            self._decoys is not None) else []
        for m_start, m_end in self._actors.spans(text, start, end):
            surface = text[m_start:m_end]
            slug = self._alias_to_slug[surface.casefold()]
            if any(a <= m_start and m_end <= b and text[a:b] in
                   self.knowledge.actors[slug].not_within for a, b in covers):
                continue  # "高通胀", "阿里山": a longer word, not the actor
            own = self.knowledge.actors[slug].aliases
            possessive = surface.endswith("s") and any(
                a.casefold() == surface[:-1].casefold() for a in own
            )
            after = lex.possessive_after
            if after is not None and after.match(text, m_end, end):
                possessive = True
            stop = m_end
            legal = lex.org_suffix.match(text, stop + 1, end) if lex.org_suffix else None
            if legal and text[stop] == " " and _LEGAL_FORM.search(" " + legal.group()):
                stop = legal.end()  # "Deutsche Telekom AG" is one mention
            out.append(Mention(slug, m_start, stop, possessive))
        return out

    def products(self, text: str, start: int, end: int) -> list[ProductMention]:
        """Product mentions with their canonical (versioned) names."""
        out = []
        for m_start, m_end in self._products.spans(text, start, end):
            surface = text[m_start:m_end]
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
            out.append(ProductMention(product, name, m_start, m_end))
        return out
