"""The `newsline` console script: one entry point, one module per subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

# Each module exposes `register(subparsers)`, which adds its parser and sets
# `func(args) -> int` as the default. Imported lazily so `newsline extract`
# never pays for FastStream or SQLAlchemy.
COMMANDS = {
    "up": "newsline_cli.up",
    "extract": "newsline_cli.extract",
    "ingest": "newsline_cli.ingest",
    "migrate": "newsline_cli.migrate",
    "replay": "newsline_cli.replay",
    "dlq": "newsline_cli.dlq",
    "reextract": "newsline_cli.reextract",
}


DESCRIPTION = """\
Newsline turns business news into per-actor event timelines: post articles in
English, German or Chinese and it finds who did what and when, merges what several
articles say about one event, and serves the timelines and a dashboard."""

EPILOG = """\
examples:
  newsline up                          run everything (embedded servers unless
                                       DATABASE_URL / REDIS_URL are set)
  newsline extract article.txt         what the engine reads in a file, offline
  newsline ingest feed/ --published-at 2025-03-04
                                       post a folder of .json/.txt/.html files
  newsline reextract                   after an engine or knowledge change

'newsline COMMAND --help' explains each command's options."""


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Build the parser, importing only the subcommand that was asked for."""
    parser = argparse.ArgumentParser(
        prog="newsline", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, module in COMMANDS.items():
        if wanted in COMMANDS and name != wanted:
            sub.add_parser(name)
            continue
        import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the subcommand named on the command line and return its exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(args_list).parse_args(args_list)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
