"""Organisations the knowledge lacks: legal suffixes, "companies such as X and Y", "X公司"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from .actors import CJK, Mention, org_slug
from .lexicon import Lexicon

_NAME = regex.compile(r"(?:\p{Lu}|\d)[\w.&'’-]*(?:\s+(?:\p{Lu}|\d)[\w.&'’-]*){0,3}")
_NAME_STOP = frozenset(
    {"the", "a", "an", "they", "it", "this", "these", "and",
     "der", "die", "das", "ein", "eine", "sie", "es", "diese", "und"}
)
_NAME_BEFORE = regex.compile(r"((?:(?:\p{Lu}|\d)[\w&'-]*\s+){1,4})$")
# "the Data Protection Authority", "the Federal Court": a description, not a body's name.
_GENERIC_AUTHORITY = frozenset({
    "data", "competition", "federal", "state", "central", "privacy", "protection", "trade",
    "financial", "consumer", "national", "european", "general", "supreme", "high", "district",
    "appeals", "international", "foreign", "commerce", "justice", "interior", "energy",
})
_DOTTED_SUFFIXES = frozenset({"Inc", "Co", "Ltd", "Corp", "S.A", "N.V"})
# "约占公司已发行股本的0.35%": a share of the company, no name before "公司".
_ZH_STOP = set("的在和与與及、，,是由据據向对對从從为為该該这這那将將了被把给給让讓等如像占佔")
Clash = Callable[[int, int], bool]


def unknown_orgs(text: str, start: int, end: int, lex: Lexicon, known: list[Mention]
                 ) -> list[Mention]:
    """Unknown organisations in text[start:end] that do not overlap a known mention."""
    spans = [(k.start, k.end) for k in known]

    def clash(a: int, b: int) -> bool:
        return any(a < ke and ks < b for ks, ke in spans)

    out: list[Mention] = []
    if lex.language == "zh":
        return _unknown_zh(text, start, end, lex, clash)
    if lex.org_suffix is not None:
        for m in lex.org_suffix.finditer(text, start, end):
            if m.start() == start or not text[m.start() - 1].isspace():
                continue
            if m.end() < end and text[m.end()].isalnum():
                continue
            head = _NAME_BEFORE.search(text[start : m.start()])
            if head:
                s = m.start() - len(head.group(1))
                _add_name(text, s, m.end(), out, clash, lex.name_prefix, lex)
    if lex.authority_cue is not None and lex.language == "en":
        # "the Veloria Competition Authority": capitalised words ending in an authority word.
        for cue in lex.authority_cue.finditer(text, start, end):
            head = _NAME_BEFORE.search(text[start : cue.start()])
            word = text[cue.start() : cue.end()]
            words = head.group(1).split() if head else []
            while words and words[0].casefold() in _NAME_STOP:
                words = words[1:]
            if words and words[0].casefold() not in _GENERIC_AUTHORITY and word[:1].isupper() and (
                    cue.end() >= end or not text[cue.end()].isalnum()):
                s = cue.start() - len(head.group(1)) if head else cue.start()
                _add_name(text, s, cue.end(), out, clash, lex.name_prefix, lex)
    if lex.group_cue is not None:
        for cue in lex.group_cue.finditer(text, start, end):
            pos = cue.end()
            while pos < end:
                name = _NAME.match(text, pos, end)
                if not name:
                    break
                _add_name(text, name.start(), name.end(), out, clash, lex=lex)
                sep = lex.coordinator.match(text, name.end(), end)
                if not sep or not sep.group().strip():
                    break
                pos = sep.end()
    # "Lumora Technologies" inside "Lumora Technologies Ltd.": keep the longest.
    return [m for m in out if not any(
        o is not m and o.start <= m.start and m.end <= o.end and o.end - o.start >
        m.end - m.start for o in out)]

def _unknown_zh(text: str, start: int, end: int, lex: Lexicon, clash: Clash) -> list[Mention]:
    """'上海云图智能科技有限公司', '蔚来汽车集团': a run of suffixes and the name before it."""
    out: list[Mention] = []
    runs: list[list[int]] = []
    for m in lex.org_suffix.finditer(text, start, end) if lex.org_suffix else ():
        if runs and m.start() == runs[-1][1]:
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    for first, last in runs:
        i = first
        while i > start and first - i < 8 and text[i - 1] not in _ZH_STOP and (
            CJK.match(text[i - 1]) or text[i - 1].isalnum()
        ):
            i -= 1
        name = text[i:last]
        if first - i >= 2 and not clash(i, last) and not (
                lex.org_stopword is not None and lex.org_stopword.search(name)):
            out.append(Mention(org_slug(name), i, last, name=name, kind=_kind(name, lex)))
    return out

def _kind(name: str, lex: Lexicon) -> str:
    """'government' when the name says it is an authority ("...Ministry", "...法院")."""
    cue = lex.authority_cue
    return "government" if cue is not None and cue.search(name) else "company"


def _add_name(text: str, s: int, e: int, out: list[Mention], clash: Clash,
              prefix: Any = None, lex: Lexicon | None = None) -> None:
    words = text[s:e].split()
    while words and words[0].casefold() in _NAME_STOP:
        s += len(words[0]) + 1
        words = words[1:]
    span = s
    while len(words) > 2 and prefix is not None and prefix.fullmatch(words[0]):
        s += len(words[0]) + 1  # "die Berliner Nexora GmbH", "der Chipkonzern Infineon AG"
        words = words[1:]
    name = regex.sub(r"(?:['’]s?)$", "", text[s:e].rstrip(" ,"))
    last = name.rsplit(" ", 1)[-1]
    if name.endswith(".") and last.rstrip(".") not in _DOTTED_SUFFIXES:
        name = name[:-1]
    if len(words) == 0 or clash(s, e):
        return
    if not any(m.name == name for m in out):
        kind = _kind(name, lex) if lex is not None else "company"
        out.append(Mention(org_slug(name), span, s + len(name), name=name, kind=kind))
