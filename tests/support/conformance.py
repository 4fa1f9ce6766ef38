"""One schemathesis run over a service's OpenAPI, counted the way the conformance tests
assert it: requests, statuses, failed checks (with a curl line each) and errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.python import asgi as schemathesis_asgi

# Every check schemathesis has that applies to Newsline: not object-level authorization
# (there are no users), no response-time limit.
CHECKS = (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance",
    "positive_data_acceptance", "negative_data_rejection", "use_after_free",
    "ensure_resource_availability", "missing_required_header", "ignored_auth",
    "unsupported_method", "allow_header_conformance",
)
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]  # schemathesis' default, no 5xx
WRITE_KEY, READ_KEY = "st-writer", "st-reader"


def config(max_examples: int, operations: list[dict[str, Any]]) -> SchemathesisConfig:
    """Every check in every phase, as the writer, with a service's own per-operation rules;
    a run stops after 50 failures (enough to read, not a flood)."""
    return SchemathesisConfig.from_dict({
        "seed": 20240709,
        "headers": {"X-API-Key": WRITE_KEY},
        "generation": {"max-examples": max_examples, "database": "none"},
        "checks": {name: {"enabled": True} for name in CHECKS},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True},
                   "fuzzing": {"enabled": True}, "stateful": {"enabled": True}},
        "operations": operations,
        "max-failures": 50,
    })


@dataclass
class Outcome:
    """What one run saw."""

    cases: int = 0
    checked: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        """Answers with a 5xx status."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self, service: str) -> str:
        """One line for the test output."""
        return (f"schemathesis ({service}): {self.cases} requests, {self.checked} checks run, "
                f"statuses {dict(sorted(self.statuses.items()))}, {len(self.failures)} check "
                f"failures, {self.server_errors} 5xx")


def run(schema: Any) -> Outcome:
    """Execute every phase on `schema` (from schemathesis.openapi.from_asgi)."""
    outcome = Outcome()
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                _record(event, outcome)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                outcome.errors.append(getattr(event, "info", None) or event)
    finally:
        schemathesis_asgi.shutdown_lifespans()
    return outcome


def _record(event: events.ScenarioFinished, outcome: Outcome) -> None:
    for interaction in event.recorder.interactions.values():
        outcome.cases += 1
        if interaction.response is not None:
            outcome.statuses[interaction.response.status_code] += 1
    for case_id, checks in event.recorder.checks.items():
        outcome.checked += len(checks)
        for check in checks:
            if check.status == Status.FAILURE:
                case = event.recorder.cases[case_id].value
                outcome.failures.append(
                    f"{event.recorder.label} {check.name}: "
                    f"{check.failure_info and check.failure_info.failure}"
                    f"\n  {case.as_curl_command()}")
