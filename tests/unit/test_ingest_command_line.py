"""Ingest runs with its own uvicorn protocol wherever Newsline starts it.

`newsline_ingest.protocol:IngestProtocol` is what times out headers that never finish
(408): without `--http` naming it, a slowloris client holds a connection forever.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from newsline_cli import up

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ["--http", "newsline_ingest.protocol:IngestProtocol"]


def _passes_the_protocol(argv: list[str]) -> bool:
    return any(argv[i:i + 2] == PROTOCOL for i in range(len(argv) - 1))


def test_newsline_up_runs_ingest_with_the_header_timeout() -> None:
    parser = argparse.ArgumentParser()
    up.register(parser.add_subparsers())
    ingest = next(c for c in up._children(parser.parse_args(["up"])) if c.name == "ingest")
    assert "newsline_ingest.app:create_app" in ingest.argv
    assert _passes_the_protocol(ingest.argv)


def test_compose_runs_ingest_with_the_header_timeout() -> None:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    command = compose["services"]["ingest"]["command"]
    assert "newsline_ingest.app:create_app" in command
    assert _passes_the_protocol(command)
