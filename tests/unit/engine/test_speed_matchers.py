"""The faster matchers give the same answers as the `regex` patterns they stand in for:
case-insensitive Latin names (latin_names.py) and page-furniture patterns (AnyOf)."""

from __future__ import annotations

import regex

from newsline_engine.actors import trie_regex
from newsline_engine.latin_names import WORD, FoldedNames, leftmost, odd_characters
from newsline_engine.patterns import AnyOf, alternation, any_of, cased

NAMES = ["OpenAI", "OpenAI Inc", "Anthropic", "Deutsche Telekom", "Straße AG", "Kimi Labs"]

TEXTS = [
    "OpenAI said on Monday that OPENAI INC and openai would block access.",
    "OpenAIs, XOpenAI, OpenAI_x and OpenAI2 are not the name; (OpenAI) is.",
    "OpenAI將於7月9日起封鎖, 据OpenAI Inc称。",
    "Die Deutsche Telekom und die DEUTSCHE TELEKOM; die Straße AG, STRASSE AG.",
    "İstanbul's KIMI LABS and Kımı Labs, ſtraße ag, and the Kelvin KİMİ labs.",
    "anthropic\nAnthropic-backed Anthropic",
    "αOpenAI and ÖOpenAI and 1OpenAI and ＯpenAI",
]


def _reference(names: list[str]) -> regex.Pattern[str]:
    folded = list(dict.fromkeys(n.lower() for n in names))
    return regex.compile(rf"(?<!{WORD})(?i:{trie_regex(folded)})(?!{WORD})")


def test_folded_names_match_where_the_regex_pattern_does() -> None:
    names, reference = FoldedNames(NAMES, trie_regex), _reference(NAMES)
    for text in TEXTS:
        for start, end in [(0, len(text)), (1, len(text) - 1), (3, 20), (10, len(text))]:
            expected = [m.span() for m in reference.finditer(text, start, end, overlapped=True)]
            assert names.spans(text, start, end) == expected, (text, start, end)


def test_folded_names_find_every_case_of_a_long_name() -> None:
    text = TEXTS[0]
    found = [text[a:b] for a, b in FoldedNames(NAMES, trie_regex).spans(text, 0, len(text))]
    assert found == ["OpenAI", "OPENAI INC", "openai"]


def test_folded_names_keep_a_version_suffix_case_sensitive() -> None:
    suffix = r"(?:[ -]?\d+(?:\.\d+)?[a-z]?)?"
    names = FoldedNames(["Gemini", "Claude"], trie_regex, suffix)
    text = "GEMINI 1.5 and Gemini-2o, not Gemini-2O; claude 3"
    reference = regex.compile(
        rf"(?<!{WORD})(?i:{trie_regex(['gemini', 'claude'])}){suffix}(?!{WORD})")
    expected = [m.span() for m in reference.finditer(text, overlapped=True)]
    assert names.spans(text, 0, len(text)) == expected
    # "2O" is no version ([a-z] keeps its case): the name alone.
    assert [text[a:b] for a, b in expected] == ["GEMINI 1.5", "Gemini-2o", "Gemini", "claude 3"]


def test_characters_lower_casing_gets_wrong_are_odd() -> None:
    odd = odd_characters("kis")
    assert {"İ", "ſ"} <= odd  # "İ".lower() is two characters; `regex` folds "ſ" to "s"
    assert not {"K", "I", "S", "k", "i", "s", "é"} & odd


def test_leftmost_prefers_the_first_pattern_at_a_tie_and_skips_overlaps() -> None:
    assert leftmost([(0, 6), (10, 14)], [(0, 3), (4, 8), (8, 9)]) == [(0, 6), (8, 9), (10, 14)]
    assert leftmost([], [(0, 3), (2, 5), (5, 6)]) == [(0, 3), (5, 6)]


BOILERPLATE = [r"re:^\s*(?:Q|A)\d+\s*[:.]", r"re:^\s*Read more\b", r"re:\b\d{5}\b.*\bStreet\b"]


def test_any_of_finds_a_line_exactly_where_the_alternation_does() -> None:
    joined, parts = alternation(BOILERPLATE, False, "test"), any_of(BOILERPLATE, False, "test")
    assert isinstance(parts, AnyOf)
    lines = ["Q1: what now?", " read more about it", "Read moreover", "Visit 10115 Main Street",
             "The Q1 results", "OpenAI said Q2: fine", "10115 Berlin", ""]
    assert [bool(parts.search(x)) for x in lines] == [bool(joined.search(x)) for x in lines]
    assert [bool(parts.search(x)) for x in lines] == [True, True, False, True, False, False,
                                                      False, False]


def test_any_of_keeps_branches_that_refer_to_each_other_together() -> None:
    # Joined, "\1" counts the groups of the branches before it: group 1 is "(a)".
    tied = [r"re:(a)b", r"re:(\w)\1"]
    pattern = any_of(tied, False, "test")
    assert not isinstance(pattern, AnyOf)
    assert any_of(["re:(?i)abc", "re:x"], False, "test").__class__ is not AnyOf
    assert any_of(BOILERPLATE, True, "test").__class__ is not AnyOf  # Chinese: one pattern


def test_case_sensitive_any_of_keeps_case() -> None:
    items = [r"re:\b(?:[Ww]ir|Ihr)\b", r"re:\?\s*$"]
    parts, joined = any_of(items, False, "test", case_sensitive=True), cased(items, "test")
    assert isinstance(parts, AnyOf)
    lines = ["Wir kommen.", "WIR kommen.", "Was nun?", "ihr Auto", "Ihr Auto", "wirklich"]
    assert [bool(parts.search(x)) for x in lines] == [bool(joined.search(x)) for x in lines]
    assert [bool(parts.search(x)) for x in lines] == [True, False, True, False, True, False]
