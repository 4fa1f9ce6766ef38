"""Phrase syntax of the lexicon files and their validation into compiled patterns."""

from __future__ import annotations

from typing import Any, TypeAlias

import regex

from .model import KnowledgeError

# The `regex` package ships no type stubs; patterns are compiled `regex.Pattern[str]`.
Pattern: TypeAlias = Any
DEFAULT_GAP = 6


def phrase_to_regex(phrase: str, cjk: bool, gap_words: int = DEFAULT_GAP,
                    edges: bool = True) -> str:
    """Turn a lexicon phrase ('block* ... access', 're:<regex>') into a regex string;
    without `edges`, a Latin phrase comes without its word-edge lookarounds (the caller
    puts them once around many phrases)."""
    if phrase.startswith("re:"):
        return phrase[3:]
    gap = r".{0,12}?" if cjk else rf"(?:\W+\w+){{0,{gap_words}}}?\W+"
    parts = []
    for chunk in phrase.split("..."):
        words = []
        for word in chunk.split():
            prefix = r"\w*" if word.startswith("*") else ""
            suffix = r"\w*" if word.endswith("*") else ""
            words.append(prefix + regex.escape(word.strip("*")) + suffix)
        parts.append((r"\s*" if cjk else r"\s+").join(words))
    body = gap.join(p for p in parts if p)
    return body if cjk or not edges else rf"(?<!\w){body}(?!\w)"


def strings(data: dict[str, Any], key: str, where: str) -> list[str]:
    """The list of non-empty strings under key, or KnowledgeError naming the item."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise KnowledgeError(f"{where}: '{key}' must be a list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            # YAML reads bare on/no/yes as booleans: say so, it is the usual cause.
            raise KnowledgeError(
                f"{where}: '{key}' item {i} ({item!r}) must be a non-empty string (quote it)"
            )
    return list(value)


def compile_pattern(source: str, where: str, flags: int = regex.IGNORECASE) -> Pattern:
    """Compile or raise KnowledgeError naming where the pattern came from."""
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise KnowledgeError(f"{where}: invalid pattern {source!r}: {exc}") from exc


def alternation(items: list[str], cjk: bool, where: str,
                gap_words: int = DEFAULT_GAP) -> Pattern | None:
    """One case-insensitive pattern for many phrases, longest first; None if empty."""
    if not items:
        return None
    ordered = sorted(items, key=len, reverse=True)
    for item in ordered:
        compile_pattern(phrase_to_regex(item, cjk, gap_words), f"{where} entry {item!r}")
    # Plain Latin phrases share one pair of word edges: checked once per place, not once
    # per phrase (several times faster on long lists).
    words = [phrase_to_regex(i, cjk, gap_words, edges=False) for i in ordered
             if not cjk and not i.startswith("re:")]
    raw = [f"(?:{phrase_to_regex(i, cjk, gap_words)})" for i in ordered
           if cjk or i.startswith("re:")]
    if words:
        raw.append(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)")
    return compile_pattern("|".join(raw), where)


# What ties the branches of one alternation together: backreferences (by number they
# count the groups of the branches before), and inline flags and the like ("(?i)",
# "(?P=name)"), which may reach past their branch. Only lookarounds and plain groups pass.
_TIED = regex.compile(r"\\[1-9g]|\(\?(?![:=!>]|<[=!])")


class AnyOf:
    """Whether any of several patterns matches somewhere in a string, as `search` of their
    alternation tells (the match returned is the first pattern's that matches, not the
    alternation's: only whether there is one is the same). `regex` tries every branch of
    an alternation at every position of the string; run apart, one anchored at the start
    (`^...`, most page-furniture patterns) is tried there alone: half the time on lines."""

    def __init__(self, parts: list[Pattern]) -> None:
        self._parts = parts

    def search(self, string: str) -> Any:
        for part in self._parts:
            found = part.search(string)
            if found is not None:
                return found
        return None


def any_of(items: list[str], cjk: bool, where: str,
           case_sensitive: bool = False) -> Pattern | AnyOf | None:
    """alternation(items) (cased(items) if case_sensitive), as an AnyOf of its branches
    where that is the same and faster: Latin text, branches not tied together. Only for
    patterns whose one use is whether they `search` a string at all."""
    joined = cased(items, where) if case_sensitive else alternation(items, cjk, where)
    raw = [phrase_to_regex(i, cjk) for i in items]
    if joined is None or cjk or not all(i.startswith("re:") for i in items) or any(
            _TIED.search(r) for r in raw):
        return joined
    ordered = sorted(items, key=len, reverse=True)
    flags = 0 if case_sensitive else regex.IGNORECASE
    return AnyOf([compile_pattern(f"(?:{phrase_to_regex(i, cjk)})", where, flags)
                  for i in ordered])


def cased(items: list[str], where: str) -> Pattern | None:
    """Case-sensitive alternation: legal suffixes and reader address depend on case."""
    if not items:
        return None
    ordered = sorted(items, key=len, reverse=True)
    return compile_pattern("|".join(f"(?:{phrase_to_regex(i, True)})" for i in ordered), where, 0)


def name_groups(raw: Any, count: int, key: str, where: str) -> list[list[str]]:
    """Validate a list of `count` entries, each a list of names (months, weekdays)."""
    if not isinstance(raw, list) or len(raw) != count:
        raise KnowledgeError(f"{where}: '{key}' must list {count} entries (names per entry)")
    return [strings({"m": m}, "m", f"{where}: {key}[{i}]") for i, m in enumerate(raw)]


def whole_word(entry: str) -> str:
    """'Berliner' or '*konzern' (any word ending so, or the word itself capitalised:
    'Chipkonzern', 'Konzern', 'Cloud-Anbieter') as a whole-word regex."""
    word = entry.lstrip("*")
    body = str(regex.escape(word))
    if not entry.startswith("*"):
        return body
    cap = str(regex.escape(word[:1].upper() + word[1:]))
    return rf"(?:\p{{Lu}}[\w-]*{body}|(?:\p{{Lu}}[\w-]*-)?{cap})"


def quantity_pattern(units: dict[str, str], scales: dict[str, float], lists: dict[str, list[str]],
                     cjk: bool, where: str) -> Pattern:
    """Amount pattern: up-to words, currency, number or range, scale, fillers, unit."""
    def alt(words: list[str]) -> str:
        return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

    num = r"\d+(?:[.,]\d+)*"
    if cjk:  # 五千万, 一亿五千万: Chinese numerals (scale characters included)
        num = rf"(?:{num}|[零〇一二两兩三四五六七八九十百千万萬亿億]+)"
    scale_end = "" if cjk else r"(?!\w)"  # "5000万tokens" has no space in Chinese
    sep = r"\s*" if cjk else r"\s?"
    fill = alt(lists["quantity_fillers"]) or "(?!)"
    src = (
        rf"(?P<upto>(?:{alt(lists['upto']) or '(?!)'})\s*)?"
        rf"(?P<cur>US\$|\$|€|¥|£)?\s?(?P<num>{num})"
        rf"(?:\s?(?:-|–|to|bis|至|到)\s?(?P<num2>{num}))?"
        rf"(?:{sep}(?P<scale>(?:{alt(list(scales))})+){scale_end})?"
        rf"(?:{sep}(?:{fill}))?"
        rf"(?:{sep}(?P<unit>{alt(list(units))}){scale_end})?"
    )
    return compile_pattern(src, f"{where}: quantity pattern")
