"""Start Newsline's three processes, restart one that dies, stop them all on request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx


@dataclass
class Child:
    """One supervised process and how to start it again."""

    name: str
    argv: list[str]
    ready_url: str | None = None
    proc: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)  # this child's own settings

    def start(self, env: dict[str, str]) -> None:
        """Spawn the process with `env` (plus its own extra settings)."""
        # Own session: a terminal's Ctrl-C reaches only `newsline up`, which then
        # stops the children in order instead of racing them.
        self.proc = subprocess.Popen(self.argv, env=env | self.extra_env, start_new_session=True)

    def exited(self) -> int | None:
        """The exit code if it stopped, else None."""
        return None if self.proc is None else self.proc.poll()


def python_module(module: str, *args: str) -> list[str]:
    """argv running `module` with this interpreter (the venv's)."""
    return [sys.executable, "-m", module, *args]


def wait_ready(children: list[Child], timeout: float) -> None:
    """Block until every child's readiness URL answers 200; raise if one dies or time runs out."""
    deadline = time.monotonic() + timeout
    pending = [c for c in children if c.ready_url]
    while pending:
        for child in list(pending):
            code = child.exited()
            if code is not None:
                raise RuntimeError(f"{child.name} exited with code {code} while starting")
            try:
                if httpx.get(child.ready_url or "", timeout=1.0).status_code == 200:
                    pending.remove(child)
            except httpx.HTTPError:
                pass
        if pending and time.monotonic() > deadline:
            names = ", ".join(c.name for c in pending)
            raise RuntimeError(f"not ready after {timeout:.0f} s: {names}")
        time.sleep(0.2)


def restart_dead(children: list[Child], env: dict[str, str]) -> None:
    """Restart children that exited; give up on one that died 5 times in a minute."""
    now = time.monotonic()
    for child in children:
        code = child.exited()
        if code is None:
            continue
        child.restarts = [t for t in child.restarts if now - t < 60] + [now]
        if len(child.restarts) > 5:
            raise RuntimeError(f"{child.name} keeps dying (last exit code {code})")
        print(f"newsline: {child.name} exited with code {code}; restarting", file=sys.stderr)
        child.start(env)


def stop_all(children: list[Child], grace: float = 8.0) -> None:
    """SIGTERM every child, wait up to `grace` seconds, then SIGKILL the rest."""
    for child in children:
        if child.proc and child.proc.poll() is None:
            child.proc.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        if child.proc is None:
            continue
        try:
            child.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.proc.kill()
            child.proc.wait()


def child_env(database_url: str | None, redis_url: str) -> dict[str, str]:
    """The environment every child gets: ours plus the resolved server URLs.

    `database_url` None: a child that needs only the stream (ingest), started before
    the database is up, gets whatever DATABASE_URL we were given, or none.
    """
    resolved = {"REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    if database_url is not None:
        resolved["DATABASE_URL"] = database_url
    return os.environ | resolved
