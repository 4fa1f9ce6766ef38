"""Actor versions kept in memory from the change feed, so a timeline 304 needs no database.

What the map answers is decided in `from_memory`; this module only keeps it current.

`ChangeWatcher` loads every actor row (as the ETag hashes it) at startup, then follows
`changes` every poll interval and re-reads the rows of the actors each new change
touches. The feed is gap-free (ids become visible in commit order, see
`newsline_db.feed`), so `id > last` never misses a committed change. Staleness: a change
reaches the map within one interval; the map counts as fresh for two, after which (or
after a failed poll) requests take the database path. An actor row edited without a
change (a new alias, curation) is picked up by the full reload every `RESYNC_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Any

from newsline_api.timelines.etags import actor_part
from newsline_api.timelines.queries import ACTORS_WITH_VERSION
from newsline_db import make_engine

log = logging.getLogger(__name__)

BATCH = 5000
# Bounds how long an actor-row edit that records no change can go unseen by a 304.
RESYNC_S = 10.0
_NEWEST = "SELECT coalesce(max(id), 0) AS id FROM changes"
_CHANGES = "SELECT id, actors FROM changes WHERE id > $1 ORDER BY id LIMIT $2"
_ALL_ACTORS = ACTORS_WITH_VERSION.replace("WHERE a.slug = ANY($1::text[])", "")


class ChangeWatcher:
    """slug → (version, actor_part), refreshed from `changes` every `interval_s`."""

    def __init__(self, database_url: str, interval_s: float) -> None:
        # Its own single connection: never competes with requests for the api's pool.
        self._engine = make_engine(database_url, pool_size=1, max_overflow=0)
        self.interval_s = interval_s
        self.actors: dict[str, tuple[int, str]] = {}
        self.last_change = 0
        self._loaded_at: float | None = None
        self._ok_at: float | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Load and follow in the background: the api serves (from the database) meanwhile."""
        self._task = asyncio.create_task(self._run(), name="newsline-change-watcher")

    async def stop(self) -> None:
        """Stop polling and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._engine.dispose()

    def fresh(self) -> bool:
        """Whether the last successful poll is recent enough to answer from memory."""
        return self._ok_at is not None and time.monotonic() - self._ok_at <= 2 * self.interval_s

    async def _run(self) -> None:
        while True:
            try:
                await self.poll()
            except Exception as exc:  # any failure means: answer from the database
                self._ok_at = None
                log.warning("change watcher poll failed (304s use the database): %r", exc)
            await asyncio.sleep(self.interval_s)

    async def poll(self) -> None:
        """Catch up with the feed (or reload everything when due); fresh only when caught up."""
        async with self._engine.connect() as conn:
            raw: Any = (await conn.get_raw_connection()).driver_connection
            now = time.monotonic()
            if self._loaded_at is None or now - self._loaded_at >= RESYNC_S:
                # The newest id first: anything committed after it is > it, polled next.
                newest = await raw.fetchval(_NEWEST)
                self.actors = _parts(await raw.fetch(_ALL_ACTORS))
                self.last_change, self._loaded_at = newest, now
            while True:
                rows = await raw.fetch(_CHANGES, self.last_change, BATCH)
                if rows:
                    slugs = sorted({slug for row in rows for slug in row["actors"]})
                    # Read after the changes: rows as new as, or newer than, those ids.
                    self.actors.update(_parts(await raw.fetch(ACTORS_WITH_VERSION, slugs)))
                    self.last_change = rows[-1]["id"]
                if len(rows) < BATCH:
                    break
        self._ok_at = time.monotonic()


def _parts(rows: Iterable[Any]) -> dict[str, tuple[int, str]]:
    return {row["slug"]: (row["version"], actor_part(row)) for row in rows}
