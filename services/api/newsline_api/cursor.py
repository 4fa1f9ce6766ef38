"""The api's cursors, both formats in one place.

A timeline cursor is opaque: the last row's `TimelineKey`, base64url-encoded JSON. A
change-feed cursor is a change id in decimal (also the SSE `id:`, so an EventSource
resumes with it as `Last-Event-ID`). Either refuses what the api did not issue with
`InvalidCursor`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid

from newsline_vocabulary import TimelineKey

__all__ = ["InvalidCursor", "TimelineKey", "decode_change_id", "decode_cursor", "encode_cursor"]


class InvalidCursor(ValueError):
    """The cursor was not one this api issued (or was damaged on the way)."""


def encode_cursor(key: TimelineKey) -> str:
    """The opaque string a client passes back as `cursor`."""
    raw = json.dumps(
        [key.date.isoformat(), key.precision_rank, key.first_seen_seq, str(key.event_id)],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> TimelineKey:
    """Parse a cursor from `encode_cursor`; raise `InvalidCursor` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        date, rank, seq, event_id = json.loads(raw)
        # bool is an int in Python: refuse it so `true` never passes for a rank; and keep
        # numbers inside their columns (rank: smallint, sequence: bigint) so a forged
        # cursor cannot cause a DB error.
        if not all(type(n) is int and 0 <= n < limit
                   for n, limit in ((rank, 2**15), (seq, 2**63))):
            raise InvalidCursor("rank and sequence must be non-negative integers in range")
        return TimelineKey(dt.date.fromisoformat(date), rank, seq, uuid.UUID(event_id))
    except InvalidCursor:
        raise
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise InvalidCursor(str(exc)) from exc


def decode_change_id(value: str | None) -> int:
    """A change-feed cursor as the change id it names; none (or empty) is 0, the start."""
    if value is None or value == "":
        return 0
    # ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and '١'.
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise InvalidCursor(f"a change id is a non-negative integer, got {value[:40]!r}")
    return int(value)
