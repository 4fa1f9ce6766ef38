"""Which event types a clause's trigger words signal.

Each trigger pattern runs once over a sentence (`sentence_hits`); clauses, comma cuts and
the headline check then read those hits instead of searching every clause again."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .actors import Mention, ProductMention
from .lexicon import Lexicon
from .quantities import QuantityMention

LAUNCH = "product_launch"
UNOFFERED = frozenset({"jobs", "percent", "count"})
_COMMA = regex.compile(r"[,，]\s*")


@dataclass(frozen=True)
class Hit:
    """One trigger phrase found in a sentence."""

    type: str
    subtype: str | None
    start: int
    end: int
    weak: bool  # counts only when its clause states an amount


def sentence_hits(text: str, start: int, end: int, lex: Lexicon) -> list[Hit]:
    """Every trigger phrase in text[start:end], in text order. Only the patterns whose
    literal words occur in the span run (the lexicon's TriggerFilter; none for Chinese)."""
    if lex.trigger_filter is None:
        return sorted((Hit(t.type, t.subtype(m), m.start(), m.end(), weak)
                       for weak, triggers in ((False, lex.triggers), (True, lex.weak_triggers))
                       for t in triggers for m in t.finditer(text, start, end)),
                      key=lambda h: h.start)
    hits = [Hit(t.type, t.subtype(m), m.start(), m.end(), weak)
            for t, weak, patterns in lex.trigger_filter.runs(text, start, end)
            for m in t.finditer(text, start, end, patterns)]
    return sorted(hits, key=lambda h: h.start)


def _near(hits: list[Hit], lex: Lexicon, products: list[ProductMention]) -> bool:
    """A product named close to a launch verb ("released Claude 3.5", "ERNIE 4.5 vorgestellt")."""
    reach = 15 if lex.language == "zh" else 30
    return any(p.start - reach <= h.end and h.start - reach <= p.end
               for h in hits if h.type == LAUNCH for p in products)


def clause_types(text: str, start: int, end: int, lex: Lexicon,
                 quantities: list[QuantityMention], products: list[ProductMention],
                 hits: list[Hit]) -> list[tuple[str, str | None]]:
    """(event type, subtype) in text order; weak triggers ("offers", "提供") need an amount
    in the clause. A type's subtype is the first one its phrases name in the clause (a
    general phrase first, "决定 ... 处以罚款", yields to it). After a hedge ("could",
    "könnte", "可能") a trigger states a possibility: it counts only before."""
    if lex.hedge is not None:
        hedge = lex.hedge.search(text, start, end)
        end = hedge.start() if hedge else end
    # A weak trigger ("offers", "提供") needs an amount it can offer: not a headcount
    # ("which has 22 employees, offers ...") or a percentage.
    offered = any(q.quantity.unit not in UNOFFERED for q in quantities)
    inside = [h for h in hits if start <= h.start and h.end <= end
              and (not h.weak or offered)]
    subtypes: dict[str, str | None] = {}
    for h in inside:
        if subtypes.get(h.type) is None:
            subtypes[h.type] = h.subtype
    if LAUNCH in subtypes and set(subtypes) - {LAUNCH, "announcement"} and not _near(
        inside, lex, products
    ):
        # "推出了迁移计划", "rolled out offers": the verb serves the other event.
        del subtypes[LAUNCH]
    return list(subtypes.items())


def comma_cuts(text: str, start: int, end: int, lex: Lexicon, mentions: list[Mention],
               hits: list[Hit]) -> list[int]:
    """'Baidu gives 50M tokens, Alibaba Cloud 22M': a comma followed by a new actor after a
    trigger starts a new clause; 'Baidu, Alibaba and Tencent offer' (no trigger yet) does not."""
    starts = {m.start for m in mentions}
    strong = [h for h in hits if not h.weak]
    cuts, last = [], start
    for comma in _COMMA.finditer(text, start, end):
        if comma.end() in starts and any(
            last <= h.start and h.end <= comma.start() for h in strong
        ):
            cuts.append(comma.end())
            last = comma.end()
    return cuts
