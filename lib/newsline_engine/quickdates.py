"""The common explicit date shapes of news, read without dateparser.

Most date candidates an article yields are one of a few shapes: "July 9, 2024",
"9 July 2024", "9. Juli 2024", "25.07.2024", "2024年7月9日", "July 2024". dateparser reads
each in about 1-2 ms (its translation, freshness and locale passes), which made a cold
date cache the slowest part of extraction. These shapes are read here with one pattern
per language, with the month names taken from dateparser's own locale data, so both
readers know the same months; anything else (weekdays, relative words, other orders)
still goes to dateparser. tests/unit/engine/test_quickdates.py checks that every shape
read here gives what dateparser gives.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import regex

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


@cache
def _month_names(language: str) -> dict[str, int]:
    """Month name (casefolded, abbreviations included) -> month number, from dateparser."""
    from dateparser.languages import default_loader

    info = default_loader.get_locale(language).info
    names: dict[str, int] = {}
    for number, key in enumerate(_MONTHS, start=1):
        for name in info.get(key, []):
            if not any(c.isdigit() for c in name):
                names[name.casefold()] = number
    return names


@cache
def _patterns(language: str) -> tuple[regex.Pattern[str], ...]:
    if language == "zh":
        return (regex.compile(
            r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号號])?"),)
    month = "|".join(sorted(map(regex.escape, _month_names(language)), key=len, reverse=True))
    name = rf"(?P<name>{month})\.?"
    if language == "de":
        return (
            regex.compile(rf"(?:(?P<d>\d{{1,2}})\.\s*)?{name},?\s+(?P<y>\d{{4}})",
                          regex.IGNORECASE),
            regex.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
        )
    return (
        regex.compile(rf"{name}\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<y>\d{{4}})",
                      regex.IGNORECASE),
        regex.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{name},?\s+(?P<y>\d{{4}})",
                      regex.IGNORECASE),
    )


def quick_date(language: str, text: str) -> tuple[date, str] | None:
    """(value, precision) when `text` is wholly one of the common shapes; else None.

    None also for an impossible day ("31 June 2024"): dateparser decides those.
    """
    if language not in ("en", "de", "zh"):
        return None
    candidate = text.strip()
    for pattern in _patterns(language):
        m = pattern.fullmatch(candidate)
        if m is None:
            continue
        groups = m.groupdict()
        month = (int(groups["m"]) if groups.get("m")
                 else _month_names(language).get(groups["name"].casefold()))
        if month is None or not 1 <= month <= 12:
            return None
        try:
            if groups.get("d"):
                return date(int(groups["y"]), month, int(groups["d"])), "day"
            return date(int(groups["y"]), month, 1), "month"
        except ValueError:
            return None
    return None
