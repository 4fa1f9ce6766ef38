"""The embedded Valkey of `newsline up`: AOF on, and brought back on its port if it dies."""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import redis

from newsline_cli.embedded import EmbeddedServers
from tests.support.newsline_up import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture
def servers() -> Iterator[EmbeddedServers]:
    (ROOT / ".data").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="embedded-", dir=ROOT / ".data") as tmp, \
            EmbeddedServers(Path(tmp)) as started:
        yield started


def test_it_runs_with_the_aof_on(servers: EmbeddedServers) -> None:
    client = redis.Redis.from_url(servers.start_valkey(), decode_responses=True)
    config = client.config_get("append*")
    client.close()
    assert (config["appendonly"], config["appendfsync"]) == ("yes", "everysec")


def test_a_killed_valkey_is_restarted_on_its_port_with_what_it_had_accepted(
    servers: EmbeddedServers,
) -> None:
    url = servers.start_valkey()
    client = redis.Redis.from_url(url)
    entry = client.xadd("accepted", {"n": "1"})
    assert client.execute_command("WAITAOF", 1, 0, 1000)[0] == 1
    assert servers.revive_valkey() is False  # alive: nothing to do
    pid = int((servers.data_dir / "valkey.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    psutil.Process(pid).wait(10)
    assert servers.revive_valkey() is True
    assert int((servers.data_dir / "valkey.pid").read_text()) != pid
    client = redis.Redis.from_url(url)  # the same URL: clients just reconnect
    assert [e for e, _ in client.xrange("accepted")] == [entry]
    client.close()
