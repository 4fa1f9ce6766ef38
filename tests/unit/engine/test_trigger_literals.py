"""The literal prefilter (trigger_literals.py, literal_filter.py) never loses a match: what
the lexicon's patterns find with it is exactly what they find without it."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsline_engine import Knowledge, load_knowledge, normalise_text
from newsline_engine.lexicon import Lexicon
from newsline_engine.literal_filter import FilteredPattern, LiteralIndex, filtered
from newsline_engine.text import segment
from newsline_engine.trigger_literals import DIGIT, required_literals
from newsline_engine.trigger_patterns import Alternation, Trigger, TriggerFilter
from newsline_engine.triggers import sentence_hits

from .conftest import REPO

KNOWLEDGE = load_knowledge()
LATIN = ("en", "de")


@pytest.mark.parametrize(("source", "literals"), [
    (r"(?<!\w)(?:block\w*(?:\W+\w+){0,6}?\W+access|no\s+longer)(?!\w)", {"access", "longer"}),
    (r"\b(?:said|says)\b,?\s+(?:it|they)\s+will", {"said", "says"}),
    (r"不再[向对]..{0,24}?提供", {"不再"}),
    (r"a?bc", {"bc"}),  # an optional character is no promise
    (r"(?<!the )ruling", {"ruling"}),  # nor is a lookbehind
    (r"(?i)announc(?:ed|es)", {"announc"}),
    (r"\pLfoo", {"foo"}),
    (r"ab|c.", {"ab", "c"}),
    (r"\d{1,2}\s+(?:May|June)", {"May", "June"}),
    (r"(?P<num>\d+(?:[.,]\d+)*)\s?%?", {DIGIT}),  # any digit
    (r"\d?x", {"x"}),
])
def test_the_literals_a_source_promises(source: str, literals: set[str]) -> None:
    assert required_literals(source) == literals


@pytest.mark.parametrize("source", [
    r"[abc]+", r"\d*", r"[\d.]+", r"(?x)a b", r"(?f)strasse", r"(?(1)a|b)", r"a{e<=1}",
    r"(?:ab)?c?", r"x|\w+", r"(?#note)ab",
])
def test_a_source_that_promises_nothing_always_runs(source: str) -> None:
    assert required_literals(source) is None


def _alternatives(lex: Lexicon) -> list[str]:
    return [a for t in (*lex.triggers, *lex.weak_triggers) for alt in t.alternations
            for a in alt.alternatives]


def _samples(lex: Lexicon) -> list[tuple[str, str]]:
    """(alternative, a text it matches): plain phrases written out, "block* ... access" as
    "block the access"; alternatives too intricate to write out this way are left out."""
    out = []
    for source in _alternatives(lex):
        sample = regex.sub(r"\\w\*|\(\?:\\W\+\\w\+\)\{0,\d+\}\?\\W\+|\\s[+*]", " ",
                           source)
        sample = regex.sub(r"\\(.)", r"\1", sample)
        if "(" not in sample and "[" not in sample and regex.search(
                source, sample, regex.IGNORECASE):
            out.append((source, sample))
    return out


@pytest.mark.parametrize("language", LATIN)
def test_every_trigger_alternative_the_lexicon_has_promises_what_its_matches_hold(
        language: str) -> None:
    samples = _samples(KNOWLEDGE.lexicons[language])
    assert len(samples) > 50
    for source, sample in samples:
        literals = required_literals(source)
        assert literals is not None, source
        assert any(lit.casefold() in sample.casefold() for lit in literals), source


def _odd_case(text: str) -> str:
    """The text with characters `regex` (?i) matches but str.lower does not fold alike."""
    return text.replace("s", "ſ").replace("k", "\u212a").replace("i", "İ")


@pytest.mark.parametrize("language", LATIN)
def test_each_phrase_in_any_case_is_found_with_the_filter_as_without(language: str) -> None:
    lex = KNOWLEDGE.lexicons[language]
    plain = dataclasses.replace(lex, trigger_filter=None)
    found = 0
    for _, sample in _samples(lex):
        for variant in (sample, sample.upper(), _odd_case(sample)):
            text = f"Am Montag {variant} wurde es bekannt. " * 8  # long: the filter indexes it
            start, end = 0, len(text) // 8
            hits = sentence_hits(text, start, end, lex)
            assert hits == sentence_hits(text, start, end, plain), variant
            found += bool(hits)
    assert found > 100


# Words of the phrases, in odd cases and with characters `regex` folds unlike str.lower.
def _words(knowledge: Knowledge) -> list[str]:
    words = set()
    for lang in LATIN:
        for source in _alternatives(knowledge.lexicons[lang]):
            words.update(w for w in regex.findall(r"[^\W\d_]{3,}", regex.sub(r"\\.", " ", source)))
    return sorted(words)


WORDS = st.sampled_from(_words(KNOWLEDGE))
ODD = st.sampled_from(["ſ", "K", "İ", "ı", "ß", "ẞ", "Å", "ǅ", "ﬀ", "σ", "ς"])


@st.composite
def _texts(draw: Any) -> str:
    pieces = draw(st.lists(st.one_of(
        WORDS.map(str.upper), WORDS.map(str.title), WORDS,
        WORDS.map(lambda w: w.replace("s", "ſ").replace("k", "K").replace("i", "İ")),
        ODD, st.sampled_from([" ", " ", ", ", ". ", "\n", " the ", " by ", " from ", "-"]),
        st.sampled_from([" 9 July 2024 ", " 12,000 jobs ", " $20 billion ", " Monday ",
                         " in March ", "2024-07-09", " am 1. Juli ", " 30 % ", " yesterday "]),
        st.text(max_size=6)), min_size=1, max_size=40))
    return "".join(pieces) * draw(st.integers(1, 3))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts(), language=st.sampled_from(LATIN), cut=st.integers(0, 400),
       length=st.integers(0, 600))
def test_filtered_trigger_hits_are_the_unfiltered_ones(text: str, language: str, cut: int,
                                                      length: int) -> None:
    lex = KNOWLEDGE.lexicons[language]
    plain = dataclasses.replace(lex, trigger_filter=None)
    start = min(cut, len(text))
    end = min(len(text), start + length)
    assert sentence_hits(text, start, end, lex) == sentence_hits(text, start, end, plain)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts(), language=st.sampled_from(LATIN), cut=st.integers(0, 300))
def test_filtered_lexicon_patterns_find_what_the_patterns_find(text: str, language: str,
                                                              cut: int) -> None:
    lex = KNOWLEDGE.lexicons[language]
    # Index this text as the trigger filter does for each article.
    assert lex.trigger_filter is not None
    lex.trigger_filter.possible(text, 0, len(text))
    start = min(cut, len(text))
    for field in dataclasses.fields(lex):
        value = getattr(lex, field.name)
        for p in value if isinstance(value, tuple) else (value,):
            p = p[0] if isinstance(p, tuple) else p
            if isinstance(p, FilteredPattern):
                raw = p._pattern
                assert [m.span() for m in p.finditer(text, start, len(text))] == [
                    m.span() for m in raw.finditer(text, start, len(text))], field.name
                found, expected = p.search(text, start), raw.search(text, start)
                assert (found and found.span()) == (expected and expected.span()), field.name


def test_a_literal_is_found_in_any_case_regex_matches_it() -> None:
    """'ſ' matches 's' and 'K' (Kelvin) 'k' in `regex` (?i), though str.lower keeps them."""
    index = LiteralIndex()
    pattern = filtered(regex.compile(r"(?:sperr|blocK|stop)\w*", regex.IGNORECASE), index)
    index.freeze()
    assert isinstance(pattern, FilteredPattern)
    text = "Der Dienſt wurde geſperrt und Bloc\u212aed, " * 10
    index.article(text)
    assert [m.group() for m in pattern.finditer(text, 0, 25)] == ["ſperrt"]
    assert [m.group() for m in pattern.finditer(text, 26, 40)] == ["Bloc\u212aed"]
    assert [m.group() for m in pattern.finditer(text, 0, 8)] == []


def test_a_pattern_with_few_literals_is_left_as_it_is() -> None:
    index = LiteralIndex()
    pattern = regex.compile(r"(?<!\w)earlier\s+this\s+month(?!\w)", regex.IGNORECASE)
    assert filtered(pattern, index) is pattern
    assert filtered(None, index) is None


@pytest.mark.parametrize("language", ["en", "de", "zh"])
def test_dev_articles_give_the_same_hits_with_and_without_the_filter(language: str) -> None:
    lex = KNOWLEDGE.lexicons[language]
    plain = dataclasses.replace(lex, trigger_filter=None)
    texts = [json.loads(p.read_text("utf-8"))["text"]
             for p in sorted((REPO / "eval" / "dev").glob(f"{language}-*.json"))]
    assert texts
    for raw in texts:
        text = normalise_text(raw)
        for s in segment(text, lex):
            assert sentence_hits(text, s.start, s.end, lex) == sentence_hits(
                text, s.start, s.end, plain)


def _filter_of(alternatives: list[str]) -> tuple[TriggerFilter, Any]:
    index = LiteralIndex()
    pattern = regex.compile("|".join(alternatives), regex.IGNORECASE)
    trigger = Trigger("policy", (pattern,), (),
                      (Alternation(pattern, "", tuple(alternatives), ""),))
    trigger_filter = TriggerFilter([(trigger, False)], index)
    index.freeze()
    return trigger_filter, pattern


def test_a_trigger_pattern_runs_only_its_alternatives_that_can_match() -> None:
    trigger_filter, pattern = _filter_of([r"(?:block\w*)", r"(?:ban\w*)", r"(?:cut)"])
    text = "Regulators banned the app. Nothing here. " * 8
    [first] = trigger_filter.possible(text, 0, 26)
    assert first is not pattern and first.pattern == r"(?:ban\w*)"
    assert trigger_filter.possible(text, 27, 40) == [None]


def test_alternatives_tied_by_group_references_or_flags_run_whole() -> None:
    for tied in ([r"(?:(a)x)", r"(?:ban\1)"], [r"(?:block)", r"(?s)(?:ban.)"]):
        trigger_filter, pattern = _filter_of(tied)
        text = "Regulators banned the app. " * 10
        assert trigger_filter.possible(text, 0, 26) == [pattern]


def test_a_probe_looked_for_as_a_shorter_one_it_holds_still_finds_its_matches() -> None:
    index = LiteralIndex()
    announced = filtered(regex.compile(r"(?:announced|unveiled|released) (?:a|the)",
                                       regex.IGNORECASE), index)
    filtered(regex.compile(r"(?:announc|unveil|releas)\w*", regex.IGNORECASE), index)
    index.freeze()
    assert index.stand_in[index.probes.index("announced")] == index.probes.index("announc")
    text = "Nothing at first. Then OpenAI ANNOUNCED the model. " * 30
    index.article(text)
    assert [m.group() for m in announced.finditer(text, 18, 50)] == ["ANNOUNCED the"]
    assert list(announced.finditer(text, 0, 17)) == []


def test_a_pattern_whose_flags_change_how_its_text_reads_is_left_as_it_is() -> None:
    index = LiteralIndex()
    for flags in (regex.VERBOSE, regex.IGNORECASE | regex.FULLCASE):
        pattern = regex.compile(r"(?:block ed|ban ned|stra sse)", flags)
        assert filtered(pattern, index) is pattern  # "block ed" reads "blocked" verbosely
