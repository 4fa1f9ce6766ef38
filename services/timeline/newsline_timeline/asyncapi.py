"""`python -m newsline_timeline.asyncapi`: the AsyncAPI 3.0 document of the articles stream.

FastStream writes it from the consumer's own subscribers, so it names the stream, the
group and the `ArticleParsed` message exactly as the code declares them.
docs/asyncapi.json is this output; a unit test keeps it current.
"""

from __future__ import annotations

import json
import sys

from faststream.specification import AsyncAPI

from newsline_contracts import SCHEMA_VERSION
from newsline_timeline.app import create_app
from newsline_timeline.settings import TimelineSettings


def document() -> dict[str, object]:
    """The AsyncAPI document as a JSON-ready dict (no server is contacted)."""
    # Fixed values, not this machine's environment: the document describes the contract.
    settings = TimelineSettings(
        redis_url="redis://localhost:6379/0", database_url="postgresql://localhost/newsline",
        stream_prefix="newsline", consumer_name="HOST-PID")
    broker = create_app(settings).broker
    assert broker is not None
    spec = AsyncAPI(
        broker, title="Newsline articles stream", version=f"schema {SCHEMA_VERSION}",
        description="Ingest publishes one ArticleParsed message per accepted article; the "
                    "timeline consumers read them in one consumer group, in batches, and "
                    "acknowledge each batch after its transaction committed.")
    data: dict[str, object] = json.loads(spec.to_specification().to_json())
    return data


def main() -> None:
    """Print the document."""
    json.dump(document(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
