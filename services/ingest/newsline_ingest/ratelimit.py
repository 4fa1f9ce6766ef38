"""Token buckets per client, in memory, with a bounded number of clients remembered."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBuckets:
    """`rate` tokens a second up to `burst`, per key; the oldest keys are forgotten first.

    Per process: with several ingest replicas each enforces its own limit.
    """

    def __init__(self, rate: float, burst: float, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_keys, self.clock = rate, burst, max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - at) * self.rate)

    def wait(self, key: str) -> float:
        """Seconds until `key` has a token again (0 when it has one now); takes nothing."""
        if self.rate <= 0:
            return 0.0
        level = self._level(key, self.clock())
        return 0.0 if level >= 1 else (1 - level) / self.rate

    def take(self, key: str) -> float:
        """Take a token for `key`: 0 if there was one, else the seconds until there is."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        level = self._level(key, now)
        if level < 1:
            self._store(key, level, now)
            return (1 - level) / self.rate
        self._store(key, level - 1, now)
        return 0.0

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
