"""Amounts with scale words and units: '50 million free tokens', '5000万tokens', '$2bn'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from .lexicon import Lexicon
from .model import Quantity

_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "¥": "CNY", "£": "GBP"}
# "HK$4.3 billion", "NT$1 billion", "A$50m": a dollar sign's country letters before it.
_DOLLAR_PREFIX = regex.compile(r"(?<![\p{L}])(HK|NT|A|C|S)$")
_DOLLARS = {"HK": "HKD", "NT": "TWD", "A": "AUD", "C": "CAD", "S": "SGD"}
# "100 Mio. €", "5 Mrd. $": German news write the currency sign after the amount too.
_SIGN_AFTER = regex.compile(r"\s?(US\$|\$|€|£)")
# Amounts in words: "two billion dollars", "half a billion euros", "rund drei Milliarden
# Euro", "eine halbe Milliarde Euro". Number words of each language, not of any trade;
# only before a scale word (million, Milliarden), so "one of the jobs" is no amount.
_WORDS: dict[str, dict[str, float]] = {
    "en": {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "a hundred": 100, "one hundred": 100, "several hundred": 0, "half a": 0.5,
           "a half": 0.5, "one and a half": 1.5, "a quarter of a": 0.25},
    "de": {"ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3,
           "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
           "elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30,
           "fünfzig": 50, "hundert": 100, "eineinhalb": 1.5, "anderthalb": 1.5,
           "eine halbe": 0.5, "einer halben": 0.5, "einen halben": 0.5},
}
# "USD 2 billion", "EUR 300 million", "RMB 5 billion": an ISO code before the amount
# (press releases and wires); the codes are the same in every language.
_CODE_BEFORE = regex.compile(r"(?<![\p{L}])(USD|EUR|GBP|JPY|CNY|RMB|HKD|TWD|KRW|CHF|SGD|AUD|CAD)"
                             r"\s?$")
_CODES = {"RMB": "CNY"}
# Chinese tenths: "降价五成" (by half), "降幅超九成" (over 90 %); not "一成不变", "成本".
_ZH_TENTHS = regex.compile(
    r"(?<![\d.一二三四五六七八九十两兩])(?P<n>[一二三四五六七八九1-9])\s*成"
    r"(?![本立功为為员員交绩績果效长長熟年都型品])")
_ZH_TENTH_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
# "千亿元", "百万tokens": a leading scale character is one of it (only before money or
# tokens: "千人计划" is a programme's name, no headcount).
_ZH_LEADING_SCALE = frozenset("十百千万萬")
# A price per share is no event's amount: "32 Euro je Aktie", "$32 a share", "每股2.00港元";
# nor the step to it ("um 2 Euro auf 32 Euro je Aktie", "by $2 to $32 a share").
_PER_SHARE_AFTER = regex.compile(
    r"\s*(?:(?:per|a)\s+(?:share|ADS|ADR)|(?:je|pro)\s+(?:Aktie|Anteilsschein|Anteil)|每股)(?!\w)",
    regex.I)
_PER_SHARE_BEFORE = regex.compile(r"每股[^\d，,。；;]{0,4}$")
_STEP_TO = regex.compile(r"\s*(?:auf|to|bis|至|到)\s*", regex.I)
_WORD_LITERALS = {"en": ("illion",), "de": ("illi", "Mio", "Mrd")}
_WORD_PATTERNS: dict[str, tuple[Lexicon, Any]] = {}


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


def _word_pattern(lex: Lexicon) -> Any:
    """Number word + scale word (a million or more) + unit, from the lexicon's own scales and
    units; compiled once per lexicon."""
    cached = _WORD_PATTERNS.get(lex.language)
    if cached is not None and cached[0] is lex:
        return cached[1]

    def alt(words: Any) -> str:
        return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

    numbers = _WORDS[lex.language]
    big = [w for w, v in lex.scales.items() if v >= 1_000_000]
    pattern = regex.compile(
        rf"(?<![\w-])(?P<word>{alt(numbers)})\s+(?P<scale>{alt(big)})(?!\w)"
        rf"\s?(?P<unit>US\$|\$|€|£|{alt(lex.units)})(?!\w)", regex.I)
    _WORD_PATTERNS[lex.language] = (lex, pattern)
    return pattern


def _in_words(text: str, start: int, end: int, lex: Lexicon) -> list[QuantityMention]:
    literals = _WORD_LITERALS.get(lex.language)
    if not literals or not any(lit in text[start:end] for lit in literals):
        return []
    out = []
    numbers = _WORDS[lex.language]
    for m in _word_pattern(lex).finditer(text, start, end):
        value = numbers.get(regex.sub(r"\s+", " ", m.group("word").casefold()))
        if not value:
            continue
        word = m.group("unit")
        unit = _CURRENCY.get(word) or lex.units.get(word.casefold(), word)
        value *= _scale(m.group("scale"), lex.scales)
        out.append(QuantityMention(Quantity(value, unit), m.start(), m.end()))
    return out


def _without_share_prices(text: str, found: list[QuantityMention]) -> list[QuantityMention]:
    """The amounts less prices per share and the steps to them."""
    if not found:
        return found
    per_share = {i for i, q in enumerate(found)
                 if _PER_SHARE_AFTER.match(text, q.end)
                 or _PER_SHARE_BEFORE.search(text, max(0, q.start - 8), q.start)}
    for i in range(len(found) - 1, 0, -1):
        step = _STEP_TO.match(text, found[i - 1].end)
        if i in per_share and step and step.end() >= found[i].start:
            per_share.add(i - 1)
    return [q for i, q in enumerate(found) if i not in per_share]


def _tenth(n: str) -> int:
    return _ZH_TENTH_DIGITS.get(n) or int(n)


def _currency(text: str, m: Any) -> str | None:
    """The currency a match names: its sign (with a dollar's country letters) or a sign
    right after the amount."""
    sign = m.group("cur")
    if not sign and not m.group("unit"):
        num = m.start("num")
        code = _CODE_BEFORE.search(text, max(0, num - 5), num)
        if code:
            return str(_CODES.get(code[1], code[1]))
    if sign == "$":
        country = _DOLLAR_PREFIX.search(text, max(0, m.start("cur") - 3), m.start("cur"))
        if country:
            return _DOLLARS[country[1]]
    if sign:
        return _CURRENCY[sign]
    after = _SIGN_AFTER.match(text, m.end())
    return _CURRENCY[after[1]] if after and not m.group("unit") else None


def find_quantities(text: str, start: int, end: int, lex: Lexicon) -> list[QuantityMention]:
    """Quantities with a unit or currency in text[start:end]; ranges give their upper bound."""
    out: list[QuantityMention] = []
    for m in lex.quantity.finditer(text, start, end):
        window = text[max(start, m.start() - 6) : m.start()].rstrip()
        if lex.rate_before is not None and any(
            r.end() == len(window) for r in lex.rate_before.finditer(window, overlapped=True)
        ):
            continue  # "per 1,000 tokens", "每百万tokens": a rate's denominator
        unit_word, currency = m.group("unit"), _currency(text, m)
        if not unit_word and not currency:
            continue
        values = [_number(m.group("num"), lex.decimal_comma)]
        if m.group("num2"):
            values.append(_number(m.group("num2"), lex.decimal_comma))
        unit = lex.units.get(unit_word.casefold(), unit_word) if unit_word else None
        if currency:  # "$2 million in free credits" is an amount of money
            unit = currency
        numbers = [v for v in values if v is not None]
        raw = m.group("num")
        if not numbers and raw[:1] in _ZH_LEADING_SCALE and unit not in (None, "jobs", "users",
                                                                         "percent", "count"):
            numbers = [chinese_number("一" + raw) or 0.0]
        if not numbers or not any(numbers):
            continue
        factor = _scale(m.group("scale"), lex.scales) if m.group("scale") else 1.0
        out.append(QuantityMention(Quantity(max(numbers) * factor, unit or "count"), m.start(),
                                   m.end()))
    out = _without_share_prices(text, out)
    words = _in_words(text, start, end, lex)
    if lex.language == "zh" and "成" in text[start:end]:
        words += [QuantityMention(Quantity(10.0 * _tenth(t["n"]), "percent"), t.start(), t.end())
                  for t in _ZH_TENTHS.finditer(text, start, end)
                  if not text.startswith("一成不变", t.start())]
    if words:
        out = sorted([*out, *(w for w in words if all(
            w.end <= q.start or w.start >= q.end for q in out))], key=lambda q: q.start)
    return out
