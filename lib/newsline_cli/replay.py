"""`newsline replay`: put every readable dead letter back on the stream (`newsline dlq retry`).

Kept for the runbooks that name it; `newsline dlq` lists, retries and drops entries one
by one, including the unreadable ones replay leaves where they are.
"""

from __future__ import annotations

import argparse

from newsline_cli.options import add_stream_options


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `replay` subcommand."""
    from newsline_cli.dlq import run_retry

    p = sub.add_parser("replay", help="re-publish every readable dead letter (= dlq retry)")
    add_stream_options(p)
    p.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    p.set_defaults(func=run_retry, ids=[])
