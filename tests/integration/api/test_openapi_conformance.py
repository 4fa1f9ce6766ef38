"""schemathesis against the api's own OpenAPI, in-process on the real database.

Every check schemathesis has that applies here (not object-level authorization: Newsline
has no users; no response-time limit), over every operation but the endless
`/v1/stream` (covered by test_stream.py), in every phase: examples, coverage
(boundaries, wrong types, unsupported methods), fuzzing and stateful. The app runs with a
write and a read key so `ignored_auth` has something to prove. The run must make at
least 1,000 requests and see no 5xx and no failed check: a 500 or an answer the
document does not promise is a bug in the api, not in the test.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from newsline_api.app import create_app
from newsline_api.settings import ApiSettings
from tests.integration.api.conftest import Seed
from tests.support import conformance
from tests.support.conformance import ACCEPTED, READ_KEY, WRITE_KEY
from tests.support.factories import article, event

pytestmark = pytest.mark.integration

D = dt.date
MIN_CASES = 1000


def _config() -> SchemathesisConfig:
    return conformance.config(60, [
        # The stream never ends; test_stream.py covers it on a real socket.
        {"include-path": "/v1/stream", "enabled": False},
        # What a schema cannot say: a cursor is opaque (any other string is a 400
        # `invalid_cursor`), `from` after `to` is a 422 naming both, and responses
        # are listed for blocks and policies only (422 `not_a_trigger`).
        {"include-path-regex": "^/v1/(actors/[^/]+/)?timeline|^/v1/changes$|/responses$",
         "checks": {"positive_data_acceptance": {
             "expected-statuses": [*ACCEPTED, "400", "422"]}}},
    ])


@pytest.fixture
async def seeded(seed: Seed) -> None:
    block = event("openai", "access_block", D(2024, 7, 9), others=("china",))
    offer = event("baidu", "offer", D(2024, 7, 10), others=("openai",),
                  quantity=(5e7, "tokens"), product="ERNIE 3.5")
    far = event("openai", "policy", D(9999, 12, 31))
    await seed(article(block, offer, url="https://example.com/a", source="Example"))
    await seed(article(far, url="javascript:alert(1)", title="=HYPERLINK(1)"))
    await seed(article(event("zhipu-ai", "price_cut", D(2024, 7, 12), name="智谱"),
                       language="zh"))


def test_the_api_keeps_its_openapi_promises(
    database_url: str, seeded: None
) -> None:
    app = create_app(ApiSettings(
        database_url=database_url, etag_poll_ms=0, api_key=[WRITE_KEY], read_key=[READ_KEY],
    ))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config())
    outcome = conformance.run(schema)
    print("\n" + outcome.summary("api"))
    assert not outcome.errors, outcome.errors
    assert not outcome.failures, "\n".join(dict.fromkeys(outcome.failures))
    assert outcome.server_errors == 0
    assert outcome.cases >= MIN_CASES
