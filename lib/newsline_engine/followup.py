"""Sentences that continue the one before: a subjectless follow-up ('The new prices apply
from 12 August.', 'Wie aus einem Schreiben hervorgeht, sollen die Kosten ab Anfang November
um 30 Prozent sinken.') dates and quantifies the undated, unquantified events of the last
sentence that produced events in the same paragraph."""

from __future__ import annotations

from dataclasses import replace

from .dates import PRECISION_RANK, DateMention
from .events import EFFECTIVE_TYPES, HEADCOUNT_SUBTYPES, NOT_MONEY, Draft
from .model import UNDATED_BASES
from .quantities import QuantityMention

NON_MONEY = NOT_MONEY  # tokens, credits, percent, users, jobs, bare counts
# Acts whose amount is money ("Der Kaufpreis liegt bei 4,8 Milliarden Euro", "The round
# values the company at $2 billion"): a deal, a takeover, a funding round, a fine, results.
MONEY_SUBTYPES = frozenset({"deal", "acquisition", "merger", "funding", "earnings", "fine",
                            "settlement", "subsidy", "charge"})


def _fits(d: Draft, unit: str) -> bool:
    if d.type == "price_cut":
        return unit == "percent" or unit not in NON_MONEY
    if d.type == "offer":
        return unit not in ("percent", "jobs", "count")
    if d.subtype in HEADCOUNT_SUBTYPES:  # "Insgesamt sind rund 580 Arbeitsplätze betroffen"
        return unit == "jobs"
    if d.type == "policy" or d.subtype in MONEY_SUBTYPES:
        return unit not in NON_MONEY
    return False


def _ahead(when: DateMention, d: Draft) -> bool:
    """A day the follow-up states after the day an undated event sits at (the article's
    date): the day it starts ('Der Startschuss fällt am 6. Februar.')."""
    return when.basis == "stated" and when.precision == "day" and when.value > d.date


def follow_up(drafts: list[Draft], dates: list[DateMention],
              quantities: list[QuantityMention]) -> list[Draft]:
    """Fill a stated effective date and a fitting amount into the drafts that lack them."""
    when = next((d for d in dates if d.effective and d.basis == "stated"), None)
    day = next((d for d in dates if d.basis == "stated" and d.precision == "day"
                and not d.effective), None)
    out = []
    for d in drafts:
        # A date the next sentence states beats none, and a relative one that does not say
        # when the act takes effect ("said today" yes, "即日起" no) when it is no coarser
        # ("am Dienstag" of a month-only reference is not replaced by "Bis 2024").
        undated = d.basis in UNDATED_BASES
        replaceable = undated or (d.basis == "relative" and not d.effective)
        fitting = when if when is not None and (undated or PRECISION_RANK[when.precision]
                                                 >= PRECISION_RANK[d.precision]) else None
        if fitting is None and undated and day is not None and _ahead(day, d):
            fitting = day
        if fitting is not None and replaceable and d.type in EFFECTIVE_TYPES:
            d = replace(d, date=fitting.value, precision=fitting.precision,
                        basis=fitting.basis)
        if d.quantity is None:
            amount = next((q for q in quantities if _fits(d, q.quantity.unit)), None)
            d = replace(d, quantity=amount) if amount is not None else d
        out.append(d)
    return out
