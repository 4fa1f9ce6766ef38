"""`newsline replay`: put every readable dead letter back on the stream (`newsline dlq retry`).

Kept for the runbooks that name it; `newsline dlq` lists, retries and drops entries one
by one, including the unreadable ones replay leaves where they are.
"""

from __future__ import annotations

import argparse
import os

from newsline_contracts.streams import DEFAULT_PREFIX


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `replay` subcommand."""
    from newsline_cli.dlq import run_retry

    p = sub.add_parser("replay", help="re-publish every readable dead letter (= dlq retry)")
    p.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    p.add_argument("--prefix", default=os.environ.get("NEWSLINE_STREAM_PREFIX", DEFAULT_PREFIX))
    p.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    p.set_defaults(func=run_retry, ids=[])
