"""Merge keys and short human summaries for events."""

from __future__ import annotations

from datetime import date

# The one product comparison is the vocabulary's (the read model uses it too).
from newsline_vocabulary import product_key as product_key

from .model import Event, Quantity

_ORDER = {"year": 0, "month": 1, "day": 2}

_VERBS = {
    "announcement": "makes an announcement",
    "access_block": "blocks access",
    "access_restriction": "restricts access",
    "offer": "offers",
    "price_cut": "cuts prices",
    "migration_program": "offers migration help",
    "product_launch": "launches",
    "policy": "issues a policy",
    "partnership": "enters a partnership",
    "other": "acts",
}


def date_bucket(value: date, precision: str) -> str:
    """The date at its precision: 2024-07-09, 2024-07 or 2024."""
    iso = value.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}[precision]


# A launch is its product: two launches by one vendor on one day are two events.
# For every other type the product is a detail one report may omit ("Baidu offers
# free tokens" vs "... for ERNIE 3.5"), so it stays out of the key and the
# timeline fills it in from whichever source names it.
_PRODUCT_IN_KEY = frozenset({"product_launch"})


def merge_key(etype: str, subject: str, value: date, precision: str, product: str | None) -> str:
    """Same event, any article, any language -> same key (amounts deliberately excluded)."""
    named = product_key(product) if etype in _PRODUCT_IN_KEY else ""
    return f"{etype}|{subject}|{date_bucket(value, precision)}|{named}"


def same_event(a: Event, b: Event) -> bool:
    """Whether two events (any articles, any languages) describe one event.

    merge_key is exact: it keeps the date at the event's own precision, so "July 2024"
    (2024-07) and "9 July 2024" (2024-07-09) get different keys. same_event is the looser
    test a consumer applies across keys: same type and subject, dates equal at the coarser
    of the two precisions, products equal after product_key() or one of them unnamed.
    Quantities are not compared: differing amounts are kept per source, never merged away.
    """
    if (a.type, a.subject) != (b.type, b.subject):
        return False
    coarse = min(a.date_precision, b.date_precision, key=lambda p: _ORDER.get(p, 2))
    if date_bucket(a.date, coarse) != date_bucket(b.date, coarse):
        return False
    pa, pb = product_key(a.product), product_key(b.product)
    return not pa or not pb or pa == pb


def format_quantity(q: Quantity) -> str:
    """'50,000,000 tokens', '30 percent', '1.5 USD'."""
    number = f"{int(q.value):,}" if q.value.is_integer() else f"{q.value:,.2f}"
    return f"{number} {q.unit}"


def summarise(etype: str, name: str, qty: Quantity | None, product: str | None,
              when: date, basis: str) -> str:
    """e.g. 'Baidu offers 50,000,000 free tokens (ERNIE 3.5)'."""
    verb = _VERBS.get(etype, "acts")
    parts = [name, verb]
    if etype == "offer":
        parts.append(f"{format_quantity(qty)}" if qty else "incentives")
        if qty and qty.unit in ("tokens", "credits"):
            parts[-1] = parts[-1].replace(qty.unit, f"free {qty.unit}")
    elif etype == "product_launch":
        parts.append(product or "a product")
        product = None
    elif qty:
        parts.append(f"({format_quantity(qty)})")
    if product:
        parts.append(f"({product})")
    if etype in ("access_block", "access_restriction") and basis == "stated":
        parts.append(f"from {when.isoformat()}")
    return " ".join(parts)
