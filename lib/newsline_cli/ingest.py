"""`newsline ingest PATH...`: post article files to the ingest service."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from newsline_cli.articles import (
    FORMATS_HELP,
    ArticleFileError,
    collect_files,
    read_article_file,
)
from newsline_cli.options import add_published_at_option

DEFAULT_URL = "http://127.0.0.1:8001"
RETRYABLE_STATUS = {429, 502, 503, 504}
MAX_DELAY = 5.0


@dataclass(frozen=True)
class Failure:
    """A file that was not ingested, and why."""

    path: Path
    reason: str


@dataclass
class Summary:
    """What happened to each file of one ingest run."""

    accepted: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file was stored (new or already known)."""
        return not self.failed


@dataclass(frozen=True)
class Outcome:
    """The result for one file: "accepted", "duplicate" or "failed"."""

    status: str
    detail: str = ""


def build_payload(path: Path, published_at: str | None = None) -> dict[str, Any]:
    """The request body for one file (newsline_cli.articles), with `published_at`
    (ISO 8601) for a file that states none."""
    payload = read_article_file(path)
    if published_at and not payload.get("published_at"):
        payload["published_at"] = published_at
    return payload


def retry_delay(response: httpx.Response | None, attempt: int) -> float:
    """Seconds to wait before retry `attempt` (1-based): Retry-After if given, else backoff."""
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        delay = float(header) if header is not None else 0.5 * 2 ** (attempt - 1)
    except ValueError:
        # An HTTP-date Retry-After is legal but not worth parsing for a 5 s cap.
        delay = 0.5 * 2 ** (attempt - 1)
    return min(max(delay, 0.0), MAX_DELAY)


def _error_reason(response: httpx.Response) -> str:
    try:
        body = response.json()
        message = body.get("message") if isinstance(body, dict) else None
    except ValueError:
        message = None
    if not message:
        message = response.text.strip()[:200] or response.reason_phrase
    return f"HTTP {response.status_code}: {message}"


class _Poster:
    """Posts files with retries; shared by the worker threads of one run."""

    def __init__(self, client: httpx.Client, url: str, retries: int,
                 published_at: str | None = None) -> None:
        self.client, self.url, self.retries = client, url, retries
        self.published_at = published_at
        # Set once the service is known to be unreachable (or on Ctrl-C): the
        # remaining files fail at once instead of each waiting out its backoff.
        self.stop = threading.Event()
        self.unreachable = ""

    def post(self, path: Path) -> Outcome:
        try:
            payload = build_payload(path, self.published_at)
        except ArticleFileError as exc:
            return Outcome("failed", str(exc))
        for attempt in range(self.retries + 1):
            if self.stop.is_set():
                return Outcome("failed", self.unreachable or "interrupted")
            response: httpx.Response | None = None
            try:
                response = self.client.post(self.url, json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                reason = f"cannot reach ingest at {self.client.base_url}"
            except httpx.TransportError as exc:
                reason = f"network error: {exc or type(exc).__name__}"
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    return self._outcome(response)
                reason = _error_reason(response)
            if attempt < self.retries:
                self.stop.wait(retry_delay(response, attempt + 1))
        if reason.startswith("cannot reach"):
            self.unreachable = reason
            self.stop.set()
        return Outcome("failed", reason)

    @staticmethod
    def _outcome(response: httpx.Response) -> Outcome:
        if response.status_code >= 400:
            return Outcome("failed", _error_reason(response))
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        events = body.get("events")
        detail = f"{len(events)} events" if isinstance(events, list) else ""
        duplicate = body.get("duplicate", response.status_code == 200)
        return Outcome("duplicate" if duplicate else "accepted", detail)


def ingest_paths(
    base_url: str,
    paths: Iterable[Path | str],
    api_key: str | None = None,
    retries: int = 5,
    *,
    concurrency: int = 4,
    transport: httpx.BaseTransport | None = None,
    on_result: Callable[[Path, Outcome], None] | None = None,
    published_at: str | None = None,
) -> Summary:
    """Post every file under `paths` to `{base_url}/v1/articles` and report what happened.
    `published_at` (ISO 8601) goes with every file that states none."""
    files = collect_files(paths)
    headers = {"X-API-Key": api_key} if api_key else {}
    outcomes: dict[Path, Outcome] = {}
    with httpx.Client(
        base_url=base_url.rstrip("/"), headers=headers, timeout=30.0, transport=transport
    ) as client:
        poster = _Poster(client, "/v1/articles", retries, published_at)
        pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
        try:
            futures = {pool.submit(poster.post, path): path for path in files}
            for future in as_completed(futures):
                path = futures[future]
                outcomes[path] = future.result()
                if on_result is not None:
                    on_result(path, outcomes[path])
        except BaseException:
            # Ctrl-C: let in-flight retries give up instead of sleeping on.
            poster.stop.set()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    summary = Summary()
    for path in files:
        outcome = outcomes[path]
        if outcome.status == "accepted":
            summary.accepted.append(path)
        elif outcome.status == "duplicate":
            summary.duplicates.append(path)
        else:
            summary.failed.append(Failure(path, outcome.detail))
    return summary


def _count(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return number

    return parse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ingest` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="post article files (.json, .txt, .html) to the ingest service",
        description=__doc__, epilog=FORMATS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument(
        "--url",
        help=f"ingest base URL (default: $NEWSLINE_INGEST_URL, else {DEFAULT_URL})",
    )
    parser.add_argument("--api-key", help="sent as X-API-Key (default: $NEWSLINE_API_KEY)")
    parser.add_argument("--retries", type=_count(0), default=5, help="retries per file (5)")
    parser.add_argument("--concurrency", type=_count(1), default=4, help="parallel posts (4)")
    add_published_at_option(
        parser, "without it the service reads it from the page or text, or estimates it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Ingest the given paths, print a summary, return 0 only if nothing failed."""
    url = args.url or os.environ.get("NEWSLINE_INGEST_URL") or DEFAULT_URL
    if not _is_http_url(url):
        print(f"newsline ingest: --url must be an http(s) URL, got {url!r}", file=sys.stderr)
        return 2
    api_key = args.api_key or key_from_env()
    files = collect_files(args.paths)
    if not files:
        print("newsline ingest: no files found", file=sys.stderr)
    summary = ingest_paths(
        url,
        files,
        api_key=api_key,
        retries=args.retries,
        concurrency=args.concurrency,
        on_result=_progress(len(files)) if files else None,
        published_at=getattr(args, "published_at", None),
    )
    print(
        f"accepted {len(summary.accepted)}, duplicates {len(summary.duplicates)}, "
        f"failed {len(summary.failed)}"
    )
    for failure in summary.failed:
        print(f"  {failure.path}: {failure.reason}")
    return 0 if summary.ok else 1


def key_from_env() -> str | None:
    """The key to send from NEWSLINE_API_KEY: the first, when it lists several ("k1,k2")."""
    keys = [k.strip() for k in os.environ.get("NEWSLINE_API_KEY", "").split(",") if k.strip()]
    return keys[0] if keys else None


def _is_http_url(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in {"http", "https"} and bool(parsed.host)


def _progress(total: int) -> Callable[[Path, Outcome], None]:
    """A progress bar on a terminal, one line per file otherwise (logs, CI)."""
    from tqdm import tqdm

    interactive = sys.stderr.isatty()
    bar = tqdm(total=total, unit="file", file=sys.stderr, disable=not interactive, leave=False)
    done = 0

    def report(path: Path, outcome: Outcome) -> None:
        nonlocal done
        done += 1
        bar.update(1)
        if not interactive:
            detail = f" ({outcome.detail})" if outcome.detail else ""
            print(f"[{done}/{total}] {outcome.status} {path}{detail}", file=sys.stderr)
        if done == total:
            bar.close()

    return report
