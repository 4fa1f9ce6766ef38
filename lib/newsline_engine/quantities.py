"""Amounts with scale words and units: '50 million free tokens', '5000万tokens', '$2bn'."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon
from .model import Quantity

_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "¥": "CNY", "£": "GBP"}


@dataclass(frozen=True)
class QuantityMention:
    quantity: Quantity
    start: int
    end: int


def _number(raw: str, decimal_comma: bool) -> float | None:
    # German "1.500,5" vs English "1,500.5"
    raw = raw.replace(".", "").replace(",", ".") if decimal_comma else raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _scale(word: str, scales: dict[str, float]) -> float:
    """Multiply compound scale words such as '千萬' (1000 x 10000)."""
    factor, rest = 1.0, word.casefold()
    keys = sorted(scales, key=len, reverse=True)
    while rest:
        key = next((k for k in keys if rest.startswith(k)), None)
        if key is None:
            break
        factor *= scales[key]
        rest = rest[len(key) :]
    return factor


def find_quantities(text: str, start: int, end: int, lex: Lexicon) -> list[QuantityMention]:
    """Quantities with a unit or currency in text[start:end]; ranges give their upper bound."""
    out: list[QuantityMention] = []
    for m in lex.quantity.finditer(text, start, end):
        unit_word, currency = m.group("unit"), m.group("cur")
        if not unit_word and not currency:
            continue
        values = [_number(m.group("num"), lex.decimal_comma)]
        if m.group("num2"):
            values.append(_number(m.group("num2"), lex.decimal_comma))
        numbers = [v for v in values if v is not None]
        if not numbers:
            continue
        factor = _scale(m.group("scale"), lex.scales) if m.group("scale") else 1.0
        unit = lex.units.get(unit_word.casefold(), unit_word) if unit_word else None
        if currency:  # "$2 million in free credits" is an amount of money
            unit = _CURRENCY[currency]
        out.append(QuantityMention(Quantity(max(numbers) * factor, unit or "count"), m.start(),
                                   m.end()))
    return out
