"""`newsline up --consumers N`: N timeline processes, every other child once."""

from __future__ import annotations

import argparse

import pytest

from newsline_cli import up


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    up.register(parser.add_subparsers())
    return parser.parse_args(["up", *argv])


def test_one_consumer_by_default() -> None:
    names = [child.name for child in up._children(_args())]
    assert names == ["ingest", "api", "timeline"]


def test_consumers_n_starts_n_timeline_processes() -> None:
    names = [child.name for child in up._children(_args("--consumers", "3"))]
    assert names == ["ingest", "api", "timeline-1", "timeline-2", "timeline-3"]


@pytest.mark.parametrize("bad", ["0", "-2", "33"])
def test_a_consumer_count_out_of_range_is_refused_with_a_message(
        bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _args("--consumers", bad)
    assert "between 1 and 32" in capsys.readouterr().err
