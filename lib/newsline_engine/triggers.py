"""Which event types a clause's trigger words signal."""

from __future__ import annotations

import regex

from .actors import Mention, ProductMention
from .lexicon import Lexicon
from .quantities import QuantityMention

LAUNCH = "product_launch"
_COMMA = regex.compile(r"[,，]\s*")


def _near(text: str, start: int, end: int, lex: Lexicon, products: list[ProductMention]) -> bool:
    """A product named close to a launch verb ("released Claude 3.5", "ERNIE 4.5 vorgestellt")."""
    reach = 15 if lex.language == "zh" else 30
    for etype, pattern in lex.triggers:
        if etype != LAUNCH:
            continue
        for m in pattern.finditer(text, start, end):
            if any(p.start - reach <= m.end() and m.start() - reach <= p.end for p in products):
                return True
    return False


def clause_types(text: str, start: int, end: int, lex: Lexicon,
                 quantities: list[QuantityMention], products: list[ProductMention]) -> list[str]:
    """Event types in text order; weak triggers ("offers", "提供") need an amount in the clause."""
    found = [(m.start(), t) for t, p in lex.triggers for m in [p.search(text, start, end)] if m]
    if quantities:
        found += [(m.start(), t) for t, p in lex.weak_triggers
                  for m in [p.search(text, start, end)] if m]
    types = list(dict.fromkeys(t for _, t in sorted(found)))
    if LAUNCH in types and set(types) - {LAUNCH, "announcement"} and not _near(
        text, start, end, lex, products
    ):
        # "推出了迁移计划", "rolled out offers": the verb serves the other event.
        types.remove(LAUNCH)
    return types


def comma_cuts(text: str, start: int, end: int, lex: Lexicon, mentions: list[Mention]
               ) -> list[int]:
    """'Baidu gives 50M tokens, Alibaba Cloud 22M': a comma followed by a new actor after a
    trigger starts a new clause; 'Baidu, Alibaba and Tencent offer' (no trigger yet) does not."""
    starts = {m.start for m in mentions}
    cuts, last = [], start
    for comma in _COMMA.finditer(text, start, end):
        if comma.end() in starts and any(
            p.search(text, last, comma.start()) for _, p in lex.triggers
        ):
            cuts.append(comma.end())
            last = comma.end()
    return cuts
