"""What became of the accepted articles: stored once, lost, duplicated or dead-lettered.

- **lost**: accepted (202/200) but missing from `articles`, or stored with fewer event
  sources than the 202 announced;
- **duplicated**: an accepted article whose effect was applied twice: more event
  sources than announced, its event's `created` change recorded more than once, or an
  actor whose `event_count` disagrees with its events (a double-counted redelivery);
- **dead_lettered**: accepted articles in the dead-letter stream; entries there that
  are not accepted articles (the poison scenario's) are counted apart as **poison**.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass

import asyncpg
from redis.asyncio import Redis

from newsline_contracts import StreamNames

_SOURCES = """
SELECT a.id::text, count(s.event_id)
FROM articles a LEFT JOIN event_sources s ON s.article_id = a.id
WHERE a.id = ANY($1::uuid[]) GROUP BY a.id
"""
_CREATED_TWICE = """
SELECT count(*) FROM (
  SELECT c.event_id FROM changes c
  WHERE c.kind = 'created'
    AND c.event_id IN (SELECT event_id FROM event_sources WHERE article_id = ANY($1::uuid[]))
  GROUP BY c.event_id HAVING count(*) > 1) twice
"""
_MISCOUNTED_ACTORS = """
SELECT count(*) FROM actor_stats st
WHERE st.event_count <> (SELECT count(*) FROM event_actors ea WHERE ea.actor_slug = st.actor_slug)
"""


@dataclass(frozen=True)
class Outcome:
    """The counts a scenario prints and asserts."""

    accepted: int
    lost: int
    duplicated: int
    dead_lettered: int
    poison_dead_lettered: int

    def line(self, scenario: str, **extra: object) -> str:
        """`scenario=NAME lost=.. duplicated=.. dead_lettered=..`, then the extras."""
        fields = {"lost": self.lost, "duplicated": self.duplicated,
                  "dead_lettered": self.dead_lettered, **extra, "accepted": self.accepted}
        return f"scenario={scenario} " + " ".join(f"{k}={v}" for k, v in fields.items())


async def count(dsn: dict[str, str], redis_url: str, accepted: dict[str, int]) -> Outcome:
    """Count what became of `accepted` (article id -> events its 202 announced)."""
    ids = [uuid.UUID(a) for a in accepted]
    conn = await asyncpg.connect(**dsn)
    try:
        sources = {row[0]: int(row[1]) for row in await conn.fetch(_SOURCES, ids)}
        created_twice = int(await conn.fetchval(_CREATED_TWICE, ids))
        miscounted = int(await conn.fetchval(_MISCOUNTED_ACTORS))
    finally:
        await conn.close()
    lost = sum(1 for a, n in accepted.items() if sources.get(a, -1) < n)
    over = sum(1 for a, n in accepted.items() if sources.get(a, -1) > n)
    dead, poison = await _dead_letters(redis_url, set(accepted))
    return Outcome(len(accepted), lost, over + created_twice + miscounted, dead, poison)


async def _dead_letters(redis_url: str, accepted: set[str]) -> tuple[int, int]:
    redis = Redis.from_url(redis_url)
    try:
        entries = await redis.xrange(StreamNames().dead_letters)
    finally:
        await redis.aclose()
    dead = sum(1 for _, fields in entries if _article_id(fields) in accepted)
    return dead, len(entries) - dead


def _article_id(fields: dict[bytes, bytes]) -> str | None:
    if b"article_id" in fields:
        return fields[b"article_id"].decode()
    try:  # dead-lettered before decoding: the body is whatever the entry held
        return str(json.loads(fields.get(b"body", b""))["article_id"])
    except (ValueError, KeyError, TypeError):
        return None


async def settled(dsn: dict[str, str], redis_url: str, accepted: dict[str, int],
                  timeout: float) -> Outcome:
    """Wait until the group has nothing pending or unread and every article is stored."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = await count(dsn, redis_url, accepted)
        if outcome.lost == 0 and await _group_idle(redis_url):
            return await count(dsn, redis_url, accepted)  # after the last ack: final
        if time.monotonic() > deadline:
            return outcome
        await asyncio.sleep(1.0)


async def _group_idle(redis_url: str) -> bool:
    names = StreamNames()
    redis = Redis.from_url(redis_url)
    try:
        for group in await redis.xinfo_groups(names.articles):
            if group["name"].decode() == names.timeline_group:
                return int(group["pending"]) == 0 and int(group.get("lag") or 0) == 0
    finally:
        await redis.aclose()
    return False



async def until_stored(dsn: dict[str, str], at_least: int, timeout: float = 60) -> int:
    """Poll the articles table until it holds `at_least` rows; return the count then."""
    conn = await asyncpg.connect(**dsn)
    deadline = time.monotonic() + timeout
    try:
        while (stored := int(await conn.fetchval("SELECT count(*) FROM articles"))) < at_least:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {stored} of {at_least} articles stored in time")
            await asyncio.sleep(0.01)
    finally:
        await conn.close()
    return stored


async def stored_count(dsn: dict[str, str]) -> int:
    """How many articles the database holds now."""
    conn = await asyncpg.connect(**dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM articles"))
    finally:
        await conn.close()
