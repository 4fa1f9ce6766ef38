"""Stream and consumer-group names: the one place every service reads them from."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PREFIX = "newsline"


@dataclass(frozen=True)
class StreamNames:
    """Names derived from one prefix, so tests and tenants can run side by side."""

    prefix: str = DEFAULT_PREFIX

    @property
    def articles(self) -> str:
        """The stream ingest publishes `ArticleParsed` messages to."""
        return f"{self.prefix}.articles"

    @property
    def dead_letters(self) -> str:
        """Where a message that keeps failing is parked with its error."""
        return f"{self.prefix}.articles:dlq"

    @property
    def timeline_group(self) -> str:
        """The consumer group all timeline replicas share."""
        return f"{self.prefix}.timeline"

    @property
    def seen_key_prefix(self) -> str:
        """Redis keys that remember which article contents were already published."""
        return f"{self.prefix}:seen:"
