"""Compile one language's trigger/cue file into ready-to-use patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import regex

from .model import EVENT_TYPES, KnowledgeError

# The `regex` package ships no type stubs; patterns are compiled `regex.Pattern[str]`.
Pattern: TypeAlias = Any
REQUIRED = ("triggers", "months", "date_patterns", "units", "scales")
LISTS = (
    "anaphora_plural", "anaphora_singular", "non_subject_before", "clause_breaks",
    "coordinators", "group_nouns", "group_links", "org_suffixes", "abbreviations",
    "effective_before", "effective_after", "boilerplate", "tail_markers", "marketing",
    "quantity_fillers", "upto", "possessive_after",
)


@dataclass(frozen=True)
class Lexicon:
    language: str
    triggers: tuple[tuple[str, Pattern], ...]  # (event type, pattern), file order
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


def phrase_to_regex(phrase: str, cjk: bool) -> str:
    """Turn a lexicon phrase ('block* ... access', 're:<regex>') into a regex string."""
    if phrase.startswith("re:"):
        return phrase[3:]
    gap = r".{0,12}?" if cjk else r"(?:\W+\w+){0,6}?\W+"
    parts = []
    for chunk in phrase.split("..."):
        words = []
        for word in chunk.split():
            prefix = r"\w*" if word.startswith("*") else ""
            suffix = r"\w*" if word.endswith("*") else ""
            words.append(prefix + regex.escape(word.strip("*")) + suffix)
        parts.append((r"\s*" if cjk else r"\s+").join(words))
    body = gap.join(p for p in parts if p)
    return body if cjk else rf"(?<!\w){body}(?!\w)"


def _strings(data: dict[str, Any], key: str, where: str) -> list[str]:
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


def _compile(source: str, where: str, flags: int = regex.IGNORECASE) -> Pattern:
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise KnowledgeError(f"{where}: invalid pattern {source!r}: {exc}") from exc


def _alternation(items: list[str], cjk: bool, where: str) -> Pattern | None:
    if not items:
        return None
    ordered = sorted(items, key=len, reverse=True)
    for item in ordered:
        _compile(phrase_to_regex(item, cjk), f"{where} entry {item!r}")
    return _compile("|".join(f"(?:{phrase_to_regex(i, cjk)})" for i in ordered), where)


def _cased(items: list[str], where: str) -> Pattern | None:
    """Case-sensitive alternation: legal suffixes and reader address depend on case."""
    if not items:
        return None
    ordered = sorted(items, key=len, reverse=True)
    return _compile("|".join(f"(?:{phrase_to_regex(i, True)})" for i in ordered), where, 0)


def _triggers(raw: Any, cjk: bool, where: str) -> tuple[tuple[str, Pattern], ...]:
    if not isinstance(raw, dict) or not raw:
        raise KnowledgeError(f"{where}: 'triggers' must be a mapping of event type to phrases")
    out: list[tuple[str, Pattern]] = []
    for etype, phrases in raw.items():
        if etype not in EVENT_TYPES:
            raise KnowledgeError(
                f"{where}: trigger {etype!r}: unknown event type (expected one of "
                f"{', '.join(EVENT_TYPES)})"
            )
        items = _strings({"p": phrases}, "p", f"{where}: trigger {etype!r}")
        pattern = _alternation(items, cjk, f"{where}: trigger {etype!r}")
        if pattern is not None:
            out.append((str(etype), pattern))
    return tuple(out)


def _units(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: 'units' must be a mapping of unit code to surface forms")
    units: dict[str, str] = {}
    for code, forms in raw.items():
        for form in _strings({"u": forms}, "u", f"{where}: unit {code!r}"):
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
        if not ok or spec[0] not in ("day", "week", "month", "year"):
            raise KnowledgeError(
                f"{where}: relative date {phrase!r}: must be [day|week|month|year, offset]"
            )
        out.append((str(phrase), str(spec[0]), int(spec[1])))
    out.sort(key=lambda item: len(item[0]), reverse=True)
    return tuple((_compile(phrase_to_regex(p, cjk), where), u, n) for p, u, n in out)


def _quantity(units: dict[str, str], scales: dict[str, float], lists: dict[str, list[str]],
              cjk: bool, where: str) -> Pattern:
    def alt(words: list[str]) -> str:
        return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

    num = r"\d+(?:[.,]\d+)*"
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
    return _compile(src, f"{where}: quantity pattern")


def compile_lexicon(data: Any, language: str, where: str) -> Lexicon:
    """Validate and compile one triggers/<lang>.yaml document."""
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: top level must be a mapping")
    for key in REQUIRED:
        if key not in data:
            raise KnowledgeError(f"{where}: missing required section {key!r}")
    cjk = language == "zh"
    lists = {key: _strings(data, key, where) for key in LISTS}
    months = data["months"]
    if not isinstance(months, list) or len(months) != 12:
        raise KnowledgeError(f"{where}: 'months' must list 12 entries (names per month)")
    month_names = [n for i, m in enumerate(months)
                   for n in _strings({"m": m}, "m", f"{where}: months[{i}]")]
    month_re = "|".join(regex.escape(m) for m in sorted(month_names, key=len, reverse=True))
    dates = tuple(
        _compile(p.replace("{MONTH}", f"(?:{month_re})"), f"{where}: date pattern {p!r}")
        for p in _strings(data, "date_patterns", where)
    )
    units, scales = _units(data["units"], where), _scales(data["scales"], where)
    group_nouns, links = lists["group_nouns"], lists["group_links"]
    group = None
    if group_nouns and links:
        nouns = "|".join(phrase_to_regex(n, cjk) for n in group_nouns)
        group = _compile(rf"(?:{nouns}),?\s*(?:{'|'.join(regex.escape(x) for x in links)})\s*",
                         f"{where}: group cue")
    coord = sorted(lists["coordinators"] or [","], key=len, reverse=True)
    alts = "|".join(
        regex.escape(c).replace(r"\ ", r"\s+") + (r"(?!\w)" if c[-1].isalnum() else "")
        for c in coord
    )
    coordinator = _compile(rf"(?:\s*(?:{alts})\s*)+", f"{where}: coordinators")
    return Lexicon(
        language=language,
        triggers=_triggers(data["triggers"], cjk, where),
        anaphora_plural=_alternation(lists["anaphora_plural"], cjk, f"{where}: anaphora"),
        anaphora_singular=_alternation(lists["anaphora_singular"], cjk, f"{where}: anaphora"),
        non_subject_before=_alternation(lists["non_subject_before"], cjk, where),
        possessive_after=_alternation(lists["possessive_after"], True, where),
        clause_breaks=_alternation(lists["clause_breaks"], True, where),
        coordinator=coordinator,
        group_cue=group,
        org_suffix=_cased(lists["org_suffixes"], where),
        abbreviations=frozenset(a.casefold() for a in lists["abbreviations"]),
        effective_before=_alternation(lists["effective_before"], cjk, where),
        effective_after=_alternation(lists["effective_after"], cjk, where),
        dates=dates,
        relative_dates=_relative(data.get("relative_dates", {}), cjk, where),
        boilerplate=_alternation([f"re:{b}" for b in lists["boilerplate"]], cjk, where),
        tail_marker=_alternation([f"re:{b}" for b in lists["tail_markers"]], cjk, where),
        marketing=_cased([f"re:{b}" for b in lists["marketing"]], where),
        quantity=_quantity(units, scales, lists, cjk, where),
        units=units,
        scales=scales,
        decimal_comma=bool(data.get("decimal_comma", False)),
    )
