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


_ZH_DIGITS = {c: i for i, cs in enumerate(
    ["零〇", "一", "二两兩", "三", "四", "五", "六", "七", "八", "九"]) for c in cs}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def chinese_number(raw: str) -> float | None:
    """'五千万' -> 5e7, '一亿五千万' -> 1.5e8, '十二' -> 12; None if not a numeral with a digit."""
    if not any(c in _ZH_DIGITS or c == "十" for c in raw):
        return None
    total = section = digit = 0
    for char in raw:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        elif char in _ZH_SMALL:
            section += (digit or 1) * _ZH_SMALL[char]
            digit = 0
        elif _ZH_BIG[char] == 100_000_000:
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            total += (section + digit) * 10_000
            section = digit = 0
    return float(total + section + digit)


def _number(raw: str, decimal_comma: bool) -> float | None:
    if raw and not raw[0].isdigit():
        return chinese_number(raw)
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
        window = text[max(start, m.start() - 6) : m.start()].rstrip()
        if lex.rate_before is not None and any(
            r.end() == len(window) for r in lex.rate_before.finditer(window, overlapped=True)
        ):
            continue  # "per 1,000 tokens", "每百万tokens": a rate's denominator
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
