"""How values read in a file a person opens: amounts, dates at their precision, headlines.

Shared by the CSV, TimelineJS and iCalendar exports, so "50 million tokens" reads the
same in all three. Currency symbols are the dashboard's (static/js/format.js); big
numbers are written with scale words ("50 million") rather than its compact "50M".
Pure.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from newsline_read_model import EventPublic, QuantityPublic, SourcePublic

_CURRENCY = {"USD": "$", "EUR": "€", "CNY": "¥", "RMB": "¥", "GBP": "£", "JPY": "¥"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")


def _digits(value: float) -> str:
    # At most two decimals above 1 ("1.25"), up to six below ("0.0005"); no trailing zeros.
    text = f"{value:,.2f}" if value >= 1 else f"{value:.6f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_text(value: float) -> str:
    """'50 million', '1.5 billion', '12,500', '0.25': a number as a person reads it."""
    if not math.isfinite(value):
        return str(value)
    sign, size = ("-" if value < 0 else ""), abs(value)
    for factor, word in _SCALES:
        # Rounded first, so 999,999,999 reads "1 billion", not "1,000 million".
        if round(size / factor, 2) >= 1:
            return f"{sign}{_digits(size / factor)} {word}"
    return sign + _digits(size)


def amount_text(quantity: QuantityPublic) -> str:
    """'50 million tokens', '40 %', '€200 million', '$1.5 billion', '500 jobs'."""
    number = number_text(quantity.value)
    unit = quantity.unit
    if unit in ("percent", "%"):
        return f"{number} %"
    symbol = _CURRENCY.get(unit.upper())
    if symbol:
        sign = "-" if number.startswith("-") else ""
        return f"{sign}{symbol}{number.removeprefix('-')}"
    return number if unit == "count" else f"{number} {unit}"


def plain_number(value: float) -> str:
    """A float as a spreadsheet reads a number: never an exponent ('50000000.0', '-5.0')."""
    text = repr(value)
    if "e" not in text or not math.isfinite(value):
        return text
    text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def iso_date(day: dt.date, precision: str) -> str:
    """ISO 8601 at the date's precision: '2024-07-09', '2024-07' or '2024'."""
    full = day.isoformat()
    return {"year": full[:4], "month": full[:7]}.get(precision, full)


def date_text(day: dt.date, precision: str) -> str:
    """'9 Jul 2024', 'Jul 2024' or '2024', as the dashboard writes them."""
    if precision == "year":
        return str(day.year)
    month = f"{_MONTHS[day.month - 1]} {day.year}"
    return month if precision == "month" else f"{day.day} {month}"


def when_text(event: EventPublic) -> str:
    """The date with how it is known: '9 Jul 2024', 'Jul 2024 (inferred)', 'undated'."""
    shown = date_text(event.date, event.date_precision)
    if event.date_basis == "received":
        return f"undated (received {shown})"
    return shown if event.date_basis == "stated" else f"{shown} ({event.date_basis})"


def headline(event: EventPublic) -> str:
    """The event's type and amount: 'offer: 50 million tokens', 'access block'."""
    label = event.type.replace("_", " ")
    return f"{label}: {amount_text(event.quantity)}" if event.quantity else label


def one_line(text: str | None) -> str:
    """Text on one line (line breaks as spaces), for cells that list one item a line."""
    return " ".join((text or "").splitlines())


def source_note(source: SourcePublic, event: EventPublic) -> str:
    """Who said it, in what language and when, and its date, amount or product where they
    differ from the event's: 'Reuters, en, 2024-07-10', 'Handelsblatt, de, says €150 million'."""
    differs = source.quantity is not None and source.quantity != event.quantity
    dated = (source.date, source.date_precision) != (event.date, event.date_precision)
    named = source.product is not None and source.product != event.product
    parts = [source.source or "", source.language,
             source.published_at.date().isoformat() if source.published_at else "",
             f"dates it {date_text(source.date, source.date_precision)}" if dated else "",
             f"says {amount_text(source.quantity)}" if source.quantity and differs else "",
             f"names {source.product}" if named else ""]
    return ", ".join(p for p in (one_line(p) for p in parts) if p)
