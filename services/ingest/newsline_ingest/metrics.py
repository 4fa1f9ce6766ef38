"""Ingest's Prometheus figures, in a registry of its own (one per app, so tests that
build several apps in one process never collide in prometheus-client's global one).

Articles accepted and duplicates; requests refused, by status and error code (the
`error` of the JSON body, a closed vocabulary: never a path or a client's value);
extraction time by outcome; and, read from the pool at scrape time, the extractions
running, the articles waiting for a worker, and the workers up.
"""

from __future__ import annotations

from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

# Seconds: the default budget is 2 s, so the interesting range is 10 ms .. a few s.
EXTRACTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10)


class PoolState(Protocol):
    """What the gauges read off the extraction pool."""

    @property
    def alive(self) -> int: ...

    @property
    def idle(self) -> int: ...

    @property
    def waiting(self) -> int: ...


class IngestMetrics:
    """Every figure ingest exposes on its `/metrics`."""

    def __init__(self, pool: PoolState) -> None:
        self.registry = r = CollectorRegistry()
        self.accepted = Counter("newsline_ingest_articles_accepted",
                                "Articles accepted onto the stream (202)", registry=r)
        self.duplicates = Counter("newsline_ingest_articles_duplicate",
                                  "Articles already in the stream (200, duplicate: true)",
                                  registry=r)
        self.rejected = Counter("newsline_ingest_requests_rejected",
                                "Requests refused, by HTTP status and error code",
                                ["status", "reason"], registry=r)
        self.extraction_seconds = Histogram(
            "newsline_ingest_extraction_seconds",
            "Time from handing an article to the pool to its answer (waiting included), "
            "by outcome", ["outcome"], registry=r, buckets=EXTRACTION_BUCKETS)
        in_flight = Gauge("newsline_ingest_extractions_in_flight",
                          "Articles being extracted by a worker now", registry=r)
        in_flight.set_function(lambda: max(0, pool.alive - pool.idle))
        queued = Gauge("newsline_ingest_extractions_queued",
                       "Articles waiting for a free extraction worker", registry=r)
        queued.set_function(lambda: pool.waiting)
        workers = Gauge("newsline_ingest_extract_workers",
                        "Extraction worker processes up and warm", registry=r)
        workers.set_function(lambda: pool.alive)

    def refused(self, status: int, reason: str) -> None:
        """Count one refused request."""
        self.rejected.labels(str(status), reason).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text Prometheus scrapes, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
