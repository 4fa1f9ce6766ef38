"""Sentences that continue the one before: a subjectless follow-up ('The new prices apply
from 12 August.', 'Wie aus einem Schreiben hervorgeht, sollen die Kosten ab Anfang November
um 30 Prozent sinken.') dates and quantifies the undated, unquantified events of the last
sentence that produced events in the same paragraph."""

from __future__ import annotations

from dataclasses import replace

from .dates import DateMention
from .events import EFFECTIVE_TYPES, Draft
from .model import UNDATED_BASES
from .quantities import QuantityMention

NON_MONEY = frozenset({"tokens", "credits", "percent", "users"})


def _fits(etype: str, unit: str) -> bool:
    if etype == "price_cut":
        return unit == "percent" or unit not in NON_MONEY
    if etype == "offer":
        return unit != "percent"
    return etype == "policy" and unit not in NON_MONEY


def follow_up(drafts: list[Draft], dates: list[DateMention],
              quantities: list[QuantityMention]) -> list[Draft]:
    """Fill a stated effective date and a fitting amount into the drafts that lack them."""
    when = next((d for d in dates if d.effective and d.basis == "stated"), None)
    out = []
    for d in drafts:
        # A date the next sentence states beats none, and a relative one that does not say
        # when the act takes effect ("said today" yes, "即日起" no).
        replaceable = d.basis in UNDATED_BASES or (d.basis == "relative" and not d.effective)
        if when is not None and replaceable and d.type in EFFECTIVE_TYPES:
            d = replace(d, date=when.value, precision=when.precision, basis=when.basis)
        if d.quantity is None:
            amount = next((q for q in quantities if _fits(d.type, q.quantity.unit)), None)
            d = replace(d, quantity=amount) if amount is not None else d
        out.append(d)
    return out
