"""`newsline ingest`: payloads, retries, counting and exit codes, against a mock service."""

from __future__ import annotations

import functools
import hashlib
import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsline_cli import ingest
from newsline_cli.main import main
from tests.support.files import write

Handler = Callable[[httpx.Request], httpx.Response]


def fake_ingest(seen: set[str] | None = None) -> Handler:
    """A stand-in for the ingest service: 202 for new content, 200 for content it already has."""
    known = set() if seen is None else seen
    # The CLI posts from several threads; check-and-add must be atomic like the real dedup.
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        key = hashlib.sha256((body.get("text") or body.get("html") or "").encode()).hexdigest()
        with lock:
            duplicate = key in known
            known.add(key)
        return httpx.Response(
            200 if duplicate else 202,
            json={"article_id": key[:32], "duplicate": duplicate, "events": [{"type": "other"}]},
        )

    return handle


def error(status: int, message: str, **headers: str) -> httpx.Response:
    """An error answer shaped like the service's."""
    return httpx.Response(status, json={"error": "some_code", "message": message}, headers=headers)


def ingest_with(handler: Handler, paths: list[Path], **kwargs: Any) -> ingest.Summary:
    """Run ingest_paths against `handler` instead of the network."""
    kwargs.setdefault("retries", 2)
    return ingest.ingest_paths(
        "http://ingest.test", paths, transport=httpx.MockTransport(handler), **kwargs
    )


@pytest.fixture
def use_transport(monkeypatch: pytest.MonkeyPatch) -> Callable[[Handler], None]:
    """Route the CLI's requests to a handler, so `main([...])` runs without a server."""

    original = ingest.ingest_paths

    def install(handler: Handler) -> None:
        patched = functools.partial(original, transport=httpx.MockTransport(handler))
        monkeypatch.setattr(ingest, "ingest_paths", patched)

    return install


# --- talking to the service ---------------------------------------------------


def test_counts_accepted_and_duplicates(tmp_path: Path) -> None:
    first = write(tmp_path / "1.txt", "Baidu offers free tokens.")
    again = write(tmp_path / "2.txt", "Baidu offers free tokens.")
    other = write(tmp_path / "3.html", "<p>Zhipu launches a migration programme.</p>")

    summary = ingest_with(fake_ingest(), [first, again, other], concurrency=1)

    assert summary.accepted == [first, other]
    assert summary.duplicates == [again]
    assert summary.failed == []
    assert summary.ok


def test_sends_api_key_and_posts_to_v1_articles(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return fake_ingest()(request)

    ingest_with(handle, [write(tmp_path / "a.txt", "x")], api_key="s3cret")

    assert requests[0].url == "http://ingest.test/v1/articles"
    assert requests[0].headers["X-API-Key"] == "s3cret"


def test_retries_503_after_retry_after_then_succeeds(tmp_path: Path) -> None:
    answers = [error(503, "stream is full", **{"Retry-After": "0"})] * 2
    service = fake_ingest()

    def handle(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else service(request)

    summary = ingest_with(handle, [write(tmp_path / "a.txt", "x")], retries=2)

    assert summary.failed == []
    assert len(summary.accepted) == 1
    assert answers == []


def test_gives_up_on_503_after_the_retries(tmp_path: Path) -> None:
    calls = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return error(503, "stream is full", **{"Retry-After": "0"})

    summary = ingest_with(handle, [path := write(tmp_path / "a.txt", "x")], retries=3)

    assert calls == 4
    assert summary.failed == [ingest.Failure(path, "HTTP 503: stream is full")]


def test_retry_delay_honours_retry_after_with_a_cap() -> None:
    def answer(value: str) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": value})

    assert ingest.retry_delay(answer("2"), 1) == 2
    assert ingest.retry_delay(answer("120"), 1) == ingest.MAX_DELAY
    assert ingest.retry_delay(answer("Wed, 21 Oct 2015 07:28:00 GMT"), 2) == 1.0
    assert ingest.retry_delay(None, 1) == 0.5
    assert ingest.retry_delay(None, 10) == ingest.MAX_DELAY


def test_reports_the_servers_message_on_422(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{"text": "x", "published_at": "yesterday-ish"}')

    summary = ingest_with(lambda _: error(422, "published_at is not a date"), [path])

    assert summary.failed == [ingest.Failure(path, "HTTP 422: published_at is not a date")]


def test_unreachable_service_fails_every_file_with_one_clear_reason(tmp_path: Path) -> None:
    calls = 0

    def refuse(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("Connection refused", request=request)

    paths = [write(tmp_path / f"{n}.txt", str(n)) for n in range(5)]
    summary = ingest_with(refuse, paths, retries=1, concurrency=1)

    reasons = {failure.reason for failure in summary.failed}
    assert reasons == {"cannot reach ingest at http://ingest.test"}
    assert len(summary.failed) == 5
    # The first file used its retry; the rest did not each wait out a backoff.
    assert calls == 2


# --- the command --------------------------------------------------------------


def test_cli_exit_0_and_summary_when_all_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], use_transport: Callable[[Handler], None]
) -> None:
    use_transport(fake_ingest())
    write(tmp_path / "seeds" / "en.txt", "OpenAI blocks API access from China.")
    write(tmp_path / "seeds" / "de" / "de.txt", "OpenAI sperrt den Zugang.")
    write(tmp_path / "seeds" / "copy.txt", "OpenAI blocks API access from China.")

    code = main(["ingest", str(tmp_path / "seeds")])

    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == ["accepted 2, duplicates 1, failed 0"]


def test_cli_exit_1_lists_each_failure_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], use_transport: Callable[[Handler], None]
) -> None:
    use_transport(fake_ingest())
    good = write(tmp_path / "good.txt", "Alibaba Cloud cuts prices.")
    broken = write(tmp_path / "broken.json", '{"text": "unterminated')
    notes = write(tmp_path / "notes.md", "# not an article")
    missing = tmp_path / "missing.txt"

    code = main(["ingest", str(good), str(broken), str(notes), str(missing)])

    captured = capsys.readouterr()
    assert code == 1
    lines = captured.out.splitlines()
    assert lines[0] == "accepted 1, duplicates 0, failed 3"
    assert lines[1].startswith(f"  {broken}: invalid JSON")
    assert lines[2].startswith(f"  {notes}: unsupported extension .md")
    assert lines[3] == f"  {missing}: no such file"
    assert "Traceback" not in captured.out + captured.err


def test_cli_against_a_closed_port_says_it_cannot_reach_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("NEWSLINE_INGEST_URL", url)
    write(tmp_path / "a.txt", "x")

    code = main(["ingest", "--retries", "0", str(tmp_path)])

    captured = capsys.readouterr()
    assert code == 1
    assert f"cannot reach ingest at {url}" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_cli_rejects_a_url_that_is_not_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ingest", "--url", "ingest:8001", str(tmp_path)])

    assert code == 2
    assert "--url must be an http(s) URL" in capsys.readouterr().err
