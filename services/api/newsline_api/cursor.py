"""Opaque keyset cursors: the last row's timeline sort key, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from typing import NamedTuple


class InvalidCursor(ValueError):
    """The cursor was not one this api issued (or was damaged on the way)."""


class TimelineKey(NamedTuple):
    """A row's place in an actor's timeline: (date, precision_rank, first_seen_seq, event_id)."""

    date: dt.date
    precision_rank: int
    first_seen_seq: int
    event_id: uuid.UUID


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
