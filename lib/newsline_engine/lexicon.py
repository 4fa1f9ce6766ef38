"""Compile one language's trigger/cue file into ready-to-use patterns."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import regex

from .literal_filter import LiteralGroup, LiteralIndex, filtered
from .model import KnowledgeError
from .patterns import (
    DEFAULT_GAP,
    Pattern,
    alternation,
    any_of,
    cased,
    compile_pattern,
    name_groups,
    phrase_to_regex,
    quantity_pattern,
    strings,
    whole_word,
)
from .period_words import Periods, compile_periods
from .trigger_patterns import Trigger, TriggerFilter, compile_triggers, filter_triggers

__all__ = ["Lexicon", "Pattern", "Trigger", "compile_lexicon", "phrase_to_regex"]
REQUIRED = ("triggers", "months", "date_patterns", "units", "scales")
LISTS = (
    "anaphora_plural", "anaphora_singular", "non_subject_before", "clause_breaks",
    "coordinators", "group_nouns", "group_links", "org_suffixes", "abbreviations",
    "effective_before", "effective_after", "boilerplate", "tail_markers", "marketing",
    "quantity_fillers", "upto", "possessive_after", "next_words", "ordinal_before",
    "name_prefixes", "rate_before", "name_descriptors", "hedges", "authority_cues", "org_stopwords",
    "authority_descriptions", "company_descriptions", "maker_patterns", "passive_markers",
    "agent_before",
)


@dataclass(frozen=True)
class Lexicon:
    language: str
    triggers: tuple[Trigger, ...]  # one per event type, file order
    anaphora_plural: Pattern | None
    anaphora_singular: Pattern | None
    non_subject_before: Pattern | None
    possessive_after: Pattern | None
    clause_breaks: Pattern | None
    coordinator: Pattern
    group_cue: Pattern | None
    org_suffix: Pattern | None
    abbreviations: frozenset[str]
    effective_before: Pattern | None
    effective_after: Pattern | None
    dates: tuple[Pattern, ...]
    relative_dates: tuple[tuple[Pattern, str, int], ...]
    boilerplate: Pattern | None
    tail_marker: Pattern | None
    marketing: Pattern | None
    quantity: Pattern
    units: dict[str, str]  # lower-cased surface form -> unit code
    scales: dict[str, float]
    decimal_comma: bool
    weak_triggers: tuple[Trigger, ...] = ()
    name_descriptor: Pattern | None = None  # "der Chiphersteller Infineon": a name follows
    weekdays: tuple[tuple[Pattern, int], ...] = ()  # (name pattern, 0=Monday)
    next_word: Pattern | None = None  # "next" before a weekday: the coming one
    month_names: frozenset[str] = frozenset()  # case-folded
    ordinal_before: frozenset[str] = frozenset()  # case-folded
    name_prefix: Pattern | None = None  # "Berliner", "Chipkonzern": dropped before a new name
    rate_before: Pattern | None = None  # "per", "每": "per million tokens" is a rate, no amount
    hedge: Pattern | None = None  # "could", "könnte", "可能": a possibility, no event
    authority_cue: Pattern | None = None  # "Ministry", "Behörde", "法院": an unknown authority
    org_stopword: Pattern | None = None  # "大模型", "旗下": a description, not an unknown name
    authority_description: Pattern | None = None  # "die Kommission", "the regulator", "该部门"
    company_description: Pattern | None = None  # "the company", "der Konzern", "该公司"
    maker: Pattern | None = None  # "the Claude maker": group `product` names the product
    passive: Pattern | None = None  # "was", "wurde", "被": the clause may name its agent ...
    agent_before: Pattern | None = None  # ... after "by", "von", "被"
    periods: Periods = field(default_factory=Periods)  # quarters, halves, relative months
    # Which of the trigger patterns (strong then weak, in order) can match in a span.
    trigger_filter: TriggerFilter | None = None
    # Whether any weekday / relative-date pattern can match in a span (None: assume so).
    weekday_group: LiteralGroup | None = None
    relative_group: LiteralGroup | None = None
    date_group: LiteralGroup | None = None  # whether any date pattern can match in a span


def _units(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: 'units' must be a mapping of unit code to surface forms")
    units: dict[str, str] = {}
    for code, forms in raw.items():
        for form in strings({"u": forms}, "u", f"{where}: unit {code!r}"):
            units[form.casefold()] = str(code)
    return units


def _scales(raw: Any, where: str) -> dict[str, float]:
    if not isinstance(raw, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in raw.values()
    ):
        raise KnowledgeError(f"{where}: 'scales' must map words to numbers")
    return {str(k).casefold(): float(v) for k, v in raw.items()}


def _relative(raw: Any, cjk: bool, where: str) -> tuple[tuple[Pattern, str, int], ...]:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: 'relative_dates' must map phrases to [unit, offset]")
    out = []
    for phrase, spec in raw.items():
        ok = isinstance(spec, list) and len(spec) == 2 and isinstance(spec[1], int)
        if not ok or spec[0] not in ("day", "week", "month", "year", "same"):
            raise KnowledgeError(
                f"{where}: relative date {phrase!r}: must be [day|week|month|year|same, offset]"
            )
        out.append((str(phrase), str(spec[0]), int(spec[1])))
    out.sort(key=lambda item: len(item[0]), reverse=True)
    return tuple((compile_pattern(phrase_to_regex(p, cjk), where), u, n) for p, u, n in out)


def _weekdays(data: dict[str, Any], cjk: bool, where: str) -> tuple[tuple[Pattern, int], ...]:
    if "weekdays" not in data:
        return ()
    groups = name_groups(data["weekdays"], 7, "weekdays", where)
    return tuple((p, day) for day, names in enumerate(groups)
                 if (p := alternation(names, cjk, f"{where}: weekdays[{day}]")) is not None)


def _maker(items: list[str], where: str) -> Pattern | None:
    """Case-sensitive "the <Product> maker" patterns; each must name the group `product`."""
    for item in items:
        if "(?P<product>" not in item:
            raise KnowledgeError(f"{where}: maker pattern {item!r} needs a (?P<product>...) group")
    return cased([f"re:{i}" for i in items], f"{where}: maker_patterns")


def _gap(data: dict[str, Any], where: str) -> int:
    gap = data.get("phrase_gap", DEFAULT_GAP)
    if not isinstance(gap, int) or isinstance(gap, bool) or not 0 < gap <= 30:
        raise KnowledgeError(f"{where}: 'phrase_gap' must be a whole number from 1 to 30")
    return gap


def compile_lexicon(data: Any, language: str, where: str) -> Lexicon:
    """Validate and compile one triggers/<lang>.yaml document."""
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: top level must be a mapping")
    for key in REQUIRED:
        if key not in data:
            raise KnowledgeError(f"{where}: missing required section {key!r}")
    cjk = language == "zh"
    lists = {key: strings(data, key, where) for key in LISTS}
    month_names = [n for names in name_groups(data["months"], 12, "months", where) for n in names]
    month_re = "|".join(regex.escape(m) for m in sorted(month_names, key=len, reverse=True))
    dates = tuple(
        compile_pattern(p.replace("{MONTH}", f"(?:{month_re})"), f"{where}: date pattern {p!r}")
        for p in strings(data, "date_patterns", where)
    )
    units, scales = _units(data["units"], where), _scales(data["scales"], where)
    group_nouns, links = lists["group_nouns"], lists["group_links"]
    group = None
    if group_nouns and links:
        nouns = "|".join(phrase_to_regex(n, cjk) for n in group_nouns)
        group = compile_pattern(
            rf"(?:{nouns}),?\s*(?:{'|'.join(regex.escape(x) for x in links)})\s*",
            f"{where}: group cue")
    coord = sorted(lists["coordinators"] or [","], key=len, reverse=True)
    alts = "|".join(
        regex.escape(c).replace(r"\ ", r"\s+") + (r"(?!\w)" if c[-1].isalnum() else "")
        for c in coord
    )
    strong, weak = compile_triggers(data["triggers"], cjk, where, _gap(data, where))
    lexicon = Lexicon(
        language=language,
        triggers=strong,
        weak_triggers=weak,
        anaphora_plural=alternation(lists["anaphora_plural"], cjk, f"{where}: anaphora"),
        anaphora_singular=alternation(lists["anaphora_singular"], cjk, f"{where}: anaphora"),
        non_subject_before=alternation(lists["non_subject_before"], cjk, where),
        possessive_after=alternation(lists["possessive_after"], True, where),
        clause_breaks=alternation(lists["clause_breaks"], True, where),
        coordinator=compile_pattern(rf"(?:\s*(?:{alts})\s*)+", f"{where}: coordinators"),
        group_cue=group,
        org_suffix=cased(lists["org_suffixes"], where),
        abbreviations=frozenset(a.casefold() for a in lists["abbreviations"]),
        effective_before=alternation(lists["effective_before"], cjk, where),
        effective_after=alternation(lists["effective_after"], cjk, where),
        dates=dates,
        relative_dates=_relative(data.get("relative_dates", {}), cjk, where),
        weekdays=_weekdays(data, cjk, where),
        next_word=alternation(lists["next_words"], cjk, f"{where}: next_words"),
        boilerplate=any_of([f"re:{b}" for b in lists["boilerplate"]], cjk, where),
        tail_marker=alternation([f"re:{b}" for b in lists["tail_markers"]], cjk, where),
        marketing=any_of([f"re:{b}" for b in lists["marketing"]], cjk, where, case_sensitive=True),
        quantity=quantity_pattern(units, scales, lists, cjk, where),
        units=units,
        scales=scales,
        decimal_comma=bool(data.get("decimal_comma", False)),
        month_names=frozenset(m.casefold() for m in month_names),
        ordinal_before=frozenset(w.casefold() for w in lists["ordinal_before"]),
        name_prefix=cased([f"re:{whole_word(w)}" for w in lists["name_prefixes"]], where),
        rate_before=alternation(lists["rate_before"], cjk, f"{where}: rate_before"),
        name_descriptor=cased([f"re:{whole_word(w)}" for w in lists["name_descriptors"]], where),
        hedge=alternation(lists["hedges"], cjk, f"{where}: hedges"),
        authority_cue=alternation(lists["authority_cues"], cjk, f"{where}: authority_cues"),
        org_stopword=alternation(lists["org_stopwords"], cjk, f"{where}: org_stopwords"),
        authority_description=alternation(lists["authority_descriptions"], cjk,
                                          f"{where}: authority_descriptions"),
        company_description=alternation(lists["company_descriptions"], cjk,
                                        f"{where}: company_descriptions"),
        maker=_maker(lists["maker_patterns"], where),
        passive=alternation(lists["passive_markers"], cjk, f"{where}: passive_markers"),
        agent_before=alternation(lists["agent_before"], cjk, f"{where}: agent_before"),
        periods=compile_periods(data.get("periods"), where),
    )
    return _behind_filter(lexicon, cjk)


def _behind_filter(lex: Lexicon, cjk: bool) -> Lexicon:
    """The lexicon with its patterns behind one literal filter (literal_filter.py): each
    runs only on spans holding one of the literals its matches need. Same matches. For
    Chinese only the loops over the weekday and relative-date patterns are: `regex` finds
    a Chinese phrase about as fast as the filter checks for it."""
    index = LiteralIndex()
    changes: dict[str, Any] = {
        "weekday_group": LiteralGroup([p for p, _ in lex.weekdays], index),
        "relative_group": LiteralGroup([p for p, _, _ in lex.relative_dates], index),
        "date_group": LiteralGroup(list(lex.dates), index),
    }
    if not cjk:
        changes["trigger_filter"] = filter_triggers(lex.triggers, lex.weak_triggers, index)
        for f in fields(lex):
            value = getattr(lex, f.name)
            if hasattr(value, "finditer") and hasattr(value, "pattern"):
                changes[f.name] = filtered(value, index)
        changes["dates"] = tuple(filtered(p, index) for p in lex.dates)
        changes["relative_dates"] = tuple((filtered(p, index), unit, n)
                                          for p, unit, n in lex.relative_dates)
        changes["weekdays"] = tuple((filtered(p, index), day) for p, day in lex.weekdays)
    index.freeze()
    return replace(lex, **changes)
