"""An explicit NEWSLINE_DURABLE_ACK the server cannot give stops ingest in one readable line.

Whoever sets `waitaof` or `fsync-always` needs that guarantee: ingest refuses to run
without it, and the person reading the log sees the reason, not a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.newsline_up import free_port

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("mode", ["waitaof", "fsync-always"])
def test_a_refused_durable_ack_is_one_readable_line_and_a_non_zero_exit(
    memory_only_valkey: str, mode: str
) -> None:
    env = os.environ | {"REDIS_URL": memory_only_valkey, "NEWSLINE_DURABLE_ACK": mode,
                        "NEWSLINE_EXTRACT_WORKERS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "uvicorn", "newsline_ingest.app:create_app", "--factory",
         "--port", str(free_port()), "--http", "newsline_ingest.protocol:IngestProtocol"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    reasons = [line for line in done.stderr.splitlines()
               if f"newsline ingest: NEWSLINE_DURABLE_ACK={mode}, but valkey" in line]
    assert len(reasons) == 1, done.stderr
