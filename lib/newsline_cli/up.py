"""`newsline up`: servers (embedded unless given), migrations, three services, seeds."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import time
from pathlib import Path
from types import FrameType

from sqlalchemy.exc import DBAPIError

from newsline_cli import migrate
from newsline_cli.embedded import EmbeddedServers
from newsline_cli.options import configured_database_url, configured_redis_url
from newsline_cli.supervisor import (
    Child,
    child_env,
    python_module,
    restart_dead,
    stop_all,
    wait_ready,
)
from newsline_db import safe_url

ROOT = Path(__file__).resolve().parents[2]


class _Stop(Exception):
    pass


def _on_signal(signum: int, _: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `up` subcommand."""
    env = os.environ.get
    p = sub.add_parser("up", help="run everything: servers, migrations, services, seeds")
    p.add_argument("--host", default=env("NEWSLINE_HOST", "127.0.0.1"))
    p.add_argument("--api-port", type=int, default=int(env("NEWSLINE_API_PORT", "8000")))
    p.add_argument("--ingest-port", type=int, default=int(env("NEWSLINE_INGEST_PORT", "8001")))
    p.add_argument("--data-dir", type=Path, default=Path(env("NEWSLINE_DATA_DIR", ".data")))
    p.add_argument(
        "--seeds", type=Path, default=Path(env("NEWSLINE_SEEDS", ROOT / "seeds" / "articles"))
    )
    p.add_argument("--no-seeds", action="store_true", help="do not ingest the seed articles")
    p.add_argument(
        "--metrics-port", type=int, default=int(env("NEWSLINE_CONSUMER_PORT", "8002")),
        help="first timeline consumer's /metrics and /readyz port (the next ones follow)")
    p.add_argument(
        "--consumers", type=_positive, default=int(env("NEWSLINE_CONSUMERS", "1")),
        help="timeline consumer processes sharing the consumer group (default 1)")
    p.set_defaults(func=run)


def _positive(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 32:
        raise argparse.ArgumentTypeError(f"must be between 1 and 32, not {value}")
    return value


def _children(args: argparse.Namespace) -> list[Child]:
    base = f"http://{args.host}"
    # The protocols answer a request line uvicorn cannot parse with the JSON error shape;
    # ingest's also times out headers that never finish (408).
    uvicorn = ("--factory", "--host", args.host, "--log-level", "warning")
    json_errors = ("--http", "newsline_http.protocol:JsonErrorsProtocol")
    ingest_http = ("--http", "newsline_ingest.protocol:IngestProtocol")
    return [
        Child(
            "ingest",
            python_module(
                "uvicorn",
                "newsline_ingest.app:create_app",
                *uvicorn,
                *ingest_http,
                "--port",
                str(args.ingest_port),
            ),
            f"{base}:{args.ingest_port}/readyz",
        ),
        Child(
            "api",
            python_module(
                "uvicorn", "newsline_api.app:create_app", *uvicorn, *json_errors,
                "--port", str(args.api_port)
            ),
            f"{base}:{args.api_port}/readyz",
        ),
        # Several consumers share one group: each reads its own entries, the store's
        # upserts lock rows in key order, and each process names itself host-pid.
        *(Child("timeline" if args.consumers == 1 else f"timeline-{n}",
                python_module("newsline_timeline"),
                f"{base}:{args.metrics_port + n - 1}/healthz",
                extra_env={"NEWSLINE_METRICS_PORT": str(args.metrics_port + n - 1),
                           "NEWSLINE_METRICS_HOST": args.host})
          for n in range(1, args.consumers + 1)),
    ]


def _load_seeds(args: argparse.Namespace) -> None:
    from newsline_cli.ingest import ingest_paths, key_from_env

    if args.no_seeds or not args.seeds.exists():
        return
    # With NEWSLINE_API_KEY set, ingest (started with the same environment) wants a key.
    summary = ingest_paths(f"http://{args.host}:{args.ingest_port}", [args.seeds],
                           api_key=key_from_env())
    print(
        f"newsline: seeds: accepted {len(summary.accepted)}, "
        f"duplicates {len(summary.duplicates)}, failed {len(summary.failed)}"
    )
    for failure in summary.failed:
        print(f"  {failure.path}: {failure.reason}", file=sys.stderr)


def _knowledge_problem() -> str | None:
    """Validate the knowledge files before starting anything (ingest would die on them)."""
    from newsline_engine import KnowledgeError, load_knowledge

    directory = os.environ.get("NEWSLINE_KNOWLEDGE_DIR")
    try:
        load_knowledge(Path(directory) if directory else None)
    except KnowledgeError as exc:
        return str(exc)
    return None


def run(args: argparse.Namespace) -> int:
    """Bring Newsline up and keep it up until SIGINT/SIGTERM."""
    problem = _knowledge_problem()
    if problem:
        print(f"newsline up: knowledge files are invalid: {problem}", file=sys.stderr)
        return 2
    consumer_ports = range(args.metrics_port, args.metrics_port + args.consumers)
    for port in (args.api_port, args.ingest_port, *consumer_ports):
        if not _port_free(args.host, port):
            print(
                f"newsline up: port {port} on {args.host} is in use "
                "(set NEWSLINE_API_PORT / NEWSLINE_INGEST_PORT / NEWSLINE_CONSUMER_PORT)",
                file=sys.stderr,
            )
            return 2
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    servers = EmbeddedServers(args.data_dir.resolve())
    children = _children(args)
    try:
        redis_url = configured_redis_url() or servers.start_valkey()
        # Ingest needs only the stream, and its extraction workers take longest to warm:
        # it starts while PostgreSQL starts and migrates (a cold start is ~3 s shorter).
        ingest, *readers = children
        print("newsline: starting ingest …", flush=True)
        ingest.start(child_env(None, redis_url))
        database_url = configured_database_url() or servers.start_postgres()
        print(f"newsline: database {safe_url(database_url)}, redis {redis_url}")
        migrate.ensure_database(database_url)
        migrate.upgrade(database_url)
        env = child_env(database_url, redis_url)
        consumers = "" if args.consumers == 1 else f" ({args.consumers} consumers)"
        print(f"newsline: starting api and timeline{consumers} …", flush=True)
        for child in readers:
            child.start(env)
        wait_ready(children, timeout=90)
        _load_seeds(args)
        base = f"http://{args.host}"
        print(
            f"newsline: ready\n  dashboard  {base}:{args.api_port}/\n"
            f"  api docs   {base}:{args.api_port}/docs\n"
            f"  ingest     {base}:{args.ingest_port}/v1/articles "
            f"(docs {base}:{args.ingest_port}/docs)\n"
            f"  consumer   {base}:{args.metrics_port}/metrics\nPress Ctrl-C to stop.",
            flush=True,
        )
        while True:
            time.sleep(0.5)
            restart_dead(children, env)
            servers.revive_valkey()  # the embedded one, if it died
    except _Stop as stop:
        print(f"newsline: {stop}, stopping", file=sys.stderr)
        return 0
    except (RuntimeError, OSError, DBAPIError) as exc:
        print(f"newsline up: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_all(children)
        servers.stop()
