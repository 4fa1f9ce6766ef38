"""Merge keys and short human summaries for events."""

from __future__ import annotations

from datetime import date

import regex

from .model import Quantity

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


def product_key(product: str | None) -> str:
    """Spelling-insensitive product key: 'ERNIE 3.5', 'Ernie-3.5' -> 'ernie3.5'."""
    return str(regex.sub(r"[\s\-_]+", "", product.casefold())) if product else ""


def date_bucket(value: date, precision: str) -> str:
    """The date at its precision: 2024-07-09, 2024-07 or 2024."""
    iso = value.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}[precision]


def merge_key(etype: str, subject: str, value: date, precision: str, product: str | None) -> str:
    """Same event, any article, any language -> same key (amounts deliberately excluded)."""
    return f"{etype}|{subject}|{date_bucket(value, precision)}|{product_key(product)}"


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
