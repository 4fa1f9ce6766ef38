"""Run `newsline up` as a user would (embedded servers, seeds) and stop it with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    """A started `newsline up` and where its services listen."""

    proc: subprocess.Popen[str]
    api: str
    ingest: str
    output: list[str]


def start(data_dir: Path, timeout: float = 180) -> Running:
    """Start `newsline up` on free ports with its data in `data_dir`; wait until ready."""
    api_port, ingest_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "NEWSLINE_DATA_DIR": str(data_dir),
        "NEWSLINE_API_PORT": str(api_port),
        "NEWSLINE_INGEST_PORT": str(ingest_port),
        "NEWSLINE_CONSUMER_PORT": str(free_port()),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsline_cli.main", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise AssertionError("newsline up exited early:\n" + "".join(output))
        output.append(line)
        if line.startswith("Press Ctrl-C"):
            api, ingest = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ingest_port}"
            # Keep reading what the services log: a full pipe would block their writes.
            threading.Thread(target=_drain, args=(proc, output), daemon=True).start()
            return Running(proc, api, ingest, output)
    proc.kill()
    raise AssertionError("newsline up never became ready:\n" + "".join(output))


def _drain(proc: subprocess.Popen[str], output: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)


def stop(running: Running) -> float:
    """SIGTERM it, assert a clean exit, return how many seconds stopping took."""
    started = time.monotonic()
    running.proc.send_signal(signal.SIGTERM)
    assert running.proc.wait(30) == 0
    return time.monotonic() - started


def processes_using(data_dir: Path) -> list[str]:
    """Processes whose command line or working directory mention `data_dir`."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + (proc.info["cwd"] or "")
        except psutil.Error:
            continue
        if str(data_dir) in text and proc.pid != os.getpid():
            found.append(f"{proc.pid} {proc.info['name']}")
    return found
