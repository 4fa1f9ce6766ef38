"""schemathesis against ingest's own OpenAPI, in-process on a real Redis.

The same run as the api's (tests/integration/api/test_openapi_conformance.py): every
check schemathesis has that applies (not object-level authorization: there are no
users; no response-time limit), over every operation, in every phase: examples,
coverage (boundaries, wrong types, unsupported methods), fuzzing and stateful. Ingest
runs with a write and a read key, so `ignored_auth` has something to prove, and with
its rate limits and extraction budget opened wide (a fuzzer is one very fast client
on a machine that may be busy; the limits have their own tests). At least 1,000
requests, no 5xx, no failed check.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from newsline_ingest.app import create_app
from newsline_ingest.settings import IngestSettings
from tests.support import conformance
from tests.support.conformance import ACCEPTED, READ_KEY, WRITE_KEY

pytestmark = pytest.mark.integration

MIN_CASES = 1000


def _config() -> SchemathesisConfig:
    return conformance.config(500, [
        # What a schema cannot say about a valid article: its text may be over the
        # character limit once HTML is reduced (413); its HTML unreadable, its
        # published_at outside 1800..now, or a string may hold a control character
        # PostgreSQL cannot store (422).
        {"include-path-regex": "^/v1/(articles|extract)$",
         "checks": {"positive_data_acceptance": {
             "expected-statuses": [*ACCEPTED, "413", "422"]}}},
    ])


def test_ingest_keeps_its_openapi_promises(redis_url: str, stream_prefix: str) -> None:
    app = create_app(IngestSettings(
        redis_url=redis_url, stream_prefix=stream_prefix, api_key=[WRITE_KEY],
        read_key=[READ_KEY], extract_workers=1, rate_per_s=0,
        auth_failures_per_min=1_000_000,
        # A busy machine must not turn a slow extraction into a 503 (busy) here: the
        # budget and the bound have tests of their own (test_ingest_hardening.py).
        extract_budget_s=60.0, queue_wait_s=60.0,
    ))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config())
    outcome = conformance.run(schema)
    print("\n" + outcome.summary("ingest"))
    assert not outcome.errors, outcome.errors
    assert not outcome.failures, "\n".join(dict.fromkeys(outcome.failures))
    assert outcome.server_errors == 0
    assert outcome.cases >= MIN_CASES
