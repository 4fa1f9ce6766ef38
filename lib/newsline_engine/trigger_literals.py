"""The literal strings every match of a regex must contain ("announc" for `announc\\w*`),
read from its source: what literal_filter.py looks for to skip patterns that cannot match.

The reader is conservative: what it does not follow (classes, escapes of letters,
quantified parts, lookarounds) breaks a run of literals or, where it cannot tell the
structure (verbose or full-case flags, conditionals), gives no literal at all; the
pattern then always runs. A promise it makes must hold for every match."""

from __future__ import annotations

import regex

Literals = frozenset[str]
DIGIT = "\x00digit"  # stands for "a character `\\d` matches" among the literals
DIGITS = frozenset([DIGIT])
_FLAG_GROUP = regex.compile(r"\(\?[a-zA-Z0-9-]*[)\:]")
_SAFE_FLAGS = frozenset("imsauL-:)")  # flags that leave literal characters as they are
_QUANTIFIER = regex.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?")


class _Unknown(Exception):
    """The source uses syntax this reader does not follow: no literal can be promised."""


def _escape_end(src: str, i: int) -> int:
    """End of the escape starting at src[i] == backslash."""
    if i + 1 >= len(src):
        raise _Unknown
    c = src[i + 1]
    if c in "pPNgLk":
        opener = src[i + 2 : i + 3]
        if opener not in ("{", "<"):
            if c in "pP" and opener:
                return i + 3  # \pL
            raise _Unknown
        close = src.find("}" if opener == "{" else ">", i + 3)
        if close < 0:
            raise _Unknown
        return close + 1
    j = i + 2
    if c in "xuU" or c.isdigit():
        while j < len(src) and (src[j].isdigit() or src[j] in "abcdefABCDEF{}"):
            j += 1
    return j


def _class_end(src: str, i: int) -> int:
    """End of the character class starting at src[i] == '['."""
    j = i + 1
    if j < len(src) and src[j] == "^":
        j += 1
    if j < len(src) and src[j] == "]":
        j += 1
    while j < len(src):
        if src[j] == "\\":
            j = _escape_end(src, j)
            continue
        if src[j] == "[":
            raise _Unknown  # POSIX classes, nested sets
        if src[j] == "]":
            return j + 1
        j += 1
    raise _Unknown


def _group(src: str, i: int) -> tuple[str, int]:
    """What the group at src[i] == '(' is (`consume`, `zero` width or global `flags`) and
    where its content starts (after the flags: where the pattern goes on)."""
    if not src.startswith("(?", i):
        return "consume", i + 1
    rest = src[i + 2 : i + 4]
    if rest[:1] in (":", ">", "|"):
        return "consume", i + 3
    if rest[:2] == "P<" or (rest[:1] == "<" and rest[1:2] not in ("=", "!")):
        close = src.find(">", i)
        if close < 0:
            raise _Unknown
        return "consume", close + 1
    if rest[:1] in ("=", "!") or rest[:2] in ("<=", "<!"):
        return "zero", i + (4 if rest[:1] == "<" else 3)
    flags = _FLAG_GROUP.match(src, i)
    if flags and set(flags.group()[2:]) <= _SAFE_FLAGS:
        return ("consume" if flags.group().endswith(":") else "flags"), flags.end()
    raise _Unknown  # comments, conditionals, recursion, verbose or full-case flags


def _sequence(src: str, i: int) -> tuple[list[list[Literals]], int]:
    """One alternation from src[i] to its closing ')' or the end: for each branch, the
    choices of literals it needs, every one of them (a run of plain characters, a group
    whose every branch needs one, a digit)."""
    branches: list[list[Literals]] = []
    needs: list[Literals] = []
    run = ""

    def close_run() -> None:
        nonlocal run
        if run:
            needs.append(frozenset([run]))
        run = ""

    while i < len(src) and src[i] != ")":
        c, item, literal = src[i], None, None
        if c == "|":
            close_run()
            branches.append(needs)
            needs, i = [], i + 1
            continue
        if c == "\\":
            end = _escape_end(src, i)
            nxt = src[i + 1]
            literal = nxt if end == i + 2 and not nxt.isalnum() and nxt != "_" else None
            item = DIGITS if src.startswith("\\d", i) and end == i + 2 else None
        elif c == "[":
            end = _class_end(src, i)
        elif c == "(":
            kind, start = _group(src, i)
            if kind == "flags":
                end = start  # (?i): nothing to match
            else:
                inner, close = _sequence(src, start)
                if close >= len(src):
                    raise _Unknown
                end = close + 1
                if kind == "consume" and all(inner):
                    item = frozenset().union(*(max(b, key=_score) for b in inner))
        elif c in "?*+{":
            raise _Unknown  # a quantifier with nothing before it
        else:
            end = i + 1
            literal = None if c in ".^$" else c
        quantified = _QUANTIFIER.match(src, end)
        if quantified:
            end = quantified.end()
            literal = None
            item = item if item is DIGITS and _at_least_once(quantified.group()) else None
        elif end < len(src) and src[end] == "{":
            raise _Unknown  # fuzzy matching or a brace regex reads otherwise
        if literal is not None:
            run += literal
        else:
            close_run()
            if item is not None:
                needs.append(item)
        i = end
    close_run()
    branches.append(needs)
    return branches, i


def _score(literals: Literals) -> int:
    """How telling a choice of literals is: its shortest one's length (a digit counts 1)."""
    return min(1 if lit == DIGIT else len(lit) for lit in literals)


def _at_least_once(quantifier: str) -> bool:
    """'+', '{2}', '{1,4}?': the quantified item is there at least once."""
    if quantifier.startswith("+"):
        return True
    if quantifier.startswith("{"):
        low = quantifier[1:].split(",")[0].rstrip("}?+")
        return low.isdigit() and int(low) > 0
    return False


def required_sets(source: str) -> tuple[Literals, ...]:
    """Choices of literals every match of `source` holds one of each of (most telling
    first): several for a pattern of one branch ("block ... access": "block" and
    "access"), one for an alternation (a literal of each branch); () when it promises none
    (a pattern of only classes, or syntax this reader skips)."""
    try:
        branches, end = _sequence(source, 0)
    except (_Unknown, ValueError):
        return ()
    if end != len(source) or not all(branches):
        return ()
    if len(branches) == 1:
        return tuple(sorted(set(branches[0]), key=lambda c: (-_score(c), sorted(c))))
    return (frozenset().union(*(max(b, key=_score) for b in branches)),)


def required_literals(source: str) -> Literals | None:
    """Strings one of which (in any case) every match of `source` contains (DIGIT: any
    digit), the most telling such choice; None when the source promises none."""
    sets = required_sets(source)
    return sets[0] if sets else None
