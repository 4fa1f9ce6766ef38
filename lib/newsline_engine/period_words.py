"""The `periods` section of a triggers file: how a language names quarters, half-years and
months relative to now (read by periods.py), validated when the knowledge is loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from .model import KnowledgeError

Pattern = Any  # a compiled `regex` pattern (the package ships no stubs)
# The groups periods.py reads from a quarter match; a pattern may use any of them.
QUARTER_GROUPS = frozenset({"ord", "q", "half", "h", "y1", "y2", "y3", "y4", "y5", "yy",
                            "ry", "ry2", "ry3"})
_KEYS = frozenset({"quarter_pattern", "quarter_ignore_case", "quarter_literals", "ordinals",
                   "halves", "relative_years", "relative_month_words"})


@dataclass(frozen=True)
class Periods:
    quarter: Pattern | None = None
    quarter_literals: tuple[str, ...] = ()  # one must be in a span for `quarter` to run
    ordinals: dict[str, int] = field(default_factory=dict)  # "third", "3." -> 3
    halves: dict[str, int] = field(default_factory=dict)  # "second", "下" -> 2
    relative_years: dict[str, int] = field(default_factory=dict)  # "next" -> 1
    month_words: dict[str, int] = field(default_factory=dict)  # "last" (October) -> -1


def _numbers(data: dict[str, Any], key: str, where: str) -> dict[str, int]:
    raw = data.get(key, {})
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in raw.items()):
        raise KnowledgeError(f"{where}: periods.{key} must map words to whole numbers")
    return {k.casefold(): v for k, v in raw.items()}


def compile_periods(data: Any, where: str) -> Periods:
    """Validate and compile a `periods` section (absent: the language names no periods)."""
    if data is None:
        return Periods()
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: periods must be a mapping")
    unknown = set(data) - _KEYS
    if unknown:
        raise KnowledgeError(f"{where}: periods: unknown key(s) {sorted(unknown)}")
    quarter: Pattern | None = None
    literals: list[str] = []
    if "quarter_pattern" in data:
        parts = data["quarter_pattern"]
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise KnowledgeError(f"{where}: periods.quarter_pattern must be a list of strings")
        flags = regex.IGNORECASE if data.get("quarter_ignore_case", False) else 0
        try:
            quarter = regex.compile("".join(parts), flags)
        except regex.error as exc:
            raise KnowledgeError(f"{where}: periods.quarter_pattern: {exc}") from None
        extra = set(quarter.groupindex) - QUARTER_GROUPS
        if extra:
            raise KnowledgeError(f"{where}: periods.quarter_pattern: unknown group(s) "
                                 f"{sorted(extra)}; allowed: {sorted(QUARTER_GROUPS)}")
        raw = data.get("quarter_literals")
        if not isinstance(raw, list) or not raw or not all(isinstance(x, str) and x for x in raw):
            raise KnowledgeError(f"{where}: periods.quarter_literals must list the words one "
                                 "of which every quarter match contains")
        literals = raw
    return Periods(quarter=quarter, quarter_literals=tuple(literals),
                   ordinals=_numbers(data, "ordinals", where),
                   halves=_numbers(data, "halves", where),
                   relative_years=_numbers(data, "relative_years", where),
                   month_words=_numbers(data, "relative_month_words", where))
