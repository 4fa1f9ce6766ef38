"""What the store can hold: the characters and the dates ingest lets through.

One definition, used by the request schema (refuse with 422) and by the parser (drop
extracted events dated outside the window, never clamp them: a clamped date is
invented).
"""

from __future__ import annotations

import datetime as dt

# C0 control characters other than tab, newline and carriage return: PostgreSQL `text`
# refuses NUL, and the others are no part of any article. Lone surrogates (JSON
# "\ud800") cannot be encoded as UTF-8 at all.
_CONTROLS = tuple(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")

# Real UTC offsets run from -12:00 to +14:00.
MIN_OFFSET = dt.timedelta(hours=-12)
MAX_OFFSET = dt.timedelta(hours=14)

# Dates an article or event may carry: from 1800 (archives, founding years) to 50
# years after the article was received (announced plans; "2050 net zero" still fits).
EARLIEST = dt.date(1800, 1, 1)
HORIZON_YEARS = 50
# A publication date may be this far after receipt (clock skew between systems).
PUBLISHED_SKEW = dt.timedelta(days=2)


def unstorable(value: str) -> str | None:
    """A description of the first character PostgreSQL text cannot hold, else None."""
    # A substring search per character (memchr) is ~5x faster than one regex class
    # over a megabyte, and this runs on the event loop for every posted article.
    at = min((i for i in map(value.find, _CONTROLS) if i >= 0), default=-1)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            at = exc.start if at < 0 else min(at, exc.start)
    return None if at < 0 else f"U+{ord(value[at]):04X} at offset {at}"


def latest_event_date(received_at: dt.datetime) -> dt.date:
    """The last day an extracted event may be dated, for an article received then."""
    return dt.date(received_at.year + HORIZON_YEARS, 12, 31)


def event_date_ok(day: dt.date, received_at: dt.datetime) -> bool:
    """Whether an extracted event's date lies inside the window."""
    return EARLIEST <= day <= latest_event_date(received_at)


def published_at_problem(value: dt.datetime, now: dt.datetime) -> str | None:
    """Why a posted `published_at` is refused, or None when it is plausible."""
    offset = value.utcoffset()
    if offset is not None and not MIN_OFFSET <= offset <= MAX_OFFSET:
        return "its UTC offset must lie between -12:00 and +14:00"
    # Compared on the calendar date first: converting year 9999 to UTC can overflow.
    if not EARLIEST <= value.date() <= (now + PUBLISHED_SKEW).date():
        return (f"must lie between {EARLIEST.isoformat()} and "
                f"{(now + PUBLISHED_SKEW).date().isoformat()} (not in the future)")
    if value.astimezone(dt.UTC) > now + PUBLISHED_SKEW:
        return "must not lie in the future"
    return None
